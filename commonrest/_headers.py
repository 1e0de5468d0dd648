"""What a header may carry: the one rule every header value we send is checked against.

httpx encodes header values as ASCII, so a non-ASCII character surfaces as a bare
``UnicodeEncodeError`` while the request is being sent, and a line break would end the
header early (header injection). Values are checked where they are given instead: at
construction for settings, before sending for per-call values, each naming the setting or
parameter and never showing the value (it may be a credential).
"""

from __future__ import annotations

import re

import httpx

__all__ = ["header", "header_name_problem", "header_value_problem", "listed"]

# RFC 9110 field-value characters: visible ASCII, space and tab (obs-text is not sent).
_NOT_VALUE = re.compile(r"[^\t\x20-\x7e]")
# RFC 9110 token characters, the only ones a field name may hold.
_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def header_value_problem(value: str) -> str | None:
    """What makes ``value`` unfit for a header (``"a line break"``, ...), or ``None``."""
    bad = _NOT_VALUE.search(value)
    if bad is None:
        return None
    char = bad.group()
    if char in "\r\n":
        return "a line break"
    if not char.isascii():
        return "a non-ASCII character"
    return "a control character"


def header_name_problem(name: str) -> str | None:
    """What makes ``name`` unfit as a header name, or ``None``."""
    if _NAME.fullmatch(name):
        return None
    problem = header_value_problem(name)
    return problem or "a character that is not allowed in a header name"


def listed(headers: object) -> list[tuple[bytes, bytes, bytes]] | None:
    """httpx's own list of ``headers`` (name, lower-case name, value, as bytes), or
    ``None`` when ``headers`` is not an ``httpx.Headers`` that keeps one: the one place
    the SDK reads it, to skip decoding every header for a look-up of one."""
    if type(headers) is not httpx.Headers:
        return None
    raw: list[tuple[bytes, bytes, bytes]] | None = getattr(headers, "_list", None)
    return raw


def header(headers: httpx.Headers, name: bytes) -> str | None:
    """``headers.get(name)`` for a lower-case ``name``: the same answer, without httpx
    working out the encoding of every header of the response first (each response's
    content type is read this way)."""
    raw = listed(headers)
    if raw is None:
        return _get(headers, name)
    found = [value for _, lower, value in raw if lower == name]
    if not found:
        return None
    if len(found) == 1 and found[0].isascii():
        return found[0].decode("ascii")
    return _get(headers, name)  # joined, or not ASCII: httpx's own rules


def _get(headers: httpx.Headers, name: bytes) -> str | None:
    value: str | None = headers.get(name.decode("ascii"))
    return value
