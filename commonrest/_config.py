"""What a client resolved at construction, in one immutable object.

A client and its ``with_options`` copies share one :class:`ClientConfig`; a call reads it
and never changes it. The per-call options (timeouts, deadline, retry policy, headers)
are not here but in :class:`~commonrest.Options`, which ``with_options`` replaces.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from ._errors import ErrorParser
    from ._etag import ETagCache
    from ._ratelimit import RateLimiter
    from ._redaction import Redactor
    from ._server_limits import LearnedLimits
    from ._services import Service

__all__ = ["ClientConfig"]


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client resolved at construction; shared by its ``with_options`` copies."""

    def __repr__(self) -> str:
        # Never the redactor's secrets nor header values: only what is safe to print.
        return (
            f"ClientConfig(base_urls={dict(self.base_urls)!r}, "
            f"credentials={dict(self.credentials)!r}, rate_limiter={self.rate_limiter!r})"
        )

    base_urls: Mapping[str, str]
    services: Mapping[str, Service]
    credentials: Mapping[str, httpx.Auth]
    redactor: Redactor
    error_parsers: tuple[ErrorParser, ...] = ()
    default_headers: Mapping[str, str] = field(default_factory=dict)
    rate_limiter: RateLimiter | None = None
    etag_cache: ETagCache | None = None
    auto_idempotency_keys: bool = True
    #: The budget the server announced, shared by the client's copies; ``None``: not learnt.
    learned_limits: LearnedLimits | None = None
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger("commonrest"))
    #: Credential name -> how a caller supplies it (see ``BaseClient.credential_sources``).
    credential_sources: Mapping[str, str] = field(default_factory=dict)
