"""Helpers that make several calls (a safe update, a wait), written once for every client.

A helper's body is a *plan*: a generator that yields the steps it needs (:class:`Send`: one
call of an operation; :class:`Wait`: the core's poll loop over one) and receives each
step's result. The plan decides everything; a driver only runs the steps, blocking
(:func:`run_sync`) or awaiting (:func:`run_async`), so the two modes share every line but
the ones that wait. :func:`helper` turns a plan method into a resource method typed for
each mode, as the core's ``operation`` does for a single call.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Generator
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeAlias, TypeVar, overload

from typing_extensions import Self

from commonrest._client import AsyncClient
from commonrest._operations import Async, AsyncRaw, Resource, Sync, SyncRaw
from commonrest._polling import Waiter, wait_async, wait_sync
from commonrest._response import APIResponse

__all__ = ["Plan", "Send", "Wait", "helper", "run_async", "run_sync"]

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")


@dataclass(frozen=True)
class Send:
    """One call: ``operation`` (a bound operation of a resource) with ``body``."""

    operation: Callable[[Any], Any]
    body: Any


@dataclass(frozen=True)
class Wait(Generic[S]):
    """Poll with ``fetch`` until ``waiter`` says the job is over; each answer goes through
    ``state`` first. The plan receives the final state."""

    fetch: Send
    state: Callable[[Any], S]
    waiter: Waiter[S]


Step: TypeAlias = "Send | Wait[Any]"
#: A helper's body: yields steps, receives their results, returns the helper's result.
Plan = Generator[Step, Any, R]


def _parsed(result: Any) -> Any:
    # Through ``with_raw_response`` each call returns an APIResponse; a plan reads models.
    return result.parse() if isinstance(result, APIResponse) else result


def run_sync(plan: Plan[R]) -> R:
    """Run ``plan`` on a blocking client."""

    def send(step: Send) -> Any:
        return _parsed(step.operation(step.body))

    def poller(wait: Wait[Any]) -> Callable[[], Any]:
        return lambda: wait.state(send(wait.fetch))

    try:
        reply: Any = None
        while True:
            try:
                step = plan.send(reply)
            except StopIteration as done:
                result: R = done.value
                return result
            reply = send(step) if isinstance(step, Send) else wait_sync(poller(step), step.waiter)
    finally:
        plan.close()


async def run_async(plan: Plan[R]) -> R:
    """Run ``plan`` on an async client."""

    async def send(step: Send) -> Any:
        return _parsed(await step.operation(step.body))

    def poller(wait: Wait[Any]) -> Callable[[], Awaitable[Any]]:
        async def poll() -> Any:
            return wait.state(await send(wait.fetch))

        return poll

    try:
        reply: Any = None
        while True:
            try:
                step = plan.send(reply)
            except StopIteration as done:
                result: R = done.value
                return result
            if isinstance(step, Send):
                reply = await send(step)
            else:
                reply = await wait_async(poller(step), step.waiter)
    finally:
        plan.close()


class helper(Generic[P, R]):
    """A resource method made of several calls: the decorated body returns a :data:`Plan`;
    a sync client runs it and returns the result, an async one returns a coroutine of it
    (``with_raw_response`` gives the same results: a helper reads its calls' models)."""

    def __init__(self, fn: Callable[Concatenate[Any, P], Plan[R]]) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

    @overload
    def __get__(self, obj: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, obj: Resource[Sync], owner: Any) -> Callable[P, R]: ...
    @overload
    def __get__(self, obj: Resource[Async], owner: Any) -> Callable[P, Coroutine[Any, Any, R]]: ...
    @overload
    def __get__(self, obj: Resource[SyncRaw], owner: Any) -> Callable[P, R]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncRaw], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self
        fn = self.fn
        driver: Callable[[Plan[Any]], Any] = (
            run_async if isinstance(obj._client, AsyncClient) else run_sync
        )

        def bound(*args: Any, **kwargs: Any) -> Any:
            return driver(fn(obj, *args, **kwargs))

        bound.__name__ = fn.__name__
        bound.__qualname__ = fn.__qualname__
        bound.__doc__ = fn.__doc__
        bound.__module__ = fn.__module__
        bound.__signature__ = self._signature(driver is run_async)  # type: ignore[attr-defined]
        return bound

    def _signature(self, is_async: bool) -> inspect.Signature:
        """What ``help()`` and IDEs show: the parameters without ``self`` and the result
        the mode gives (``SourceRead``, or ``Coroutine[Any, Any, SourceRead]``)."""
        sig = inspect.signature(self.fn)
        declared = str(sig.return_annotation)
        result = declared[len("Plan[") : -1] if declared.startswith("Plan[") else declared
        returns = f"Coroutine[Any, Any, {result}]" if is_async else result
        return sig.replace(parameters=list(sig.parameters.values())[1:], return_annotation=returns)
