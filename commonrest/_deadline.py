"""A call's deadline, enforced inside every attempt as well as between attempts.

Per-operation timeouts cannot bound a call: a server that sends its headers or body a
byte at a time keeps every single read short. So each attempt runs under the deadline
itself:

- async clients run the whole attempt (waiting for a pooled connection, connecting,
  writing, waiting for and reading the headers, reading the body, following redirects,
  fetching a token inside an auth flow) under a cancellation at the deadline (on asyncio
  the task is cancelled as by ``asyncio.timeout``; elsewhere an anyio cancel scope). It
  works the same over any async transport, including an ``http_client`` or ``transport``
  of your own.
- blocking code cannot be cancelled from outside, so sync clients bound each socket
  operation instead: the connection pools the client creates use
  :class:`~.deadline_sockets.DeadlineBackend`,
  which clips the timeout of every connect, read and write to what is left of the deadline
  of the call running in this thread (a context variable set by :func:`bound_sockets`). Outside
  a call the backend is inert. An ``http_client`` of your own keeps its backend: there the
  deadline is checked before each attempt, each socket operation is bounded by the clipped
  timeout, and the body is checked between chunks, but a server trickling the status line
  and headers can hold one attempt past the deadline.

Waits between attempts and for rate-limit permits are bounded by the pipeline before they
start (a wait that would outlast the deadline is not begun).
"""

from __future__ import annotations

import contextlib
import sys
import typing
from collections.abc import AsyncIterator, Callable, Iterator

if typing.TYPE_CHECKING:
    import asyncio

import httpx

from ._errors import DeadlineExceededError
from ._sync_deadline import bound_sockets

__all__ = ["DeadlineStream", "bound_sockets", "cancel_at", "exceeded", "install_backend"]


def cancel_at(
    remaining: float | None, expired: Callable[[], Exception]
) -> typing.ContextManager[None]:
    """Cancel the async block after ``remaining`` seconds and raise ``expired()`` instead.

    The cancellation reaches the transport wherever it waits, so every phase of the
    attempt is covered; the transport closes the connection it was using.
    """
    if remaining is None:
        return contextlib.nullcontext()
    if sys.version_info >= (3, 11):
        task = _asyncio_task()
        if task is not None:
            return _TaskTimeout(task, max(remaining, 0.0), expired)
    return _scope(max(remaining, 0.0), expired)


@contextlib.contextmanager
def _scope(remaining: float, expired: Callable[[], Exception]) -> Iterator[None]:
    import anyio

    with anyio.move_on_after(remaining) as scope:
        yield
    if scope.cancelled_caught:
        raise expired()


def exceeded(
    deadline: float | None, when: str, *, method: str, url: str, attempts: int, sent: bool
) -> DeadlineExceededError:
    """The error for a call whose ``deadline`` (seconds) ran out ``when`` (``"during attempt
    2"``, ``"before attempt 3"``); ``sent`` says whether the request may have left."""
    return DeadlineExceededError(
        f"deadline of {deadline:g}s exceeded {when}",
        method=method,
        url=url,
        sent=sent,
        attempts=attempts,
    )


if sys.version_info >= (3, 11):

    class _TaskTimeout:
        """What ``asyncio.timeout()`` does, at a fraction of an anyio cancel scope's cost
        (every async call runs one): cancel the task at the deadline and, when that is the
        cancellation coming out of the block, take it back and raise ``expired()``."""

        __slots__ = ("_cancelling", "_expired", "_fired", "_handle", "_remaining", "_task")

        def __init__(
            self, task: asyncio.Task[typing.Any], remaining: float, expired: Callable[[], Exception]
        ) -> None:
            self._task = task
            self._remaining = remaining
            self._expired = expired
            self._fired = False

        def _fire(self) -> None:
            self._fired = True
            self._task.cancel()

        def __enter__(self) -> None:
            self._cancelling = self._task.cancelling()
            loop = self._task.get_loop()
            self._handle = loop.call_at(loop.time() + self._remaining, self._fire)

        def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
            self._handle.cancel()
            if not self._fired:
                return
            import asyncio  # loaded: this is an asyncio task

            if self._task.uncancel() <= self._cancelling and kind is asyncio.CancelledError:
                # Raised here, not from the cancellation, which is not this error's cause.
                raise self._expired() from None


def _asyncio_task() -> asyncio.Task[typing.Any] | None:
    """The asyncio task running now, when it can be cancelled and uncancelled (Python
    3.11+); None under another event loop (trio), where anyio does the work."""
    if sys.version_info < (3, 11):
        return None
    loaded = sys.modules.get("asyncio")  # not imported here: importing a client stays cheap
    if loaded is None:
        return None
    try:
        return typing.cast("asyncio.Task[typing.Any] | None", loaded.current_task())
    except RuntimeError:  # no asyncio loop running in this thread
        return None


def install_backend(client: httpx.Client) -> bool:
    """Put :class:`DeadlineBackend` under every httpx transport of ``client`` (its own and
    those mounted for proxies). Returns False when a transport is not httpx's own, whose
    pool cannot be reached."""
    from ._deadline_sockets import install_backend as install

    return install(client)


def __getattr__(name: str) -> typing.Any:
    if name == "DeadlineBackend":  # defined apart, see .deadline_sockets
        from ._deadline_sockets import DeadlineBackend

        return DeadlineBackend
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class DeadlineStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that fails with a read timeout once the deadline has passed between
    two chunks: a server sending the body a few bytes at a time keeps every read short."""

    def __init__(self, stream: typing.Any, remaining: Callable[[], float | None]) -> None:
        self._stream = stream
        self._remaining = remaining

    def _check(self) -> None:
        left = self._remaining()
        if left is not None and left <= 0:
            raise httpx.ReadTimeout("the call's deadline passed while reading the body")

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._check()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            self._check()
            yield chunk

    def close(self) -> None:
        self._stream.close()

    async def aclose(self) -> None:
        await self._stream.aclose()
