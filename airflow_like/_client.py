"""Airflow clients: the version-neutral surface, API v1, API v2 and the auth manager's
token endpoints on one client (see :mod:`._setup` for the services and the credential
choices, :mod:`._versions` for how the version is chosen).

Everything a call decides is shared (:mod:`._versions`); what takes several calls (asking
the server its version, ``dag_runs.wait``, ``task_instances.log``) is a plan
(:mod:`commonrest._plans`) that each class only runs, blocking or awaiting.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

import httpx
from typing_extensions import Unpack

from commonrest._calls import Call, OperationInfo
from commonrest._client import AsyncClient, SyncClient
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._pipeline import Prepared
from commonrest._plans import run_async, run_sync
from commonrest._settings import expand_settings

from ._generated.client_mixin import AirflowResources
from ._setup import SERVICES, AsyncAirflowSettings, SyncAirflowSettings, _AirflowSetup
from ._versions import VersionedCall, detection_plan

if TYPE_CHECKING:
    from commonrest._operations import Mode

    from ._neutral import (
        Assets,
        Backfills,
        Connections,
        DagRuns,
        Dags,
        EventLogs,
        ImportErrors,
        Pools,
        Server,
        TaskInstances,
        Variables,
        XComs,
    )

__all__ = ["SERVICES", "AirflowClient", "AsyncAirflowClient"]

M = TypeVar("M", bound="Mode")


class _Neutral(_AirflowSetup, Generic[M]):
    """The neutral resources, loaded on first use (as the generated ones are)."""

    @cached_property
    def dags(self) -> Dags[M]:
        """DAGs: list (paged), get, update, pause, unpause, delete."""
        from ._neutral import Dags

        return Dags(self)

    @cached_property
    def dag_runs(self) -> DagRuns[M]:
        """DAG runs: list, get, trigger, set_state, mark_success, mark_failed, clear,
        delete, wait."""
        from ._neutral import DagRuns

        return DagRuns(self)

    @cached_property
    def task_instances(self) -> TaskInstances[M]:
        """Task instances: list (a run's), get, clear, log."""
        from ._neutral import TaskInstances

        return TaskInstances(self)

    @cached_property
    def variables(self) -> Variables[M]:
        """Variables: list, get, create, update, delete."""
        from ._neutral import Variables

        return Variables(self)

    @cached_property
    def connections(self) -> Connections[M]:
        """Connections: list, get, create, update, delete."""
        from ._neutral import Connections

        return Connections(self)

    @cached_property
    def pools(self) -> Pools[M]:
        """Pools: list, get, create, update, delete."""
        from ._neutral import Pools

        return Pools(self)

    @cached_property
    def xcoms(self) -> XComs[M]:
        """XCom entries: list, get."""
        from ._neutral import XComs

        return XComs(self)

    @cached_property
    def event_logs(self) -> EventLogs[M]:
        """The audit log: list, get."""
        from ._neutral import EventLogs

        return EventLogs(self)

    @cached_property
    def import_errors(self) -> ImportErrors[M]:
        """DAG import errors: list, get."""
        from ._neutral import ImportErrors

        return ImportErrors(self)

    @cached_property
    def assets(self) -> Assets[M]:
        """Datasets (Airflow 2) / assets (Airflow 3): list."""
        from ._neutral import Assets

        return Assets(self)

    @cached_property
    def backfills(self) -> Backfills[M]:
        """Backfills (Airflow 3 only): list, create, get."""
        from ._neutral import Backfills

        return Backfills(self)

    @cached_property
    def server(self) -> Server[M]:
        """The server: health, version, config, plugins, providers."""
        from ._neutral import Server

        return Server(self)


class AirflowClient(_Neutral[Sync], SyncClient, AirflowResources[Sync]):
    """Blocking Airflow client for Airflow 2 and 3; see :mod:`airflow_like` for the auth
    choices. The other settings are every client's (timeouts, retries, ``base_url``, ...)."""

    @expand_settings
    def __init__(self, **settings: Unpack[SyncAirflowSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AirflowResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirflowResources[SyncRaw]", self._raw_copy())

    def _run(self, info: OperationInfo, call: Call[Any]) -> tuple[Any, httpx.Response, Prepared]:
        if isinstance(call, VersionedCall):
            info, call = call.resolve(self.detect_version(), self)
        return super()._run(info, call)

    def detect_version(self) -> Literal[1, 2]:
        """The server's API version (configured, or asked of the server the first time:
        health endpoints answer without credentials)."""
        return run_sync(detection_plan(self._versions, super()._run, self._config.base_urls["v2"]))


class AsyncAirflowClient(_Neutral[Async], AsyncClient, AirflowResources[Async]):
    """Asynchronous twin of :class:`AirflowClient`."""

    @expand_settings
    def __init__(self, **settings: Unpack[AsyncAirflowSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AirflowResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirflowResources[AsyncRaw]", self._raw_copy())

    async def _run(
        self, info: OperationInfo, call: Call[Any]
    ) -> tuple[Any, httpx.Response, Prepared]:
        if isinstance(call, VersionedCall):
            info, call = call.resolve(await self.detect_version(), self)
        return await super()._run(info, call)

    async def detect_version(self) -> Literal[1, 2]:
        """The server's API version; see :meth:`AirflowClient.detect_version`."""
        plan = detection_plan(self._versions, super()._run, self._config.base_urls["v2"])
        return await run_async(plan)


publish(__name__, globals())
