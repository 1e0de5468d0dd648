"""One redaction policy for logs, reprs and exceptions.

Credentials are removed from header maps, from URLs (user info and secret-looking query
parameters) and from any text we echo (an error body that quotes our key back).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["REDACTED", "Redactor"]

REDACTED = "[redacted]"

_SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "x-amz-security-token",
    }
)
_SECRET_NAME = re.compile(r"(?i)(key|token|secret|password|passwd|signature|auth|session)")


class Redactor:
    """Knows which header names and literal values are secret, and removes them."""

    __slots__ = ("_headers", "_pattern", "_secrets")

    def __init__(
        self, *, header_names: Iterable[str] = (), secrets: Iterable[str] = ()
    ) -> None:
        self._headers = _SENSITIVE_HEADERS | {h.lower() for h in header_names}
        # Short values would redact ordinary words; every real credential is longer.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in self._secrets)) if self._secrets else None
        )

    def merged(self, other: Redactor) -> Redactor:
        """A redactor that removes what either of the two removes."""
        return Redactor(
            header_names=self._headers | other._headers,
            secrets=[*self._secrets, *other._secrets],
        )

    def is_sensitive_header(self, name: str) -> bool:
        """True when a header of this name carries a credential."""
        return name.lower() in self._headers

    def headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
        """A plain dict of the headers with credential values replaced."""
        items = headers.items() if isinstance(headers, Mapping) else headers
        return {
            k: (REDACTED if k.lower() in self._headers else self.text(v)) for k, v in items
        }

    def text(self, text: str) -> str:
        """``text`` with every known secret value replaced."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(REDACTED, text)

    def url(self, url: object) -> str:
        """The URL without user info and with secret-looking query values replaced."""
        raw = str(url)
        try:
            parts = urlsplit(raw)
        except ValueError:
            return self.text(raw)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(_SECRET_NAME.search(k) for k, _ in pairs):
                query = urlencode(
                    [(k, REDACTED if _SECRET_NAME.search(k) else v) for k, v in pairs]
                )
        return self.text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


DEFAULT_REDACTOR = Redactor()
