"""A tiny threaded TCP server on 127.0.0.1 for fault tests over real sockets.

Each accepted connection is handed to a *behaviour*: a function that reads the request
and answers however the test needs (a normal JSON answer, a body cut short, silence).
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Behaviour = Callable[[socket.socket, threading.Event], None]


def read_request(conn: socket.socket) -> bytes:
    """Read one HTTP/1.1 request (headers and a Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def json_answer(payload: Any, status: int = 200) -> Behaviour:
    """Answer every request with ``payload`` as JSON, then close the connection."""
    body = json.dumps(payload).encode()

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(
            f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    return behave


def cut_short(announced: int = 100, sent: int = 10) -> Behaviour:
    """Announce ``announced`` body bytes, send ``sent`` of them, and close."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {announced}\r\n\r\n".encode()
            + b'{"petId":"'[:sent].ljust(sent, b"x")
        )

    return behave


def silent(seconds: float = 5.0) -> Behaviour:
    """Read the request, then say nothing for ``seconds`` (or until the server stops)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        stop.wait(seconds)

    return behave


def drip(payload: Any, every: float = 0.1) -> Behaviour:
    """Answer with ``payload`` as JSON one byte every ``every`` seconds: each read is quick,
    the whole body slow."""
    body = json.dumps(payload).encode()

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        )
        for byte in body:
            if stop.wait(every):
                return
            conn.sendall(bytes([byte]))

    return behave


def reset_mid_body(announced: int = 100, sent: int = 10) -> Behaviour:
    """Announce ``announced`` body bytes, send ``sent`` of them, then reset the connection
    (an RST, not an orderly close)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {announced}\r\n\r\n".encode()
            + b"x" * sent
        )
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()

    return behave


class TCPServer:
    """Accepts connections on an ephemeral port of 127.0.0.1 until :meth:`stop`."""

    def __init__(self, behaviour: Behaviour) -> None:
        self._behaviour = behaviour
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port: int = self._sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            self._behaviour(conn, self._stop)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._acceptor.join(5)
        self._sock.close()
        for worker in self._threads:
            worker.join(5)


@contextmanager
def serve(behaviour: Behaviour) -> Iterator[TCPServer]:
    """Run a :class:`TCPServer` for the ``with`` block."""
    server = TCPServer(behaviour)
    try:
        yield server
    finally:
        server.stop()


def refused_url() -> str:
    """A URL of 127.0.0.1 on which nothing listens: connecting is refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"
