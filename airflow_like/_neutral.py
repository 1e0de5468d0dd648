"""The version-neutral surface: one set of names for what Airflow 2 (API v1) and Airflow 3
(API v2) share, each call sent as the generated operation of the server's version (see
:mod:`._versions`). Results are the models of :mod:`airflow_like.types.common`.

Updates send an ``update_mask`` naming exactly the fields given, so a field left out is
never reset on the server. ``client.v1`` and ``client.v2`` stay for everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from commonrest._calls import Call, OperationInfo, PagedCall
from commonrest._operations import Mode, Resource, dynamic_operation, dynamic_paged_operation
from commonrest._plans import Plan, helper
from commonrest._polling import Poll
from commonrest._sentinels import NOT_GIVEN, NotGiven, NotGivenOr

from ._logs import log_plan
from ._versions import Target, neutral, neutral_paged
from ._waiting import wait_plan
from .types.common import (
    Asset,
    AssetCollection,
    Backfill,
    BackfillCollection,
    Config,
    Connection,
    ConnectionCollection,
    Dag,
    DagCollection,
    DagRun,
    DagRunCollection,
    EventLog,
    EventLogCollection,
    Health,
    ImportErrorCollection,
    ImportErrorEntry,
    Plugin,
    PluginCollection,
    Pool,
    PoolCollection,
    Provider,
    ProviderCollection,
    TaskInstance,
    TaskInstanceCollection,
    TaskLog,
    Variable,
    VariableCollection,
    Version,
    XCom,
    XComCollection,
)

__all__ = [
    "Assets",
    "Backfills",
    "Connections",
    "DagRuns",
    "Dags",
    "EventLogs",
    "ImportErrors",
    "Pools",
    "Server",
    "TaskInstances",
    "Variables",
    "XComs",
]

M = TypeVar("M", bound=Mode)
Info = OperationInfo


def _given(**values: Any) -> dict[str, Any]:
    """The values passed (``NOT_GIVEN`` ones left out)."""
    return {k: v for k, v in values.items() if not isinstance(v, NotGiven)}


def _update(key: Mapping[str, Any], **fields: Any) -> tuple[dict[str, Any], list[str]]:
    """An update body (the identifying ``key`` fields plus those given) and its mask."""
    given = _given(**fields)
    return {**key, **given}, list(given)


def _both(operation: str, **arguments: Any) -> tuple[Target, Target]:
    """The same resource method and arguments on both versions."""
    return Target(f"v1.{operation}", arguments), Target(f"v2.{operation}", arguments)


class Dags(Resource[M]):
    """DAGs on either version: ``client.dags``."""

    resource_path = "dags"

    @dynamic_paged_operation
    def list(
        self,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        offset: NotGivenOr[int] = NOT_GIVEN,
        tags: NotGivenOr[Sequence[str]] = NOT_GIVEN,
        paused: NotGivenOr[bool] = NOT_GIVEN,
        dag_id_pattern: NotGivenOr[str] = NOT_GIVEN,
    ) -> tuple[Info, PagedCall[DagCollection, Dag]]:
        """Every DAG, a page at a time (``limit`` per page); ``paused`` filters on the
        pause flag, ``dag_id_pattern`` on a substring of the id."""
        args = {"limit": limit, "offset": offset, "tags": tags, "paused": paused}
        args["dag_id_pattern"] = dag_id_pattern
        v1, v2 = _both("dags.Dags.list", **args)
        return neutral_paged(
            "dags.list", DagCollection, lambda p: p.dags, limit=limit, offset=offset, v1=v1, v2=v2
        )

    @dynamic_operation
    def get(self, dag_id: str) -> tuple[Info, Call[Dag]]:
        """One DAG."""
        v1, v2 = _both("dags.Dags.get", dag_id=dag_id)
        return neutral("dags.get", Dag, v1=v1, v2=v2)

    @dynamic_operation
    def update(self, dag_id: str, *, is_paused: bool) -> tuple[Info, Call[Dag]]:
        """Change a DAG (``update_mask`` names the fields given)."""
        body, mask = _update({}, is_paused=is_paused)
        v1, v2 = _both("dags.Dags.patch", dag_id=dag_id, body=body, update_mask=mask)
        return neutral("dags.update", Dag, v1=v1, v2=v2, method="PATCH")

    @dynamic_operation
    def pause(self, dag_id: str) -> tuple[Info, Call[Dag]]:
        """Pause a DAG: no new runs are scheduled (``update_mask=is_paused``)."""
        v1, v2 = _both(
            "dags.Dags.patch", dag_id=dag_id, body={"is_paused": True}, update_mask=["is_paused"]
        )
        return neutral("dags.pause", Dag, v1=v1, v2=v2, method="PATCH")

    @dynamic_operation
    def unpause(self, dag_id: str) -> tuple[Info, Call[Dag]]:
        """Unpause a DAG (``update_mask=is_paused``); a triggered run of a paused DAG waits."""
        v1, v2 = _both(
            "dags.Dags.patch", dag_id=dag_id, body={"is_paused": False}, update_mask=["is_paused"]
        )
        return neutral("dags.unpause", Dag, v1=v1, v2=v2, method="PATCH")

    @dynamic_operation
    def delete(self, dag_id: str) -> tuple[Info, Call[None]]:
        """Delete a DAG's metadata (its file stays)."""
        v1, v2 = _both("dags.Dags.delete", dag_id=dag_id)
        return neutral("dags.delete", None, v1=v1, v2=v2, method="DELETE")


