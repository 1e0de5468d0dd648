"""Helpers that make several calls (a safe update, a wait), written once for every client.

A helper's body is a *plan*: a generator that yields the steps it needs and receives each
step's result:

- :class:`Send`: one call (an operation of a resource, or any method of the client that
  blocks on a sync client and is awaited on an async one);
- :class:`Wait`: the core's poll loop (:mod:`._polling`) over one call;
- :class:`Stream`: follow a streamed answer (a ``SyncStream`` / ``AsyncStream``), handing
  each item to the plan's ``each`` until it says stop.

A step that raises is thrown into the plan at its ``yield``, so the plan decides what an
error means (fall back, retry another way, give up). The plan decides everything; a
driver only runs the steps, blocking (:func:`run_sync`) or awaiting (:func:`run_async`),
so the two modes share every line but the ones that wait. :func:`helper` turns a plan
method into a resource method typed for each mode, as ``operation`` does for one call.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Generator
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeAlias, TypeVar, overload

from typing_extensions import Self

from ._client import AsyncClient
from ._operations import Async, AsyncRaw, Resource, Sync, SyncRaw, bound_once, named_like
from ._polling import Waiter, wait_async, wait_sync
from ._response import APIResponse

__all__ = ["Plan", "Send", "Stream", "Wait", "helper", "run_async", "run_sync"]

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")


class Send:
    """One call: ``operation(*args, **kwargs)``; the plan receives its parsed result."""

    __slots__ = ("args", "kwargs", "operation")

    def __init__(self, operation: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        self.operation = operation
        self.args = args
        self.kwargs = kwargs

    def call(self) -> Any:
        return self.operation(*self.args, **self.kwargs)


@dataclass(frozen=True)
class Wait(Generic[S]):
    """Poll with ``fetch`` until ``waiter`` says the job is over; each answer goes through
    ``state`` first. The plan receives the final state."""

    fetch: Send
    state: Callable[[Any], S]
    waiter: Waiter[S]


@dataclass(frozen=True)
class Stream:
    """Open the stream ``open`` answers with and give ``each`` every item in order until
    it returns ``True``; the stream is closed either way. The plan receives ``True`` when
    ``each`` stopped it, ``False`` when the server ended it."""

    open: Send
    each: Callable[[Any], bool]


Step: TypeAlias = "Send | Wait[Any] | Stream"
#: A helper's body: yields steps, receives their results, returns the helper's result.
Plan = Generator[Step, Any, R]


def _parsed(result: Any) -> Any:
    # Through ``with_raw_response`` each call returns an APIResponse; a plan reads models.
    return result.parse() if isinstance(result, APIResponse) else result


def _step_sync(step: Step) -> Any:
    if isinstance(step, Send):
        return _parsed(step.call())
    if isinstance(step, Wait):
        wait = step
        return wait_sync(lambda: wait.state(_step_sync(wait.fetch)), wait.waiter)
    with step.open.call() as items:
        for item in items:
            if step.each(item):
                return True
    return False


async def _step_async(step: Step) -> Any:
    if isinstance(step, Send):
        return _parsed(await step.call())
    if isinstance(step, Wait):
        wait = step

        async def poll() -> Any:
            return wait.state(await _step_async(wait.fetch))

        return await wait_async(poll, wait.waiter)
    async with step.open.call() as items:
        async for item in items:
            if step.each(item):
                return True
    return False


def run_sync(plan: Plan[R]) -> R:
    """Run ``plan`` on a blocking client."""
    try:
        step = next(plan)
        while True:
            try:
                reply = _step_sync(step)
            except Exception as error:  # the plan's to handle; re-raised out of it if not
                step = plan.throw(error)
            else:
                step = plan.send(reply)
    except StopIteration as done:
        result: R = done.value
        return result
    finally:
        plan.close()


async def run_async(plan: Plan[R]) -> R:
    """Run ``plan`` on an async client."""
    try:
        step = next(plan)
        while True:
            try:
                reply = await _step_async(step)
            except Exception as error:
                step = plan.throw(error)
            else:
                step = plan.send(reply)
    except StopIteration as done:
        result: R = done.value
        return result
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
        return self if obj is None else bound_once(obj, self, lambda: self._bind(obj))

    def _bind(self, obj: Any) -> Callable[..., Any]:
        fn = self.fn
        driver: Callable[[Plan[Any]], Any] = (
            run_async if isinstance(obj._client, AsyncClient) else run_sync
        )

        def bound(*args: Any, **kwargs: Any) -> Any:
            return driver(fn(obj, *args, **kwargs))

        named_like(bound, fn, self._signature(driver is run_async))
        return bound

    def _signature(self, is_async: bool) -> inspect.Signature:
        """What ``help()`` and IDEs show: the parameters without ``self`` and the result
        the mode gives (``SourceRead``, or ``Coroutine[Any, Any, SourceRead]``)."""
        sig = inspect.signature(self.fn)
        declared = str(sig.return_annotation)
        result = declared[len("Plan[") : -1] if declared.startswith("Plan[") else declared
        returns = f"Coroutine[Any, Any, {result}]" if is_async else result
        return sig.replace(parameters=list(sig.parameters.values())[1:], return_annotation=returns)
