"""The ``NOT_GIVEN`` sentinel: tells "the caller did not pass this" apart from ``None``.

``None`` is a real value for many APIs (PATCH a field to null, clear an update mask);
``NOT_GIVEN`` means "leave it out of the request entirely".
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, TypeVar

__all__ = ["NOT_GIVEN", "NotGiven", "NotGivenOr", "is_given"]


class NotGiven:
    """Marker type of :data:`NOT_GIVEN`; there is exactly one instance."""

    _instance: NotGiven | None = None
    __slots__ = ()

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

_T = TypeVar("_T")
NotGivenOr: TypeAlias = "_T | NotGiven"


def is_given(value: object) -> bool:
    """True unless ``value`` is :data:`NOT_GIVEN`."""
    return value is not NOT_GIVEN
