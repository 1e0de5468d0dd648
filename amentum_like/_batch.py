"""Evaluating one operation at many points: a grid, a flight track, a list of dates.

``await evaluate(client.gravity.geoid_height, points)`` runs the points on an
:class:`~amentum_like.AsyncAmentumClient`, at most ``concurrency`` at a time. Every request
goes through the client as a single call would, so the client's rate limiter (a
``RedisRateLimiter`` for a budget shared between processes), retries and deadlines apply
to each. The result keeps the input order whatever order the answers arrive in.

A point is a mapping of the operation's keyword arguments; ``common`` arguments are added
to every point (a point's own value wins). Two keys are read on the way: ``when``, a
``date``/``datetime`` split by :func:`~amentum_like.time_arguments`, and ``origin``/
``destination``, passed through :func:`~amentum_like.airport` (so a ``(lat, lon)`` pair
works, and a code in lower case is sent in capitals).

A point that fails (an argument refused before sending, an API error, a connection
error: any :class:`~commonrest.CommonRestError`) is kept with its error by default
(``errors="collect"``); ``errors="raise"`` stops the batch at the first one, cancels what
is in flight and raises :class:`PointFailedError` naming the point. Anything else (a bug,
a cancellation) propagates as it is.

``evaluate_sync`` is the same for synchronous code. It refuses to run inside a running
event loop (a notebook cell): there ``await evaluate(...)`` is the way, and blocking the
loop would stall the kernel. See :mod:`._background` for where its loop runs.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, overload

from commonrest import CommonRestError, ConfigurationError
from commonrest._lazy import publish
from commonrest._progress import ProgressUpdate, open_progress

from ._airports import airport
from ._background import run_blocking
from ._quantity import Quantity, quantities
from ._times import time_arguments

__all__ = ["BatchResult", "PointFailedError", "PointResult", "evaluate", "evaluate_sync"]

R = TypeVar("R")
ErrorMode = Literal["collect", "raise"]


class PointFailedError(CommonRestError):
    """A batch run with ``errors="raise"`` stopped at this point. ``index`` and ``point``
    say which one; the error it raised is ``error`` (and ``__cause__``)."""

    def __init__(self, index: int, point: Mapping[str, Any], error: BaseException) -> None:
        super().__init__(f"point {index} {dict(point)!r} failed: {error}")
        self.index = index
        self.point = point
        self.error = error


@dataclass(frozen=True)
class PointResult(Generic[R]):
    """One point of a batch: its arguments as given, and its result or its error."""

    index: int
    point: Mapping[str, Any]
    result: R | None = None
    error: CommonRestError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def quantities(self) -> dict[str, Quantity]:
        """The result's quantities (empty for a failed point); see
        :func:`~amentum_like.quantities`."""
        return {} if self.result is None else quantities(self.result)


@dataclass(frozen=True)
class BatchResult(Sequence[PointResult[R]]):
    """Every point's :class:`PointResult`, in input order, and the ``common`` arguments
    every point was evaluated with."""

    points: tuple[PointResult[R], ...] = field(default=())
    common: Mapping[str, Any] = field(default_factory=dict)

    @overload
    def __getitem__(self, index: int) -> PointResult[R]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PointResult[R]]: ...
    def __getitem__(self, index: int | slice) -> PointResult[R] | Sequence[PointResult[R]]:
        return self.points[index]

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator[PointResult[R]]:
        return iter(self.points)

    @property
    def results(self) -> list[R | None]:
        """Each point's result (``None`` where it failed), in input order."""
        return [p.result for p in self.points]

    @property
    def failed(self) -> list[PointResult[R]]:
        """The points that failed, each with its error."""
        return [p for p in self.points if p.error is not None]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per point: its inputs (its own, then the common ones), then its
        quantities' values, then ``error`` (``None`` or the error's text). Units are in
        :meth:`units`."""
        from ._records import records

        return records(self.points, self.common)

    def units(self) -> dict[str, str]:
        """Column name -> unit, for the inputs with a known unit and every quantity."""
        from ._records import units

        return units(self.points, self.common)

    def to_dataframe(self) -> Any:
        """A pandas ``DataFrame`` of :meth:`to_records` (needs pandas: extra ``pandas``);
        ``df.attrs["units"]`` holds :meth:`units`."""
        from ._records import dataframe

        return dataframe(self.points, self.common)


# ------------------------------------------------------------------------- one point


def _arguments(
    operation: Any, point: Mapping[str, Any], common: Mapping[str, Any]
) -> dict[str, Any]:
    args = {**common, **point}
    when = args.pop("when", None)
    if when is not None:
        args.update(time_arguments(operation, when))
    for name in ("origin", "destination"):
        if name in args:
            args[name] = airport(args[name], parameter=name)
    return args


async def _one(
    operation: Callable[..., Awaitable[R]], point: Mapping[str, Any], common: Mapping[str, Any]
) -> R:
    return await operation(**_arguments(operation, point, common))


def _check_operation(operation: Any) -> str:
    """The operation's name; refused unless it is an async client's operation (whose
    signature says it returns a coroutine, see ``commonrest._signatures``)."""
    info = getattr(operation, "__commonrest_operation__", None)
    returns = str(getattr(inspect.signature(operation), "return_annotation", ""))
    if info is None or not returns.startswith("Coroutine["):
        raise ConfigurationError(
            "evaluate needs an operation of an AsyncAmentumClient "
            f"(AsyncAmentumClient().gravity.geoid_height, not called), got {operation!r}"
        )
    return str(info.python_name)


def _points(points: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    out = list(points)
    for i, point in enumerate(out):
        if not isinstance(point, Mapping):
            raise ConfigurationError(
                f"points: each point must be a mapping of arguments, point {i} is {point!r}"
            )
    return out


def _check(concurrency: int, errors: str) -> None:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigurationError(f"concurrency must be an integer >= 1, got {concurrency!r}")
    if errors not in ("collect", "raise"):
        raise ConfigurationError(f"errors must be 'collect' or 'raise', got {errors!r}")


# ------------------------------------------------------------------------- the batch


async def evaluate(
    operation: Callable[..., Awaitable[R]],
    points: Iterable[Mapping[str, Any]],
    *,
    concurrency: int = 8,
    errors: ErrorMode = "collect",
    progress: bool | None = None,
    **common: Any,
) -> BatchResult[R]:
    """Run ``operation`` (of an :class:`~amentum_like.AsyncAmentumClient`) at every point,
    at most ``concurrency`` at a time, and return the points in input order.

    ``errors``: ``"collect"`` keeps each failed point with its error; ``"raise"`` stops at
    the first and raises :class:`PointFailedError`. ``progress``: a display while it runs
    (``None``: when tqdm is installed and someone watches; ``True``; ``False``)."""
    _check(concurrency, errors)
    name = _check_operation(operation)
    todo = _points(points)
    slots: list[PointResult[R] | None] = [None] * len(todo)
    queue = iter(enumerate(todo))
    failures = done = 0

    with open_progress(progress, what=name or "points", total=len(todo), unit="point") as shown:

        async def worker() -> None:
            nonlocal failures, done
            for index, point in queue:  # one shared iterator: each point is taken once
                try:
                    result = await _one(operation, point, common)
                except CommonRestError as error:
                    if errors == "raise":
                        raise PointFailedError(index, point, error) from error
                    failures += 1
                    slots[index] = PointResult(index, point, error=error)
                else:
                    slots[index] = PointResult(index, point, result=result)
                done += 1
                shown.show(
                    ProgressUpdate(
                        "evaluating", completed=done, total=len(todo), details={"errors": failures}
                    )
                )

        workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(todo)))]
        try:
            await asyncio.gather(*workers)
        finally:
            for w in workers:  # the first failure (errors="raise") stops the others
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
    return BatchResult(tuple(s for s in slots if s is not None), dict(common))


def evaluate_sync(
    operation: Callable[..., Awaitable[R]],
    points: Iterable[Mapping[str, Any]],
    *,
    concurrency: int = 8,
    errors: ErrorMode = "collect",
    progress: bool | None = None,
    **common: Any,
) -> BatchResult[R]:
    """:func:`evaluate` for synchronous code (a script, a test); blocks until done.

    Refused (:class:`~commonrest.ConfigurationError`) when an event loop is running in
    this thread, as in a notebook cell: ``await evaluate(...)`` there."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        raise ConfigurationError(
            "evaluate_sync cannot block a running event loop (a notebook cell or a coroutine): "
            "use 'await evaluate(...)' there"
        )
    _check(concurrency, errors)
    _check_operation(operation)
    return run_blocking(
        evaluate(
            operation, points, concurrency=concurrency, errors=errors, progress=progress, **common
        )
    )


publish(__name__, globals())