def _set_state(label: str, dag_id: str, dag_run_id: str, state: str) -> tuple[Info, Call[Any]]:
    key = {"dag_id": dag_id, "dag_run_id": dag_run_id}
    return neutral(
        label,
        DagRun,
        v1=Target("v1.dag_runs.DagRuns.update_state", {**key, "body": {"state": state}}),
        v2=Target(
            "v2.dag_runs.DagRuns.patch",
            {**key, "body": {"state": state}, "update_mask": ["state"]},
        ),
        method="PATCH",
    )


class DagRuns(Resource[M]):
    """DAG runs on either version: ``client.dag_runs``."""

    resource_path = "dag_runs"

    @dynamic_paged_operation
    def list(
        self,
        dag_id: str,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        offset: NotGivenOr[int] = NOT_GIVEN,
        state: NotGivenOr[Sequence[str]] = NOT_GIVEN,
    ) -> tuple[Info, PagedCall[DagRunCollection, DagRun]]:
        """The runs of a DAG (``"~"``: of every DAG), a page at a time."""
        v1, v2 = _both(
            "dag_runs.DagRuns.list", dag_id=dag_id, limit=limit, offset=offset, state=state
        )
        return neutral_paged(
            "dag_runs.list",
            DagRunCollection,
            lambda p: p.dag_runs,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, dag_id: str, dag_run_id: str) -> tuple[Info, Call[DagRun]]:
        """One run."""
        v1, v2 = _both("dag_runs.DagRuns.get", dag_id=dag_id, dag_run_id=dag_run_id)
        return neutral("dag_runs.get", DagRun, v1=v1, v2=v2)

    @dynamic_operation
    def trigger(
        self,
        dag_id: str,
        *,
        dag_run_id: NotGivenOr[str] = NOT_GIVEN,
        conf: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        logical_date: NotGivenOr[datetime | None] = NOT_GIVEN,
        note: NotGivenOr[str] = NOT_GIVEN,
    ) -> tuple[Info, Call[DagRun]]:
        """Start a run (the DAG must be unpaused for it to be scheduled). A ``dag_run_id``
        already used raises :class:`~commonrest.ConflictError`; without one the server
        names the run. ``logical_date``: v1's default is now, v2's none."""
        body = _given(dag_run_id=dag_run_id, conf=conf, note=note, logical_date=logical_date)
        v2_body = {"logical_date": None, **body}  # v2 requires the field, null allowed
        return neutral(
            "dag_runs.trigger",
            DagRun,
            v1=Target("v1.dag_runs.DagRuns.create", {"dag_id": dag_id, "body": body}),
            v2=Target("v2.dag_runs.DagRuns.trigger", {"dag_id": dag_id, "body": v2_body}),
            method="POST",
        )

    @dynamic_operation
    def set_state(self, dag_id: str, dag_run_id: str, state: str) -> tuple[Info, Call[DagRun]]:
        """Mark a run ``"success"``, ``"failed"`` or ``"queued"``."""
        return _set_state("dag_runs.set_state", dag_id, dag_run_id, state)

    @dynamic_operation
    def mark_success(self, dag_id: str, dag_run_id: str) -> tuple[Info, Call[DagRun]]:
        """Mark a run successful."""
        return _set_state("dag_runs.mark_success", dag_id, dag_run_id, "success")

    @dynamic_operation
    def mark_failed(self, dag_id: str, dag_run_id: str) -> tuple[Info, Call[DagRun]]:
        """Mark a run failed."""
        return _set_state("dag_runs.mark_failed", dag_id, dag_run_id, "failed")

    @dynamic_operation
    def clear(
        self, dag_id: str, dag_run_id: str, *, dry_run: bool = False
    ) -> tuple[Info, Call[Any]]:
        """Clear a run's task instances so they run again (``dry_run``: only list them)."""
        v1, v2 = _both(
            "dag_runs.DagRuns.clear",
            dag_id=dag_id,
            dag_run_id=dag_run_id,
            body={"dry_run": dry_run},
        )
        return neutral("dag_runs.clear", dict[str, Any], v1=v1, v2=v2, method="POST")

    @dynamic_operation
    def delete(self, dag_id: str, dag_run_id: str) -> tuple[Info, Call[None]]:
        """Delete a run."""
        v1, v2 = _both("dag_runs.DagRuns.delete", dag_id=dag_id, dag_run_id=dag_run_id)
        return neutral("dag_runs.delete", None, v1=v1, v2=v2, method="DELETE")

    @helper
    def wait(
        self,
        dag_id: str,
        dag_run_id: str,
        *,
        timeout: float | None = None,
        poll: Poll | None = None,
        on_progress: Callable[[DagRun], object] | None = None,
        progress: bool | None = None,
        stream: bool = True,
    ) -> Plan[DagRun]:
        """Wait until a run is over and return it: ``success`` returns, ``failed`` raises
        :class:`~airflow_like.DagRunFailedError`, a run still going after ``timeout``
        seconds raises :class:`~commonrest.WaitTimeoutError` (the run goes on, never
        cancelled). Polls ``get`` with backoff (``poll``, default
        :class:`~commonrest.Poll`); on Airflow 3 it follows the server's wait stream
        instead while the run is going (``stream=False`` to poll there too; a server
        without the stream is polled). ``on_progress`` gets every state seen;
        ``progress`` draws a tqdm display (``None``: when watched). An async client
        returns a coroutine of the run."""
        return wait_plan(
            self,
            dag_id,
            dag_run_id,
            timeout=timeout,
            poll=poll,
            on_progress=on_progress,
            progress=progress,
            stream=stream,
        )


