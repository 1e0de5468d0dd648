"""NDJSON streams over a real socket on 127.0.0.1: a server that writes one JSON object per
line, with pauses and no content type (as Airflow's ``wait`` does). Items arrive before the
stream ends, the deadline stops a stream that never ends, and a stream that is left (closed,
or dropped unfinished) closes its connection; sync and async."""

from __future__ import annotations

import asyncio
import gc
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from commonrest import AsyncStream, DeadlineExceededError, SyncStream

from .feeds import AsyncFeedClient, Event, FeedClient
from .servers import Behaviour, read_request, serve

pytestmark = pytest.mark.anyio

AnyFeedClient = FeedClient | AsyncFeedClient
HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"  # no Content-Type


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def line(seq: int, **extra: Any) -> bytes:
    return json.dumps({"seq": seq, **extra}).encode() + b"\n"


class Gate:
    """Events shared by a test and its server: the server waits for ``release`` between
    lines, and says when it has finished or when the client went away."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.finished = threading.Event()
        self.client_left = threading.Event()


def two_lines_with_a_pause(gate: Gate) -> Behaviour:
    """Line 1 (split over two chunks), then wait until the test has seen it, then line 2."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        first = line(1, state="running")
        conn.sendall(HEAD + chunk(first[:5]))
        conn.sendall(chunk(first[5:]))
        if not gate.release.wait(10):
            return
        conn.sendall(chunk(line(2, state="success")) + b"0\r\n\r\n")
        gate.finished.set()

    return behave


def endless(gate: Gate, every: float = 0.02, most: int = 1000) -> Behaviour:
    """A line every ``every`` seconds until the client goes away or the server stops; it
    does end after ``most`` lines (~20 s), so a client that ignores its deadline fails the
    test instead of hanging it."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(HEAD)
        try:
            for seq in range(1, most + 1):
                if stop.wait(every):
                    return
                conn.sendall(chunk(line(seq)))
            conn.sendall(b"0\r\n\r\n")
        except OSError:
            gate.client_left.set()

    return behave


@pytest.fixture(params=["sync", "async"])
def make(request: pytest.FixtureRequest) -> Iterator[Callable[..., AnyFeedClient]]:
    made: list[AnyFeedClient] = []

    def build(**kwargs: Any) -> AnyFeedClient:
        client: AnyFeedClient = (
            FeedClient(**kwargs) if request.param == "sync" else AsyncFeedClient(**kwargs)
        )
        made.append(client)
        return client

    yield build
    for client in made:
        if isinstance(client, FeedClient):
            client.close()


@contextmanager
def server(behaviour: Behaviour) -> Iterator[str]:
    with serve(behaviour) as srv:
        yield srv.url


END = object()


async def next_item(stream: SyncStream[Any] | AsyncStream[Any]) -> Any:
    """The next item, or ``END`` once the stream is exhausted."""
    if isinstance(stream, AsyncStream):
        try:
            return await stream.__anext__()
        except StopAsyncIteration:
            return END
    return next(stream, END)


async def drain(stream: SyncStream[Any] | AsyncStream[Any], seen: list[Any]) -> None:
    """Read ``stream`` to its end (or its error), keeping what arrived in ``seen``."""
    if isinstance(stream, AsyncStream):
        async for item in stream:
            seen.append(item)
    else:
        seen.extend(stream)


async def wait_for(event: threading.Event) -> bool:
    """Wait up to 10 s for a server event while the event loop keeps running."""
    for _ in range(1000):
        if event.is_set():
            return True
        await asyncio.sleep(0.01)
    return event.is_set()


async def test_items_arrive_before_the_stream_ends(make: Callable[..., AnyFeedClient]) -> None:
    gate = Gate()
    with server(two_lines_with_a_pause(gate)) as url:
        client = make(base_url=url)
        stream = client.feeds.events()
        first = await next_item(stream)
        # the server holds line 2 back until we have line 1: it cannot have finished yet
        assert isinstance(first, Event) and (first.seq, first.state) == (1, "running")
        assert not gate.finished.is_set()
        gate.release.set()
        second = await next_item(stream)
        assert (second.seq, second.state) == (2, "success")
        assert await next_item(stream) is END
        assert gate.finished.wait(5)  # set just after the last bytes went out
        if isinstance(client, AsyncFeedClient):
            await client.close()


async def test_the_deadline_ends_a_stream_that_never_ends(
    make: Callable[..., AnyFeedClient],
) -> None:
    gate = Gate()
    with server(endless(gate)) as url:
        client = make(base_url=url, timeout=30, deadline=0.5)
        seen: list[Event] = []
        with pytest.raises(DeadlineExceededError) as info:
            stream = client.feeds.events()
            await drain(stream, seen)
        assert info.value.sent is True
        assert seen and [e.seq for e in seen] == list(range(1, len(seen) + 1))
        # and the connection was closed: the server's next write fails
        assert await wait_for(gate.client_left)
        if isinstance(client, AsyncFeedClient):
            await client.close()


def one_line_then_a_byte_now_and_then(gap: float) -> Behaviour:
    """Line 1, then one byte of line 2 every ``gap`` seconds (each read of the client
    returns within its read timeout, so only the deadline can stop it)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(HEAD + chunk(line(1)))
        try:
            for byte in line(2, state="x" * 40):
                if stop.wait(gap):
                    return
                conn.sendall(chunk(bytes([byte])))
        except OSError:
            pass

    return behave


