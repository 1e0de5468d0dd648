"""Every exception the SDK raises, and the one map from HTTP status to exception class.

::

    CommonRestError
    ├── ConfigurationError (also a ValueError)        bad settings, raised at construction
    ├── InvalidArgumentError (also a ValueError)      a call's argument refused before sending
    ├── RequestValidationError (also a ValueError)    a request body that fails its model
    └── APIError                                      a call failed
        ├── APIConnectionError                        no usable response (refused, reset...)
        │   └── APITimeoutError
        │       ├── DeadlineExceededError             the call's total deadline ran out
        │       └── RateLimitTimeoutError             no rate-limit permit within max_wait
        │   └── RateLimiterUnavailableError           the shared limiter's store is unreachable
        └── APIResponseError                          a response came back, but not a good one
            ├── APIDecodeError                        2xx whose body is not what was promised
            ├── RedirectError                         a redirect we will not follow
            ├── ResponseTooLargeError                 2xx body beyond max_response_size
            └── APIStatusError                        non-2xx status
                ├── ClientError (4xx) ── BadRequestError, AuthenticationError, ...
                └── ServerError (5xx) ── InternalServerError, ServiceUnavailableError, ...

Vendor packages add *body parsers* (see :data:`ErrorParser`) that enrich these same
exceptions with the vendor's error fields; they never define a parallel hierarchy.

Every error raised for a call names the operation (``operation``: the Python method as the
caller wrote it, such as ``payments.authorise``; ``operation_id``: the spec's operationId).
Everything an error built from a response keeps (message, headers, body, text, problem,
vendor detail) has passed through the client's redactor in :func:`error_from_response`:
credentials the client uses are replaced and card numbers masked.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import pydantic

from ._headers import header
from ._lazy import publish
from ._models import Model
from ._redaction import Redactor

if TYPE_CHECKING:
    from ._server_limits import ServerLimit

__all__ = [
    "STATUS_ERRORS",
    "APIConnectionError",
    "APIDecodeError",
    "APIError",
    "APIResponseError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ClientError",
    "CommonRestError",
    "ConfigurationError",
    "ConflictError",
    "DeadlineExceededError",
    "ErrorDetail",
    "ErrorParser",
    "GoneError",
    "InternalServerError",
    "InvalidArgumentError",
    "MethodNotAllowedError",
    "NotAcceptableError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "PreconditionRequiredError",
    "ProblemDetails",
    "RateLimitError",
    "RateLimitTimeoutError",
    "RateLimiterUnavailableError",
    "RedirectError",
    "RequestValidationError",
    "ResponseTooLargeError",
    "ServerError",
    "ServerNotImplementedError",
    "ServiceUnavailableError",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "error_class_for",
    "error_from_response",
    "error_from_transport",
]

#: How much of a response body an error keeps as text.
MAX_ERROR_TEXT = 4096


class CommonRestError(Exception):
    """Base of every exception raised by this SDK.

    ``operation`` and ``operation_id`` name the call that failed (``payments.authorise``,
    ``post-authorise``); they are ``None`` for errors raised outside a call (bad settings at
    construction).
    """

    operation: str | None = None
    operation_id: str | None = None

    def _name_operation(self, name: str, operation_id: str) -> None:
        """Record the call this error belongs to, unless it already names one."""
        if self.operation is None and self.operation_id is None:
            self.operation = name or None
            self.operation_id = operation_id or None

    def _operation_label(self) -> str | None:
        name, op_id = self.operation, self.operation_id
        if name and op_id and op_id != name:
            return f"{name}, operationId {op_id}"
        return name or op_id

    def __reduce__(self) -> tuple[Any, ...]:
        # Constructors with their own signatures do not survive pickle's default protocol;
        # errors must cross process boundaries (multiprocessing, celery) intact.
        return (_restore_error, (type(self), self.args, dict(self.__dict__)))

    def __str__(self) -> str:
        text = super().__str__()
        label = self._operation_label()
        return f"{text} ({label})" if label else text


class ConfigurationError(CommonRestError, ValueError):
    """A setting is missing or malformed; raised before anything is sent."""


class InvalidArgumentError(CommonRestError, ValueError):
    """An argument of a call is refused before anything is sent: a value of the wrong type,
    out of its declared range, not among its enum values, or one that cannot go on the wire
    (a path segment ``..``, a header value with a line break).

    The message names the parameter and what was expected. ``parameter`` is its Python
    name, ``wire`` its name in the request, ``location`` where it goes
    (``"path"``, ``"query"``, ``"header"``, ``"body"``); any of them is ``None`` when the
    refusal is not about one declared parameter. ``operation`` and ``operation_id`` name
    the call, as on every error of a call. The value itself is kept nowhere but in the
    message (card numbers masked), and not even there for a credential.
    """

    def __init__(
        self,
        message: str,
        *,
        parameter: str | None = None,
        wire: str | None = None,
        location: str | None = None,
    ) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.wire = wire
        self.location = location


class ClientClosedError(CommonRestError, RuntimeError):
    """The client (or the ``with_options`` copy sharing its pool) was closed; nothing is
    sent. Create a new client."""


class ProblemDetails(Model):
    """An RFC 7807 problem document. Extension members are kept as extra fields."""

    type: str = "about:blank"
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    instance: str | None = None

    @property
    def extensions(self) -> dict[str, Any]:
        """Members beyond the five the RFC defines."""
        return dict(self.model_extra or {})


@dataclass(frozen=True)
class ErrorDetail:
    """What a vendor's error-body parser found: a message, a code, and the raw fields."""

    message: str | None = None
    #: The code as the body gives it: an integer for Common REST (``412``), a string for
    #: Adyen (``"010"``, whose leading zero matters); never converted.
    code: str | int | None = None
    request_id: str | None = None
    data: Any = None
    #: A short tag shown in brackets after the status (``422 Unprocessable Entity
    #: [14_003 validation]: ...``), such as the code and the vendor's error type.
    label: str | None = None
    #: What the vendor calls its request id (``pspReference``), used in ``str(error)``.
    request_id_name: str | None = None


