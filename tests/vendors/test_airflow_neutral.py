"""Airflow's version-neutral surface over respx, sync and async: how the version is chosen
or detected, which credential signs each API, the base URL and environment variables,
FastAPI error bodies, the JWT's lifetime and its refusals, waiting for a run, task logs.
"""

from __future__ import annotations

import base64
import inspect
import json
import time
from typing import Any

import httpx
import pytest
import respx

from airflow_like import AirflowClient, AirflowVersionError, AsyncAirflowClient, DagRunFailedError
from commonrest import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    Poll,
    ServiceUnavailableError,
    UnprocessableEntityError,
    WaitFailedError,
    WaitTimeoutError,
)

pytestmark = pytest.mark.anyio

HOST = "http://airflow.test"
A1 = f"{HOST}/api/v1"
A2 = f"{HOST}/api/v2"
BASIC = "Basic " + base64.b64encode(b"admin:secret").decode()
HEALTHY = {"metadatabase": {"status": "healthy"}, "scheduler": {"status": "healthy"}}
FAST = Poll(interval=0.01, max_interval=0.02)


@pytest.fixture(params=["sync", "async"])
def sync(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "sync")


@pytest.fixture(autouse=True)
def _no_airflow_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BASE_URL", "USERNAME", "PASSWORD", "TOKEN", "API_VERSION"):
        monkeypatch.delenv(f"AIRFLOW_{name}", raising=False)


async def done(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def make(sync: bool, **settings: Any) -> AirflowClient | AsyncAirflowClient:
    settings.setdefault("base_url", HOST)
    if "token" not in settings and "auth" not in settings:
        settings.setdefault("username", "admin")
        settings.setdefault("password", "secret")
    settings.setdefault("max_retries", 0)
    return (AirflowClient if sync else AsyncAirflowClient)(**settings)


def jwt(exp: float, name: str = "t") -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS512', 'typ': 'JWT'})}.{part({'sub': name, 'exp': exp})}.c2ln"


def airflow_2(router: respx.MockRouter) -> None:
    router.get(f"{A2}/monitor/health").respond(404, text="<html>Not Found</html>")
    router.get(f"{A1}/health").respond(200, json=HEALTHY)


# ------------------------------------------------------------------ versions and detection


@respx.mock
async def test_the_version_is_detected_once_and_v1_is_signed_with_basic_auth(sync: bool) -> None:
    airflow_2(respx.mock)
    dags = respx.get(f"{A1}/dags/etl").respond(200, json={"dag_id": "etl", "is_paused": False})
    token = respx.post(f"{HOST}/auth/token").respond(404)
    client = make(sync)
    assert client.api_version is None
    first = await done(client.dags.get("etl"))
    again = await done(client.with_options(timeout=5).dags.get("etl"))
    assert (first.dag_id, again.is_paused) == ("etl", False)
    assert client.api_version == 1
    assert respx.calls.call_count == 4  # two probes, once for the client and its copy
    assert [c.request.headers.get("authorization") for c in dags.calls] == [BASIC, BASIC]
    assert "authorization" not in respx.calls[0].request.headers  # probes are anonymous
    assert not token.called  # the Airflow 2 trap: no token is ever asked for
    await done(client.close())


@respx.mock
async def test_a_failing_probe_proves_no_version_and_is_asked_again(sync: bool) -> None:
    # A proxy's 503 in front of an Airflow 2 must not lock the client into API v2.
    health = respx.get(f"{A2}/monitor/health")
    health.side_effect = [httpx.Response(503), httpx.Response(404)]
    respx.get(f"{A1}/health").respond(200, json=HEALTHY)
    client = make(sync, max_retries=0)
    with pytest.raises(ServiceUnavailableError):
        await done(client.detect_version())
    assert client.api_version is None
    assert await done(client.detect_version()) == 1
    await done(client.close())


@respx.mock
async def test_a_probe_refused_for_credentials_proves_the_version(sync: bool) -> None:
    respx.get(f"{A2}/monitor/health").respond(401, json={"detail": "Not authenticated"})
    client = make(sync)
    assert await done(client.detect_version()) == 2
    await done(client.close())


@respx.mock
async def test_an_airflow_3_server_is_detected_and_signed_with_a_fetched_jwt(sync: bool) -> None:
    respx.get(f"{A2}/monitor/health").respond(200, json=HEALTHY)
    respx.post(f"{HOST}/auth/token").respond(201, json={"access_token": "jwt-1"})
    version = respx.get(f"{A2}/version").respond(200, json={"version": "3.3.2"})
    client = make(sync)
    assert await done(client.detect_version()) == 2
    assert (await done(client.server.version())).version == "3.3.2"
    assert version.calls.last.request.headers["authorization"] == "Bearer jwt-1"
    await done(client.close())


@respx.mock
async def test_a_server_with_neither_api_is_an_error_naming_both_paths(sync: bool) -> None:
    respx.get(f"{A2}/monitor/health").respond(404)
    respx.get(f"{A1}/health").respond(404)
    client = make(sync)
    with pytest.raises(AirflowVersionError, match="/api/v2/monitor/health and /api/v1/health"):
        await done(client.dags.get("etl"))
    await done(client.close())


@pytest.mark.parametrize(
    ("base_url", "version"),
    [(f"{HOST}/api/v1", 1), (f"{HOST}/api/v2/", 2), (HOST, None), (f"{HOST}/", None)],
)
def test_the_base_url_may_carry_the_api_path(base_url: str, version: int | None) -> None:
    client = AirflowClient(base_url=base_url, token="t")
    assert client.api_version == version
    assert client.environment_urls["v1"] == f"{HOST}/api/v1"


def test_a_base_url_naming_the_other_version_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="base_url ends in /api/v1 but api_version is 2"):
        AirflowClient(base_url=f"{HOST}/api/v1", token="t", api_version=2)
    with pytest.raises(ConfigurationError, match="api_version must be 1 or 2"):
        AirflowClient(base_url=HOST, token="t", api_version=3)  # type: ignore[arg-type]