class TaskInstances(Resource[M]):
    """Task instances on either version: ``client.task_instances``."""

    resource_path = "task_instances"

    @dynamic_paged_operation
    def list(
        self,
        dag_id: str,
        dag_run_id: str,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        offset: NotGivenOr[int] = NOT_GIVEN,
        state: NotGivenOr[Sequence[str]] = NOT_GIVEN,
    ) -> tuple[Info, PagedCall[TaskInstanceCollection, TaskInstance]]:
        """The task instances of a run, a page at a time."""
        v1, v2 = _both(
            "task_instances.TaskInstances.list",
            dag_id=dag_id,
            dag_run_id=dag_run_id,
            limit=limit,
            offset=offset,
            state=state,
        )
        return neutral_paged(
            "task_instances.list",
            TaskInstanceCollection,
            lambda p: p.task_instances,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, dag_id: str, dag_run_id: str, task_id: str) -> tuple[Info, Call[TaskInstance]]:
        """One task instance."""
        v1, v2 = _both(
            "task_instances.TaskInstances.get",
            dag_id=dag_id,
            dag_run_id=dag_run_id,
            task_id=task_id,
        )
        return neutral("task_instances.get", TaskInstance, v1=v1, v2=v2)

    @dynamic_operation
    def clear(
        self,
        dag_id: str,
        *,
        task_ids: Sequence[str],
        dag_run_id: NotGivenOr[str] = NOT_GIVEN,
        dry_run: bool = False,
        only_failed: bool = False,
        include_downstream: bool = False,
    ) -> tuple[Info, Call[dict[str, Any]]]:
        """Clear task instances of a DAG (of one run with ``dag_run_id``) so they run again;
        ``dry_run`` only lists them."""
        body = _given(
            task_ids=list(task_ids),
            dag_run_id=dag_run_id,
            dry_run=dry_run,
            only_failed=only_failed,
            include_downstream=include_downstream,
        )
        return neutral(
            "task_instances.clear",
            dict[str, Any],
            v1=Target("v1.dags.Dags.clear_task_instances", {"dag_id": dag_id, "body": body}),
            v2=Target("v2.task_instances.TaskInstances.clear", {"dag_id": dag_id, "body": body}),
            method="POST",
        )

    @helper
    def log(
        self,
        dag_id: str,
        dag_run_id: str,
        task_id: str,
        try_number: int = 1,
        *,
        map_index: NotGivenOr[int] = NOT_GIVEN,
    ) -> Plan[TaskLog]:
        """The whole log of one task try, every part (following the continuation token):
        its text, its hosts (Airflow 2) and its structured records (Airflow 3). An async
        client returns a coroutine of it."""
        return log_plan(self._client, dag_id, dag_run_id, task_id, try_number, map_index)


