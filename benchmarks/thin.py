"""A thin hand-written client, the yardstick of the benchmarks: httpx plus small pydantic
models with the same fields as the specs' DAG and payment result, and nothing else (no
retries, no deadline, no redaction, no request validation)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import httpx
from pydantic import BaseModel, Field


class TimeDelta(BaseModel):
    type: Literal["TimeDelta"] = Field(alias="__type")
    days: int
    seconds: int
    microseconds: int


class RelativeDelta(BaseModel):
    type: Literal["RelativeDelta"] = Field(alias="__type")
    years: int
    months: int
    days: int
    leapdays: int
    hours: int
    minutes: int
    seconds: int
    microseconds: int
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    microsecond: int


class CronExpression(BaseModel):
    type: Literal["CronExpression"] = Field(alias="__type")
    value: str


class Tag(BaseModel):
    name: str | None = None


class DagV1(BaseModel):
    dag_id: str | None = None
    dag_display_name: str | None = None
    root_dag_id: str | None = None
    is_paused: bool | None = None
    is_active: bool | None = None
    is_subdag: bool | None = None
    last_parsed_time: datetime | None = None
    last_pickled: datetime | None = None
    last_expired: datetime | None = None
    scheduler_lock: bool | None = None
    pickle_id: str | None = None
    default_view: str | None = None
    fileloc: str | None = None
    file_token: str | None = None
    owners: list[str] | None = None
    description: str | None = None
    schedule_interval: Annotated[
        TimeDelta | RelativeDelta | CronExpression | None, Field(discriminator="type")
    ] = None
    timetable_description: str | None = None
    tags: list[Tag] | None = None
    max_active_tasks: int | None = None
    max_active_runs: int | None = None
    has_task_concurrency_limits: bool | None = None
    has_import_errors: bool | None = None
    next_dagrun: datetime | None = None
    next_dagrun_data_interval_start: datetime | None = None
    next_dagrun_data_interval_end: datetime | None = None
    next_dagrun_create_after: datetime | None = None
    max_consecutive_failed_dag_runs: int | None = None


class DagsV1(BaseModel):
    dags: list[DagV1] | None = None
    total_entries: int | None = None


class DagTag(BaseModel):
    name: str
    dag_id: str
    dag_display_name: str


class DagV2(BaseModel):
    dag_id: str
    dag_display_name: str
    is_paused: bool
    is_stale: bool
    last_parsed_time: datetime | None
    last_parse_duration: float | None
    last_expired: datetime | None
    bundle_name: str | None
    bundle_version: str | None
    relative_fileloc: str | None
    fileloc: str
    description: str | None
    timetable_summary: str | None
    timetable_description: str | None
    timetable_partitioned: bool
    timetable_periodic: bool
    tags: list[DagTag]
    max_active_tasks: int
    max_active_runs: int | None
    max_consecutive_failed_dag_runs: int
    has_task_concurrency_limits: bool
    has_import_errors: bool
    next_dagrun_logical_date: datetime | None
    next_dagrun_data_interval_start: datetime | None
    next_dagrun_data_interval_end: datetime | None
    next_dagrun_run_after: datetime | None
    allowed_run_types: list[str] | None
    owners: list[str]
    is_backfillable: bool
    file_token: str


class DagsV2(BaseModel):
    dags: list[DagV2]
    total_entries: int


class PaymentResult(BaseModel):
    psp_reference: str | None = Field(default=None, alias="pspReference")
    result_code: str | None = Field(default=None, alias="resultCode")
    auth_code: str | None = Field(default=None, alias="authCode")
    merchant_reference: str | None = Field(default=None, alias="merchantReference")
    refusal_reason: str | None = Field(default=None, alias="refusalReason")
    additional_data: dict[str, str] | None = Field(default=None, alias="additionalData")


class ThinError(Exception):
    """A non-2xx answer, with its parsed body."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body


def _check(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise ThinError(response.status_code, response.json())


class ThinAirflow:
    """Airflow v1 and v2 DAG lists and one DAG, with basic auth or a token."""

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._http = httpx.Client(base_url=base_url, auth=auth, headers=headers, timeout=30)

    def list_dags_v1(self, limit: int = 100) -> DagsV1:
        response = self._http.get("/api/v1/dags", params={"limit": limit, "offset": 0})
        _check(response)
        return DagsV1.model_validate_json(response.content)

    def list_dags_v2(self, limit: int = 100) -> DagsV2:
        response = self._http.get("/api/v2/dags", params={"limit": limit, "offset": 0})
        _check(response)
        return DagsV2.model_validate_json(response.content)

    def get_dag_v1(self, dag_id: str) -> DagV1:
        response = self._http.get(f"/api/v1/dags/{dag_id}")
        _check(response)
        return DagV1.model_validate_json(response.content)

    def close(self) -> None:
        self._http.close()


class ThinAdyen:
    """Adyen's card authorisation."""

    def __init__(self, base_url: str, api_key: str) -> None:
        self._http = httpx.Client(base_url=base_url, headers={"X-API-Key": api_key}, timeout=30)

    def authorise(self, request: dict[str, Any]) -> PaymentResult:
        response = self._http.post("/pal/servlet/Payment/v68/authorise", json=request)
        _check(response)
        return PaymentResult.model_validate_json(response.content)

    def close(self) -> None:
        self._http.close()
