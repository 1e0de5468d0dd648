"""Typed sync and async clients for Amentum's aviation radiation, gravity, space
radiation, atmosphere, geomagnetism and ocean APIs.

Importing this package is cheap: the client classes load on first use, and each generated
resource module loads the first time its property is read. ``catalog()`` lists every
operation (operationId, method, path, API and version, Python method).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from commonrest.operations import CatalogEntry

    from .client import AmentumClient, AsyncAmentumClient

__all__ = ["AmentumClient", "AsyncAmentumClient", "catalog"]

_EXPORTS = {"AmentumClient": "client", "AsyncAmentumClient": "client"}


def catalog() -> list[CatalogEntry]:
    """Every operation this package can call, from the generated declarations."""
    from ._generated.catalog import catalog as _catalog

    return _catalog()


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