class Variables(Resource[M]):
    """Variables on either version: ``client.variables``."""

    resource_path = "variables"

    @dynamic_paged_operation
    def list(
        self, *, limit: NotGivenOr[int] = NOT_GIVEN, offset: NotGivenOr[int] = NOT_GIVEN
    ) -> tuple[Info, PagedCall[VariableCollection, Variable]]:
        """Every variable, a page at a time."""
        v1, v2 = _both("variables.Variables.list", limit=limit, offset=offset)
        return neutral_paged(
            "variables.list",
            VariableCollection,
            lambda p: p.variables,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, key: str) -> tuple[Info, Call[Variable]]:
        """One variable."""
        v1, v2 = _both("variables.Variables.get", variable_key=key)
        return neutral("variables.get", Variable, v1=v1, v2=v2)

    @dynamic_operation
    def create(
        self, key: str, value: str, *, description: NotGivenOr[str | None] = NOT_GIVEN
    ) -> tuple[Info, Call[Variable]]:
        """Create a variable."""
        body = _given(key=key, value=value, description=description)
        v1, v2 = _both("variables.Variables.create", body=body)
        return neutral("variables.create", Variable, v1=v1, v2=v2, method="POST")

    @dynamic_operation
    def update(
        self,
        key: str,
        *,
        value: NotGivenOr[str] = NOT_GIVEN,
        description: NotGivenOr[str | None] = NOT_GIVEN,
    ) -> tuple[Info, Call[Variable]]:
        """Change a variable's value and/or description (only those given)."""
        body, mask = _update({"key": key}, value=value, description=description)
        body.setdefault("value", "")  # both versions require it; the mask leaves it out
        # Airflow 2 names the value "val" in its update mask (its model's attribute).
        v1_mask = ["val" if field == "value" else field for field in mask]
        v1 = Target(
            "v1.variables.Variables.patch",
            {"variable_key": key, "body": body, "update_mask": v1_mask},
        )
        v2 = Target(
            "v2.variables.Variables.patch", {"variable_key": key, "body": body, "update_mask": mask}
        )
        return neutral("variables.update", Variable, v1=v1, v2=v2, method="PATCH")

    @dynamic_operation
    def delete(self, key: str) -> tuple[Info, Call[None]]:
        """Delete a variable."""
        v1, v2 = _both("variables.Variables.delete", variable_key=key)
        return neutral("variables.delete", None, v1=v1, v2=v2, method="DELETE")