#: A vendor hook: given the parsed JSON body and the response headers, return the
#: vendor's error fields, or ``None`` when the body is not in the vendor's format.
ErrorParser = Callable[[Any, httpx.Headers], "ErrorDetail | None"]


class RequestValidationError(InvalidArgumentError):
    """A request body does not match its model; raised before anything is sent. An
    :class:`InvalidArgumentError` whose ``parameter`` is ``"body"``.

    The message names each field and what was expected, never the value given: request
    bodies carry card numbers and personal data that must not reach logs. ``errors`` holds
    pydantic's error list without inputs.
    """

    def __init__(self, model: str, errors: list[dict[str, Any]]) -> None:
        self.model = model
        self.errors = errors
        parts = []
        for err in errors[:10]:
            loc = ".".join(str(p) for p in err.get("loc", ())) or "(body)"
            parts.append(f"{loc}: {err.get('msg')}")
        more = f" (+{len(errors) - 10} more)" if len(errors) > 10 else ""
        super().__init__(
            f"invalid {model} request body: " + "; ".join(parts) + more,
            parameter="body",
            location="body",
        )


class APIError(CommonRestError):
    """A call failed. Carries the method, the URL (credentials removed) and attempt count."""

    method: str
    url: str
    attempts: int
    request_id: str | None
    retry_after: float | None
    #: What ``str()`` calls the request id: ``"request id"``, or the vendor's own name.
    request_id_name: str = "request id"
    #: The idempotency key the call's requests carried (the same on every attempt), or
    #: ``None``: log it to repeat the call deliberately with the same key.
    idempotency_key: str | None = None

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        attempts: int = 1,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.attempts = attempts
        self.request_id = request_id
        self.retry_after = None

    def __str__(self) -> str:
        where = f"{self.method} {self.url}"
        name = self.operation or self.operation_id
        if name:
            where = f"{name}: {where}"
        text = f"{self.message} ({where}"
        if self.operation and self.operation_id and self.operation_id != self.operation:
            text += f", operationId {self.operation_id}"
        if self.request_id:
            text += f", {self.request_id_name} {self.request_id}"
        if self.attempts > 1:
            text += f", after {self.attempts} attempts"
        if self.retry_after is not None:
            text += f", server asks to wait {self.retry_after:g}s"
        return text + ")"


def _restore_error(
    cls: type[CommonRestError], args: tuple[Any, ...], state: dict[str, Any]
) -> CommonRestError:
    error = cls.__new__(cls)
    BaseException.__init__(error, *args)
    error.__dict__.update(state)
    return error


