"""One redaction policy for logs, reprs and exceptions.

Credentials are removed from header maps, from URLs (user info and secret-looking query
parameters) and from any text we echo (an error body that quotes our key back).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["REDACTED", "Redactor", "header_redactor", "is_secret_header_name"]

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
_SECRET_HEADER = re.compile(r"(?i)(token|key|secret|auth|cookie|session|password|signature)")
# Headers whose names look secret but whose values are not credentials.
_PLAIN_HEADERS = frozenset({"idempotency-key"})


def is_secret_header_name(name: str) -> bool:
    """True for a header name that carries a credential (``Authorization``, a cookie, any
    name with token, key, secret or auth in it)."""
    lowered = name.lower()
    if lowered in _PLAIN_HEADERS:
        return False
    return lowered in _SENSITIVE_HEADERS or bool(_SECRET_HEADER.search(lowered))


def header_redactor(headers: Mapping[str, str]) -> Redactor:
    """A redactor for the secret-looking headers a user set on a client: their names are
    treated as sensitive and their values scrubbed wherever they show up."""
    names = [k for k in headers if is_secret_header_name(k)]
    values: list[str] = []
    for name in names:
        value = headers[name]
        values.append(value)
        scheme, _, rest = value.partition(" ")  # "Bearer abc": the bare token too
        if rest and scheme.isalpha():
            values.append(rest.strip())
    return Redactor(header_names=names, secrets=values)


def _usable(secrets: Iterable[str]) -> tuple[str, ...]:
    # Short values would redact ordinary words; every real credential is longer. Longest
    # first, so a secret containing another is removed whole.
    return tuple(sorted({s for s in secrets if len(s) >= 4}, key=lambda s: (-len(s), s)))


def _compile(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(s) for s in secrets)) if secrets else None


class Redactor:
    """Knows which header names and literal values are secret, and removes them.

    ``sources`` are callables returning secret values that change over time (a bearer token
    after a refresh); they are asked again whenever text is redacted.
    """

    __slots__ = ("_cache", "_headers", "_pattern", "_secrets", "_sources")

    def __init__(
        self,
        *,
        header_names: Iterable[str] = (),
        secrets: Iterable[str] = (),
        sources: Iterable[Callable[[], Iterable[str]]] = (),
    ) -> None:
        self._headers = _SENSITIVE_HEADERS | {h.lower() for h in header_names}
        self._secrets = _usable(secrets)
        self._pattern = _compile(self._secrets)
        self._sources = tuple(sources)
        self._cache: tuple[tuple[str, ...], re.Pattern[str] | None] = ((), None)

    def merged(self, other: Redactor) -> Redactor:
        """A redactor that removes what either of the two removes."""
        return Redactor(
            header_names=self._headers | other._headers,
            secrets=[*self._secrets, *other._secrets],
            sources=[*self._sources, *other._sources],
        )

    def _current(self) -> re.Pattern[str] | None:
        if not self._sources:
            return self._pattern
        values = _usable([*self._secrets, *(v for source in self._sources for v in source())])
        cached_values, pattern = self._cache
        if values != cached_values:
            pattern = _compile(values)
            self._cache = (values, pattern)
        return pattern

    def has_secrets(self) -> bool:
        """True when this redactor knows more than the default sensitive headers."""
        return bool(self._secrets or self._sources or self._headers - _SENSITIVE_HEADERS)

    def is_sensitive_header(self, name: str) -> bool:
        """True when a header of this name carries a credential."""
        return name.lower() in self._headers

    def headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
        """A plain dict of the headers with credential values replaced."""
        items = headers.items() if isinstance(headers, Mapping) else headers
        return {k: (REDACTED if k.lower() in self._headers else self.text(v)) for k, v in items}

    def text(self, text: str) -> str:
        """``text`` with every known secret value replaced."""
        if not text:
            return text
        pattern = self._current()
        return text if pattern is None else pattern.sub(REDACTED, text)

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
