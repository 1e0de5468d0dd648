"""JSON pointers as Common REST uses them (field names in filters, ``_fields`` and patches).

Common REST servers are lenient about the leading slash (``name`` and ``/name`` mean the
same field) and ignore empty segments, so :meth:`JsonPointer.parse` is too. A pointer is
kept as a tuple of unescaped reference tokens and always written back in its canonical
form, ``/a/b`` (``/`` for the whole document), with ``~`` and ``/`` inside a token escaped
as ``~0`` and ``~1`` (RFC 6901).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from ._errors import InvalidArgumentError

__all__ = ["APPEND", "JsonPointer", "PointerLike", "is_index"]

#: The reference token that means "after the last element" of an array.
APPEND = "-"


def _unescape(token: str, text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(token):
        ch = token[i]
        if ch == "~":
            nxt = token[i + 1 : i + 2]
            if nxt == "0":
                out.append("~")
            elif nxt == "1":
                out.append("/")
            else:
                raise InvalidArgumentError(
                    f"JSON pointer {text!r}: '~' must be followed by '0' or '1' "
                    f"(found {('~' + nxt)!r})"
                )
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def is_index(token: str) -> bool:
    """True when ``token`` is a valid array index (digits, no leading zero)."""
    return token.isascii() and token.isdigit() and (token == "0" or not token.startswith("0"))


@dataclass(frozen=True)
class JsonPointer:
    """A parsed JSON pointer: the path of reference tokens from the document root."""

    tokens: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for token in self.tokens:
            if not isinstance(token, str) or not token:
                raise InvalidArgumentError(
                    f"JSON pointer tokens must be non-empty strings, got {self.tokens!r}"
                )

    @classmethod
    def parse(cls, text: str | JsonPointer) -> JsonPointer:
        """Read ``/a/b``, ``a/b`` or ``/`` (the root); ``~0``/``~1`` are unescaped."""
        if isinstance(text, JsonPointer):
            return text
        if not isinstance(text, str):
            raise InvalidArgumentError(
                f"a JSON pointer must be a string, got {type(text).__name__}"
            )
        tokens = tuple(_unescape(part, text) for part in text.split("/") if part)
        return cls(tokens)

    @classmethod
    def of(cls, *tokens: str | int) -> JsonPointer:
        """Build a pointer from raw (unescaped) tokens; integers become array indexes."""
        return cls(tuple(str(t) for t in tokens))

    def __str__(self) -> str:
        if not self.tokens:
            return "/"
        return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in self.tokens)

    def __repr__(self) -> str:
        return f"JsonPointer({str(self)!r})"

    def __truediv__(self, token: str | int) -> JsonPointer:
        return JsonPointer((*self.tokens, str(token)))

    def __iter__(self) -> Iterator[str]:
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def parent(self) -> JsonPointer:
        """The pointer one level up (the root is its own parent)."""
        return JsonPointer(self.tokens[:-1])

    @property
    def last(self) -> str | None:
        """The final token, or ``None`` for the root pointer."""
        return self.tokens[-1] if self.tokens else None

    def resolve(self, document: Any) -> tuple[bool, Any]:
        """Follow the pointer into ``document``; returns ``(found, value)``.

        Object members are looked up by name and array elements by index; anything
        else (a missing member, an index out of range, ``-``) is "not found".
        """
        current = document
        for token in self.tokens:
            if isinstance(current, Mapping):
                if token not in current:
                    return False, None
                current = current[token]
            elif isinstance(current, Sequence) and not isinstance(current, (str, bytes)):
                if not is_index(token) or int(token) >= len(current):
                    return False, None
                current = current[int(token)]
            else:
                return False, None
        return True, current

    def get(self, document: Any, default: Any = None) -> Any:
        """The value at the pointer, or ``default`` when it is not there."""
        found, value = self.resolve(document)
        return value if found else default


#: Anything accepted where a field is expected: a pointer or its string form.
PointerLike: TypeAlias = str | JsonPointer