class APIConnectionError(APIError):
    """No usable response: connection refused or reset, protocol error, body cut short.

    ``sent`` is False when the failure happened before any byte of the request left
    (connection refused, DNS failure, connect or pool timeout); such calls are safe to
    repeat whatever the method.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        sent: bool = True,
        attempts: int = 1,
    ) -> None:
        super().__init__(message, method=method, url=url, attempts=attempts)
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """An attempt ran out of time (connect, read, write or pool)."""


class DeadlineExceededError(APITimeoutError):
    """The call's total deadline (all attempts and waits) ran out."""


class RateLimitTimeoutError(APITimeoutError, TimeoutError):
    """No client-side rate-limit permit came within the limiter's ``max_wait``.

    Nothing was sent (``sent`` is False). Also a builtin :class:`TimeoutError`, which the
    limiter raised before. ``method`` and ``url`` are filled in by the client making the call.
    """

    def __init__(self, message: str, *, max_wait: float, method: str = "", url: str = "") -> None:
        super().__init__(message, method=method, url=url, sent=False)
        self.max_wait = max_wait


class RateLimiterUnavailableError(APIConnectionError):
    """The store behind a shared rate limiter (Redis) could not be reached, and the limiter
    was built with ``on_unavailable="fail"``: no permit, so nothing was sent (``sent`` is
    False). ``key`` is the limiter's budget key.
    """

    def __init__(self, message: str, *, key: str, method: str = "", url: str = "") -> None:
        super().__init__(message, method=method, url=url, sent=False)
        self.key = key


class APIResponseError(APIError):
    """A response arrived but is an error. Holds status, headers, parsed body and text."""

    status_code: int
    headers: httpx.Headers
    body: Any
    text: str
    problem: ProblemDetails | None
    detail: ErrorDetail | None

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: httpx.Headers,
        body: Any = None,
        text: str = "",
        problem: ProblemDetails | None = None,
        detail: ErrorDetail | None = None,
        request_id: str | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message, method=method, url=url, attempts=attempts, request_id=request_id)
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.text = text
        self.problem = problem
        self.detail = detail

    @property
    def code(self) -> str | int | None:
        """The vendor's error code, when its body parser found one, in the type the body
        gives it: ``412`` (an int) for Common REST, ``"010"`` for Adyen."""
        return self.detail.code if self.detail else None


class APIDecodeError(APIResponseError):
    """A success status, but the body is not the JSON (or type) the operation promised."""


class RedirectError(APIResponseError):
    """A redirect that would carry a request other than GET or HEAD to another origin.

    Nothing was sent to ``target_origin`` (``scheme://host:port``; the path and query of
    the ``Location`` are left out, as they may carry secrets): the request's body and
    headers belong to the API it was made to. See :mod:`commonrest._redirects`.
    """

    target_origin: str

    def __init__(self, message: str, *, target_origin: str, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.target_origin = target_origin


class ResponseTooLargeError(APIResponseError):
    """A success response whose body (decoded) is larger than ``max_response_size``.

    Reading stopped at the limit, so ``body`` and ``text`` are empty; ``limit`` is the
    setting in force. Not retried: the same request would get the same body.
    """

    limit: int

    def __init__(self, message: str, *, limit: int, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.limit = limit


class APIStatusError(APIResponseError):
    """The server answered with a non-2xx status."""


class ClientError(APIStatusError):
    """A 4xx status (also raised as-is for 4xx codes without a class of their own)."""


class ServerError(APIStatusError):
    """A 5xx status (also raised as-is for 5xx codes without a class of their own)."""


class BadRequestError(ClientError):
    """400: the request was malformed or invalid."""


class AuthenticationError(ClientError):
    """401: credentials missing, wrong or expired."""


class PermissionDeniedError(ClientError):
    """403: the credentials are valid but not allowed to do this."""


class NotFoundError(ClientError):
    """404: no such resource."""


class MethodNotAllowedError(ClientError):
    """405: the resource does not support this method."""


class NotAcceptableError(ClientError):
    """406: the server cannot produce the requested representation."""


class ConflictError(ClientError):
    """409: the request conflicts with the resource's current state."""


class GoneError(ClientError):
    """410: the resource existed but is no longer available."""


class PreconditionFailedError(ClientError):
    """412: an ``If-Match``/``If-None-Match`` condition failed (the revision changed)."""


class UnsupportedMediaTypeError(ClientError):
    """415: the server does not accept the body's content type."""


class UnprocessableEntityError(ClientError):
    """422: the body is well-formed but semantically invalid."""


class PreconditionRequiredError(ClientError):
    """428: the server requires a conditional request (send the revision you read)."""


class RateLimitError(ClientError):
    """429: too many requests. ``retry_after`` is the server's requested wait in seconds
    (``None`` when it gave none); ``rate_limit`` holds any rate-limit headers it sent, and
    ``server_limit`` what they say (remaining, reset, limit, window), parsed."""

    @property
    def server_limit(self) -> ServerLimit | None:
        """The budget the response announced (``RateLimit``/``RateLimit-*``/
        ``X-RateLimit-*`` headers), or ``None`` when it announced none."""
        from ._server_limits import parse_server_limit

        return parse_server_limit(self.headers)

    @property
    def rate_limit(self) -> dict[str, str]:
        """The response's ``RateLimit-*`` / ``X-RateLimit-*`` headers."""
        return {
            k: v
            for k, v in self.headers.items()
            if k.lower().startswith(("ratelimit", "x-ratelimit", "x-rate-limit"))
        }


class InternalServerError(ServerError):
    """500: the server failed."""


class ServerNotImplementedError(ServerError):
    """501: the server does not implement this operation."""


class ServiceUnavailableError(ServerError):
    """503: the service is down or overloaded; often temporary."""


#: The one map from status code to exception class.
STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    406: NotAcceptableError,
    409: ConflictError,
    410: GoneError,
    412: PreconditionFailedError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    428: PreconditionRequiredError,
    429: RateLimitError,
    500: InternalServerError,
    501: ServerNotImplementedError,
    503: ServiceUnavailableError,
}


def error_class_for(status_code: int) -> type[APIStatusError]:
    """The exception class for a non-2xx status."""
    cls = STATUS_ERRORS.get(status_code)
    if cls is not None:
        return cls
    if 400 <= status_code < 500:
        return ClientError
    if status_code >= 500:
        return ServerError
    return APIStatusError


_REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
    "x-trace-id",
    "traceparent",
)


