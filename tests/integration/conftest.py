"""Real servers for the integration tests: Redis (started once per test run by
``scripts/redis_server.py``, stopped by PID at the end) and a counting HTTP server.

If Redis cannot be installed or started, the fixture raises and every test using it fails:
these tests never skip. (The Airflow tests skip a version that is not installed, unless
CI asks for it: see test_airflow.py.) A test marked ``airflow3_only`` is not collected for
the Airflow 2 server at all, rather than reported as skipped.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scripts.redis_server import RedisServer, start, stop


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "airflow3_only: an Airflow integration test with nothing to check on Airflow 2"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def on_airflow_2(item: pytest.Item) -> bool:
        callspec = getattr(item, "callspec", None)
        version = callspec.params.get("airflow") if callspec is not None else None
        return (
            item.get_closest_marker("airflow3_only") is not None
            and isinstance(version, str)
            and version.startswith("2.")
        )

    dropped = [item for item in items if on_airflow_2(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not on_airflow_2(item)]


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = start()
    try:
        yield server
    finally:
        stop(server.pid)


@pytest.fixture
def own_redis() -> Iterator[Callable[[], RedisServer]]:
    """Start a Redis of the test's own (one the test may stop); all are stopped at the end."""
    started: list[RedisServer] = []

    def launch() -> RedisServer:
        server = start()
        started.append(server)
        return server

    yield launch
    for server in started:
        stop(server.pid)


@dataclass
class Arrival:
    at: float  # time.monotonic() of this host, when the request line was read
    caller: str  # the first part of the pet id: which process (or client) sent it
    status: int


@dataclass
class CountingServer:
    """An HTTP server on 127.0.0.1 that records when each request arrives and answers a pet,
    or a 429 with ``Retry-After`` for a caller told to expect one."""

    url: str = ""
    arrivals: list[Arrival] = field(default_factory=list)
    throttle: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def throttle_once(self, caller: str, retry_after: float) -> None:
        """Answer ``caller``'s next request with 429 and ``Retry-After: retry_after``."""
        with self.lock:
            self.throttle[caller] = retry_after

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        pet_id = path.rstrip("/").rsplit("/", 1)[-1]
        caller = pet_id.split("-", 1)[0]
        with self.lock:
            retry_after = self.throttle.pop(caller, None)
            status = 200 if retry_after is None else 429
            self.arrivals.append(Arrival(time.monotonic(), caller, status))
        if retry_after is not None:
            body = json.dumps({"title": "slow down"}).encode()
            return 429, {"Retry-After": f"{retry_after:g}"}, body
        return 200, {}, json.dumps({"petId": pet_id, "name": "Rex"}).encode()

    def times(self, caller: str | None = None) -> list[float]:
        """Arrival times of every request (429s included: they spend quota too)."""
        with self.lock:
            return [a.at for a in self.arrivals if caller is None or a.caller == caller]


@pytest.fixture
def counting_server() -> Iterator[CountingServer]:
    state = CountingServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            status, headers, body = state.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def busiest_window(times: list[float], window: float = 1.0) -> int:
    """The most arrivals within any ``window`` seconds (every window starting at an arrival,
    which is where the busiest one starts)."""
    ordered = sorted(times)
    best = 0
    end = 0
    for start_index, start_at in enumerate(ordered):
        while end < len(ordered) and ordered[end] < start_at + window:
            end += 1
        best = max(best, end - start_index)
    return best
