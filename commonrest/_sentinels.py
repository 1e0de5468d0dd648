"""The ``NOT_GIVEN`` sentinel: tells "the caller did not pass this" apart from ``None``.

``None`` is a real value for many APIs (PATCH a field to null, clear an update mask);
``NOT_GIVEN`` means "leave it out of the request entirely".
"""

from __future__ import annotations

from typing import Any, ClassVar, Final, Literal, TypeAlias, TypeVar, cast

from typing_extensions import Self

from ._lazy import publish

__all__ = ["NOT_GIVEN", "NotGiven", "NotGivenOr", "Sentinel", "is_given"]


class Sentinel:
    """Base of marker types with exactly one instance. A subclass names the module constant
    that holds it (``class NotGiven(Sentinel, name="NOT_GIVEN")``): that name is its repr,
    and pickling gives back the same instance."""

    __slots__ = ()
    _name: ClassVar[str]
    _instance: ClassVar[Sentinel | None]

    def __init_subclass__(cls, *, name: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._name = name
        cls._instance = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cast(Self, cls._instance)

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self) -> str:
        return self._name


class NotGiven(Sentinel, name="NOT_GIVEN"):
    """Marker type of :data:`NOT_GIVEN`; there is exactly one instance."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False


NOT_GIVEN: Final = NotGiven()

_T = TypeVar("_T")
NotGivenOr: TypeAlias = "_T | NotGiven"


def is_given(value: object) -> bool:
    """True unless ``value`` is :data:`NOT_GIVEN`."""
    return value is not NOT_GIVEN


publish(__name__, globals())
