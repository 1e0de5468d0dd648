"""The request pipeline, written once for sync and async clients.

Everything here is pure with respect to I/O: turning an operation and its arguments into an
:class:`httpx.Request`, deciding what to do after a response or a transport failure, and
turning a response into a result or a typed exception. The clients in :mod:`.client` only
send, sleep and acquire rate-limit permits.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import time
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from threading import Lock
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import pydantic
import pydantic_core

from ._deadline import DeadlineStream
from ._errors import (
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    CommonRestError,
    ConfigurationError,
    DeadlineExceededError,
    ErrorParser,
    InvalidArgumentError,
    RateLimiterUnavailableError,
    RateLimitTimeoutError,
    RedirectError,
    RequestValidationError,
    ResponseTooLargeError,
    error_class_for,
    error_from_response,
)
from ._headers import header_value_problem
from ._lenient import validate_leniently
from ._models import SECRET_MASK, WIRE
from ._options import Options
from ._paths import expand_path
from ._redaction import Redactor
from ._request_build import build_request, request_url
from ._response import Created
from ._response_size import MAX_ERROR_BODY, bound_body
from ._retry import CallState, default_retry, parse_retry_after
from ._sentinels import NotGiven
from ._tokens import TokenRefresh

if TYPE_CHECKING:
    from ._operations import Call, OperationInfo
    from ._ratelimit import RateLimiter
    from ._redirects import Refusal
    from ._services import Service

__all__ = ["ClientConfig", "ETagCache", "Prepared"]

_JSON_TYPES = ("application/json", "+json", "text/json")
_E = TypeVar("_E", bound=APIResponseError)


class ETagCache:
    """A bounded, thread-safe store of ``ETag`` + body per URL for conditional GETs.

    With a cache on the client, a GET that was answered with an ``ETag`` is repeated with
    ``If-None-Match``; a ``304 Not Modified`` then returns the cached result. It holds at
    most ``max_entries`` bodies and ``max_bytes`` bytes of them in all (least recently
    used go first; a body larger than ``max_bytes`` is not kept).
    """

    def __init__(self, max_entries: int = 256, *, max_bytes: int = 64 * 1024 * 1024) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ConfigurationError(f"max_entries must be an integer >= 1, got {max_entries!r}")
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ConfigurationError(f"max_bytes must be an integer >= 1, got {max_bytes!r}")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._data: OrderedDict[str, tuple[str, bytes, str]] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key: str) -> tuple[str, bytes, str] | None:
        """The cached ``(etag, body, content type)`` for ``key``."""
        with self._lock:
            entry = self._data.get(key)
            if entry is not None:
                self._data.move_to_end(key)
            return entry

    def put(self, key: str, etag: str, body: bytes, content_type: str) -> None:
        """Remember a response body under its ``ETag``."""
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            if len(body) > self.max_bytes:
                return
            self._data[key] = (etag, body, content_type)
            self._bytes += len(body)
            while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped, _) = self._data.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._data)


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client resolved at construction; shared by its ``with_options`` copies."""

    def __repr__(self) -> str:
        # Never the redactor's secrets nor header values: only what is safe to print.
        return (
            f"ClientConfig(base_urls={dict(self.base_urls)!r}, options={self.options!r}, "
            f"credentials={dict(self.credentials)!r}, rate_limiter={self.rate_limiter!r})"
        )

    base_urls: Mapping[str, str]
    services: Mapping[str, Service]
    credentials: Mapping[str, httpx.Auth]
    options: Options
    redactor: Redactor
    error_parsers: tuple[ErrorParser, ...] = ()
    default_headers: Mapping[str, str] = field(default_factory=dict)
    rate_limiter: RateLimiter | None = None
    etag_cache: ETagCache | None = None
    auto_idempotency_keys: bool = True
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger("commonrest"))
    #: Credential name -> how a caller supplies it (see ``BaseClient.credential_sources``).
    credential_sources: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------- encoding


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _query_value(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def encode_query(
    query: Mapping[str, Any] | None,
) -> list[tuple[str, str | int | float | bool | None]]:
    """Query items in order; ``NOT_GIVEN`` and ``None`` are left out, lists repeat the key."""
    items: list[tuple[str, str | int | float | bool | None]] = []
    if not query:
        return items
    for key, value in query.items():
        if value is None or isinstance(value, NotGiven):
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            items.extend((key, _query_value(v)) for v in value)
        else:
            items.append((key, _query_value(value)))
    return items


def _header_value(name: str, value: Any) -> str:
    text = _query_value(value)
    problem = header_value_problem(text)
    if problem is not None:
        # the value is not shown: a header parameter may carry a token
        raise InvalidArgumentError(
            f"header {name!r} must be printable ASCII text, and its value contains {problem}",
            wire=name,
            location="header",
        )
    return text


def encode_body(call: Call[Any]) -> bytes | None:
    """The request body as JSON bytes, exactly as the caller gave it, after validating it
    against ``call.body_model`` (for generated operations, the strict request class).

    A model instance contributes the fields that were set (wire names); a mapping its
    entries (``NOT_GIVEN`` ones left out). Secrets are written out as given.
    """
    body = call.json
    if body is None:
        return call.content
    model = call.body_model
    if isinstance(body, pydantic.BaseModel):
        raw = body.model_dump_json(
            by_alias=True, exclude_unset=True, context=WIRE, warnings=False
        ).encode()
    else:
        if isinstance(body, Mapping):
            body = {k: v for k, v in body.items() if not isinstance(v, NotGiven)}
        name = model.__name__ if isinstance(model, type) else "request"
        try:
            raw = pydantic_core.to_json(_wire_data(body), by_alias=True)
        except pydantic_core.PydanticSerializationError as exc:
            msg = f"not JSON-serialisable ({str(exc).split(':', 1)[0]})"
            raise RequestValidationError(name, [{"loc": (), "msg": msg}]) from None
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return raw
    invalid: RequestValidationError | None = None
    try:
        checked = model.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        invalid = RequestValidationError(model.__name__, [dict(e) for e in errors])
    if invalid is not None:
        # Raised out here: pydantic's error, kept as the context, holds the input values
        # (card numbers, personal data).
        raise invalid
    # Re-dumped from the checked instance: wire names for Python-named keys, and null for
    # required-but-nullable fields the caller left out. Strict validation converts nothing,
    # so every value is the caller's.
    try:
        return checked.model_dump_json(by_alias=True, exclude_unset=True, context=WIRE).encode()
    except pydantic_core.PydanticSerializationError:
        msg = (
            f"a secret field holds the mask {SECRET_MASK!r} that to_dict() and to_json() "
            "show instead of the secret; pass the model itself or the real value"
        )
    raise RequestValidationError(model.__name__, [{"loc": (), "msg": msg}])


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _wire_data(value: Any) -> Any:
    """A caller's body with the models in it reduced to their set fields and secrets
    revealed, ready for ``to_json``."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: v if type(v) in _PLAIN else _wire_data(v) for k, v in value.items()}
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(
            mode="json", by_alias=True, exclude_unset=True, context=WIRE, warnings=False
        )
    if isinstance(value, Mapping):
        return {k: _wire_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_wire_data(v) for v in value]
    if isinstance(value, pydantic.SecretStr):
        return value.get_secret_value()
    return value


# ---------------------------------------------------------------------------- decoding


class _Decoder:
    """How to turn a success body into the declared response type."""

    __slots__ = ("adapter", "kind", "model", "nullable")

    def __init__(self, response: Any) -> None:
        self.model: type[pydantic.BaseModel] | None = None
        self.adapter: pydantic.TypeAdapter[Any] | None = None
        self.nullable = False
        if response is None or response is type(None):
            self.kind = "none"
        elif response is bytes:
            self.kind = "bytes"
        elif response is str:
            self.kind = "text"
        elif response is Created:
            self.kind = "created"
        elif isinstance(response, type) and issubclass(response, pydantic.BaseModel):
            self.kind = "model"
            self.model = response
        else:
            self.kind = "adapter"
            self.adapter = pydantic.TypeAdapter(response)
            try:
                self.adapter.validate_python(None)
                self.nullable = True
            except pydantic.ValidationError:
                self.nullable = False

    @property
    def wants_json(self) -> bool:
        return self.kind in ("model", "adapter")


_DECODERS: dict[Any, _Decoder] = {}


def decoder_for(response: Any) -> _Decoder:
    """The (cached) decoder for a response type."""
    try:
        return _DECODERS[response]
    except (KeyError, TypeError):
        pass
    dec = _Decoder(response)
    with contextlib.suppress(TypeError):  # unhashable annotation: decode without caching
        _DECODERS[response] = dec
    return dec


# ---------------------------------------------------------------------------- one call


class Prepared:
    """One call in flight: its request, credential, options and retry book-keeping."""

    __slots__ = (
        "auth",
        "cache_key",
        "cached",
        "call",
        "config",
        "decoder",
        "has_key",
        "info",
        "left_origin",
        "options",
        "plain_headers",
        "refresh",
        "request",
        "state",
    )

    def __init__(
        self, config: ClientConfig, options: Options, info: OperationInfo, call: Call[Any]
    ) -> None:
        self.config = config
        self.options = options
        self.info = info
        self.call = call
        self.decoder = decoder_for(call.response)
        try:
            self.auth = config.credentials[info.credential]
        except KeyError:
            how = config.credential_sources.get(info.credential)
            hint = f"{how}, or " if how else ""
            raise ConfigurationError(
                f"operation {info.python_name or info.operation_id} is signed with the "
                f"{info.credential!r} credential, which this client was not given: "
                f"{hint}pass credentials={{{info.credential!r}: <an auth object>}} when "
                "creating the client"
            ) from None
        self.refresh = TokenRefresh.of(self.auth)
        try:
            base = config.base_urls[info.api]
        except KeyError:
            raise ConfigurationError(
                f"operation {info.operation_id} belongs to service {info.api!r}, which this "
                "client does not know"
            ) from None
        path = expand_path(info.path, call.path)
        headers: dict[str, str] = dict(config.default_headers)
        if info.accept:
            # what the operation declares it produces, over the client's JSON default
            headers["Accept"] = info.accept
        if options.headers:
            # the caller's headers win, whatever their case ("accept" replaces "Accept")
            given = {k.lower() for k in options.headers}
            headers = {k: v for k, v in headers.items() if k.lower() not in given}
            headers.update(options.headers)
        if call.headers:
            for name, value in call.headers.items():
                if value is not None and not isinstance(value, NotGiven):
                    headers[name] = _header_value(name, value)
        content = encode_body(call)
        if content is not None and call.json is not None:
            headers.setdefault("Content-Type", "application/json")
        retry_safe = info.retry_safe if call.retry_safe is None else call.retry_safe
        # A key given through with_options serves one unsafe call: using it again for
        # another create would have the server drop that call as a repeat.
        key = options.idempotency_key if retry_safe else options.claim_idempotency_key()
        service = config.services.get(info.api)
        key_header = (service.idempotency_header if service else None) or "Idempotency-Key"
        if (
            key is None
            and not retry_safe
            and config.auto_idempotency_keys
            and service is not None
            and service.idempotency_header
        ):
            import uuid

            key = str(uuid.uuid4())
        if key is not None:
            headers[key_header] = key
        # Only a service that declares idempotency support dedupes a repeat by its key;
        # elsewhere the key is sent as given but does not make a retry safe.
        self.has_key = key is not None and service is not None and bool(service.idempotency_header)
        self.cached: tuple[str, bytes, str] | None = None
        self.cache_key: str | None = None
        # A followed link (next page) carries its own complete query string.
        url: httpx.URL | str
        if call.url is None:
            url = request_url(base, path, encode_query(call.query))
        else:
            url = _same_origin_url(base, call.url)
        self.request = build_request(info.method, url, headers, content)
        if call.cached is not None:
            self.request.headers["If-None-Match"] = call.cached[0]
        elif config.etag_cache is not None and info.method == "GET" and not call.streamed:
            self.cache_key = f"{_cache_scope(self.auth)} {self.request.url}"
            self.cached = config.etag_cache.get(self.cache_key)
            if self.cached is not None:
                self.request.headers["If-None-Match"] = self.cached[0]
        # Before any credential is applied: what a redirect may carry to another origin.
        self.plain_headers = self.request.headers.copy()
        self.left_origin = False
        now = time.monotonic()
        self.state = CallState(
            started=now,
            deadline=None if options.deadline is None else now + options.deadline,
            retry_safe=retry_safe,
        )

    # ------------------------------------------------------------------ before sending

    def attempt_timeout(self) -> dict[str, float | None]:
        """The httpx timeout for the next attempt, clipped to the deadline. Raises
        :class:`DeadlineExceededError` when no time is left."""
        remaining = self.state.remaining()
        if remaining is None:
            return self.options.timeout.as_httpx().as_dict()
        if remaining <= 0:
            raise DeadlineExceededError(
                f"deadline of {self.options.deadline:g}s exceeded before attempt "
                f"{self.state.attempt}",
                method=self.info.method,
                url=self.safe_url(),
                attempts=self.state.attempt - 1,
            )
        return self.options.timeout.clipped(remaining).as_dict()

    def permit_wait(self, max_wait: float) -> tuple[float, bool]:
        """How long to wait for a rate-limit permit (the limiter's ``max_wait`` or what is
        left of the deadline) and whether the deadline is what bounds it."""
        remaining = self.state.remaining()
        if remaining is not None and remaining < max_wait:
            return max(0.0, remaining), True
        return max_wait, False

    def permit_error(
        self, error: RateLimitTimeoutError | RateLimiterUnavailableError, by_deadline: bool
    ) -> APIError:
        """The error for a call that got no rate-limit permit (in time, or at all)."""
        attempt = self.state.attempt
        if by_deadline and isinstance(error, RateLimitTimeoutError):
            return self.deadline_before("waiting for a rate-limit permit")
        error.method = self.info.method
        error.url = self.safe_url()
        error.attempts = attempt - 1
        self.name(error)
        return error

    def deadline_before(self, doing: str) -> DeadlineExceededError:
        """The deadline ran out ``doing`` something before the next attempt was sent."""
        attempt = self.state.attempt
        error = DeadlineExceededError(
            f"deadline of {self.options.deadline:g}s exceeded {doing} before attempt {attempt}",
            method=self.info.method,
            url=self.safe_url(),
            sent=False,
            attempts=attempt - 1,
        )
        self.name(error)
        return error

    def name(self, error: CommonRestError) -> None:
        """Stamp ``error`` with this call's operation (unless it already names one)."""
        error._name_operation(self.info.python_name, self.info.operation_id)

    def safe_url(self, url: object = None) -> str:
        """The request URL with credentials removed."""
        return self.config.redactor.url(self.request.url if url is None else url)

    # ------------------------------------------------------------------ after a failure

    def guard_body(self, response: httpx.Response) -> None:
        """Make reading ``response``'s body stop at the call's deadline (also over a pool of
        the user's own, whose reads only the read timeout bounds) and hold at most
        ``max_response_size`` decoded bytes (see :mod:`.response_size`)."""
        remaining = self.state.remaining if self.state.deadline is not None else None
        limit = self.options.max_response_size
        success = 200 <= response.status_code < 300
        # A stream is bounded line by line by its reader, not as a whole.
        if not (success and self.call.streamed) and bound_body(
            response,
            limit if success else min(limit, MAX_ERROR_BODY),
            cut=not success,
            too_large=lambda: self.too_large_error(response, limit),
            remaining=remaining,
        ):
            return  # the bounded body checks the deadline between chunks too
        if remaining is not None:
            response.stream = DeadlineStream(response.stream, remaining)

    def too_large_error(self, response: httpx.Response, limit: int) -> ResponseTooLargeError:
        """The error for a success body past ``max_response_size``."""
        announced = response.headers.get("content-length", "")
        encoded = "content-encoding" in response.headers  # then the length is not the size
        size = f", {_size(int(announced))} announced" if announced.isdigit() and not encoded else ""
        return self.response_error(
            ResponseTooLargeError,
            f"{response.status_code} response body is larger than max_response_size="
            f"{limit} ({_size(limit)}{size}); raise the limit with max_response_size= on "
            "the client, or for one call with client.with_options(max_response_size=...)",
            response,
            keep_body=False,  # reading stopped at the limit
            limit=limit,
        )

    def deadline_error(self, *, sent: bool = True) -> DeadlineExceededError:
        """The error for an attempt the deadline cut short; unless the transport showed
        otherwise, the request may have been sent."""
        attempt = self.state.attempt
        error = DeadlineExceededError(
            f"deadline of {self.options.deadline:g}s exceeded during attempt {attempt}",
            method=self.info.method,
            url=self.safe_url(),
            sent=sent,
            attempts=attempt,
        )
        self.name(error)
        return error

    def reads_body(self, response: httpx.Response) -> bool:
        """Whether the client reads ``response``'s body before returning it: always, except
        the success body of a streamed call, which its caller iterates."""
        return not (self.call.streamed and 200 <= response.status_code < 300)

    def transport_error(self, exc: Exception) -> APIError:
        """Map an httpx exception to our hierarchy, keeping whether bytes were sent."""
        error = self._transport_error(exc)
        self.name(error)
        return error

    def _transport_error(self, exc: Exception) -> APIError:
        method, url = self.info.method, self.safe_url()
        detail = self.config.redactor.text(str(exc)) or type(exc).__name__
        attempts = self.state.attempt
        if isinstance(exc, httpx.TimeoutException):
            sent = not isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            remaining = self.state.remaining()
            if remaining is not None and remaining <= 0:
                return self.deadline_error(sent=sent)
            return APITimeoutError(
                f"{type(exc).__name__}: {detail}",
                method=method,
                url=url,
                sent=sent,
                attempts=attempts,
            )
        sent = not isinstance(exc, (httpx.ConnectError, httpx.UnsupportedProtocol))
        return APIConnectionError(
            f"{type(exc).__name__}: {detail}",
            method=method,
            url=url,
            sent=sent,
            attempts=attempts,
        )

    def next_delay(self, error: APIError) -> float | None:
        """Shared retry decision: seconds to wait, or ``None`` to raise ``error``. Every error
        of an attempt passes here, so this is also where it is stamped with the operation."""
        self.name(error)
        policy = self.options.retry or default_retry()
        delay = policy.next_delay(self.state, error, has_key=self.has_key)
        limiter = self.config.rate_limiter
        if (
            limiter is not None
            and isinstance(error, APIStatusError)
            and error.status_code == 429
            and error.retry_after is not None
        ):
            # Every caller of the client backs off, whether or not this call retries; a
            # wait above the policy's cap holds the others for the cap only.
            limiter.pause(min(error.retry_after, policy.retry_after_cap_seconds))
        log = self.config.logger
        if delay is None:
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "%s: giving up %s %s: %s",
                    self.info.label,
                    self.info.method,
                    error.url,
                    type(error).__name__,
                    extra=self.info.log_extra(),
                )
            return None
        if log.isEnabledFor(logging.INFO):
            log.info(
                "%s: retrying %s %s in %.2fs after attempt %d (%s)",
                self.info.label,
                self.info.method,
                error.url,
                delay,
                self.state.attempt,
                type(error).__name__,
                extra=self.info.log_extra(),
            )
        self.state.attempt += 1
        return delay

    # ------------------------------------------------------------------ after a response

    def redirect(self, response: httpx.Response, hops: int) -> tuple[httpx.Request, bool] | None:
        """The request to follow a redirect with, and whether the credential may sign it;
        ``None`` when ``response`` is final. The rules are :func:`.redirects.next_hop`'s;
        a refused hop raises :class:`RedirectError`."""
        if hops == 0:
            self.left_origin = False
        if not response.has_redirect_location:  # next_hop's first check, before its arguments
            return None
        from ._redirects import Refusal, next_hop  # loaded by the first redirect

        step = next_hop(
            response,
            origin=self.request.url,
            hops=hops,
            left_origin=self.left_origin,
            headers=tuple(self.plain_headers.multi_items()),
            content=self.request.content,
            foreign_headers=self.config.default_headers,
        )
        if step is None:
            return None
        if isinstance(step, Refusal):
            raise self.redirect_error(response, step)
        if not step.same_origin:
            self.left_origin = True
        return step.request, step.same_origin

    def redirect_error(self, response: httpx.Response, refusal: Refusal) -> RedirectError:
        """The error for a redirect :func:`.redirects.next_hop` refused to follow."""
        error = self.response_error(
            RedirectError,
            f"{refusal.status_code} redirect to another origin ({refusal.target_origin}) not "
            f"followed: a {refusal.method} request and its body go only to the API it was made "
            "to; nothing was sent there",
            response,
            keep_body=False,
            target_origin=refusal.target_origin,
        )
        error.headers["location"] = refusal.target_origin  # its path and query may hold secrets
        return error

    def finish(self, response: httpx.Response) -> Any:
        """The parsed result of a response, or raise its typed error."""
        status = response.status_code
        if 200 <= status < 300:
            if self.call.streamed:
                return None  # the body is still unread: the stream's reader parses it
            # An answer from another origin (a redirect left) is not the API's to replay.
            if (
                self.cache_key is not None
                and self.config.etag_cache is not None
                and not self.left_origin
            ):
                etag = response.headers.get("etag")
                if etag:
                    self.config.etag_cache.put(
                        self.cache_key,
                        etag,
                        response.content,
                        response.headers.get("content-type", ""),
                    )
            result = self.decode(response, response.content, response.headers.get("content-type"))
            return self.finished(result, response)
        if status == 304:
            if self.call.cached is not None:
                return self.call.cached[1]
            if self.cached is not None:
                limit = self.options.max_response_size
                if len(self.cached[1]) > limit:  # cached under a larger limit
                    raise self.too_large_error(response, limit)
                result = self.decode(response, self.cached[1], self.cached[2])
                return self.finished(result, response)
        raise self.status_error(response)

    def finished(self, result: Any, response: httpx.Response) -> Any:
        """A decoded result passed through the call's ``finish`` hook, when it has one."""
        finish = self.call.finish
        return result if finish is None else finish(result, response)

    def decode(self, response: httpx.Response, content: bytes, content_type: str | None) -> Any:
        """Parse a success body into the operation's response type."""
        dec = self.decoder
        kind = dec.kind
        if kind == "model":
            assert dec.model is not None
            if not content:
                raise self.decode_error(response, "the response body is empty")
            self._check_json(response, content_type)
            try:
                return dec.model.model_validate_json(content)
            except pydantic.ValidationError as exc:
                try:
                    return validate_leniently(dec.model.model_validate, content, exc)
                except pydantic.ValidationError:
                    reason = _describe(exc, dec.model.__name__)
            raise self.decode_error(response, reason, content)
        if kind == "none":
            return None
        if kind == "adapter":
            assert dec.adapter is not None
            if not content:
                if dec.nullable:
                    return None
                raise self.decode_error(response, "the response body is empty")
            self._check_json(response, content_type)
            try:
                return dec.adapter.validate_json(content)
            except pydantic.ValidationError as exc:
                try:
                    return validate_leniently(dec.adapter.validate_python, content, exc)
                except pydantic.ValidationError:
                    reason = _describe(exc, str(self.call.response))
            raise self.decode_error(response, reason, content)
        if kind == "bytes":
            return content
        if kind == "text":
            return response.text
        return Created(
            status_code=response.status_code,
            location=response.headers.get("location"),
            global_identifier=response.headers.get("x-global-identifier"),
        )

    def _check_json(self, response: httpx.Response, content_type: str | None) -> None:
        if content_type and not any(t in content_type.lower() for t in _JSON_TYPES):
            raise self.decode_error(
                response, f"expected a JSON body, got content type {content_type!r}"
            )

    def decode_error(
        self,
        response: httpx.Response,
        reason: str,
        content: bytes | None = None,
        *,
        text: str | None = None,
    ) -> APIDecodeError:
        """An :class:`APIDecodeError` for a success response whose body is unusable; a body
        that is valid JSON is kept (secrets scrubbed) as ``body``. ``text`` replaces the
        response's text (a streamed body is never read whole: its bad line is given)."""
        return self.response_error(
            APIDecodeError,
            f"{response.status_code} response could not be read: {reason}",
            response,
            describe=False,
            content=content,
            text=text,
        )

    def response_error(
        self, cls: type[_E], summary: str, response: httpx.Response, **how: Any
    ) -> _E:
        """An error of ``cls`` built from ``response`` the one way errors are (every field
        scrubbed, see :func:`.errors.error_from_response`), naming this call."""
        error = error_from_response(
            cls,
            summary,
            response,
            redactor=self.config.redactor,
            attempts=self.state.attempt,
            **how,
        )
        self.name(error)
        return error

    def status_error(self, response: httpx.Response) -> APIStatusError:
        """The typed exception for a non-2xx response."""
        error = self.response_error(
            error_class_for(response.status_code),
            f"{response.status_code} {response.reason_phrase or 'error'}",
            response,
            parsers=self.config.error_parsers,
        )
        error.retry_after = parse_retry_after(response.headers)
        return error


_SCOPES: weakref.WeakKeyDictionary[httpx.Auth, str] = weakref.WeakKeyDictionary()


def _cache_scope(auth: httpx.Auth) -> str:
    """A key telling credentials apart in a shared :class:`ETagCache`: what one identity
    read must never answer another's request."""
    import uuid

    try:
        return _SCOPES.setdefault(auth, uuid.uuid4().hex)
    except TypeError:  # an auth class that cannot be weakly referenced
        return f"id-{id(auth):x}"


def _same_origin_url(base: str, link: str) -> str:
    target = httpx.URL(base).join(link)
    origin = httpx.URL(base)
    if (target.scheme, target.host, target.port) != (origin.scheme, origin.host, origin.port):
        raise InvalidArgumentError(
            f"refusing to follow a link to another origin ({target.scheme}://{target.host}): "
            "credentials would go with it"
        )
    return str(target)


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def _describe(exc: pydantic.ValidationError, target: str) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    if errors and errors[0].get("type") == "json_invalid":
        return "the body is not valid JSON"
    parts = []
    for err in errors[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(body)"
        parts.append(f"{loc}: {err.get('msg')}")
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"the body does not match {target}: " + "; ".join(parts) + more