@respx.mock
def test_the_environment_configures_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_BASE_URL", f"{HOST}/api/v1")
    monkeypatch.setenv("AIRFLOW_USERNAME", "admin")
    monkeypatch.setenv("AIRFLOW_PASSWORD", "secret")
    route = respx.get(f"{A1}/variables/k").respond(200, json={"key": "k", "value": "v"})
    with AirflowClient() as client:
        assert client.api_version == 1
        assert client.variables.get("k").value == "v"
    assert route.calls.last.request.headers["authorization"] == BASIC
    monkeypatch.setenv("AIRFLOW_API_VERSION", "2")
    with pytest.raises(ConfigurationError, match="AIRFLOW_API_VERSION is 2"):
        AirflowClient()


@respx.mock
def test_airflow_token_and_api_version_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AIRFLOW_BASE_URL", HOST)
    monkeypatch.setenv("AIRFLOW_TOKEN", "env-jwt")
    monkeypatch.setenv("AIRFLOW_API_VERSION", "2")
    route = respx.get(f"{A2}/pools/default_pool").respond(200, json={"name": "default_pool"})
    with AirflowClient() as client:
        assert client.api_version == 2
        assert client.pools.get("default_pool").name == "default_pool"
    assert route.calls.last.request.headers["authorization"] == "Bearer env-jwt"
    assert respx.calls.call_count == 1  # configured: nothing asked of the server


@respx.mock
async def test_an_airflow_3_operation_on_airflow_2_names_the_version_it_needs(sync: bool) -> None:
    client = make(sync, api_version=1)
    with pytest.raises(AirflowVersionError, match=r"backfills\.get needs Airflow API v2") as info:
        await done(client.backfills.get(3))
    assert (info.value.needed, info.value.actual) == (2, 1)
    assert respx.calls.call_count == 0
    await done(client.close())


@respx.mock
async def test_a_404_from_the_token_endpoint_hints_at_api_v1(sync: bool) -> None:
    respx.post(f"{HOST}/auth/token").respond(404, text="<html>Not Found</html>")
    client = make(sync, api_version=2)
    with pytest.raises(NotFoundError, match="it speaks API v1 with basic auth"):
        await done(client.dags.get("etl"))
    await done(client.close())


# ------------------------------------------------------------------ the neutral calls


@respx.mock
async def test_a_list_pages_through_the_generated_operation_of_the_version(sync: bool) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        dags = [{"dag_id": f"d{i}"} for i in range(offset, min(offset + 2, 5))]
        return httpx.Response(200, json={"dags": dags, "total_entries": 5})

    route = respx.get(f"{A2}/dags").mock(side_effect=page)
    client = make(sync, token="t", api_version=2)
    dags = await done(client.dags.list(limit=2, paused=False).to_list())
    assert [d.dag_id for d in dags] == ["d0", "d1", "d2", "d3", "d4"]
    assert [c.request.url.params["offset"] for c in route.calls] == ["0", "2", "4"]
    assert all(c.request.url.params["paused"] == "false" for c in route.calls)
    await done(client.close())


