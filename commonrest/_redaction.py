"""One redaction policy for logs, reprs and exceptions.

Credentials are removed from header maps, from URLs (user info and secret-looking query
parameters) and from any text we echo (an error body that quotes our key back), also in the
escaped forms a server may echo them in (JSON string escapes, percent-encoding). Card numbers
(primary account numbers: 13 to 19 digits passing the Luhn check, also grouped with spaces
or dashes) are masked to their last four digits wherever text passes through here, and so
are IBANs (two letters, two check digits and up to 30 letters or digits, passing the ISO
13616 mod-97 check).

A client may also name *sensitive fields*: JSON members whose values are card or bank
data that no pattern recognises (a CVC, an expiry month, an encrypted card field). Their
values are replaced wherever parsed JSON passes through :meth:`Redactor.value`, and in
text wherever they appear as a JSON member (``"cvc": "737"``) or a Python ``repr``
(``'cvc': '737'``), so an error body a server echoes back keeps none of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urlencode, urlsplit, urlunsplit

__all__ = [
    "REDACTED",
    "Redactor",
    "header_redactor",
    "is_secret_header_name",
    "luhn_valid",
    "mask_card_numbers",
    "mask_ibans",
    "strings_under",
]

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


# ------------------------------------------------------------------------ card numbers

# Digits, spaces and dashes, from a digit to a digit: where a card number can hide. A cheap
# pattern (one character class) finds these stretches; the rest is plain Python on the few
# it finds.
_STRETCH = re.compile(r"[0-9][0-9 -]{11,}[0-9]")
_GAP = re.compile(r"([ -]{2,})")  # two separators in a row end a grouped number
_SEPARATOR = re.compile(r"[ -]")


_DOUBLED = {str(d): (d * 2 - 9 if d > 4 else d * 2) for d in range(10)}


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn (mod 10) check card numbers carry."""
    total = sum(map(int, digits[-1::-2])) + sum(map(_DOUBLED.__getitem__, digits[-2::-2]))
    return total % 10 == 0


