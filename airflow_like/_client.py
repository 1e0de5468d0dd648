"""Airflow clients: the version-neutral surface, API v1, API v2 and the auth manager's
token endpoints on one client (see :mod:`._setup` for the services and the credential
choices, :mod:`._versions` for how the version is chosen).

Everything a call decides is shared (:mod:`._versions`, :mod:`._waiting`, :mod:`._logs`);
the two classes differ only where one blocks and the other awaits: asking the server its
version, the wait loop's driver and the log pages' loop.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

import httpx
from typing_extensions import Unpack

from commonrest._calls import Call, OperationInfo
from commonrest._client import AsyncClient, SyncClient
from commonrest._errors import APIStatusError, DeadlineExceededError, NotFoundError
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._pipeline import Prepared
from commonrest._polling import Poll, wait_async, wait_sync
from commonrest._sentinels import NOT_GIVEN, NotGivenOr
from commonrest._settings import expand_settings

from ._generated.client_mixin import AirflowResources
from ._setup import SERVICES, AsyncAirflowSettings, SyncAirflowSettings, _AirflowSetup
from ._versions import Target as _Target
from ._versions import VersionedCall, neutral, no_api_error, probes

if TYPE_CHECKING:
    from commonrest._operations import Mode

    from ._logs import LogPage
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
    from .types.common import DagRun, TaskLog

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
        delete (waiting: ``wait_for_run``)."""
        from ._neutral import DagRuns

        return DagRuns(self)

    @cached_property
    def task_instances(self) -> TaskInstances[M]:
        """Task instances: list (a run's), get, clear (logs: ``task_log``)."""
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

    def _found(self, version: Literal[1, 2]) -> Literal[1, 2]:
        self._versions.version = version
        return version


