"""OpenTelemetry spans and the request-duration histogram, when a client asks for them.

Tracing is off unless a client is built with ``tracing=True`` (the application's global
tracer and meter providers) or ``tracing=Tracing(...)`` (providers of its own). Off, nothing
of OpenTelemetry is imported and the loops call the no-op :data:`NO_TRACING`, whose methods
return at once. On, every call gets a span named for its operation (``payments.authorise``)
and every request sent a child ``CLIENT`` span that follows the HTTP client semantic
conventions; waits for a retry or a rate-limit permit are events of the call's span.

Opt-in rather than on whenever ``opentelemetry-api`` is importable: spans leave the process
(to a collector, often a vendor's), and a payments SDK sends nothing anywhere unasked.

What is recorded is chosen, never copied wholesale: method, host, port, the URL through the
client's redactor (user info, secret query values, known credentials and card numbers
removed), status codes, error class names, counts and durations. No header, body, error
message or exception text (they may quote what the server echoed back) is recorded.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from ._errors import APIStatusError, ConfigurationError
from ._lazy import publish

if TYPE_CHECKING:
    import httpx
    from opentelemetry.metrics import Histogram, MeterProvider
    from opentelemetry.trace import Span, Tracer, TracerProvider

    from ._operations import Call, OperationInfo
    from ._pipeline import Prepared

__all__ = ["NO_TRACING", "Tracing", "traced", "traced_async", "tracing_hooks"]

#: The semantic conventions' bucket advice for ``http.client.request.duration`` (seconds).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
_KNOWN_METHODS = frozenset(
    {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}
)
_DEFAULT_PORTS = {"https": 443, "http": 80}
#: A permit that came quicker than this was not waited for: no event.
_WAIT_WORTH_NOTING = 0.005


class Tracing:
    """Where a client's spans and metrics go: ``Tracing()`` is the application's global
    providers (what ``tracing=True`` means); give a ``tracer_provider`` or
    ``meter_provider`` to use others (a test's in-memory SDK, a second pipeline)."""

    __slots__ = ("meter_provider", "tracer_provider")

    def __init__(
        self,
        *,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
    ) -> None:
        self.tracer_provider = tracer_provider
        self.meter_provider = meter_provider

    def __repr__(self) -> str:
        return (
            f"Tracing(tracer_provider={self.tracer_provider!r}, "
            f"meter_provider={self.meter_provider!r})"
        )


_NULL: AbstractContextManager[None] = nullcontext()


class Hooks:
    """What the client loops call; this base does nothing (tracing off)."""

    __slots__ = ()
    enabled = False

    def attempt(self, p: Prepared) -> AbstractContextManager[None]:
        """Around sending one attempt (its span, duration and outcome)."""
        return _NULL

    def response(self, response: httpx.Response) -> None:
        """A response arrived for the attempt in progress."""

    def permit(self) -> AbstractContextManager[None]:
        """Around waiting for a rate-limit permit."""
        return _NULL

    def retry_wait(self, delay: float, error: Exception) -> None:
        """The call sleeps ``delay`` seconds before its next attempt, after ``error``."""


NO_TRACING = Hooks()


def _error_type(error: BaseException) -> str:
    cls = type(error)
    return f"{cls.__module__}.{cls.__qualname__}"


class _CallTrace:
    """One call's span and what its attempts need from it."""

    __slots__ = ("sent", "span", "status", "url")

    def __init__(self, span: Span) -> None:
        self.span = span
        self.url: str | None = None  # the request's, redacted: the same for every attempt
        self.sent = 0  # requests sent so far: the next one's resend count
        self.status: int | None = None  # of the attempt in progress


_CALL: ContextVar[_CallTrace | None] = ContextVar("commonrest_call_trace", default=None)


class Telemetry(Hooks):
    """Tracing on: spans through ``tracer``, durations into ``duration``."""

    __slots__ = ("_duration", "_tracer")
    enabled = True

    def __init__(self, setting: Tracing) -> None:
        from opentelemetry import metrics, trace

        from . import __version__

        self._tracer: Tracer = trace.get_tracer(
            "commonrest", __version__, tracer_provider=setting.tracer_provider
        )
        meter = metrics.get_meter("commonrest", __version__, meter_provider=setting.meter_provider)
        self._duration: Histogram = meter.create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of the HTTP requests a commonrest client sent",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        )

    # ---------------------------------------------------------------- the call

    @contextmanager
    def call(self, info: OperationInfo) -> Iterator[_CallTrace]:
        """The call's span, current while the call runs (its token fetch is a child)."""
        from opentelemetry import context, trace

        attributes: dict[str, str] = {"http.request.method": _method(info.method)}
        if info.python_name:
            attributes["commonrest.operation"] = info.python_name
        if info.operation_id:
            attributes["commonrest.operation_id"] = info.operation_id
        span = self._tracer.start_span(
            info.label or info.method, kind=trace.SpanKind.INTERNAL, attributes=attributes
        )
        state = _CallTrace(span)
        attached = context.attach(trace.set_span_in_context(span))
        bound = _CALL.set(state)
        try:
            yield state
        except BaseException as error:
            span.set_attribute("error.type", _error_type(error))
            if isinstance(error, APIStatusError):
                span.set_attribute("http.response.status_code", error.status_code)
            span.set_status(trace.StatusCode.ERROR)
            raise
        finally:
            _CALL.reset(bound)
            context.detach(attached)
            span.end()

    def finished(self, state: _CallTrace, response: httpx.Response) -> None:
        state.span.set_attribute("http.response.status_code", response.status_code)

    # ---------------------------------------------------------------- attempts

    def attempt(self, p: Prepared) -> AbstractContextManager[None]:
        return self._attempt(p)

    @contextmanager
    def _attempt(self, p: Prepared) -> Iterator[None]:
        from opentelemetry import context, trace

        state = _CALL.get()
        url = p.request.url
        method = _method(p.info.method)
        port = url.port or _DEFAULT_PORTS.get(url.scheme)
        attributes: dict[str, str | int] = {
            "http.request.method": method,
            "server.address": url.host,
        }
        if port is not None:
            attributes["server.port"] = port
        if method == "_OTHER":
            attributes["http.request.method_original"] = p.info.method
        # Under a call span that is not recorded (no SDK, or sampled out) the request's span
        # is not either: the redacted URL, the one costly attribute, is then not worked out.
        if state is None or state.span.is_recording():
            if state is None or state.url is None:
                full = p.safe_url()
                if state is not None:
                    state.url = full
            else:
                full = state.url
            attributes["url.full"] = full
        if state is not None:
            if state.sent == 0:  # the call's span says where it went, too
                state.span.set_attributes(attributes)
            if state.sent:
                attributes["http.request.resend_count"] = state.sent
            state.sent += 1
            state.status = None
        span = self._tracer.start_span(
            method if method != "_OTHER" else "HTTP",
            kind=trace.SpanKind.CLIENT,
            attributes=attributes,
        )
        attached = context.attach(trace.set_span_in_context(span))
        started = time.perf_counter()
        failure: BaseException | None = None
        try:
            yield
        except BaseException as error:
            failure = error
            raise
        finally:
            context.detach(attached)
            status = state.status if state is not None else None
            measured: dict[str, str | int] = {
                k: v for k, v in attributes.items() if k in _METRIC_ATTRIBUTES
            }
            if status is not None:
                span.set_attribute("http.response.status_code", status)
                measured["http.response.status_code"] = status
            error_type: str | None = None
            if status is not None and status >= 400:
                error_type = str(status)
            elif failure is not None:
                error_type = _error_type(failure)
            if error_type is not None:
                span.set_attribute("error.type", error_type)
                span.set_status(trace.StatusCode.ERROR)
                measured["error.type"] = error_type
            self._duration.record(time.perf_counter() - started, measured)
            span.end()

    def response(self, response: httpx.Response) -> None:
        state = _CALL.get()
        if state is not None:
            state.status = response.status_code  # after a redirect, the final hop's

    # ---------------------------------------------------------------- waits

    def permit(self) -> AbstractContextManager[None]:
        return self._permit()

    @contextmanager
    def _permit(self) -> Iterator[None]:
        started = time.perf_counter()
        granted = False
        try:
            yield
            granted = True
        finally:
            waited = time.perf_counter() - started
            state = _CALL.get()
            if state is not None and (waited >= _WAIT_WORTH_NOTING or not granted):
                state.span.add_event(
                    "commonrest.rate_limit_wait",
                    {"commonrest.wait_seconds": round(waited, 6), "commonrest.granted": granted},
                )

    def retry_wait(self, delay: float, error: Exception) -> None:
        state = _CALL.get()
        if state is None:
            return
        attributes: dict[str, str | int | float] = {
            "commonrest.wait_seconds": round(delay, 6),
            "commonrest.attempt": state.sent,
            "error.type": _error_type(error),
        }
        if isinstance(error, APIStatusError):
            attributes["http.response.status_code"] = error.status_code
        state.span.add_event("commonrest.retry_wait", attributes)


_METRIC_ATTRIBUTES = frozenset({"http.request.method", "server.address", "server.port"})


def _method(method: str) -> str:
    upper = method.upper()
    return upper if upper in _KNOWN_METHODS else "_OTHER"


def tracing_hooks(setting: object) -> Hooks:
    """The hooks for a client's ``tracing`` setting; raises a :class:`ConfigurationError`
    for a value that is not one, or when OpenTelemetry is not installed."""
    if setting is None or setting is False:
        return NO_TRACING
    if setting is True:
        setting = Tracing()
    if not isinstance(setting, Tracing):
        raise ConfigurationError(
            f"tracing must be True, False or a commonrest.Tracing, got {type(setting).__name__}"
        )
    try:
        import opentelemetry.trace  # noqa: F401
    except ImportError:
        raise ConfigurationError(
            "tracing needs the opentelemetry-api package: pip install 'commonrest[otel]'"
        ) from None
    return Telemetry(setting)


# ---------------------------------------------------------------- around the loops

_C = TypeVar("_C")
_R = TypeVar("_R", bound="tuple[Any, httpx.Response, Prepared]")


def traced(
    run: Callable[[_C, OperationInfo, Call[Any]], _R],
) -> Callable[[_C, OperationInfo, Call[Any]], _R]:
    """Give each call of a sync client's ``_run`` its span (when its tracing is on)."""

    @functools.wraps(run)
    def _run(self: _C, info: OperationInfo, call: Call[Any]) -> _R:
        hooks: Hooks = self._tracing  # type: ignore[attr-defined]
        if not hooks.enabled:
            return run(self, info, call)
        assert isinstance(hooks, Telemetry)
        with hooks.call(info) as state:
            result = run(self, info, call)
            hooks.finished(state, result[1])
            return result

    return _run


def traced_async(
    run: Callable[[_C, OperationInfo, Call[Any]], Awaitable[_R]],
) -> Callable[[_C, OperationInfo, Call[Any]], Awaitable[_R]]:
    """The async twin of :func:`traced`: contextvars follow the awaits, so the span is the
    parent of everything the call awaits."""

    @functools.wraps(run)
    async def _run(self: _C, info: OperationInfo, call: Call[Any]) -> _R:
        hooks: Hooks = self._tracing  # type: ignore[attr-defined]
        if not hooks.enabled:
            return await run(self, info, call)
        assert isinstance(hooks, Telemetry)
        with hooks.call(info) as state:
            result = await run(self, info, call)
            hooks.finished(state, result[1])
            return result

    return _run


publish(__name__, globals())