@pytest.mark.parametrize("version", [1, 2])
@respx.mock
async def test_updates_send_a_mask_of_the_fields_given(sync: bool, version: int) -> None:
    base = A1 if version == 1 else A2
    dag = respx.patch(f"{base}/dags/etl").respond(200, json={"dag_id": "etl", "is_paused": True})
    pool = respx.patch(f"{base}/pools/p").respond(200, json={"name": "p", "slots": 4})
    client = make(sync, token="t", api_version=version)
    assert (await done(client.dags.pause("etl"))).is_paused is True
    assert (await done(client.pools.update("p", slots=4))).slots == 4
    assert dag.calls.last.request.url.params["update_mask"] == "is_paused"
    assert json.loads(dag.calls.last.request.content) == {"is_paused": True}
    assert pool.calls.last.request.url.params["update_mask"] == "slots"
    variable = respx.patch(f"{base}/variables/k").respond(200, json={"key": "k", "value": "v"})
    await done(client.variables.update("k", value="v"))
    await done(client.variables.update("k", description="d"))
    masks = [c.request.url.params["update_mask"] for c in variable.calls]
    assert masks == (["val", "description"] if version == 1 else ["value", "description"])
    sent = json.loads(pool.calls.last.request.content)
    # v2 names the pool "pool" and wants slots and include_deferred even when masked out
    assert sent == (
        {"name": "p", "slots": 4}
        if version == 1
        else {"pool": "p", "slots": 4, "include_deferred": False}
    )
    await done(client.close())


@pytest.mark.parametrize("version", [1, 2])
@respx.mock
async def test_trigger_and_mark_use_each_versions_operation(sync: bool, version: int) -> None:
    base = A1 if version == 1 else A2
    run = {"dag_id": "etl", "dag_run_id": "r1", "state": "queued"}
    trigger = respx.post(f"{base}/dags/etl/dagRuns").respond(200, json=run)
    marked = respx.patch(f"{base}/dags/etl/dagRuns/r1").respond(
        200, json={**run, "state": "failed"}
    )
    client = make(sync, token="t", api_version=version)
    assert (await done(client.dag_runs.trigger("etl", dag_run_id="r1"))).state == "queued"
    assert (await done(client.dag_runs.mark_failed("etl", "r1"))).state == "failed"
    sent = json.loads(trigger.calls.last.request.content)
    assert sent == (
        {"dag_run_id": "r1"} if version == 1 else {"dag_run_id": "r1", "logical_date": None}
    )
    assert json.loads(marked.calls.last.request.content) == {"state": "failed"}
    await done(client.close())


# ------------------------------------------------------------------ errors


@respx.mock
async def test_fastapi_error_bodies_name_the_field_and_the_reason(sync: bool) -> None:
    invalid = {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "slots"],
                "msg": "Field required",
                "input": {"password": "hunter2-secret"},
            }
        ]
    }
    conflict = {
        "detail": {
            "reason": "Unique constraint violation",
            "statement": "hidden",
            "orig_error": "hidden",
            "message": "look for ID 1ldTk07H",
        }
    }
    respx.post(f"{A2}/pools").respond(422, json=invalid)
    respx.post(f"{A2}/variables").respond(409, json=conflict)
    respx.get(f"{A2}/variables/k").respond(
        404, json={"detail": "The Variable with key: `k` was not found"}
    )
    client = make(sync, token="t", api_version=2)
    with pytest.raises(UnprocessableEntityError) as unprocessable:
        await done(client.pools.create("p", 1))
    with pytest.raises(ConflictError) as duplicate:
        await done(client.variables.create("k", "v"))
    with pytest.raises(NotFoundError, match="The Variable with key: `k` was not found"):
        await done(client.variables.get("k"))
    await done(client.close())
    assert "body.slots: Field required" in str(unprocessable.value)
    assert "hunter2-secret" not in str(unprocessable.value)
    assert unprocessable.value.detail is not None and unprocessable.value.detail.code == "missing"
    assert "Unique constraint violation: look for ID 1ldTk07H" in str(duplicate.value)