def _log_page_call(
    dag_id: str, dag_run_id: str, task_id: str, try_number: int, map_index: Any, token: Any
) -> tuple[OperationInfo, Call[LogPage]]:
    from ._logs import LogPage

    key = {"dag_id": dag_id, "dag_run_id": dag_run_id, "task_id": task_id}
    rest = {"map_index": map_index, "token": token, "full_content": True}
    return neutral(
        "task_log",
        LogPage,
        v1=_Target(
            "v1.task_instances.TaskInstances.get_log",
            {**key, **rest, "task_try_number": try_number},
        ),
        v2=_Target(
            "v2.task_instances.TaskInstances.get_log", {**key, **rest, "try_number": try_number}
        ),
    )


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
        known = self._versions.version
        if known is not None:
            return known
        for version, info, call in probes():
            try:
                super()._run(info, call)
            except NotFoundError:
                continue
            except APIStatusError:
                pass  # the path exists, whatever it thinks of us
            return self._found(version)
        raise no_api_error(self._config.base_urls["v2"])

    def wait_for_run(
        self,
        dag_id: str,
        dag_run_id: str,
        *,
        timeout: float | None = None,
        poll: Poll | None = None,
        on_progress: Callable[[DagRun], object] | None = None,
        progress: bool | None = None,
        stream: bool = True,
    ) -> DagRun:
        """Wait until a DAG run is over and return it: ``success`` returns, ``failed``
        raises :class:`~airflow_like.DagRunFailedError`, a run still going after
        ``timeout`` seconds raises :class:`~commonrest.WaitTimeoutError` (the run goes on).
        Polls with backoff (``poll``), or on Airflow 3 follows the server's wait stream
        (``stream=False`` to poll there too). ``on_progress`` gets every state seen;
        ``progress`` shows a tqdm display (see :mod:`commonrest`)."""
        from ._waiting import run_waiter, stream_unavailable, streamed_state

        waiter = run_waiter(
            dag_id,
            dag_run_id,
            poll=poll,
            timeout=timeout,
            on_progress=on_progress,
            progress=progress,
        )
        fetch: Callable[[], DagRun] = lambda: self.dag_runs.get(dag_id, dag_run_id)  # noqa: E731
        try:
            if stream and self.detect_version() == 2:
                interval = (poll or Poll()).interval
                client = self if timeout is None else self.with_options(deadline=timeout)
                try:
                    with client.v2.dag_runs.wait_until_finished(
                        dag_id, dag_run_id, interval=interval
                    ) as lines:
                        for line in lines:
                            # a final state is read back in full by the poll below
                            if streamed_state(dag_id, dag_run_id, line).finished:
                                break
                            waiter.observe(streamed_state(dag_id, dag_run_id, line))
                            waiter.next_sleep()  # only the deadline: the server paces lines
                except DeadlineExceededError:
                    waiter.next_sleep()  # raises the WaitTimeoutError, with the last state
                    raise
                except APIStatusError as error:
                    if not stream_unavailable(error):
                        raise
            return wait_sync(fetch, waiter)
        finally:
            waiter.close()

    def task_log(
        self,
        dag_id: str,
        dag_run_id: str,
        task_id: str,
        try_number: int = 1,
        *,
        map_index: NotGivenOr[int] = NOT_GIVEN,
    ) -> TaskLog:
        """The whole log of one task try (every part, following the continuation token):
        its text, and on Airflow 3 the structured records."""
        from ._logs import LogReader

        reader = LogReader()
        token: Any = NOT_GIVEN
        while token is not None:
            page = self._execute(
                *_log_page_call(dag_id, dag_run_id, task_id, try_number, map_index, token)
            )
            token = reader.add(page)
        return reader.result()


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
        known = self._versions.version
        if known is not None:
            return known
        for version, info, call in probes():
            try:
                await super()._run(info, call)
            except NotFoundError:
                continue
            except APIStatusError:
                pass
            return self._found(version)
        raise no_api_error(self._config.base_urls["v2"])

    async def wait_for_run(
        self,
        dag_id: str,
        dag_run_id: str,
        *,
        timeout: float | None = None,
        poll: Poll | None = None,
        on_progress: Callable[[DagRun], object] | None = None,
        progress: bool | None = None,
        stream: bool = True,
    ) -> DagRun:
        """See :meth:`AirflowClient.wait_for_run`."""
        from ._waiting import run_waiter, stream_unavailable, streamed_state

        waiter = run_waiter(
            dag_id,
            dag_run_id,
            poll=poll,
            timeout=timeout,
            on_progress=on_progress,
            progress=progress,
        )

        async def fetch() -> DagRun:
            return await self.dag_runs.get(dag_id, dag_run_id)

        try:
            if stream and await self.detect_version() == 2:
                interval = (poll or Poll()).interval
                client = self if timeout is None else self.with_options(deadline=timeout)
                try:
                    async with client.v2.dag_runs.wait_until_finished(
                        dag_id, dag_run_id, interval=interval
                    ) as lines:
                        async for line in lines:
                            if streamed_state(dag_id, dag_run_id, line).finished:
                                break
                            waiter.observe(streamed_state(dag_id, dag_run_id, line))
                            waiter.next_sleep()
                except DeadlineExceededError:
                    waiter.next_sleep()
                    raise
                except APIStatusError as error:
                    if not stream_unavailable(error):
                        raise
            return await wait_async(fetch, waiter)
        finally:
            waiter.close()

    async def task_log(
        self,
        dag_id: str,
        dag_run_id: str,
        task_id: str,
        try_number: int = 1,
        *,
        map_index: NotGivenOr[int] = NOT_GIVEN,
    ) -> TaskLog:
        """See :meth:`AirflowClient.task_log`."""
        from ._logs import LogReader

        reader = LogReader()
        token: Any = NOT_GIVEN
        while token is not None:
            page = await self._execute(
                *_log_page_call(dag_id, dag_run_id, task_id, try_number, map_index, token)
            )
            token = reader.add(page)
        return reader.result()


publish(__name__, globals())
