"""Typed sync and async clients for Airflow 2 and 3: one version-neutral surface
(``client.dags``, ``client.dag_runs`` with ``dag_runs.wait``, ``client.task_instances``
with ``task_instances.log``, ...) over the stable REST API v1 (Airflow 2), API v2 (Airflow
3) and the simple auth manager's token endpoints, which stay reachable as ``client.v1``,
``client.v2`` and ``client.auth``.

Importing this package is cheap: the client classes load on first use, and each generated
resource module loads the first time its property is read. ``catalog()`` lists every
operation (operationId, method, path, API and version, Python method).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commonrest._lazy import lazy_exports

if TYPE_CHECKING:
    from commonrest._operations import CatalogEntry

    from ._client import AirflowClient, AsyncAirflowClient
    from ._versions import AirflowVersionError
    from ._waiting import DagRunFailedError

__all__ = [
    "AirflowClient",
    "AirflowVersionError",
    "AsyncAirflowClient",
    "DagRunFailedError",
    "catalog",
]

_EXPORTS = {
    "AirflowClient": "_client",
    "AsyncAirflowClient": "_client",
    "AirflowVersionError": "_versions",
    "DagRunFailedError": "_waiting",
}


def catalog() -> list[CatalogEntry]:
    """Every operation this package can call, from the generated declarations."""
    from ._generated.catalog import catalog as _catalog

    return _catalog()


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, __all__)
