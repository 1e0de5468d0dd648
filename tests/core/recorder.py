"""A loopback HTTP server that writes down every request it receives, for tests that must
know exactly what reached a host (a foreign origin after a redirect, a token endpoint).

Built on :class:`tests.core.servers.TCPServer`: one request per connection, answered by a
function of the request, then the connection is closed.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .servers import TCPServer, read_request


@dataclass(frozen=True)
class Received:
    """One request as it arrived on the socket."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    raw: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass(frozen=True)
class Reply:
    """What to answer: a status, headers and a body."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


#: Given the request, the reply, or ``None`` to say nothing until the server stops.
Answer = Callable[[Received], "Reply | None"]


def reply(status: int = 200, json_body: Any = None, **headers: str) -> Reply:
    """A reply with ``json_body`` as JSON (when given) and ``headers`` (``_`` becomes ``-``)."""
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    if json_body is None:
        return Reply(status, named)
    named.setdefault("Content-Type", "application/json")
    return Reply(status, named, json.dumps(json_body).encode())


def _parse(raw: bytes) -> Received:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = [*lines[0].split(" "), "", "", ""][:3]
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Received(method, target, headers, body, raw)


class Recorder:
    """A running server, the requests it received (in order) and its connection count."""

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        #: Set once the first request has arrived.
        self.reached = threading.Event()
        self._server = TCPServer(self._behave)

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def origin(self) -> str:
        """``scheme://host:port``, as errors name an origin."""
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def connections(self) -> int:
        return self._server.connections

    def _behave(self, conn: socket.socket, stop: threading.Event) -> None:
        raw = read_request(conn)
        if not raw:
            return
        received = _parse(raw)
        with self._lock:
            self.requests.append(received)
        self.reached.set()
        answer = self._answer(received)
        if answer is None:
            stop.wait(30)
            return
        head = f"HTTP/1.1 {answer.status} X\r\n"
        for name, value in answer.headers.items():
            head += f"{name}: {value}\r\n"
        head += f"Content-Length: {len(answer.body)}\r\nConnection: close\r\n\r\n"
        conn.sendall(head.encode() + answer.body)

    def stop(self) -> None:
        self._server.stop()


@contextmanager
def recording(answer: Answer) -> Iterator[Recorder]:
    """Run a :class:`Recorder` for the ``with`` block."""
    server = Recorder(answer)
    try:
        yield server
    finally:
        server.stop()