@respx.mock
async def test_the_token_endpoints_refusal_carries_its_detail(sync: bool) -> None:
    respx.post(f"{HOST}/auth/token").respond(401, json={"detail": "Invalid credentials"})
    client = make(sync, api_version=2, password="wrong")
    with pytest.raises(AuthenticationError, match="Invalid credentials") as info:
        await done(client.dags.get("etl"))
    assert "wrong" not in str(info.value)
    await done(client.close())


# ------------------------------------------------------------------ the JWT


@respx.mock
async def test_a_jwt_is_refreshed_shortly_before_its_exp(sync: bool) -> None:
    tokens = iter([jwt(time.time() + 10, "one"), jwt(time.time() + 3600, "two")])
    issued = respx.post(f"{HOST}/auth/token").mock(
        side_effect=lambda r: httpx.Response(201, json={"access_token": next(tokens)})
    )
    route = respx.get(f"{A2}/dags/etl").respond(200, json={"dag_id": "etl"})
    client = make(sync, api_version=2)
    for _ in range(3):
        await done(client.dags.get("etl"))
    await done(client.close())
    # the first expires within the refresh margin: replaced before the second call
    assert issued.call_count == 2
    sent = [c.request.headers["authorization"] for c in route.calls]
    assert sent[1] == sent[2] != sent[0]


@pytest.mark.parametrize(("status", "detail"), [(403, "Invalid JWT token"), (401, "Token Expired")])
@respx.mock
async def test_a_rejected_fetched_token_is_replaced_once(
    sync: bool, status: int, detail: str
) -> None:
    tokens = iter(["jwt-1", "jwt-2", "jwt-3"])
    issued = respx.post(f"{HOST}/auth/token").mock(
        side_effect=lambda r: httpx.Response(201, json={"access_token": next(tokens)})
    )

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer jwt-1":
            return httpx.Response(status, json={"detail": detail})
        return httpx.Response(200, json={"dag_id": "etl"})

    route = respx.get(f"{A2}/dags/etl").mock(side_effect=answer)
    client = make(sync, api_version=2)
    assert (await done(client.dags.get("etl"))).dag_id == "etl"
    assert (issued.call_count, route.call_count) == (2, 2)
    await done(client.close())


@respx.mock
async def test_a_token_rejected_again_is_raised_and_a_viewers_403_is_not_repeated(
    sync: bool,
) -> None:
    respx.post(f"{HOST}/auth/token").respond(201, json={"access_token": "jwt"})
    bad = respx.get(f"{A2}/dags/etl").respond(403, json={"detail": "Invalid JWT token"})
    denied = respx.patch(f"{A2}/dags/etl").respond(403, json={"detail": "Forbidden"})
    client = make(sync, api_version=2)
    with pytest.raises(PermissionDeniedError, match="Invalid JWT token"):
        await done(client.dags.get("etl"))
    assert bad.call_count == 2  # one repeat with a new token, then raised
    with pytest.raises(PermissionDeniedError, match="Forbidden"):
        await done(client.dags.pause("etl"))
    assert denied.call_count == 1
    await done(client.close())


@respx.mock
async def test_a_given_token_with_credentials_is_replaced_when_refused(sync: bool) -> None:
    respx.post(f"{HOST}/auth/token").respond(201, json={"access_token": "fresh"})

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer fresh":
            return httpx.Response(200, json={"dag_id": "etl"})
        return httpx.Response(403, json={"detail": "Invalid JWT token"})

    respx.get(f"{A2}/dags/etl").mock(side_effect=answer)
    client = make(sync, api_version=2, token="stale", username="admin", password="secret")
    assert (await done(client.dags.get("etl"))).dag_id == "etl"
    alone = make(sync, api_version=2, token="stale")
    with pytest.raises(PermissionDeniedError):
        await done(alone.dags.get("etl"))  # no way to get another: raised at once
    await done(client.close())
    await done(alone.close())


# ------------------------------------------------------------------ waiting


def run_states(*states: str) -> Any:
    answers = iter(states)

    def answer(request: httpx.Request) -> httpx.Response:
        state = next(answers)
        return httpx.Response(200, json={"dag_id": "etl", "dag_run_id": "r1", "state": state})

    return answer


