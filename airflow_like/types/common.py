"""Models of the version-neutral surface (``client.dags``, ``client.dag_runs``, ...): the
fields API v1 (Airflow 2) and API v2 (Airflow 3) share, under one name.

Every field is optional and every unknown field is kept (``model_extra``), so what only
one version sends (v2's ``run_after``, v1's ``execution_date``) is still there; the
version-specific models are in :mod:`airflow_like.types.v1` and
:mod:`airflow_like.types.v2`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from commonrest._models import Model

__all__ = [
    "Asset",
    "AssetCollection",
    "Backfill",
    "BackfillCollection",
    "Config",
    "Connection",
    "ConnectionCollection",
    "Dag",
    "DagCollection",
    "DagRun",
    "DagRunCollection",
    "DagTag",
    "EventLog",
    "EventLogCollection",
    "Health",
    "ImportErrorCollection",
    "ImportErrorEntry",
    "LogRecord",
    "Plugin",
    "PluginCollection",
    "Pool",
    "PoolCollection",
    "Provider",
    "ProviderCollection",
    "TaskInstance",
    "TaskInstanceCollection",
    "TaskLog",
    "Variable",
    "VariableCollection",
    "Version",
    "XCom",
    "XComCollection",
]

#: The states in which a DAG run is over.
FINISHED_RUN_STATES = frozenset({"success", "failed"})


class DagTag(Model):
    name: str | None = None


class Dag(Model):
    dag_id: str | None = None
    dag_display_name: str | None = None
    is_paused: bool | None = None
    description: str | None = None
    fileloc: str | None = None
    owners: list[str] | None = None
    tags: list[DagTag] | None = None
    max_active_runs: int | None = None
    max_active_tasks: int | None = None
    has_import_errors: bool | None = None
    next_dagrun_create_after: datetime | None = None
    timetable_description: str | None = None


class DagCollection(Model):
    dags: list[Dag] | None = None
    total_entries: int | None = None


class DagRun(Model):
    dag_id: str | None = None
    dag_run_id: str | None = None
    state: str | None = None
    run_type: str | None = None
    logical_date: datetime | None = None
    queued_at: datetime | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    data_interval_start: datetime | None = None
    data_interval_end: datetime | None = None
    conf: dict[str, Any] | None = None
    note: str | None = None

    @property
    def finished(self) -> bool:
        """True once the run is in a final state (``success`` or ``failed``)."""
        return self.state in FINISHED_RUN_STATES


class DagRunCollection(Model):
    dag_runs: list[DagRun] | None = None
    total_entries: int | None = None


class TaskInstance(Model):
    dag_id: str | None = None
    dag_run_id: str | None = None
    task_id: str | None = None
    map_index: int | None = None
    state: str | None = None
    try_number: int | None = None
    max_tries: int | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    duration: float | None = None
    hostname: str | None = None
    operator: str | None = None
    pool: str | None = None
    queue: str | None = None
    note: str | None = None


class TaskInstanceCollection(Model):
    task_instances: list[TaskInstance] | None = None
    total_entries: int | None = None


class Variable(Model):
    key: str | None = None
    value: str | None = None
    description: str | None = None


class VariableCollection(Model):
    variables: list[Variable] | None = None
    total_entries: int | None = None


class Connection(Model):
    connection_id: str | None = None
    conn_type: str | None = None
    description: str | None = None
    host: str | None = None
    login: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    port: int | None = None
    extra: str | None = None


class ConnectionCollection(Model):
    connections: list[Connection] | None = None
    total_entries: int | None = None


class Pool(Model):
    name: str | None = None
    slots: int | None = None
    description: str | None = None
    include_deferred: bool | None = None
    occupied_slots: int | None = None
    running_slots: int | None = None
    queued_slots: int | None = None
    open_slots: int | None = None
    scheduled_slots: int | None = None
    deferred_slots: int | None = None


class PoolCollection(Model):
    pools: list[Pool] | None = None
    total_entries: int | None = None


class XCom(Model):
    key: str | None = None
    dag_id: str | None = None
    task_id: str | None = None
    map_index: int | None = None
    timestamp: datetime | None = None
    value: Any = None


class XComCollection(Model):
    xcom_entries: list[XCom] | None = None
    total_entries: int | None = None


class EventLog(Model):
    event_log_id: int | None = None
    when: datetime | None = None
    dag_id: str | None = None
    task_id: str | None = None
    run_id: str | None = None
    map_index: int | None = None
    try_number: int | None = None
    event: str | None = None
    owner: str | None = None
    extra: str | None = None


class EventLogCollection(Model):
    event_logs: list[EventLog] | None = None
    total_entries: int | None = None


class ImportErrorEntry(Model):
    import_error_id: int | None = None
    timestamp: datetime | None = None
    filename: str | None = None
    stack_trace: str | None = None


class ImportErrorCollection(Model):
    import_errors: list[ImportErrorEntry] | None = None
    total_entries: int | None = None


class Asset(Model):
    """A dataset (Airflow 2) or asset (Airflow 3)."""

    id: int | None = None
    uri: str | None = None
    name: str | None = None
    extra: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class AssetCollection(Model):
    """A page of datasets (``datasets``, Airflow 2) or assets (``assets``, Airflow 3)."""

    datasets: list[Asset] | None = None
    assets: list[Asset] | None = None
    total_entries: int | None = None

    @property
    def items(self) -> list[Asset]:
        return self.assets if self.assets is not None else self.datasets or []


class Backfill(Model):
    id: int | None = None
    dag_id: str | None = None
    from_date: datetime | None = None
    to_date: datetime | None = None
    is_paused: bool | None = None
    max_active_runs: int | None = None
    created_at: datetime | None = None
    completed_at: datetime | None = None


class BackfillCollection(Model):
    backfills: list[Backfill] | None = None
    total_entries: int | None = None


class Plugin(Model):
    name: str | None = None
    source: str | None = None


class PluginCollection(Model):
    plugins: list[Plugin] | None = None
    total_entries: int | None = None


class Provider(Model):
    package_name: str | None = None
    description: str | None = None
    version: str | None = None


class ProviderCollection(Model):
    providers: list[Provider] | None = None
    total_entries: int | None = None


class Config(Model):
    """The server's configuration (``sections``, each with ``name`` and ``options``), when
    the server exposes it."""

    sections: list[dict[str, Any]] | None = None


class Health(Model):
    """Each component's ``{"status": ..., ...}`` (``metadatabase``, ``scheduler``, ...)."""

    metadatabase: dict[str, Any] | None = None
    scheduler: dict[str, Any] | None = None
    triggerer: dict[str, Any] | None = None
    dag_processor: dict[str, Any] | None = None

    @property
    def healthy(self) -> bool:
        """True when the metadatabase and the scheduler say ``healthy``."""
        return all(
            (part or {}).get("status") == "healthy" for part in (self.metadatabase, self.scheduler)
        )


class Version(Model):
    version: str | None = None
    git_version: str | None = None


class LogRecord(Model):
    """One structured line of an Airflow 3 task log (other keys are kept as extras)."""

    timestamp: datetime | None = None
    event: str | None = None
    level: str | None = None
    logger: str | None = None


class TaskLog(Model):
    """A task try's log: its ``text`` (both versions), the structured ``records`` on
    Airflow 3 (empty on Airflow 2), and the ``hosts`` the text came from on Airflow 2.
    ``truncated`` is true when the server still offered more after the SDK's page limit
    (100 pages), so the text is the log's beginning only."""

    text: str = ""
    records: list[LogRecord] = Field(default_factory=list)
    hosts: list[str] = Field(default_factory=list)
    truncated: bool = False
