"""Lazy package exports: a name is imported from its module the first time it is used.

Every package of the distribution keeps ``import <package>`` cheap this way::

    __getattr__, __dir__ = lazy_exports(__name__, globals(), {"Client": "client"}, __all__)

A generated resource module refers to its spec's strict request classes (``_requests.py``)
through :func:`lazy_module`, so using a resource does not pay for classes that only a call
with a body needs.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any

__all__ = ["adopt", "lazy_exports", "lazy_module", "publish", "publish_names"]


def lazy_exports(
    package: str,
    namespace: MutableMapping[str, Any],
    exports: Mapping[str, str],
    public: Iterable[str],
    *,
    base: str | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` for ``package``: ``exports`` maps each name
    to the submodule (relative to the package, or to ``base``) that defines it. A loaded
    name is stored in ``namespace`` so later look-ups cost nothing."""
    names = sorted(public)
    where = base or package

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{where}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return names

    return __getattr__, __dir__


class _LazyModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module(self.__name__), name)
        setattr(self, name, value)  # found here from now on, without this hook
        return value


def lazy_module(name: str) -> Any:
    """A stand-in for the module ``name`` that imports it on first attribute access."""
    module = sys.modules.get(name)
    return module if module is not None else _LazyModule(name)


def publish_names(public_module: str, namespace: Mapping[str, Any], names: Iterable[str]) -> None:
    """Make ``names`` of ``namespace`` report ``public_module`` as their ``__module__``, so
    reprs and tracebacks print ``commonrest.NotFoundError`` rather than a private path.

    Dataclasses, TypedDicts and pydantic models keep their defining module: their string
    annotations are resolved through ``__module__`` (by ``typing.get_type_hints``, by the
    settings declarations, and by pydantic when it builds a model on first use), and only
    the defining module holds the names they use.
    """
    for name in names:
        value = namespace[name]
        if not isinstance(value, (type, types.FunctionType)):
            continue  # an instance (NOT_GIVEN) or alias reports no module
        if (
            hasattr(value, "__pydantic_fields__")
            or hasattr(value, "__dataclass_fields__")
            or hasattr(value, "__required_keys__")  # a TypedDict, of either typing module
        ):
            continue
        if not any(part.startswith("_") for part in value.__module__.split(".")):
            continue  # already published by the package that owns it
        value.__module__ = public_module


def publish(module: str, namespace: Mapping[str, Any]) -> None:
    """:func:`publish_names` for the names that ``module``'s package exports from it (its
    ``_EXPORTS`` table, the one source of what is public). Called at the end of the module."""
    package, _, leaf = module.rpartition(".")
    exports: Mapping[str, str] = sys.modules[package].__dict__["_EXPORTS"]
    publish_names(package, namespace, [name for name, where in exports.items() if where == leaf])


def adopt(public_module: str, namespace: Mapping[str, Any]) -> None:
    """Make a generated models chunk part of ``public_module``: every name of the chunk
    goes into that module's namespace, and its classes report that module as theirs.

    Called at the end of the chunk. pydantic, which builds a model on first use, then
    resolves what is left of its annotations in the public module, where the chunk's
    names (its imports included) and those of the chunks it imports already are; reprs
    and pickles name the public module, whichever chunk a model is in.
    """
    target = importlib.import_module(public_module).__dict__
    own = namespace["__name__"]
    for name, value in namespace.items():
        if name.startswith("__"):
            continue
        if isinstance(value, type) and value.__module__ == own:
            value.__module__ = public_module
        target.setdefault(name, value)