@respx.mock
async def test_wait_polls_until_success(sync: bool) -> None:
    route = respx.get(f"{A1}/dags/etl/dagRuns/r1").mock(
        side_effect=run_states("queued", "running", "success")
    )
    seen: list[str | None] = []
    client = make(sync, api_version=1)
    run = await done(
        client.dag_runs.wait("etl", "r1", poll=FAST, on_progress=lambda r: seen.append(r.state))
    )
    await done(client.close())
    assert run.state == "success" and route.call_count == 3
    assert seen == ["queued", "running", "success"]


@respx.mock
async def test_a_failed_run_raises_a_wait_failed_error(sync: bool) -> None:
    respx.get(f"{A1}/dags/etl/dagRuns/r1").mock(side_effect=run_states("running", "failed"))
    client = make(sync, api_version=1)
    with pytest.raises(DagRunFailedError) as info:
        await done(client.dag_runs.wait("etl", "r1", poll=FAST))
    await done(client.close())
    assert isinstance(info.value, WaitFailedError)
    assert (info.value.dag_id, info.value.dag_run_id, info.value.last.state) == (
        "etl",
        "r1",
        "failed",
    )


@respx.mock
async def test_a_run_still_going_at_the_timeout_raises_and_is_left_alone(sync: bool) -> None:
    respx.get(f"{A1}/dags/etl/dagRuns/r1").respond(
        200, json={"dag_id": "etl", "dag_run_id": "r1", "state": "running"}
    )
    client = make(sync, api_version=1)
    with pytest.raises(WaitTimeoutError) as info:
        await done(client.dag_runs.wait("etl", "r1", poll=FAST, timeout=0.1))
    await done(client.close())
    assert info.value.last.state == "running"
    assert all(c.request.method == "GET" for c in respx.calls)


@respx.mock
async def test_on_airflow_3_the_wait_stream_is_followed(sync: bool) -> None:
    lines = b'{"state": "queued"}\n{"state": "running"}\n{"state": "success"}\n'
    stream = respx.get(f"{A2}/dags/etl/dagRuns/r1/wait").respond(
        200, content=lines, headers={"Content-Type": "application/x-ndjson"}
    )
    final = respx.get(f"{A2}/dags/etl/dagRuns/r1").respond(
        200, json={"dag_id": "etl", "dag_run_id": "r1", "state": "success", "conf": {}}
    )
    seen: list[str | None] = []
    client = make(sync, token="t", api_version=2)
    run = await done(
        client.dag_runs.wait("etl", "r1", poll=FAST, on_progress=lambda r: seen.append(r.state))
    )
    await done(client.close())
    assert run.conf == {} and seen == ["queued", "running", "success"]
    assert stream.calls.last.request.url.params["interval"] == "0.01"
    assert final.call_count == 1  # the final state read back in full, once


@respx.mock
async def test_without_the_wait_stream_the_wait_polls(sync: bool) -> None:
    respx.get(f"{A2}/dags/etl/dagRuns/r1/wait").respond(404, json={"detail": "Not Found"})
    polled = respx.get(f"{A2}/dags/etl/dagRuns/r1").mock(
        side_effect=run_states("running", "success")
    )
    client = make(sync, token="t", api_version=2)
    assert (await done(client.dag_runs.wait("etl", "r1", poll=FAST))).state == "success"
    await done(client.close())
    assert polled.call_count == 2


# ------------------------------------------------------------------ logs


@respx.mock
async def test_an_airflow_2_log_is_read_as_host_and_text(sync: bool) -> None:
    content = str([("worker-1", "line one\nline two\n")])
    route = respx.get(f"{A1}/dags/etl/dagRuns/r1/taskInstances/load/logs/2").mock(
        side_effect=[
            httpx.Response(200, json={"content": content, "continuation_token": "tok-1"}),
            httpx.Response(
                200, json={"content": str([("worker-1", "")]), "continuation_token": "tok-2"}
            ),
        ]
    )
    client = make(sync, api_version=1)
    log = await done(client.task_instances.log("etl", "r1", "load", 2))
    await done(client.close())
    assert (log.text, log.hosts, log.records) == ("line one\nline two", ["worker-1"], [])
    assert route.calls[1].request.url.params["token"] == "tok-1"
    assert route.calls[0].request.url.params["full_content"] == "true"