class Pools(Resource[M]):
    """Pools on either version: ``client.pools``."""

    resource_path = "pools"

    @dynamic_paged_operation
    def list(
        self, *, limit: NotGivenOr[int] = NOT_GIVEN, offset: NotGivenOr[int] = NOT_GIVEN
    ) -> tuple[Info, PagedCall[PoolCollection, Pool]]:
        """Every pool, a page at a time."""
        v1, v2 = _both("pools.Pools.list", limit=limit, offset=offset)
        return neutral_paged(
            "pools.list",
            PoolCollection,
            lambda p: p.pools,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, name: str) -> tuple[Info, Call[Pool]]:
        """One pool."""
        v1, v2 = _both("pools.Pools.get", pool_name=name)
        return neutral("pools.get", Pool, v1=v1, v2=v2)

    @dynamic_operation
    def create(
        self,
        name: str,
        slots: int,
        *,
        description: NotGivenOr[str | None] = NOT_GIVEN,
        include_deferred: NotGivenOr[bool] = NOT_GIVEN,
    ) -> tuple[Info, Call[Pool]]:
        """Create a pool of ``slots`` slots."""
        body = _given(
            name=name, slots=slots, description=description, include_deferred=include_deferred
        )
        v1, v2 = _both("pools.Pools.create", body=body)
        return neutral("pools.create", Pool, v1=v1, v2=v2, method="POST")

    @dynamic_operation
    def update(
        self,
        name: str,
        *,
        slots: NotGivenOr[int] = NOT_GIVEN,
        description: NotGivenOr[str | None] = NOT_GIVEN,
        include_deferred: NotGivenOr[bool] = NOT_GIVEN,
    ) -> tuple[Info, Call[Pool]]:
        """Change a pool (only the fields given)."""
        fields = {"slots": slots, "description": description, "include_deferred": include_deferred}
        v1_body, mask = _update({"name": name}, **fields)
        # Airflow 3 names the pool "pool" in its patch body and wants slots and
        # include_deferred there even when the mask leaves them out (then they are unused).
        v2_body, _ = _update({"pool": name, "slots": 0, "include_deferred": False}, **fields)
        key = {"pool_name": name, "update_mask": mask}
        return neutral(
            "pools.update",
            Pool,
            v1=Target("v1.pools.Pools.patch", {**key, "body": v1_body}),
            v2=Target("v2.pools.Pools.patch", {**key, "body": v2_body}),
            method="PATCH",
        )

    @dynamic_operation
    def delete(self, name: str) -> tuple[Info, Call[None]]:
        """Delete a pool."""
        v1, v2 = _both("pools.Pools.delete", pool_name=name)
        return neutral("pools.delete", None, v1=v1, v2=v2, method="DELETE")


class Connections(Resource[M]):
    """Connections on either version: ``client.connections``. A password is sent, never
    read back (the server does not return it)."""

    resource_path = "connections"

    @dynamic_paged_operation
    def list(
        self, *, limit: NotGivenOr[int] = NOT_GIVEN, offset: NotGivenOr[int] = NOT_GIVEN
    ) -> tuple[Info, PagedCall[ConnectionCollection, Connection]]:
        """Every connection, a page at a time."""
        v1, v2 = _both("connections.Connections.list", limit=limit, offset=offset)
        return neutral_paged(
            "connections.list",
            ConnectionCollection,
            lambda p: p.connections,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, connection_id: str) -> tuple[Info, Call[Connection]]:
        """One connection (without its password)."""
        v1, v2 = _both("connections.Connections.get", connection_id=connection_id)
        return neutral("connections.get", Connection, v1=v1, v2=v2)

    @dynamic_operation
    def create(
        self,
        connection_id: str,
        conn_type: str,
        *,
        host: NotGivenOr[str | None] = NOT_GIVEN,
        login: NotGivenOr[str | None] = NOT_GIVEN,
        password: NotGivenOr[str | None] = NOT_GIVEN,
        schema: NotGivenOr[str | None] = NOT_GIVEN,
        port: NotGivenOr[int | None] = NOT_GIVEN,
        extra: NotGivenOr[str | None] = NOT_GIVEN,
        description: NotGivenOr[str | None] = NOT_GIVEN,
    ) -> tuple[Info, Call[Connection]]:
        """Create a connection."""
        body = _given(
            connection_id=connection_id,
            conn_type=conn_type,
            host=host,
            login=login,
            password=password,
            schema=schema,
            port=port,
            extra=extra,
            description=description,
        )
        v1, v2 = _both("connections.Connections.create", body=body)
        return neutral("connections.create", Connection, v1=v1, v2=v2, method="POST")

    @dynamic_operation
    def update(
        self,
        connection_id: str,
        conn_type: str,
        *,
        host: NotGivenOr[str | None] = NOT_GIVEN,
        login: NotGivenOr[str | None] = NOT_GIVEN,
        password: NotGivenOr[str | None] = NOT_GIVEN,
        schema: NotGivenOr[str | None] = NOT_GIVEN,
        port: NotGivenOr[int | None] = NOT_GIVEN,
        extra: NotGivenOr[str | None] = NOT_GIVEN,
        description: NotGivenOr[str | None] = NOT_GIVEN,
    ) -> tuple[Info, Call[Connection]]:
        """Change a connection (only the fields given; both versions want its type)."""
        body, mask = _update(
            {"connection_id": connection_id, "conn_type": conn_type},
            host=host,
            login=login,
            password=password,
            schema=schema,
            port=port,
            extra=extra,
            description=description,
        )
        v1, v2 = _both(
            "connections.Connections.patch",
            connection_id=connection_id,
            body=body,
            update_mask=mask,
        )
        return neutral("connections.update", Connection, v1=v1, v2=v2, method="PATCH")

    @dynamic_operation
    def delete(self, connection_id: str) -> tuple[Info, Call[None]]:
        """Delete a connection."""
        v1, v2 = _both("connections.Connections.delete", connection_id=connection_id)
        return neutral("connections.delete", None, v1=v1, v2=v2, method="DELETE")


