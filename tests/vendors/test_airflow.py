"""Airflow: one representative operation of every resource of API v1, API v2 and the simple
auth manager, sync and async, against respx.

Response bodies are the spec's examples where it has them, otherwise the smallest body its
schema accepts; every parsed model must serialise back to exactly that body.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from airflow_like import AirflowClient, AsyncAirflowClient
from airflow_like.types.v2 import DagWarningType, TagsMatchMode

from .helpers import Case, run_async, run_sync, spec_body, spec_example

HOST = "http://airflow.test"
A1 = f"{HOST}/api/v1"
A2 = f"{HOST}/api/v2"
V1 = "airflow/airflow-2.10.5-v1.yaml"
V2 = "airflow/airflow-core-3.3.2-v2-rest-api-generated.yaml"
AUTH = "airflow/airflow-core-3.3.2-v2-simple-auth-manager-generated.yaml"
BASIC = {"authorization": "Basic YWRtaW46c2VjcmV0"}  # admin:secret
BEARER = {"authorization": "Bearer jwt-token"}
TI = "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"


def body(file: str, method: str, path: str, status: str = "200") -> Any:
    return spec_body(file, method, path, status)


V1_CASES = [
    Case(
        "v1.connections.get (path encoding)",
        lambda c: c.v1.connections.get("my conn/1"),
        "GET",
        f"{A1}/connections/my%20conn%2F1",
        headers=BASIC,
        response=body(V1, "GET", "/connections/{connection_id}"),
    ),
    Case(
        "v1.dags.list (paged, arrays repeat the key)",
        lambda c: c.v1.dags.list(limit=2, tags=["a", "b"], only_active=True),
        "GET",
        f"{A1}/dags?limit=2&offset=0&tags=a&tags=b&only_active=true",
        headers=BASIC,
        response={"dags": [{"dag_id": "etl"}], "total_entries": 1},
        check=lambda page: [d.dag_id for d in page.items] == ["etl"],
    ),
    Case(
        "v1.task_instances.get_log",
        lambda c: c.v1.task_instances.get_log("etl", "run 1", "load", 2, full_content=True),
        "GET",
        f"{A1}/dags/etl/dagRuns/run%201/taskInstances/load/logs/2?full_content=true",
        headers=BASIC,
        response={"continuation_token": "t", "content": "line"},
        check=lambda r: r.content == "line",
    ),
    Case(
        "v1.dag_runs.create",
        lambda c: c.v1.dag_runs.create("etl", {"dag_run_id": "r1", "conf": {"full": True}}),
        "POST",
        f"{A1}/dags/etl/dagRuns",
        json={"dag_run_id": "r1", "conf": {"full": True}},
        headers=BASIC,
        response={"dag_run_id": "r1", "dag_id": "etl", "state": "queued", "conf": {"full": True}},
        check=lambda r: r.dag_run_id == "r1" and r.state == "queued",
    ),
    Case(
        "v1.datasets.get (uri in the path)",
        lambda c: c.v1.datasets.get("s3://bucket/key"),
        "GET",
        f"{A1}/datasets/s3:%2F%2Fbucket%2Fkey",
        headers=BASIC,
        response={"id": 1, "uri": "s3://bucket/key"},
        check=lambda r: r.uri == "s3://bucket/key",
    ),
    Case(
        "v1.event_logs.get",
        lambda c: c.v1.event_logs.get(42),
        "GET",
        f"{A1}/eventLogs/42",
        headers=BASIC,
        response={"event_log_id": 42, "event": "trigger", "when": "2024-01-02T03:04:05Z"},
        check=lambda r: r.event_log_id == 42 and r.when.year == 2024,
    ),
    Case(
        "v1.import_errors.get",
        lambda c: c.v1.import_errors.get(7),
        "GET",
        f"{A1}/importErrors/7",
        headers=BASIC,
        response={"import_error_id": 7, "filename": "dags/bad.py"},
        check=lambda r: r.filename == "dags/bad.py",
    ),
    Case(
        "v1.pools.patch (update mask)",
        lambda c: c.v1.pools.patch(
            "default_pool", {"name": "default_pool", "slots": 10}, update_mask=["slots"]
        ),
        "PATCH",
        f"{A1}/pools/default_pool?update_mask=slots",
        json={"name": "default_pool", "slots": 10},
        headers=BASIC,
        response={"name": "default_pool", "slots": 10, "occupied_slots": 0},
        check=lambda r: r.slots == 10,
    ),
    Case(
        "v1.providers.list",
        lambda c: c.v1.providers.list(),
        "GET",
        f"{A1}/providers",
        headers=BASIC,
        response={
            "providers": [{"package_name": "apache-airflow-providers-http", "version": "4.0"}],
            "total_entries": 1,
        },
        check=lambda r: r.providers[0].package_name == "apache-airflow-providers-http",
    ),
    Case(
        "v1.variables.create",
        lambda c: c.v1.variables.create({"key": "env", "value": "prod"}),
        "POST",
        f"{A1}/variables",
        json={"key": "env", "value": "prod"},
        headers=BASIC,
        response={"key": "env", "value": "prod"},
        check=lambda r: r.value == "prod",
    ),
    Case(
        "v1.xcom_entries.get",
        lambda c: c.v1.xcom_entries.get("etl", "r1", "load", "return_value", map_index=0),
        "GET",
        f"{A1}/dags/etl/dagRuns/r1/taskInstances/load/xcomEntries/return_value?map_index=0",
        headers=BASIC,
        response={"key": "return_value", "value": "42", "map_index": 0},
        check=lambda r: r.value == "42",
    ),
    Case(
        "v1.dag_stats.list",
        lambda c: c.v1.dag_stats.list(dag_ids="a,b"),
        "GET",
        f"{A1}/dagStats?dag_ids=a%2Cb",
        headers=BASIC,
        response={
            "dags": [{"dag_id": "a", "stats": [{"state": "success", "count": 3}]}],
            "total_entries": 1,
        },
        check=lambda r: r.dags[0].stats[0].count == 3,
    ),
    Case(
        "v1.dag_warnings.list (paged, default page size)",
        lambda c: c.v1.dag_warnings.list(dag_id="etl"),
        "GET",
        f"{A1}/dagWarnings?dag_id=etl&limit=100&offset=0",
        headers=BASIC,
        response={"dag_warnings": [], "total_entries": 0},
        check=lambda page: page.items == [] and page.position is None,
    ),
    Case(
        "v1.config.get_value",
        lambda c: c.v1.config.get_value("core", "dags_folder"),
        "GET",
        f"{A1}/config/section/core/option/dags_folder",
        headers=BASIC,
        response=spec_example(V1, "GET", "/config/section/{section}/option/{option}"),
    ),
    Case(
        "v1.monitoring.get_health",
        lambda c: c.v1.monitoring.get_health(),
        "GET",
        f"{A1}/health",
        headers=BASIC,
        response={"metadatabase": {"status": "healthy"}, "scheduler": {"status": "healthy"}},
        check=lambda r: r.metadatabase.status == "healthy",
    ),
    Case(
        "v1.plugins.list (paged)",
        lambda c: c.v1.plugins.list(limit=10),
        "GET",
        f"{A1}/plugins?limit=10&offset=0",
        headers=BASIC,
        response={"plugins": [{"name": "p"}], "total_entries": 1},
        check=lambda page: page.items[0].name == "p",
    ),
    Case(
        "v1.roles.get (deprecated)",
        lambda c: c.v1.roles.get("Admin"),
        "GET",
        f"{A1}/roles/Admin",
        headers=BASIC,
        response={"name": "Admin", "actions": []},
        check=lambda r: r.name == "Admin",
    ),
    Case(
        "v1.permissions.list (deprecated, paged)",
        lambda c: c.v1.permissions.list(limit=5),
        "GET",
        f"{A1}/permissions?limit=5&offset=0",
        headers=BASIC,
        response={"actions": [{"name": "can_read"}], "total_entries": 1},
        check=lambda page: page.items[0].name == "can_read",
    ),
    Case(
        "v1.users.delete (deprecated, no content)",
        lambda c: c.v1.users.delete("bob"),
        "DELETE",
        f"{A1}/users/bob",
        headers=BASIC,
        status=204,
        check=lambda r: r is None,
    ),
]

V2_CASES = [
    Case(
        "v2.assets.get",
        lambda c: c.v2.assets.get(5),
        "GET",
        f"{A2}/assets/5",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/assets/{asset_id}"),
    ),
    Case(
        "v2.backfills.pause",
        lambda c: c.v2.backfills.pause(3),
        "PUT",
        f"{A2}/backfills/3/pause",
        headers=BEARER,
        response=body(V2, "PUT", "/api/v2/backfills/{backfill_id}/pause"),
    ),
    Case(
        "v2.connections.patch (update mask)",
        lambda c: c.v2.connections.patch(
            "c1", {"connection_id": "c1", "conn_type": "http"}, update_mask=["conn_type"]
        ),
        "PATCH",
        f"{A2}/connections/c1?update_mask=conn_type",
        json={"connection_id": "c1", "conn_type": "http"},
        headers=BEARER,
        response=body(V2, "PATCH", "/api/v2/connections/{connection_id}"),
    ),
    Case(
        "v2.dag_runs.trigger (null sent as null)",
        lambda c: c.v2.dag_runs.trigger("etl", {"logical_date": None, "conf": {"full": True}}),
        "POST",
        f"{A2}/dags/etl/dagRuns",
        json={"logical_date": None, "conf": {"full": True}},
        headers=BEARER,
        response=body(V2, "POST", "/api/v2/dags/{dag_id}/dagRuns"),
    ),
    Case(
        "v2.dag_sources.get",
        lambda c: c.v2.dag_sources.get("etl", version_number=2),
        "GET",
        f"{A2}/dagSources/etl?version_number=2",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/dagSources/{dag_id}"),
    ),
    Case(
        "v2.dag_stats.list (array query)",
        lambda c: c.v2.dag_stats.list(dag_ids=["a", "b"]),
        "GET",
        f"{A2}/dagStats?dag_ids=a&dag_ids=b",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/dagStats"),
    ),
    Case(
        "v2.config.get",
        lambda c: c.v2.config.get(section="core"),
        "GET",
        f"{A2}/config?section=core",
        headers=BEARER,
        response={
            "sections": [{"name": "core", "options": [{"key": "dags_folder", "value": "/d"}]}]
        },
        check=lambda r: r.sections[0].options[0].value == "/d",
    ),
    Case(
        "v2.dag_warnings.list (enum query value)",
        lambda c: c.v2.dag_warnings.list(warning_type=DagWarningType.NON_EXISTENT_POOL, limit=5),
        "GET",
        f"{A2}/dagWarnings?warning_type=non-existent+pool&limit=5&offset=0",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/dagWarnings"),
    ),
    Case(
        "v2.dags.list (paged)",
        lambda c: c.v2.dags.list(limit=1, tags=["x"], tags_match_mode=TagsMatchMode.ALL),
        "GET",
        f"{A2}/dags?limit=1&offset=0&tags=x&tags_match_mode=all",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/dags"),
        check=lambda page: len(page.items) == 1,
    ),
    Case(
        "v2.event_logs.get",
        lambda c: c.v2.event_logs.get(1),
        "GET",
        f"{A2}/eventLogs/1",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/eventLogs/{event_log_id}"),
    ),
    Case(
        "v2.extra_links.list",
        lambda c: c.v2.extra_links.list("etl", "r1", "load", map_index=-1),
        "GET",
        f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/links?map_index=-1",
        headers=BEARER,
        response=body(V2, "GET", f"/api/v2{TI}/links"),
    ),
    Case(
        "v2.import_errors.get",
        lambda c: c.v2.import_errors.get(9),
        "GET",
        f"{A2}/importErrors/9",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/importErrors/{import_error_id}"),
    ),
    Case(
        "v2.jobs.list (paged)",
        lambda c: c.v2.jobs.list(is_alive=True, limit=3),
        "GET",
        f"{A2}/jobs?is_alive=true&limit=3&offset=0",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/jobs"),
    ),
    Case(
        "v2.plugins.list_import_errors",
        lambda c: c.v2.plugins.list_import_errors(),
        "GET",
        f"{A2}/plugins/importErrors",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/plugins/importErrors"),
    ),
    Case(
        "v2.pools.get",
        lambda c: c.v2.pools.get("default_pool"),
        "GET",
        f"{A2}/pools/default_pool",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/pools/{pool_name}"),
    ),
    Case(
        "v2.providers.list (paged)",
        lambda c: c.v2.providers.list(),
        "GET",
        f"{A2}/providers?limit=100&offset=0",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/providers"),
    ),
    Case(
        "v2.asset_state_store.set",
        lambda c: c.v2.asset_state_store.set(5, "cursor", {"value": {"offset": 10}}),
        "PUT",
        f"{A2}/assets/5/state-store/cursor",
        json={"value": {"offset": 10}},
        headers=BEARER,
        status=204,
        check=lambda r: r is None,
    ),
    Case(
        "v2.task_state_store.get",
        lambda c: c.v2.task_state_store.get("etl", "r1", "load", "k", map_index=-1),
        "GET",
        f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/state-store/k?map_index=-1",
        headers=BEARER,
        response=body(V2, "GET", f"/api/v2{TI}/state-store/{{key}}"),
    ),
    Case(
        "v2.xcom_entries.create",
        lambda c: c.v2.xcom_entries.create("etl", "r1", "load", {"key": "k", "value": [1, 2]}),
        "POST",
        f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/xcomEntries",
        json={"key": "k", "value": [1, 2]},
        headers=BEARER,
        response=body(V2, "POST", f"/api/v2{TI}/xcomEntries", "201"),
    ),
    Case(
        "v2.task_instances.get_log",
        lambda c: c.v2.task_instances.get_log("etl", "r1", "load", 1, full_content=True),
        "GET",
        f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/logs/1?full_content=true",
        headers=BEARER,
        response=body(V2, "GET", f"/api/v2{TI}/logs/{{try_number}}"),
    ),
    Case(
        "v2.tasks.get",
        lambda c: c.v2.tasks.get("etl", "load"),
        "GET",
        f"{A2}/dags/etl/tasks/load",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/dags/{dag_id}/tasks/{task_id}"),
    ),
    Case(
        "v2.variables.list (paged)",
        lambda c: c.v2.variables.list(variable_key_pattern="env%"),
        "GET",
        f"{A2}/variables?limit=100&offset=0&variable_key_pattern=env%25",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/variables"),
    ),
    Case(
        "v2.dag_parsing.reparse_file",
        lambda c: c.v2.dag_parsing.reparse_file("file-token"),
        "PUT",
        f"{A2}/parseDagFile/file-token",
        headers=BEARER,
        status=201,
        response=body(V2, "PUT", "/api/v2/parseDagFile/{file_token}", "201"),
        roundtrip=False,
    ),
    Case(
        "v2.dag_versions.get",
        lambda c: c.v2.dag_versions.get("etl", 3),
        "GET",
        f"{A2}/dags/etl/dagVersions/3",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/dags/{dag_id}/dagVersions/{version_number}"),
    ),
    Case(
        "v2.monitor.get_health",
        lambda c: c.v2.monitor.get_health(),
        "GET",
        f"{A2}/monitor/health",
        headers=BEARER,
        response=body(V2, "GET", "/api/v2/monitor/health"),
    ),
    Case(
        "v2.version.get",
        lambda c: c.v2.version.get(),
        "GET",
        f"{A2}/version",
        headers=BEARER,
        response={"version": "3.3.2", "git_version": None},
        check=lambda r: r.version == "3.3.2",
    ),
    Case(
        "v2.login.login",
        lambda c: c.v2.login.login(next_="/home"),
        "GET",
        f"{A2}/auth/login?next=%2Fhome",
        headers=BEARER,
        response=None,
        check=lambda r: r is None,
    ),
    Case(
        "auth.create_token (no credentials sent)",
        lambda c: c.auth.create_token({"username": "admin", "password": "secret"}),
        "POST",
        f"{HOST}/auth/token",
        json={"username": "admin", "password": "secret"},
        headers={"authorization": None},  # type: ignore[dict-item]
        status=201,
        response={"access_token": "jwt"},
        check=lambda r: r.access_token == "jwt",
    ),
]

DEPRECATED = {c.id for c in V1_CASES if "deprecated" in c.id}


def v1_client() -> AirflowClient:
    return AirflowClient(base_url=HOST, username="admin", password="secret", api_version=1)


def v2_client() -> AirflowClient:
    return AirflowClient(base_url=HOST, token="jwt-token")


def test_every_resource_has_a_case() -> None:
    from airflow_like._generated.catalog import RESOURCES

    covered = {c.id.split(" ")[0].rsplit(".", 1)[0] for c in V1_CASES + V2_CASES}
    assert covered == {path for path, _, _ in RESOURCES}


def _run_sync(client: AirflowClient, case: Case) -> None:
    if case.id in DEPRECATED:
        with pytest.warns(DeprecationWarning, match="deprecated"):
            run_sync(client, case)
    else:
        run_sync(client, case)


@pytest.mark.parametrize("case", V1_CASES, ids=lambda c: c.id)
def test_v1_sync(case: Case) -> None:
    _run_sync(v1_client(), case)


@pytest.mark.parametrize("case", V2_CASES, ids=lambda c: c.id)
def test_v2_sync(case: Case) -> None:
    _run_sync(v2_client(), case)


@pytest.mark.anyio
@pytest.mark.parametrize("case", V1_CASES + V2_CASES, ids=lambda c: c.id)
async def test_async(case: Case) -> None:
    if case in V1_CASES:
        client = AsyncAirflowClient(
            base_url=HOST, username="admin", password="secret", api_version=1
        )
    else:
        client = AsyncAirflowClient(base_url=HOST, token="jwt-token")
    try:
        if case.id in DEPRECATED:
            with pytest.warns(DeprecationWarning, match="deprecated"):
                await run_async(client, case)
        else:
            await run_async(client, case)
    finally:
        await client.close()


def test_offset_paging_continues_after_a_clamped_page() -> None:
    client = v1_client()
    pages = [
        {"dags": [{"dag_id": "a"}, {"dag_id": "b"}], "total_entries": 5},
        {"dags": [{"dag_id": "c"}, {"dag_id": "d"}], "total_entries": 5},
        {"dags": [{"dag_id": "e"}], "total_entries": 5},
    ]
    with respx.mock() as router:
        route = router.get(url__startswith=f"{A1}/dags").mock(
            side_effect=[httpx.Response(200, json=p) for p in pages]
        )
        ids = [d.dag_id for d in client.v1.dags.list(limit=50)]
    assert ids == ["a", "b", "c", "d", "e"]
    offsets = [call.request.url.params["offset"] for call in route.calls]
    assert offsets == ["0", "2", "4"]


def test_batch_list_pages_through_the_json_body() -> None:
    client = v1_client()
    pages = [
        {"dag_runs": [{"dag_run_id": "r1"}, {"dag_run_id": "r2"}], "total_entries": 3},
        {"dag_runs": [{"dag_run_id": "r3"}], "total_entries": 3},
    ]
    with respx.mock() as router:
        route = router.post(f"{A1}/dags/~/dagRuns/list").mock(
            side_effect=[httpx.Response(200, json=p) for p in pages]
        )
        runs = client.v1.dag_runs.list_batch({"dag_ids": ["etl"], "page_limit": 2}).to_list()
    assert [r.dag_run_id for r in runs] == ["r1", "r2", "r3"]
    sent = [json.loads(call.request.content) for call in route.calls]
    assert sent == [
        {"dag_ids": ["etl"], "page_limit": 2, "page_offset": 0},
        {"dag_ids": ["etl"], "page_limit": 2, "page_offset": 2},
    ]


def test_v2_username_password_fetch_a_token_from_the_auth_manager() -> None:
    client = AirflowClient(base_url=HOST, username="admin", password="secret")
    with respx.mock() as router:
        token = router.post(f"{HOST}/auth/token").respond(201, json={"access_token": "fresh"})
        dags = router.get(f"{A2}/dags/etl").respond(
            200, json=body(V2, "GET", "/api/v2/dags/{dag_id}")
        )
        client.v2.dags.get("etl")
    assert json.loads(token.calls[0].request.content) == {"username": "admin", "password": "secret"}
    assert dags.calls[0].request.headers["authorization"] == "Bearer fresh"


def test_read_only_batch_lists_are_declared_retry_safe() -> None:
    from airflow_like._generated.v1.dag_runs import DagRuns

    assert DagRuns.list_batch.info.read_only
    assert DagRuns.list_batch.info.retry_safe
    assert not DagRuns.create.info.retry_safe
