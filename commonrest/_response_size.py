"""How much of a response the SDK will hold in memory.

A body is decoded while it streams in and counted in decoded bytes, so neither a huge body
nor a small compressed one that expands enormously (a "gzip bomb") can grow memory past
the limit:

- a success body larger than the limit fails with
  :class:`~commonrest.ResponseTooLargeError` as soon as the count passes it (at
  once, without reading, when ``Content-Length`` already says so);
- an error body (any non-2xx status) is cut at the smaller of the limit and
  :data:`MAX_ERROR_BODY`: the status is the error, and its message and parsed fields come
  from what was kept;
- gzip and deflate are decoded in pieces of at most :data:`_PIECE` bytes with zlib's
  ``max_length``, so one compressed chunk never expands past the limit in one go. Those are
  the codings we ask for (``Accept-Encoding: gzip, deflate``); a body in another coding is
  kept as sent, as httpx does with codings it does not know.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

__all__ = ["ACCEPT_ENCODING", "MAX_ERROR_BODY", "BoundedBody", "bound_body"]

#: Enough of an error body for any message or problem document; the rest is dropped.
MAX_ERROR_BODY = 1024 * 1024
#: The codings we decode in bounded steps, and ask servers for.
ACCEPT_ENCODING = "gzip, deflate"
#: The most one decoding step produces.
_PIECE = 64 * 1024


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip (``wbits=31``) or deflate, zlib-wrapped or raw as servers send it."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._first = True
        self._z = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)

    def _step(self, data: bytes) -> bytes:
        try:
            return self._z.decompress(data, _PIECE)
        except zlib.error as exc:
            if self._first and not self._gzip:
                # "deflate" is often sent raw, without the zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self._step(data)
            raise httpx.DecodingError(
                f"the response body is not valid {self._name}: {exc}"
            ) from None

    @property
    def _name(self) -> str:
        return "gzip" if self._gzip else "deflate"

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            out = self._step(data)
            self._first = False
            data = self._z.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < _PIECE:
                return

    def flush(self) -> Iterator[bytes]:
        yield from self.feed(b"")
        try:
            rest = self._z.flush()
        except zlib.error as exc:
            raise httpx.DecodingError(
                f"the response body is not valid {self._name}: {exc}"
            ) from None
        if rest:
            yield rest


_CODINGS: dict[str, Callable[[], Any]] = {
    "identity": _Identity,
    "gzip": lambda: _Zlib(gzip=True),
    "x-gzip": lambda: _Zlib(gzip=True),
    "deflate": lambda: _Zlib(gzip=False),
}


class _Chain:
    """The decoders for a ``Content-Encoding`` list, applied last coding first."""

    def __init__(self, codings: list[str]) -> None:
        known = all(c in _CODINGS for c in codings)
        self._steps = [_CODINGS[c]() for c in reversed(codings)] if known else []

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._steps):
            if data:
                yield data
            return
        for piece in self._steps[index].feed(data):
            yield from self._through(index + 1, piece)

    def flush(self) -> Iterator[bytes]:
        for index, step in enumerate(self._steps):
            for piece in step.flush():
                yield from self._through(index + 1, piece)


class _AsSent:
    """Stands in for httpx's own decoder: the bytes reaching it are already decoded."""

    def decode(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class BoundedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response stream that yields the decoded body and stops at its limit."""

    def __init__(
        self,
        stream: Any,
        codings: list[str],
        limit: int,
        *,
        cut: bool,
        too_large: Callable[[], Exception],
        remaining: Callable[[], float | None] | None = None,
    ) -> None:
        self._stream = stream
        self._decoder = _Chain(codings)
        self._room = limit
        self._cut = cut
        self._too_large = too_large
        self._full = False
        self._remaining = remaining

    def _check(self) -> None:
        # What DeadlineStream does, here so that a bounded body is one layer, not two.
        if self._remaining is not None:
            left = self._remaining()
            if left is not None and left <= 0:
                raise httpx.ReadTimeout("the call's deadline passed while reading the body")

    def _take(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            if len(piece) > self._room:
                if not self._cut:
                    raise self._too_large()
                self._full = True
                if self._room:
                    yield piece[: self._room]
                self._room = 0
                return
            self._room -= len(piece)
            yield piece

    def __iter__(self) -> Iterator[bytes]:
        for raw in self._stream:
            self._check()
            yield from self._take(self._decoder.feed(raw))
            if self._full:
                return
        yield from self._take(self._decoder.flush())

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for raw in self._stream:
            self._check()
            for piece in self._take(self._decoder.feed(raw)):
                yield piece
            if self._full:
                return
        for piece in self._take(self._decoder.flush()):
            yield piece

    def close(self) -> None:
        self._stream.close()

    async def aclose(self) -> None:
        await self._stream.aclose()


def _codings(headers: httpx.Headers) -> list[str]:
    return [c.strip().lower() for c in headers.get_list("content-encoding", split_commas=True)]


def bound_body(
    response: httpx.Response,
    limit: int,
    *,
    cut: bool,
    too_large: Callable[[], Exception],
    remaining: Callable[[], float | None] | None = None,
) -> bool:
    """Make reading ``response`` hold at most ``limit`` decoded bytes: past it, raise
    ``too_large()`` or (``cut``) keep the first ``limit`` bytes and drop the rest. With
    ``remaining`` (seconds left of the call's deadline), a read that finds none left
    between two chunks fails with a read timeout.

    Call before the body is read; ``response.read()`` then decodes through us. A body
    already in memory (a mocked response, or a small one the transport read whole) is
    only measured and cut: then False is returned (the stream was left as it was).
    """
    if response.is_stream_consumed:
        if len(response.content) > limit:
            if not cut:
                raise too_large()
            response._content = response.content[:limit]
        return False
    codings = _codings(response.headers)
    length = response.headers.get("content-length", "")
    identity = all(c == "identity" for c in codings)
    # A HEAD, 204 or 304 announces a length but carries no body.
    bodiless = response.request.method == "HEAD" or response.status_code in (204, 304)
    if not (cut or bodiless) and identity and length.isdigit() and int(length) > limit:
        raise too_large()
    response.stream = BoundedBody(
        response.stream, codings, limit, cut=cut, too_large=too_large, remaining=remaining
    )
    # httpx would decode the (already decoded) bytes again, without a bound.
    response._decoder = _AsSent()  # type: ignore[assignment]
    return True
