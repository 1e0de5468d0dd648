"""One call in flight, written once for sync and async clients.

:class:`Prepared` holds a call's state across its attempts (its request, credential,
options, retry book-keeping, the ETag cache entry it may answer from) and hands each step
to the module whose concern it is:

- :mod:`.request`: the credential, URL, headers, body and idempotency key;
- :mod:`.retry`: whether and how long to wait after a failure (a pure decision);
- :mod:`.redirects`: which redirects are followed, and with what;
- :mod:`.decode`: a success body as the declared type;
- :mod:`.etag`: conditional GETs;
- :mod:`.deadline` and :mod:`.response_size`: bounding each attempt and its body;
- :mod:`.errors`: every error, built from a response the one way.

Nothing here does I/O: the clients in :mod:`.client` send, sleep and wait for rate-limit
permits.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._deadline import DeadlineStream, exceeded
from ._decode import Undecodable, decode, decoder_for
from ._errors import (
    APIDecodeError,
    APIError,
    APIResponseError,
    APIStatusError,
    CommonRestError,
    DeadlineExceededError,
    RateLimiterUnavailableError,
    RateLimitTimeoutError,
    ResponseTooLargeError,
    error_class_for,
    error_from_response,
    error_from_transport,
)
from ._etag import Entry, lookup, remember
from ._headers import header
from ._redaction import Redactor
from ._request import missing_credential, request_for
from ._response_size import MAX_ERROR_BODY, bound_body
from ._retry import CallState, RetryPolicy, default_retry, parse_retry_after
from ._tokens import TokenRefresh

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._operations import Call, OperationInfo
    from ._options import Options

__all__ = ["Prepared"]

_E = TypeVar("_E", bound=APIResponseError)


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
        "idempotency_key",
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
            self.auth = auth = config.credentials[info.credential]
        except KeyError:
            raise missing_credential(config, info) from None
        self.refresh = TokenRefresh.of(auth)
        retry_safe = info.retry_safe if call.retry_safe is None else call.retry_safe
        request, self.has_key, key = request_for(config, options, info, call, retry_safe)
        self.request = request
        #: The key every attempt of this call carries, stamped on each of its errors.
        self.idempotency_key: str | None = key
        self.cache_key: str | None = None
        self.cached: Entry | None = None
        if call.cached is not None:
            request.headers["If-None-Match"] = call.cached[0]
        elif config.etag_cache is not None and info.method == "GET" and not call.streamed:
            self.cache_key, self.cached = lookup(config.etag_cache, auth, request)
        # Before any credential is applied: what a redirect may carry to another origin.
        # (as raw bytes: decoded only if a redirect needs them)
        self.plain_headers = request.headers.raw
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
            raise exceeded(
                self.options.deadline,
                f"before attempt {self.state.attempt}",
                method=self.info.method,
                url=self.safe_url(),
                attempts=self.state.attempt - 1,
                sent=True,
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
        if by_deadline and isinstance(error, RateLimitTimeoutError):
            return self.deadline_before("waiting for a rate-limit permit")
        error.method = self.info.method
        error.url = self.safe_url()
        error.attempts = self.state.attempt - 1
        self.name(error)
        return error

    def deadline_before(self, doing: str) -> DeadlineExceededError:
        """The deadline ran out ``doing`` something before the next attempt was sent."""
        attempt = self.state.attempt
        error = exceeded(
            self.options.deadline,
            f"{doing} before attempt {attempt}",
            method=self.info.method,
            url=self.safe_url(),
            attempts=attempt - 1,
            sent=False,
        )
        self.name(error)
        return error

    def name(self, error: CommonRestError) -> None:
        """Stamp ``error`` with this call's operation (unless it already names one) and,
        for an error of the API, the call's idempotency key."""
        error._name_operation(self.info.python_name, self.info.operation_id)
        if isinstance(error, APIError) and error.idempotency_key is None:
            error.idempotency_key = self.idempotency_key

    def safe_url(self, url: object = None) -> str:
        """The request URL with credentials removed."""
        return self.config.redactor.url(self.request.url if url is None else url)

    # ------------------------------------------------------------------ during an attempt

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

    def reads_body(self, response: httpx.Response) -> bool:
        """Whether the client reads ``response``'s body before returning it: always, except
        the success body of a streamed call, which its caller iterates."""
        return not (self.call.streamed and 200 <= response.status_code < 300)

    def redirect(self, response: httpx.Response, hops: int) -> tuple[httpx.Request, bool] | None:
        """The request to follow a redirect with, and whether the credential may sign it;
        ``None`` when ``response`` is final. The rules are :func:`.redirects.next_hop`'s;
        a refused hop raises :class:`RedirectError`."""
        if hops == 0:
            self.left_origin = False
        if not response.has_redirect_location:  # next_hop's first check, before its arguments
            return None
        from ._redirects import Refusal, next_hop, redirect_error  # loaded by the first redirect

        step = next_hop(
            response,
            origin=self.request.url,
            hops=hops,
            left_origin=self.left_origin,
            headers=tuple(httpx.Headers(self.plain_headers).multi_items()),
            content=self.request.content,
            foreign_headers=self.config.default_headers,
        )
        if step is None:
            return None
        if isinstance(step, Refusal):
            error = redirect_error(
                response, step, redactor=self.config.redactor, attempts=self.state.attempt
            )
            self.name(error)
            raise error
        if not step.same_origin:
            self.left_origin = True
        return step.request, step.same_origin

    # ------------------------------------------------------------------ after a failure

    def transport_error(self, exc: Exception) -> APIError:
        """Map an httpx exception to our hierarchy, keeping whether bytes were sent."""
        error = error_from_transport(
            exc,
            method=self.info.method,
            url=self.safe_url(),
            detail=self.config.redactor.text(str(exc)) or type(exc).__name__,
            attempts=self.state.attempt,
        )
        if isinstance(exc, httpx.TimeoutException):
            remaining = self.state.remaining()
            if remaining is not None and remaining <= 0:
                return self.deadline_error(sent=error.sent)
        self.name(error)
        return error

    def deadline_error(self, *, sent: bool = True) -> DeadlineExceededError:
        """The error for an attempt the deadline cut short; unless the transport showed
        otherwise, the request may have been sent."""
        attempt = self.state.attempt
        error = exceeded(
            self.options.deadline,
            f"during attempt {attempt}",
            method=self.info.method,
            url=self.safe_url(),
            attempts=attempt,
            sent=sent,
        )
        self.name(error)
        return error

    @property
    def policy(self) -> RetryPolicy:
        """The call's retry policy: its own, or the default."""
        return self.options.retry or default_retry()

    def next_delay(self, error: APIError) -> float | None:
        """Seconds to wait, or ``None`` to raise ``error``: the policy's decision, logged and
        counted. Every error of an attempt passes here, so this is also where it is stamped
        with the operation."""
        self.name(error)
        delay = self.policy.next_delay(self.state, error, has_key=self.has_key)
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

    def finish(self, response: httpx.Response) -> Any:
        """The parsed result of a response, or raise its typed error."""
        status = response.status_code
        problem: Undecodable | None = None
        if 200 <= status < 300:
            if self.call.streamed:
                return None  # the body is still unread: the stream's reader parses it
            # An answer from another origin (a redirect left) is not the API's to replay.
            cache = self.config.etag_cache
            if self.cache_key is not None and cache is not None and not self.left_origin:
                remember(cache, self.cache_key, response)
            try:
                result = decode(
                    self.decoder,
                    response,
                    response.content,
                    header(response.headers, b"content-type"),
                )
            except Undecodable as exc:
                problem = exc
            else:
                finish = self.call.finish
                return result if finish is None else finish(result, response)
        elif status == 304:
            if self.call.cached is not None:
                return self.call.cached[1]
            if self.cached is not None:
                limit = self.options.max_response_size
                if len(self.cached[1]) > limit:  # cached under a larger limit
                    raise self.too_large_error(response, limit)
                try:
                    result = decode(self.decoder, response, self.cached[1], self.cached[2])
                except Undecodable as exc:
                    problem = exc
                else:
                    finish = self.call.finish
                    return result if finish is None else finish(result, response)
        if problem is not None:
            # Raised out here: what failed is kept as no error's context.
            raise self.decode_error(response, problem.reason, problem.content)
        raise self.status_error(response)

    # ------------------------------------------------------------------ errors of a response

    def response_error(
        self, cls: type[_E], summary: str, response: httpx.Response, **how: Any
    ) -> _E:
        """An error of ``cls`` built from ``response`` the one way errors are (every field
        scrubbed, see :func:`.errors.error_from_response`), naming this call."""
        redactor = self.config.redactor
        if self.call.secrets:
            redactor = redactor.merged(Redactor(secrets=self.call.secrets))
        error = error_from_response(
            cls, summary, response, redactor=redactor, attempts=self.state.attempt, **how
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
            keep_body=not self.call.private,
            content=content,
            text=text,
        )

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


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"
