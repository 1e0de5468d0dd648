"""Settings declared once, as a TypedDict, and everything else derived from it.

Every setting a client takes is one key of a ``TypedDict`` (``ClientOptions`` and its
sync and async variants in :mod:`._client`, the per-call ``CallOptions`` in
:mod:`._options`, a vendor's own keywords in its ``_setup``), annotated
``Annotated[<type>, Setting(default, check)]``. From that one declaration:

- static checkers type the constructors and ``with_options`` (``**settings:
  Unpack[...]``, PEP 692): a misspelt or mistyped setting is a mypy error;
- :func:`expand_settings` gives those functions the spelled-out signature and type hints
  that ``help()``, ``inspect.signature``, Jupyter and Sphinx read, refuses an unknown
  keyword with the ``TypeError`` Python would raise, and fills in the declared defaults;
- :func:`declared` lists the settings, their types and their :class:`Setting`, for the
  code that checks and applies them and for tests and docs.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_args, get_origin

from typing_extensions import Unpack, get_type_hints

from ._sentinels import NOT_GIVEN

__all__ = ["Setting", "declared", "expand_changes", "expand_settings"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Setting:
    """What a setting's declaration says besides its name and type.

    ``default`` is its value when the keyword is not given; ``check`` (when there is one)
    validates a given value on its own and returns the value to use, raising a
    :class:`~commonrest.ConfigurationError` that names the setting. Checks that need other
    settings (a ``base_urls`` key must be a known service) are made where they are used.
    """

    default: Any = None
    check: Callable[[Any], Any] | None = None


_PLAIN = Setting()


@functools.cache
def declared(options: type) -> Mapping[str, tuple[Any, Setting]]:
    """Setting name -> (accepted type, :class:`Setting`) of a settings ``TypedDict``, in
    declaration order (a base's settings first)."""
    out: dict[str, tuple[Any, Setting]] = {}
    for name, hint in get_type_hints(options, include_extras=True).items():
        setting = _PLAIN
        origin: Any = get_origin(hint)
        if origin is Annotated:
            hint, *extras = get_args(hint)
            setting = next((e for e in extras if isinstance(e, Setting)), _PLAIN)
        out[name] = (hint, setting)
    return out


def _options_of(fn: Callable[..., Any]) -> tuple[str, type]:
    """The ``**name: Unpack[TD]`` parameter of ``fn``: its name and ``TD``."""
    hints = get_type_hints(fn, include_extras=True)
    for param in inspect.signature(fn).parameters.values():
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            hint = hints.get(param.name)
            origin: Any = get_origin(hint)
            if origin is Unpack:
                return param.name, get_args(hint)[0]
    raise TypeError(f"{fn.__qualname__} takes no **settings: Unpack[...] parameter")


def _expand(fn: F, *, fill_defaults: bool) -> F:
    _, options = _options_of(fn)
    settings = declared(options)
    head = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    keywords = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=setting.default if fill_defaults else NOT_GIVEN,
            annotation=hint,
        )
        for name, (hint, setting) in settings.items()
    ]
    defaults = {name: setting.default for name, (_, setting) in settings.items()}
    known = frozenset(settings)

    @functools.wraps(fn)
    def expanded(*args: Any, **given: Any) -> Any:
        unknown = given.keys() - known
        if unknown:
            raise TypeError(
                f"{fn.__qualname__}() got an unexpected keyword argument {min(unknown)!r}"
            )
        if fill_defaults:
            given = {**defaults, **given}
        return fn(*args, **given)

    expanded.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        head + keywords, return_annotation=inspect.signature(fn).return_annotation
    )
    hints = {p.name: p.annotation for p in head if p.annotation is not inspect.Parameter.empty}
    hints.update({p.name: p.annotation for p in keywords})
    expanded.__annotations__ = hints
    return expanded  # type: ignore[return-value]


def expand_settings(fn: F) -> F:
    """For a constructor taking ``**settings: Unpack[SomeOptions]``: show every setting in
    its signature with its default, refuse an unknown keyword, and call it with every
    setting present (the ones not given at their declared default)."""
    return _expand(fn, fill_defaults=True)


def expand_changes(fn: F) -> F:
    """For ``with_options(**changes: Unpack[SomeOptions])``: show every setting it may
    change in its signature and refuse an unknown keyword; only the given ones are passed
    on (an absent one keeps its value)."""
    return _expand(fn, fill_defaults=False)