async def test_the_deadline_bounds_each_read_of_a_stream(
    make: Callable[..., AnyFeedClient],
) -> None:
    # Reads of the body happen after the call returned the stream: the deadline must still
    # bound every one of them, not only the check between two chunks.
    deadline = 1.5
    with server(one_line_then_a_byte_now_and_then(gap=0.9 * deadline)) as url:
        client = make(base_url=url, timeout=30, deadline=deadline)
        started = time.monotonic()
        seen: list[Event] = []
        with pytest.raises(DeadlineExceededError) as info:
            stream = client.feeds.events()
            await drain(stream, seen)
        overrun = time.monotonic() - started - deadline
        assert [e.seq for e in seen] == [1]
        assert overrun < 0.5, f"ended {overrun:.2f}s after the deadline"
        assert info.value.operation == "feeds.events"
        if isinstance(client, AsyncFeedClient):
            await client.close()


async def test_leaving_a_with_block_closes_the_connection(
    make: Callable[..., AnyFeedClient],
) -> None:
    gate = Gate()
    with server(endless(gate)) as url:
        client = make(base_url=url)
        stream = client.feeds.events()
        if isinstance(stream, AsyncStream):
            async with stream as events:
                first = await events.__anext__()
        else:
            with stream as events:
                first = next(events)
        assert first.seq == 1
        assert await wait_for(gate.client_left)
        if isinstance(client, AsyncFeedClient):
            await client.close()


async def test_a_dropped_stream_closes_its_connection(
    make: Callable[..., AnyFeedClient],
) -> None:
    gate = Gate()
    with server(endless(gate)) as url:
        client = make(base_url=url)
        seen: list[int] = []
        # a caller's loop left by break, the stream never named: nothing else holds it
        if isinstance(client, AsyncFeedClient):
            async for event in client.feeds.events():
                seen.append(event.seq)
                if len(seen) == 3:
                    break
        else:
            for event in client.feeds.events():
                seen.append(event.seq)
                if len(seen) == 3:
                    break
        gc.collect()
        assert seen == [1, 2, 3]
        assert await wait_for(gate.client_left)
        if isinstance(client, AsyncFeedClient):
            await client.close()


async def test_a_stream_opened_and_closed_unread_closes_its_connection(
    make: Callable[..., AnyFeedClient],
) -> None:
    gate = Gate()
    with server(endless(gate)) as url:
        client = make(base_url=url)
        stream = client.feeds.events()
        if isinstance(stream, AsyncStream):
            async with stream:
                assert stream.status_code == 200
        else:
            with stream:
                assert stream.status_code == 200
        assert await wait_for(gate.client_left)
        if isinstance(client, AsyncFeedClient):
            await client.close()