def request_id_of(headers: httpx.Headers) -> str | None:
    """The request id a service sent back, under any of the common header names."""
    for name in _REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


@dataclass
class ParsedErrorBody:
    """What :func:`parse_error_body` extracted from an error response."""

    body: Any = None
    problem: ProblemDetails | None = None
    detail: ErrorDetail | None = None
    message: str | None = None


_PROBLEM_KEYS = frozenset({"type", "title", "status", "detail", "instance"})


def parse_error_body(
    content: bytes,
    headers: httpx.Headers,
    parsers: tuple[ErrorParser, ...],
    scrub: Callable[[Any], Any] = lambda value: value,
) -> ParsedErrorBody:
    """Parse an error body: JSON if it is JSON, RFC 7807 when it has that shape, then the
    vendor parsers in order. ``scrub`` is applied to the parsed JSON before anything reads
    it, so the problem, the vendor detail and the message are built from scrubbed values.
    Never raises."""
    out = ParsedErrorBody()
    if not content:
        return out
    try:
        out.body = scrub(json.loads(content))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return out
    body = out.body
    ctype = header(headers, b"content-type") or ""
    if isinstance(body, dict) and (
        "problem+json" in ctype
        or ("title" in body and ("status" in body or "type" in body))
        or ("type" in body and "detail" in body)
    ):
        try:
            out.problem = ProblemDetails.model_validate(body)
        except pydantic.ValidationError:
            out.problem = None
    for parser in parsers:
        try:
            detail = parser(body, headers)
        except Exception:  # a vendor parser must never hide the real error
            detail = None
        if detail is not None:
            out.detail = _scrubbed_detail(detail, scrub)
            break
    if out.detail and out.detail.message:
        out.message = out.detail.message
    elif out.problem and (out.problem.detail or out.problem.title):
        out.message = out.problem.detail or out.problem.title
    elif isinstance(body, dict):
        for key in ("message", "error_description", "detail", "error", "title", "reason"):
            value = body.get(key)
            if isinstance(value, str) and value:
                out.message = value
                break
    return out


def _scrubbed_detail(detail: ErrorDetail, scrub: Callable[[Any], Any]) -> ErrorDetail:
    # A parser reads scrubbed input, but may also pick values out of headers or build
    # strings of its own: its answer is scrubbed again.
    data = detail.data
    return dataclasses.replace(
        detail,
        message=scrub(detail.message),
        code=scrub(detail.code) if isinstance(detail.code, str) else detail.code,
        request_id=scrub(detail.request_id),
        label=scrub(detail.label),
        data=scrub(data) if isinstance(data, (dict, list, str)) else data,
    )


