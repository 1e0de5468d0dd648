"""Raw response access for any call, and the result of a create that returns no body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

import httpx

from ._lazy import publish

__all__ = ["APIResponse", "Created"]

R = TypeVar("R")


class APIResponse(Generic[R]):
    """A parsed result together with the HTTP facts of the call that produced it.

    Get one by calling through ``client.with_raw_response``; the result the plain call
    would have returned is :meth:`parse` (already parsed, so calling it twice is free).
    """

    __slots__ = ("_parsed", "attempts", "elapsed", "http_response", "idempotency_key")

    def __init__(
        self,
        http_response: httpx.Response,
        parsed: R,
        *,
        attempts: int,
        elapsed: float,
        idempotency_key: str | None = None,
    ) -> None:
        self.http_response = http_response
        self._parsed = parsed
        self.attempts = attempts
        self.elapsed = timedelta(seconds=elapsed)
        #: The idempotency key the call's requests carried (given or generated), or
        #: ``None``; pass it to ``with_options(idempotency_key=...)`` to repeat the call.
        self.idempotency_key = idempotency_key

    def parse(self) -> R:
        """The parsed result."""
        return self._parsed

    @property
    def status_code(self) -> int:
        """The final HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The final response's headers."""
        return self.http_response.headers

    @property
    def location(self) -> str | None:
        """The ``Location`` header (where a created resource lives)."""
        value: str | None = self.http_response.headers.get("location")
        return value

    @property
    def global_identifier(self) -> str | None:
        """The global identifier of a resource a bodiless create made, when the result is a
        :class:`Created` that carries one."""
        parsed = self._parsed
        return parsed.global_identifier if isinstance(parsed, Created) else None

    @property
    def request_id(self) -> str | None:
        """The service's request id, when it sent one."""
        from ._errors import request_id_of

        return request_id_of(self.http_response.headers)

    def __repr__(self) -> str:
        return (
            f"<APIResponse {self.status_code} attempts={self.attempts} "
            f"elapsed={self.elapsed.total_seconds():.3f}s>"
        )


@dataclass(frozen=True)
class Created:
    """Returned by operations that create a resource and answer 201 without a body.

    ``location`` is the ``Location`` header. ``global_identifier`` is an identifier the
    service assigned besides it, for APIs that send one: their operation's ``finish`` hook
    fills it from the response (Common REST's is
    :func:`commonrest.crest._wire.with_global_identifier`); otherwise it is ``None``.
    """

    status_code: int
    location: str | None
    global_identifier: str | None = None


publish(__name__, globals())
