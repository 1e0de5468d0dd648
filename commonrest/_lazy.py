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

__all__ = ["lazy_exports", "lazy_module"]


def lazy_exports(
    package: str,
    namespace: MutableMapping[str, Any],
    exports: Mapping[str, str],
    public: Iterable[str],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` for ``package``: ``exports`` maps each name
    to the submodule (relative to the package) that defines it. A loaded name is stored
    in ``namespace`` so later look-ups cost nothing."""
    names = sorted(public)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
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
