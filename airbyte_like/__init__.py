"""Typed sync and async clients for Airbyte's Configuration API (v0.50.56).

Importing this package is cheap: the client classes load on first use, and each generated
resource module loads the first time its property is read. ``catalog()`` lists every
operation (operationId, method, path, API and version, Python method).

Besides the operations: ``safe_update`` on sources, destinations, connections, workspaces,
operations and connector builder projects; ``jobs.wait`` and ``jobs.history``; Airbyte
error bodies as :class:`AirbyteErrorDetail`; connector secrets masked in models and kept
out of errors (:func:`learn_secret_fields`). ``airbyte_like.testing`` holds an in-memory
Airbyte for tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commonrest._lazy import lazy_exports

if TYPE_CHECKING:
    from commonrest._operations import CatalogEntry

    from ._client import AirbyteClient, AsyncAirbyteClient
    from ._errors import (
        AirbyteErrorDetail,
        ConcurrentUpdateError,
        JobFailedError,
        ValidationProblem,
        parse_airbyte_error,
    )
    from ._jobs import JobProgress
    from ._secrets import learn_secret_fields

__all__ = [
    "AirbyteClient",
    "AirbyteErrorDetail",
    "AsyncAirbyteClient",
    "ConcurrentUpdateError",
    "JobFailedError",
    "JobProgress",
    "ValidationProblem",
    "catalog",
    "learn_secret_fields",
    "parse_airbyte_error",
]

_EXPORTS = {
    "AirbyteClient": "_client",
    "AsyncAirbyteClient": "_client",
    "AirbyteErrorDetail": "_errors",
    "ConcurrentUpdateError": "_errors",
    "JobFailedError": "_errors",
    "ValidationProblem": "_errors",
    "parse_airbyte_error": "_errors",
    "JobProgress": "_jobs",
    "learn_secret_fields": "_secrets",
}


def catalog() -> list[CatalogEntry]:
    """Every operation this package can call, from the generated declarations."""
    from ._generated.catalog import catalog as _catalog

    return _catalog()


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, __all__)

# Before any model can be shown: which fields of the models hold connector secrets (a
# registration by name; it imports no model).
from . import _secrets  # noqa: E402, F401
