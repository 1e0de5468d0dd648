"""Path templates: every parameter is percent-encoded as one RFC 3986 path segment.

Whatever a caller passes (``a/b``, ``..``, ``%2e%2e``, ``?x=1``) stays inside its own
segment: it can never reach another path of the API. ``.`` and ``..`` and empty values
are refused outright, since servers and proxies may collapse them: the refusal is an
:class:`~commonrest.InvalidArgumentError` naming the parameter.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from ._errors import InvalidArgumentError

__all__ = ["encode_segment", "expand_path"]

# RFC 3986 pchar minus "/" and "%": unreserved / sub-delims / ":" / "@".
_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _as_text(name: str, value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise InvalidArgumentError(
        f"path parameter {name!r} must be a string or number, got {type(value).__name__}",
        wire=name,
        location="path",
    )


def encode_segment(value: Any, *, name: str = "value") -> str:
    """Percent-encode ``value`` as a single path segment; refuse '', '.' and '..'."""
    text = _as_text(name, value)
    if text in ("", ".", ".."):
        raise InvalidArgumentError(
            f"path parameter {name!r} must not be empty, '.' or '..' (got {text!r}): it would "
            "change which resource the request addresses",
            wire=name,
            location="path",
        )
    return quote(text, safe=_SEGMENT_SAFE)


@lru_cache(maxsize=2048)
def _compile(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    literals: list[str] = []
    names: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        literals.append(template[pos : match.start()])
        names.append(match.group(1))
        pos = match.end()
    literals.append(template[pos:])
    return tuple(literals), tuple(names)


def expand_path(template: str, params: Mapping[str, Any] | None) -> str:
    """Fill ``{name}`` placeholders of ``template`` with encoded segments."""
    literals, names = _compile(template)
    if not names:
        return template
    if params is None:
        params = {}
    out = [literals[0]]
    for name, literal in zip(names, literals[1:], strict=True):
        if name not in params:
            raise InvalidArgumentError(
                f"path parameter {name!r} is required for {template}", wire=name, location="path"
            )
        out.append(encode_segment(params[name], name=name))
        out.append(literal)
    return "".join(out)