def _is_pan(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _all_but_last_four(text: str, counts: Callable[[str], bool]) -> str:
    """``text`` with every character ``counts`` accepts but the last four replaced by
    ``*``; the others (separators) kept."""
    keep = 4
    out = []
    for ch in reversed(text):
        if counts(ch):
            if keep:
                keep -= 1
            else:
                ch = "*"
        out.append(ch)
    return "".join(reversed(out))


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _mask_run(run: str) -> str:
    """``run`` with every digit but the last four replaced by ``*`` (separators kept)."""
    return _all_but_last_four(run, _is_digit)


def _mask_grouped(run: str) -> str:
    """Mask the card numbers in ``run``: digit groups joined by single separators. The
    whole run may be one ("4111 1111 1111 1111"), or a few of its groups may ("ref 12
    4111 1111 1111 1111"): from each group, the longest span of groups that is a card
    number is masked."""
    groups = _SEPARATOR.split(run)
    seps = [*_SEPARATOR.findall(run), ""]
    out: list[str] = []
    i = 0
    while i < len(groups):
        found = 0
        digits = ""
        for j in range(i, len(groups)):
            digits += groups[j]
            if len(digits) > 19:
                break
            if _is_pan(digits):
                found = j + 1
        if found:
            span = "".join(g + s for g, s in zip(groups[i:found], seps[i:found], strict=True))
            tail = seps[found - 1]
            out.append(_mask_run(span[: len(span) - len(tail)]) + tail)
            i = found
        else:
            out.append(groups[i] + seps[i])
            i += 1
    return "".join(out)


def _mask_stretch(match: re.Match[str]) -> str:
    stretch = match.group(0)
    if stretch.isdigit():  # the common case: one plain run (an id, an order number)
        return _mask_run(stretch) if _is_pan(stretch) else stretch
    parts = _GAP.split(stretch)
    return "".join(part if part[:1] in (" ", "-") else _mask_grouped(part) for part in parts)


def mask_card_numbers(text: str) -> str:
    """``text`` with every card number masked to its last four digits
    (``4111 1111 1111 1111`` becomes ``**** **** **** 1111``). Digit runs that fail the
    Luhn check (order numbers, timestamps) are left as they are."""
    # Cheap first: most texts hold no stretch of digits long enough for a card number.
    if len(text) < 13 or _STRETCH.search(text) is None:
        return text
    return _STRETCH.sub(_mask_stretch, text)


# An IBAN: country, check digits, then the account (BBAN) of 11 to 30 letters or digits,
# written whole or in groups of four separated by single spaces.
_IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b")
_IBAN_START = re.compile(r"[A-Z][0-9]{2}")


def _iban_valid(compact: str) -> bool:
    moved = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1
    except ValueError:
        return False


def _mask_iban(match: re.Match[str]) -> str:
    text = match.group(0)
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34 or not _iban_valid(compact):
        return text
    return _all_but_last_four(text, lambda ch: ch != " ")


def mask_ibans(text: str) -> str:
    """``text`` with every IBAN (one that passes the mod-97 check) masked to its last four
    characters (``NL91ABNA0417164300`` becomes ``**************4300``)."""
    # Cheap first: a country's second letter and the check digits, or no IBAN at all.
    if len(text) < 15 or _IBAN_START.search(text) is None:
        return text
    return _IBAN.sub(_mask_iban, text)


def _has_encoded_digits(url: str) -> bool:
    """Whether ``url`` has enough digits for a card number once ``%20``/``+``/``%2D``
    separators are decoded (the cheap test before decoding anything)."""
    return ("%" in url or "+" in url) and sum(c.isdigit() for c in url) >= 13


def _masked_int(value: int) -> int | str:
    digits = str(abs(value))
    return _mask_run(digits) if _is_pan(digits) else value


# ------------------------------------------------------------------------ secrets


def strings_under(value: Any, secret_key: Callable[[str], bool]) -> tuple[str, ...]:
    """Every string inside ``value`` (plain JSON-like data) that sits under a key
    ``secret_key`` accepts, at any depth, sorted and once each: the values of a request
    body that a vendor adds to ``Call.secrets`` (a connection's password, a connector's
    configuration), so its errors never show them."""

    def every(item: Any) -> Iterator[str]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            for v in item.values():
                yield from every(v)
        elif isinstance(item, (list, tuple)):
            for v in item:
                yield from every(v)

    def under(item: Any) -> Iterator[str]:
        if isinstance(item, Mapping):
            for k, v in item.items():
                yield from every(v) if secret_key(str(k)) else under(v)
        elif isinstance(item, (list, tuple)):
            for v in item:
                yield from under(v)

    return tuple(sorted(set(under(value))))


def _forms(secret: str) -> set[str]:
    """The ways a server may echo ``secret``: as is, JSON-escaped, percent-encoded."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
    }


def _usable(secrets: Iterable[str]) -> tuple[str, ...]:
    # Short values would redact ordinary words; every real credential is longer. Longest
    # first, so a secret containing another is removed whole.
    return tuple(sorted({s for s in secrets if len(s) >= 4}, key=lambda s: (-len(s), s)))


def _compile(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    if not secrets:
        return None
    forms = sorted({f for s in secrets for f in _forms(s)}, key=lambda s: (-len(s), s))
    return re.compile("|".join(re.escape(f) for f in forms))


class Redactor:
    """Knows which header names and literal values are secret, and removes them.

    ``sources`` are callables returning secret values that change over time (a bearer token
    after a refresh); they are asked again whenever text is redacted.
    """

    __slots__ = ("_cache", "_fields", "_headers", "_members", "_pattern", "_secrets", "_sources")

    def __init__(
        self,
        *,
        header_names: Iterable[str] = (),
        secrets: Iterable[str] = (),
        sources: Iterable[Callable[[], Iterable[str]]] = (),
        fields: Iterable[str] = (),
    ) -> None:
        self._fields = frozenset(fields)
        self._members = _members_pattern(self._fields)
        self._headers = _SENSITIVE_HEADERS | {h.lower() for h in header_names}
        self._secrets = _usable(secrets)
        self._pattern = _compile(self._secrets)
        self._sources = tuple(sources)
        # The sources' last values and the pattern for them with ``secrets``.
        self._cache: tuple[tuple[str, ...], re.Pattern[str] | None] = ((), self._pattern)

    def merged(self, other: Redactor) -> Redactor:
        """A redactor that removes what either of the two removes."""
        return Redactor(
            header_names=self._headers | other._headers,
            secrets=[*self._secrets, *other._secrets],
            sources=[*self._sources, *other._sources],
            fields=self._fields | other._fields,
        )

    def _current(self) -> re.Pattern[str] | None:
        if not self._sources:
            return self._pattern
        given = tuple(v for source in self._sources for v in source())
        cached, pattern = self._cache
        if given != cached:
            pattern = _compile(_usable([*self._secrets, *given]))
            self._cache = (given, pattern)
        return pattern

    def snapshot(self) -> Redactor:
        """This redactor with its sources read once: for the dozen scrubs of one error,
        which must all see the same credentials, and would otherwise each ask for them."""
        if not self._sources:
            return self
        fixed = object.__new__(Redactor)
        fixed._fields, fixed._members, fixed._headers = self._fields, self._members, self._headers
        fixed._secrets, fixed._sources = self._secrets, ()
        fixed._pattern = self._current()
        fixed._cache = ((), fixed._pattern)
        return fixed

    def has_secrets(self) -> bool:
        """True when this redactor knows more than the default sensitive headers."""
        return bool(
            self._secrets or self._sources or self._fields or self._headers - _SENSITIVE_HEADERS
        )

    def is_sensitive_header(self, name: str) -> bool:
        """True when a header of this name carries a credential."""
        return name.lower() in self._headers

    def headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
        """A plain dict of the headers with credential values replaced."""
        items = headers.items() if isinstance(headers, Mapping) else headers
        pattern = self._current()  # once for all the values
        sensitive = self._headers
        return {k: (REDACTED if k.lower() in sensitive else _scrub(v, pattern)) for k, v in items}

    def text(self, text: str) -> str:
        """``text`` with every known secret value replaced, sensitive fields' values
        replaced, and card numbers and IBANs masked."""
        if not text:
            return text
        if self._members is not None:
            text = self._members.sub(_blank_member, text)
        return _scrub(text, self._current())

    def value(self, value: Any) -> Any:
        """A parsed JSON value with the same done to every string in it, keys included;
        an integer that is a card number becomes its masked string, and the value of a
        sensitive field becomes ``[redacted]`` (whatever its type)."""
        return _scrub_value(value, self._current(), self._fields)

    def url(self, url: object) -> str:
        """The URL without user info and with secret-looking query values replaced."""
        raw = str(url)
        try:
            parts = urlsplit(raw)
        except ValueError:
            return self.text(raw)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        path, query = parts.path, parts.query
        # A card number may be percent-encoded (4111%201111...) or written with "+" for
        # spaces: look for it in the decoded path and query values.
        cards = mask_card_numbers(raw) != raw or _has_encoded_digits(raw)
        if cards:
            decoded = unquote(path)
            masked = mask_card_numbers(decoded)
            if masked != decoded:
                path = quote(masked, safe="/:@!$&'()*+,;=")
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            secret = any(_SECRET_NAME.search(k) for k, _ in pairs)
            if secret or cards:
                query = urlencode(
                    [
                        (k, REDACTED if _SECRET_NAME.search(k) else mask_card_numbers(v))
                        for k, v in pairs
                    ]
                )
        return self.text(urlunsplit((parts.scheme, netloc, path, query, parts.fragment)))


def _members_pattern(fields: frozenset[str]) -> re.Pattern[str] | None:
    """What a sensitive field looks like in text: a JSON member (``"cvc": "737"``,
    ``"expiryMonth":3``) or a Python ``repr`` item (``'cvc': '737'``)."""
    if not fields:
        return None
    names = "|".join(re.escape(f) for f in sorted(fields, key=lambda f: (-len(f), f)))
    return re.compile(
        rf"""(?P<key>(?P<q>["'])(?:{names})(?P=q)\s*:\s*)"""
        r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?[0-9][0-9.eE+-]*)"""
    )


def _blank_member(match: re.Match[str]) -> str:
    key = match.group("key")
    value = match.group(0)[len(key) :]
    masked = mask_ibans(mask_card_numbers(value))
    if masked != value:
        return key + masked  # a card number or IBAN keeps its last four, to tell them apart
    quote_char = match.group("q")
    return f"{key}{quote_char}{REDACTED}{quote_char}"


def _sensitive_value(value: Any) -> Any:
    """The value of a sensitive field: a card number or IBAN masked to its last four,
    anything else replaced whole."""
    if value is None:
        return None
    if isinstance(value, str):
        masked = mask_ibans(mask_card_numbers(value))
        return masked if masked != value else REDACTED
    if isinstance(value, int) and not isinstance(value, bool):
        masked_int = _masked_int(value)
        return masked_int if masked_int != value else REDACTED
    return REDACTED


#: What every card number and every IBAN (its two check digits) holds: a digit followed by
#: a digit, space or dash. The one cheap scan that lets most texts skip both maskers.
_MAYBE_NUMBER = re.compile(r"[0-9][0-9 -]")


def _scrub(text: str, pattern: re.Pattern[str] | None) -> str:
    if not text:
        return text
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    if len(text) < 13 or _MAYBE_NUMBER.search(text) is None:
        return text
    return mask_ibans(mask_card_numbers(text))


def _scrub_value(
    value: Any, pattern: re.Pattern[str] | None, fields: frozenset[str] = frozenset()
) -> Any:
    if isinstance(value, str):
        return _scrub(value, pattern)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _masked_int(value)
    if isinstance(value, dict):
        return {
            _scrub_value(k, pattern): (
                _sensitive_value(v) if k in fields else _scrub_value(v, pattern, fields)
            )
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_scrub_value(v, pattern, fields) for v in value]
    return value


DEFAULT_REDACTOR = Redactor()
