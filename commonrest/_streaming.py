"""Streamed responses: newline-delimited JSON (NDJSON) read line by line as it arrives.

A streamed operation is declared once, with :func:`stream_operation`, and serves sync and
async clients alike. Its call returns a stream of typed items; nothing is sent until the
stream is opened (``with``, ``async with``, or the first item asked for)::

    with client.v2.dag_runs.wait_until_finished("etl", "run-1", interval=5) as events:
        for event in events:                       # each line, parsed as it arrives
            print(event["state"])

    async with aclient.v2.dag_runs.wait_until_finished("etl", "run-1", interval=5) as events:
        async for event in events:
            ...

What a stream promises:

- Until the first byte of the body, it is an ordinary call: status errors are raised as
  typed exceptions, and retries, redirects and rate limits work as for any call.
- The call's deadline covers the whole stream: a server that never ends it is stopped
  with :class:`~commonrest.DeadlineExceededError` (use ``with_options(deadline=...)``
  for long waits). A failure once items have been delivered is never retried.
- Each line is parsed on its own into the item type; blank lines are skipped; a line that
  is not JSON, or not the item type, raises :class:`~commonrest.APIDecodeError`
  naming its line number. No line may exceed :func:`line_limit` bytes, while the stream as
  a whole has no size limit.
- The connection is closed when the stream ends, fails, is closed (``close()`` /
  ``aclose()``, the end of a ``with`` block), or is dropped unfinished.

``client.with_raw_response`` returns the same stream: its HTTP facts (``status_code``,
``headers``, ``attempts``, ``http_response``) are there once it is open.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, Generic, TypeVar, overload

import httpx
import pydantic
from typing_extensions import Self, Unpack

from ._deadline import bound_sockets, cancel_at
from ._decode import describe
from ._lazy import publish
from ._operations import (
    Async,
    AsyncRaw,
    Call,
    Declaration,
    OperationInfo,
    P,
    Resource,
    S,
    Sync,
    SyncRaw,
    _Descriptor,
    _info,
)

if TYPE_CHECKING:
    from ._options import Options
    from ._pipeline import Prepared

__all__ = [
    "NDJSON",
    "AsyncStream",
    "StreamCall",
    "StreamOperation",
    "SyncStream",
    "line_limit",
    "stream_operation",
]

T = TypeVar("T")
ItemT = TypeVar("ItemT")

#: The media type of newline-delimited JSON, the default ``Accept`` of a stream.
NDJSON = "application/x-ndjson"


#: The longest line a stream accepts by default (bytes, without its line break).
def line_limit(options: Options) -> int:
    """The longest line (in bytes) a stream accepts under ``options``: the call's
    ``max_response_size`` bounds each line of a stream, never the stream as a whole (a wait
    that lasts hours is not too large)."""
    return options.max_response_size


class StreamCall(Call[ItemT]):
    """A :class:`~commonrest.Call` whose success body is NDJSON: ``item`` is the
    type each line is parsed into (a model, or any type pydantic understands)."""

    __slots__ = ()
    streamed: ClassVar[bool] = True

    def __init__(
        self,
        item: type[ItemT] | Any,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        body_model: type[Any] | None = None,
    ) -> None:
        super().__init__(
            item, path=path, query=query, headers=headers, json=json, body_model=body_model
        )


# ---------------------------------------------------------------------------- reading


_SKIP = object()
_OPENED = object()


class _Lines:
    """Splits body chunks into lines and parses each one; shared by both streams."""

    __slots__ = ("_buffer", "_limit", "_number", "_p", "_response")

    def __init__(self, p: Prepared, response: httpx.Response) -> None:
        self._p = p
        self._response = response
        self._limit = line_limit(p.options)
        self._buffer = b""
        self._number = 0

    def feed(self, chunk: bytes) -> Iterator[Any]:
        """The items of every line ``chunk`` completes."""
        buf = self._buffer + chunk if self._buffer else chunk
        self._buffer = b""
        start = 0
        while True:
            end = buf.find(b"\n", start)
            if end < 0:
                break
            item = self._parse(buf[start:end])
            start = end + 1
            if item is not _SKIP:
                yield item
        rest = buf[start:]
        if len(rest) > self._limit:
            raise self._too_long(self._number + 1)
        self._buffer = rest

    def end(self) -> Iterator[Any]:
        """The item of a last line that has no line break."""
        rest, self._buffer = self._buffer, b""
        if rest.strip():
            item = self._parse(rest)
            if item is not _SKIP:
                yield item

    def _too_long(self, number: int) -> Exception:
        return self._p.decode_error(
            self._response,
            f"line {number} is longer than {self._limit} bytes (each line of a stream is "
            "bounded by max_response_size; raise it with with_options(max_response_size=...))",
            text="",
        )

    def _parse(self, line: bytes) -> Any:
        self._number += 1
        if len(line) > self._limit:
            raise self._too_long(self._number)
        text = line.strip()
        if not text:
            return _SKIP
        dec = self._p.decoder
        if dec.kind != "json":
            # an item type of bytes or str: the line itself
            return text if dec.kind == "bytes" else text.decode("utf-8", "replace")
        try:
            return dec.parse_json(text)  # lenient, as a whole body is
        except pydantic.ValidationError as exc:
            reason = describe(exc, dec.target).replace("the body", f"line {self._number}", 1)
        raise self._p.decode_error(
            self._response, reason, text, text=text.decode("utf-8", "replace")
        )


class _State:
    """What a stream knows once open; kept apart from the reading generator so that a
    dropped stream is freed at once (no reference cycle) and its connection closed."""

    __slots__ = ("attempts", "response", "started")

    def __init__(self) -> None:
        self.started = False
        self.response: httpx.Response | None = None
        self.attempts = 0


def _sync_items(
    client: Any, info: OperationInfo, call: Call[Any], state: _State
) -> Generator[Any, None, None]:
    _, response, p = client._run(info, call)
    state.response, state.attempts = response, p.state.attempt
    try:
        yield _OPENED
        lines = _Lines(p, response)
        chunks = response.iter_bytes()
        failure = None
        try:
            while True:
                # Each read is bounded by what is left of the deadline, not only the
                # check between chunks: a server may hold one read open for long.
                with bound_sockets(p.state.remaining()):
                    chunk = next(chunks, None)
                if chunk is None:
                    break
                yield from lines.feed(chunk)
            yield from lines.end()
        except httpx.HTTPError as exc:
            failure = p.transport_error(exc)
        if failure is not None:
            raise failure  # outside the except: the httpx error keeps the request
    finally:
        response.close()


async def _async_items(
    client: Any, info: OperationInfo, call: Call[Any], state: _State
) -> AsyncGenerator[Any, None]:
    _, response, p = await client._run(info, call)
    state.response, state.attempts = response, p.state.attempt
    try:
        yield _OPENED
        lines = _Lines(p, response)
        chunks = response.aiter_bytes()
        failure = None
        try:
            while True:
                # One cancel scope per read, never held across a yield to the caller.
                with cancel_at(p.state.remaining(), p.deadline_error):
                    chunk = await anext(chunks, None)
                if chunk is None:
                    break
                for item in lines.feed(chunk):
                    yield item
            for item in lines.end():
                yield item
        except httpx.HTTPError as exc:
            failure = p.transport_error(exc)
        if failure is not None:
            raise failure  # outside the except: see _sync_items
    finally:
        await response.aclose()


class _Facts:
    """The HTTP facts of an open stream, shared by both kinds."""

    __slots__ = ("_info", "_state")
    _state: _State
    _info: OperationInfo

    @property
    def http_response(self) -> httpx.Response | None:
        """The response whose body is being streamed (``None`` until the stream is open)."""
        return self._state.response

    @property
    def status_code(self) -> int | None:
        """The response status, once open."""
        response = self._state.response
        return None if response is None else response.status_code

    @property
    def headers(self) -> httpx.Headers | None:
        """The response headers, once open."""
        response = self._state.response
        return None if response is None else response.headers

    @property
    def attempts(self) -> int:
        """How many attempts opening the stream took (0 before it is open)."""
        return self._state.attempts

    def __repr__(self) -> str:
        info = self._info
        where = "open" if self._state.response is not None else "not open"
        return f"<{type(self).__name__} {info.operation_id} ({info.method} {info.path}) {where}>"


class SyncStream(_Facts, Generic[T]):
    """The items of a streamed response (sync): an iterator and a context manager.

    ``open()`` (or ``with``, or the first item asked for) sends the request and raises its
    status error, if any; iteration yields each item as its line arrives; ``close()`` (or
    the end of the ``with`` block) closes the connection, read to the end or not.
    """

    __slots__ = ("_gen",)

    def __init__(self, client: Any, info: OperationInfo, call: Call[T]) -> None:
        self._info = info
        self._state = _State()
        self._gen = _sync_items(client, info, call, self._state)

    def open(self) -> Self:
        """Send the request and wait for the response headers (once; later calls do
        nothing)."""
        if not self._state.started:
            self._state.started = True
            next(self._gen)
        return self

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        if not self._state.started:
            self.open()
        item: T = next(self._gen)
        return item

    def close(self) -> None:
        """Close the connection; a stream closed before it was opened sends nothing."""
        self._state.started = True
        self._gen.close()

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncStream(_Facts, Generic[T]):
    """The items of a streamed response (async): an async iterator and an async context
    manager; see :class:`SyncStream`."""

    __slots__ = ("_gen",)

    def __init__(self, client: Any, info: OperationInfo, call: Call[T]) -> None:
        self._info = info
        self._state = _State()
        self._gen = _async_items(client, info, call, self._state)

    async def open(self) -> Self:
        """Send the request and wait for the response headers (once)."""
        if not self._state.started:
            self._state.started = True
            await self._gen.__anext__()
        return self

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        if not self._state.started:
            await self.open()
        item: T = await self._gen.__anext__()
        return item

    async def aclose(self) -> None:
        """Close the connection; a stream closed before it was opened sends nothing."""
        self._state.started = True
        await self._gen.aclose()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


# ---------------------------------------------------------------------------- declaration


class StreamOperation(_Descriptor, Generic[S, P, ItemT]):
    """Descriptor made by :func:`stream_operation`: calls return streams of items."""

    __slots__ = ()
    _runner: ClassVar[str] = "_stream"
    info: OperationInfo

    @overload
    def __get__(self, obj: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, obj: Resource[Sync], owner: Any) -> Callable[P, SyncStream[ItemT]]: ...
    @overload
    def __get__(self, obj: Resource[Async], owner: Any) -> Callable[P, AsyncStream[ItemT]]: ...
    @overload
    def __get__(self, obj: Resource[SyncRaw], owner: Any) -> Callable[P, SyncStream[ItemT]]: ...
    @overload
    def __get__(self, obj: Resource[AsyncRaw], owner: Any) -> Callable[P, AsyncStream[ItemT]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        return self if obj is None else self._bound_to(obj)


def stream_operation(
    method: str, path: str, **declared: Unpack[Declaration]
) -> Callable[[Callable[Concatenate[S, P], StreamCall[ItemT]]], StreamOperation[S, P, ItemT]]:
    """Declare an operation whose success body is NDJSON (the keywords are those of
    :class:`~commonrest._operations.Declaration`; ``accept`` defaults to NDJSON); calls return
    streams of items (:class:`SyncStream` on sync clients, :class:`AsyncStream` on async
    ones)::

        class DagRuns(Resource[M]):
            @stream_operation("GET", "/dags/{dag_id}/dagRuns/{run_id}/wait", operation_id="wait")
            def wait(self, dag_id: str, run_id: str) -> StreamCall[dict[str, Any]]:
                return StreamCall(dict[str, Any], path={"dag_id": dag_id, "run_id": run_id})
    """
    with_accept: Declaration = {"accept": NDJSON, **declared}
    info = _info(method, path, with_accept)

    def decorate(
        fn: Callable[Concatenate[S, P], StreamCall[ItemT]],
    ) -> StreamOperation[S, P, ItemT]:
        return StreamOperation(fn, info)

    return decorate


publish(__name__, globals())