def _response_text(response: httpx.Response) -> str:
    """``response.text``: without a charset in the content type, the body decoded as the
    response's default encoding says, as httpx would (whose charset lookup parses the
    header with the email package: a good part of an error's cost)."""
    ctype = header(response.headers, b"content-type") or ""
    default = response.default_encoding
    if "charset" not in ctype.lower() and isinstance(default, str):
        try:
            return response.content.decode(default, "replace")
        except LookupError:
            pass
    try:
        return response.text
    except (UnicodeDecodeError, LookupError):
        return response.content.decode("utf-8", "replace")


E = TypeVar("E", bound=APIResponseError)


def error_from_response(
    cls: type[E],
    summary: str,
    response: httpx.Response,
    *,
    redactor: Redactor,
    parsers: tuple[ErrorParser, ...] = (),
    describe: bool = True,
    keep_body: bool = True,
    content: bytes | None = None,
    text: str | None = None,
    attempts: int = 1,
    **fields: Any,
) -> E:
    """The one way an error is built from a response: every field it keeps goes through
    ``redactor`` (the credentials the client uses are replaced, card numbers masked).

    ``summary`` opens the message (``404 Not Found``); with ``describe``, the body is read as
    a problem document and by the vendor ``parsers``, and its message is appended. Without
    ``keep_body``, neither the body nor its text is kept (a body never read, or one that may
    hold a credential the redactor cannot know yet). ``fields`` are those of ``cls`` itself
    (``limit``, ``target_origin``). ``content`` is the body to read when it
    is not the response's own (a cached body a ``304`` stood for); ``text`` likewise replaces
    the response's text (a streamed body is never read whole: its bad line is given).
    """
    redactor = redactor.snapshot()
    scrubbed = redactor.headers(response.headers)  # lower-case names, as httpx gives them
    headers = httpx.Headers(scrubbed)
    parsed = ParsedErrorBody()
    kept = ""
    if keep_body:
        if text is not None:
            raw = text
            content = content or b""
        elif content is None or content is response.content:
            content = response.content
            raw = _response_text(response)
        else:
            raw = content.decode("utf-8", "replace")
        if describe:
            parsed = parse_error_body(content, headers, parsers, redactor.value)
        elif content:
            try:
                parsed.body = redactor.value(json.loads(content))
            except (ValueError, UnicodeDecodeError, RecursionError):
                parsed.body = None
        # Scrubbed before the cut, so a secret at the edge is never kept in part.
        kept = truncate(redactor.text(raw))
    message = redactor.text(summary)
    if parsed.detail and parsed.detail.label:
        message += f" [{parsed.detail.label}]"
    if parsed.message:
        message += f": {truncate(parsed.message, 500)}"
    request_id = (parsed.detail.request_id if parsed.detail else None) or next(
        (value for name in _REQUEST_ID_HEADERS if (value := scrubbed.get(name))), None
    )
    error = cls(
        message,
        method=response.request.method,
        url=redactor.url(response.request.url),
        status_code=response.status_code,
        headers=headers,
        body=parsed.body,
        text=kept,
        problem=parsed.problem,
        detail=parsed.detail,
        request_id=request_id,
        attempts=attempts,
        **fields,
    )
    if parsed.detail and parsed.detail.request_id_name and parsed.detail.request_id:
        error.request_id_name = parsed.detail.request_id_name
    return error


def error_from_transport(
    exc: Exception, *, method: str, url: str, detail: str, attempts: int
) -> APIConnectionError:
    """The error for an httpx transport failure (``detail``: its text, scrubbed), keeping
    whether any byte of the request may have left."""
    if isinstance(exc, httpx.TimeoutException):
        sent = not isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
        return APITimeoutError(
            f"{type(exc).__name__}: {detail}", method=method, url=url, sent=sent, attempts=attempts
        )
    sent = not isinstance(exc, (httpx.ConnectError, httpx.UnsupportedProtocol))
    return APIConnectionError(
        f"{type(exc).__name__}: {detail}", method=method, url=url, sent=sent, attempts=attempts
    )


def truncate(text: str, limit: int = MAX_ERROR_TEXT) -> str:
    """``text`` cut to ``limit`` characters, marking the cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"... [{len(text) - limit} more characters]"


publish(__name__, globals())
