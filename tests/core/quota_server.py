"""An HTTP server on 127.0.0.1 that enforces a request quota per fixed window, as an API
gateway does: every answer announces the budget (``RateLimit-*`` headers), and a request
over the quota gets a 429 with ``Retry-After``."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuotaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, quota: int, window: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.quota = quota
        self.window = window
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.counts: dict[int, int] = {}
        self.answered_200 = 0
        self.answered_429 = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def admit(self) -> tuple[bool, int, float]:
        """Whether this request fits its window, what is left, and seconds to the reset."""
        now = time.monotonic() - self.started
        index = int(now // self.window)
        with self.lock:
            used = self.counts.get(index, 0)
            ok = used < self.quota
            if ok:
                self.counts[index] = used + 1
                self.answered_200 += 1
            else:
                self.answered_429 += 1
            left = self.quota - self.counts.get(index, 0)
        return ok, left, (index + 1) * self.window - now


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: QuotaServer

    def do_GET(self) -> None:
        ok, left, reset = self.server.admit()
        answer = {"petId": "rex", "name": "Rex"} if ok else {"message": "over the quota"}
        body = json.dumps(answer).encode()
        self.send_response(200 if ok else 429)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("RateLimit-Limit", str(self.server.quota))
        self.send_header("RateLimit-Remaining", str(left))
        # Whole seconds, rounded up, as gateways send it.
        self.send_header("RateLimit-Reset", str(math.ceil(reset)))
        if not ok:
            self.send_header("Retry-After", str(math.ceil(reset)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def quota_server(quota: int, window: float) -> Iterator[QuotaServer]:
    server = QuotaServer(quota, window)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