class XComs(Resource[M]):
    """XCom entries on either version: ``client.xcoms``."""

    resource_path = "xcoms"

    @dynamic_paged_operation
    def list(
        self,
        dag_id: str,
        dag_run_id: str,
        task_id: str,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        offset: NotGivenOr[int] = NOT_GIVEN,
    ) -> tuple[Info, PagedCall[XComCollection, XCom]]:
        """The XCom entries of a task instance (``"~"`` for any), a page at a time."""
        v1, v2 = _both(
            "xcom_entries.XcomEntries.list",
            dag_id=dag_id,
            dag_run_id=dag_run_id,
            task_id=task_id,
            limit=limit,
            offset=offset,
        )
        return neutral_paged(
            "xcoms.list",
            XComCollection,
            lambda p: p.xcom_entries,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, dag_id: str, dag_run_id: str, task_id: str, key: str) -> tuple[Info, Call[XCom]]:
        """One XCom entry, its value deserialized by the server."""
        v1, v2 = _both(
            "xcom_entries.XcomEntries.get",
            dag_id=dag_id,
            dag_run_id=dag_run_id,
            task_id=task_id,
            xcom_key=key,
            deserialize=True,
        )
        return neutral("xcoms.get", XCom, v1=v1, v2=v2)


class EventLogs(Resource[M]):
    """The audit log on either version: ``client.event_logs``."""

    resource_path = "event_logs"

    @dynamic_paged_operation
    def list(
        self,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        offset: NotGivenOr[int] = NOT_GIVEN,
        dag_id: NotGivenOr[str] = NOT_GIVEN,
        event: NotGivenOr[str] = NOT_GIVEN,
    ) -> tuple[Info, PagedCall[EventLogCollection, EventLog]]:
        """Event log entries, a page at a time."""
        v1, v2 = _both(
            "event_logs.EventLogs.list", limit=limit, offset=offset, dag_id=dag_id, event=event
        )
        return neutral_paged(
            "event_logs.list",
            EventLogCollection,
            lambda p: p.event_logs,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, event_log_id: int) -> tuple[Info, Call[EventLog]]:
        """One entry."""
        v1, v2 = _both("event_logs.EventLogs.get", event_log_id=event_log_id)
        return neutral("event_logs.get", EventLog, v1=v1, v2=v2)


