"""Typed sync and async clients for Amentum's aviation radiation, gravity, space
radiation, atmosphere, geomagnetism and ocean APIs.

Importing this package is cheap: the client classes load on first use, and each generated
resource module loads the first time its property is read. ``catalog()`` lists every
operation (operationId, method, path, API and version, Python method).

Besides the clients: :func:`quantities` reads every result's numbers with their units as
:class:`Quantity` values; :func:`evaluate` (async) and :func:`evaluate_sync` run one
operation at many points, concurrently and in order, into a :class:`BatchResult` (records,
a pandas ``DataFrame``); :func:`time_arguments` and :func:`airport` turn a ``datetime`` and
an airport into an operation's arguments. :mod:`amentum_like.testing` is an in-memory fake
of the six APIs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commonrest._lazy import lazy_exports

if TYPE_CHECKING:
    from commonrest._operations import CatalogEntry

    from ._airports import airport
    from ._batch import BatchResult, PointFailedError, PointResult, evaluate, evaluate_sync
    from ._client import AmentumClient, AsyncAmentumClient
    from ._quantity import Quantity, quantities
    from ._times import time_arguments

__all__ = [
    "AmentumClient",
    "AsyncAmentumClient",
    "BatchResult",
    "PointFailedError",
    "PointResult",
    "Quantity",
    "airport",
    "catalog",
    "evaluate",
    "evaluate_sync",
    "quantities",
    "time_arguments",
]

_EXPORTS = {
    "AmentumClient": "_client",
    "AsyncAmentumClient": "_client",
    "BatchResult": "_batch",
    "PointFailedError": "_batch",
    "PointResult": "_batch",
    "evaluate": "_batch",
    "evaluate_sync": "_batch",
    "Quantity": "_quantity",
    "quantities": "_quantity",
    "airport": "_airports",
    "time_arguments": "_times",
}


def catalog() -> list[CatalogEntry]:
    """Every operation this package can call, from the generated declarations."""
    from ._generated.catalog import catalog as _catalog

    return _catalog()


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, __all__)