@respx.mock
async def test_an_airflow_3_log_keeps_its_records_across_pages(sync: bool) -> None:
    first = [{"timestamp": "2026-01-01T00:00:00Z", "event": "start", "level": "info"}]
    second = [{"event": "done", "level": "info", "task_id": "load"}]
    route = respx.get(f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/logs/1").mock(
        side_effect=[
            httpx.Response(200, json={"content": first, "continuation_token": "c1"}),
            httpx.Response(200, json={"content": second, "continuation_token": None}),
        ]
    )
    client = make(sync, token="t", api_version=2)
    log = await done(client.task_instances.log("etl", "r1", "load"))
    await done(client.close())
    assert [r.event for r in log.records] == ["start", "done"]
    assert log.records[1].model_extra == {"task_id": "load"}
    assert log.text == "2026-01-01T00:00:00+00:00 [info] start\n[info] done"
    assert route.call_count == 2


@respx.mock
async def test_a_log_that_never_ends_is_cut_and_says_so(sync: bool) -> None:
    pages = iter(range(10_000))

    def endless(request: httpx.Request) -> httpx.Response:
        n = next(pages)
        return httpx.Response(
            200, json={"content": [{"event": f"e{n}"}], "continuation_token": f"c{n}"}
        )

    route = respx.get(f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/logs/1").mock(
        side_effect=endless
    )
    client = make(sync, token="t", api_version=2)
    log = await done(client.task_instances.log("etl", "r1", "load"))
    await done(client.close())
    assert route.call_count == 100 and len(log.records) == 100
    assert log.truncated


@respx.mock
async def test_a_log_read_to_its_end_is_not_truncated(sync: bool) -> None:
    respx.get(f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/logs/1").respond(
        200, json={"content": [{"event": "only"}], "continuation_token": None}
    )
    client = make(sync, token="t", api_version=2)
    log = await done(client.task_instances.log("etl", "r1", "load"))
    await done(client.close())
    assert log.text == "only" and not log.truncated


async def test_a_wait_stream_that_goes_quiet_ends_at_the_timeout(sync: bool) -> None:
    from tests.core.recorder import recording

    with recording(lambda request: None) as server:  # holds every request unanswered
        client = make(sync, base_url=server.url, token="t", api_version=2, timeout=30)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as info:
            await done(client.dag_runs.wait("etl", "r1", poll=FAST, timeout=0.5))
        took = time.monotonic() - started
        await done(client.close())
        paths = [r.path for r in server.requests]
    assert paths == ["/api/v2/dags/etl/dagRuns/r1/wait"]
    assert info.value.last is None
    assert took < 0.5 + 5  # the 30 s read timeout would have held it


@respx.mock
def test_with_a_token_and_credentials_v1_still_signs_with_basic_auth() -> None:
    v1 = respx.get(f"{A1}/dags/etl").respond(200, json={"dag_id": "etl"})
    v2 = respx.get(f"{A2}/dags/etl").respond(200, json={"dag_id": "etl"})
    with AirflowClient(base_url=HOST, token="jwt-0", username="admin", password="secret") as c:
        c.v1.dags.get("etl")
        c.v2.dags.get("etl")
    assert v1.calls.last.request.headers["authorization"] == BASIC
    assert v2.calls.last.request.headers["authorization"] == "Bearer jwt-0"


@respx.mock
@pytest.mark.parametrize("version", [1, 2])
async def test_a_connections_password_and_extra_echoed_back_stay_out_of_the_error(
    sync: bool, version: int
) -> None:
    password, extra = "hunter2-conn-secret", '{"token": "xoxb-extra-secret"}'
    echoed = {"connection_id": "c", "password": password, "extra": extra}
    base = A1 if version == 1 else A2
    route = respx.post(f"{base}/connections").respond(
        422,
        json={"detail": [{"type": "x", "loc": ["body", "port"], "msg": "bad", "input": echoed}]}
        if version == 2
        else {"type": "about:blank", "title": "Bad", "status": 422, "detail": f"{echoed}"},
    )
    patched = respx.patch(f"{base}/connections/c").respond(422, json={"detail": f"no: {password}"})
    client = make(sync, token="t", api_version=version)
    with pytest.raises(UnprocessableEntityError) as created:
        await done(client.connections.create("c", "http", password=password, extra=extra))
    with pytest.raises(UnprocessableEntityError) as updated:
        await done(client.connections.update("c", "http", password=password))
    await done(client.close())
    assert password.encode() in route.calls.last.request.content  # sent as given
    assert patched.called
    for error in (created.value, updated.value):
        kept = " ".join([str(error), repr(error.body), error.text or "", repr(error.detail)])
        assert password not in kept and "xoxb-extra-secret" not in kept, kept