class ImportErrors(Resource[M]):
    """DAG files that failed to import, on either version: ``client.import_errors``."""

    resource_path = "import_errors"

    @dynamic_paged_operation
    def list(
        self, *, limit: NotGivenOr[int] = NOT_GIVEN, offset: NotGivenOr[int] = NOT_GIVEN
    ) -> tuple[Info, PagedCall[ImportErrorCollection, ImportErrorEntry]]:
        """Every import error, a page at a time."""
        v1, v2 = _both("import_errors.ImportErrors.list", limit=limit, offset=offset)
        return neutral_paged(
            "import_errors.list",
            ImportErrorCollection,
            lambda p: p.import_errors,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_operation
    def get(self, import_error_id: int) -> tuple[Info, Call[ImportErrorEntry]]:
        """One import error."""
        v1, v2 = _both("import_errors.ImportErrors.get", import_error_id=import_error_id)
        return neutral("import_errors.get", ImportErrorEntry, v1=v1, v2=v2)


class Assets(Resource[M]):
    """Datasets (Airflow 2) and assets (Airflow 3): ``client.assets``."""

    resource_path = "assets"

    @dynamic_paged_operation
    def list(
        self,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        offset: NotGivenOr[int] = NOT_GIVEN,
        uri_pattern: NotGivenOr[str] = NOT_GIVEN,
    ) -> tuple[Info, PagedCall[AssetCollection, Asset]]:
        """Every dataset or asset, a page at a time."""
        args = {"limit": limit, "offset": offset, "uri_pattern": uri_pattern}
        return neutral_paged(
            "assets.list",
            AssetCollection,
            lambda p: p.items,
            limit=limit,
            offset=offset,
            v1=Target("v1.datasets.Datasets.list", args),
            v2=Target("v2.assets.Assets.list", args),
        )


class Backfills(Resource[M]):
    """Backfills (Airflow 3 only): ``client.backfills``; on Airflow 2 each call raises
    :class:`~airflow_like.AirflowVersionError`."""

    resource_path = "backfills"

    @dynamic_paged_operation
    def list(
        self,
        dag_id: str,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        offset: NotGivenOr[int] = NOT_GIVEN,
    ) -> tuple[Info, PagedCall[BackfillCollection, Backfill]]:
        """The backfills of a DAG, a page at a time."""
        return neutral_paged(
            "backfills.list",
            BackfillCollection,
            lambda p: p.backfills,
            limit=limit,
            offset=offset,
            v1=None,
            v2=Target(
                "v2.backfills.Backfills.list", {"dag_id": dag_id, "limit": limit, "offset": offset}
            ),
        )

    @dynamic_operation
    def create(
        self,
        dag_id: str,
        from_date: datetime,
        to_date: datetime,
        *,
        max_active_runs: NotGivenOr[int] = NOT_GIVEN,
        dag_run_conf: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> tuple[Info, Call[Backfill]]:
        """Start a backfill of ``dag_id`` between two dates."""
        body = _given(
            dag_id=dag_id,
            from_date=from_date,
            to_date=to_date,
            max_active_runs=max_active_runs,
            dag_run_conf=dag_run_conf,
        )
        return neutral(
            "backfills.create",
            Backfill,
            v1=None,
            v2=Target("v2.backfills.Backfills.create", {"body": body}),
            method="POST",
        )

    @dynamic_operation
    def get(self, backfill_id: int) -> tuple[Info, Call[Backfill]]:
        """One backfill."""
        target = Target("v2.backfills.Backfills.get", {"backfill_id": backfill_id})
        return neutral("backfills.get", Backfill, v1=None, v2=target)


class Server(Resource[M]):
    """The server itself on either version: ``client.server`` (health, version,
    configuration, plugins, providers)."""

    resource_path = "server"

    @dynamic_operation
    def health(self) -> tuple[Info, Call[Health]]:
        """Each component's health (answered without credentials)."""
        return neutral(
            "server.health",
            Health,
            v1=Target("v1.monitoring.Monitoring.get_health"),
            v2=Target("v2.monitor.Monitor.get_health"),
        )

    @dynamic_operation
    def version(self) -> tuple[Info, Call[Version]]:
        """The Airflow version the server runs."""
        return neutral(
            "server.version",
            Version,
            v1=Target("v1.monitoring.Monitoring.get_version"),
            v2=Target("v2.version.Version.get"),
        )

    @dynamic_operation
    def config(self, *, section: NotGivenOr[str] = NOT_GIVEN) -> tuple[Info, Call[Config]]:
        """The configuration (a 403 unless the server exposes it)."""
        v1, v2 = _both("config.ConfigResource.get", section=section)
        return neutral("server.config", Config, v1=v1, v2=v2)

    @dynamic_paged_operation
    def plugins(
        self, *, limit: NotGivenOr[int] = NOT_GIVEN, offset: NotGivenOr[int] = NOT_GIVEN
    ) -> tuple[Info, PagedCall[PluginCollection, Plugin]]:
        """The installed plugins, a page at a time."""
        v1, v2 = _both("plugins.Plugins.list", limit=limit, offset=offset)
        return neutral_paged(
            "server.plugins",
            PluginCollection,
            lambda p: p.plugins,
            limit=limit,
            offset=offset,
            v1=v1,
            v2=v2,
        )

    @dynamic_paged_operation
    def providers(
        self, *, limit: NotGivenOr[int] = NOT_GIVEN, offset: NotGivenOr[int] = NOT_GIVEN
    ) -> tuple[Info, PagedCall[ProviderCollection, Provider]]:
        """The installed provider packages (v1 answers them in one page)."""
        return neutral_paged(
            "server.providers",
            ProviderCollection,
            lambda p: p.providers,
            limit=limit,
            offset=offset,
            v1=Target("v1.providers.Providers.list"),
            v2=Target("v2.providers.Providers.list", {"limit": limit, "offset": offset}),
        )
