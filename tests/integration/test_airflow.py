"""One scenario against real Airflow 2.10.5 (API v1) and 3.3.2 (API v2), sync and async,
through the version-neutral surface: servers installed and started by
``scripts/airflow_server.py`` on 127.0.0.1, stopped by PID at the end of the module.

A version not installed here is skipped with the reason, unless ``COMMONREST_REQUIRE_AIRFLOW=1``
(set by ``.ci/run``): then it is installed, and a server that cannot be installed or
started fails the run, its log tail in the error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import json
import os
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

from airflow_like import AirflowClient, AsyncAirflowClient
from commonrest import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from scripts.airflow_server import (
    JWT_SECRET,
    PASSWORDS,
    AirflowServer,
    AirflowServerError,
    cache_dir,
    install,
    installed,
    start,
    stop,
)

pytestmark = pytest.mark.anyio

VERSIONS = ["2.10.5", "3.3.2"]
#: An example DAG of both releases with two quick tasks and no schedule.
DAG = "example_xcom_args"
REQUIRED = os.environ.get("COMMONREST_REQUIRE_AIRFLOW") == "1"


def _record(line: str) -> None:
    cache_dir().mkdir(parents=True, exist_ok=True)
    with (cache_dir() / "timings.log").open("a") as out:
        out.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {line}\n")


@pytest.fixture(scope="module", params=VERSIONS)
def airflow(request: pytest.FixtureRequest) -> Iterator[AirflowServer]:
    version: str = request.param
    if not installed(version) and not REQUIRED:
        pytest.skip(
            f"Airflow {version} is not installed here: run `python3 scripts/airflow_server.py "
            f"install {version}`, or set COMMONREST_REQUIRE_AIRFLOW=1 to install it"
        )
    took = install(version)
    if took:
        _record(f"installed {version} in {took:.0f} s")
    try:
        server = start(version)
    except AirflowServerError as error:
        pytest.fail(str(error), pytrace=False)
    _record(f"started {version} in {server.started_in:.1f} s")
    began = time.monotonic()
    try:
        yield server
    finally:
        stop(server)
        _record(f"scenario on {version} took {time.monotonic() - began:.1f} s")


@pytest.fixture(params=["sync", "async"])
def sync(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "sync")


async def done(value: Any) -> Any:
    """The result, whether the client is sync (a value) or async (an awaitable)."""
    return await value if inspect.isawaitable(value) else value


def client_for(
    server: AirflowServer, sync: bool, **settings: Any
) -> AirflowClient | AsyncAirflowClient:
    settings.setdefault("base_url", server.url)
    settings.setdefault("username", server.username)
    settings.setdefault("password", server.password)
    cls = AirflowClient if sync else AsyncAirflowClient
    return cls(timeout=60, **settings)


async def close(client: AirflowClient | AsyncAirflowClient) -> None:
    await done(client.close())


def forged_jwt(secret: str, expires: float) -> str:
    """An Airflow 3 JWT for ``admin`` signed with ``secret`` (HS512, as the server signs)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    header = part(json.dumps({"alg": "HS512", "kid": "not-used", "typ": "JWT"}).encode())
    claims: dict[str, Any] = {"sub": "admin", "role": "admin", "teams": [], "jti": uuid.uuid4().hex}
    claims.update({"aud": "apache-airflow", "nbf": now - 60, "iat": now - 60, "exp": int(expires)})
    payload = part(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha512)
    return f"{header}.{payload}.{part(signature.digest())}"


async def test_health_and_the_version_is_detected(airflow: AirflowServer, sync: bool) -> None:
    client = client_for(airflow, sync)
    try:
        assert client.api_version is None
        assert await done(client.detect_version()) == airflow.api_version
        version = await done(client.server.version())
        health = await done(client.server.health())
    finally:
        await close(client)
    assert version.version == airflow.version
    assert health.healthy


async def test_a_base_url_with_the_api_path_names_the_version(
    airflow: AirflowServer, sync: bool
) -> None:
    client = client_for(airflow, sync, base_url=f"{airflow.url}/api/v{airflow.api_version}/")
    try:
        assert client.api_version == airflow.api_version
        assert (await done(client.server.version())).version == airflow.version
    finally:
        await close(client)


async def test_every_example_dag_is_listed_page_by_page(airflow: AirflowServer, sync: bool) -> None:
    client = client_for(airflow, sync)
    try:
        first = await done(client.dags.list(limit=1).first_page())
        dags = await done(client.dags.list(limit=10).to_list())
    finally:
        await close(client)
    total = first.data.total_entries
    assert total > 10  # more than one page
    assert len(dags) == total
    assert len({d.dag_id for d in dags}) == total
    assert DAG in {d.dag_id for d in dags}


async def test_pause_and_unpause_change_only_is_paused(airflow: AirflowServer, sync: bool) -> None:
    client = client_for(airflow, sync)
    try:
        before = await done(client.dags.get("example_bash_operator"))
        paused = await done(client.dags.pause("example_bash_operator"))
        seen = await done(client.dags.get("example_bash_operator"))
        unpaused = await done(client.dags.unpause("example_bash_operator"))
        await done(client.dags.pause("example_bash_operator"))  # as the example DAGs start: no runs
    finally:
        await close(client)
    assert (paused.is_paused, seen.is_paused, unpaused.is_paused) == (True, True, False)
    assert seen.description == before.description  # the mask left the rest alone


async def test_trigger_wait_tasks_and_log(airflow: AirflowServer, sync: bool) -> None:
    client = client_for(airflow, sync)
    run_id = f"it-{'sync' if sync else 'async'}-{uuid.uuid4().hex[:8]}"
    seen: list[str | None] = []
    try:
        await done(client.dags.unpause(DAG))
        triggered = await done(client.dag_runs.trigger(DAG, dag_run_id=run_id, conf={"n": 1}))
        assert (triggered.dag_run_id, triggered.state) == (run_id, "queued")
        with pytest.raises(ConflictError) as conflict:
            await done(client.dag_runs.trigger(DAG, dag_run_id=run_id))
        finished = await done(
            client.dag_runs.wait(
                DAG, run_id, timeout=240, on_progress=lambda run: seen.append(run.state)
            )
        )
        tasks = await done(client.task_instances.list(DAG, run_id).to_list())
        log = await done(
            client.task_instances.log(DAG, run_id, "generate_value", tasks[0].try_number or 1)
        )
        runs = await done(client.dag_runs.list(DAG, limit=1).to_list())
    finally:
        await close(client)
    assert finished.state == "success" and finished.end_date is not None
    assert seen[-1] == "success"
    assert {t.task_id: t.state for t in tasks} == {
        "generate_value": "success",
        "print_value": "success",
    }
    assert "generate_value" in log.text
    if airflow.api_version == 2:
        assert log.records and all(r.event is not None for r in log.records)
    else:
        assert log.hosts
    assert "already exists" in str(conflict.value) or "Unique constraint" in str(conflict.value)
    assert run_id in {r.dag_run_id for r in runs}


async def test_a_refused_request_names_the_field(airflow: AirflowServer, sync: bool) -> None:
    client = client_for(airflow, sync)
    try:
        namespace: Any = client.v1 if airflow.api_version == 1 else client.v2
        with pytest.raises(BadRequestError) as bad:
            await done(namespace.dags.patch(DAG, {"is_paused": True}, update_mask=["owners"]))
        if airflow.api_version == 2:
            now = datetime.now(timezone.utc)
            body = {"logical_date": None, "data_interval_start": now}
            with pytest.raises(UnprocessableEntityError) as invalid:
                await done(client.v2.dag_runs.trigger(DAG, body))
            assert "data_interval_end" in str(invalid.value)
            assert invalid.value.detail is not None and invalid.value.detail.code == "value_error"
    finally:
        await close(client)
    assert "is_paused" in str(bad.value)


async def test_variables_pools_and_connections(airflow: AirflowServer, sync: bool) -> None:
    client = client_for(airflow, sync)
    name = f"it-{'s' if sync else 'a'}-{uuid.uuid4().hex[:8]}"
    secret = f"pw-{uuid.uuid4().hex}"
    try:
        created = await done(client.variables.create(name, "one", description="first"))
        changed = await done(client.variables.update(name, value="two"))
        described = await done(client.variables.update(name, description="second"))
        read = await done(client.variables.get(name))
        keys = {v.key for v in await done(client.variables.list(limit=5).to_list())}
        await done(client.variables.delete(name))
        with pytest.raises(NotFoundError):
            await done(client.variables.get(name))
        assert (created.value, changed.value, read.value) == ("one", "two", "two")
        assert (changed.description, described.value) == ("first", "two")  # masks kept them
        assert read.description == "second" and name in keys

        pool = await done(client.pools.create(name, 3, description="it"))
        grown = await done(client.pools.update(name, slots=5))
        described_pool = await done(client.pools.update(name, description="other"))
        again = await done(client.pools.get(name))
        await done(client.pools.delete(name))
        assert (pool.slots, grown.slots, grown.description) == (3, 5, "it")
        assert (described_pool.slots, again.slots, again.description) == (5, 5, "other")

        conn = await done(
            client.connections.create(
                name, "http", host="example.invalid", login="me", password=secret, port=8080
            )
        )
        moved = await done(client.connections.update(name, "http", host="other.invalid"))
        back = await done(client.connections.get(name))
        assert (conn.host, moved.host, back.host, back.login, back.port) == (
            "example.invalid",
            "other.invalid",
            "other.invalid",
            "me",
            8080,
        )
        if sync:  # the server's own CLI (slow to start) once per version
            shown = json.loads(airflow.cli("connections", "get", name, "-o", "json"))
            assert shown[0]["password"] == secret
        await done(client.connections.delete(name))
        with pytest.raises(NotFoundError):
            await done(client.connections.get(name))
    finally:
        await close(client)


async def test_a_wrong_password_is_an_authentication_error(
    airflow: AirflowServer, sync: bool
) -> None:
    client = client_for(airflow, sync, password="not-the-password")
    try:
        with pytest.raises(AuthenticationError) as refused:
            await done(client.dags.get(DAG))
    finally:
        await close(client)
    assert refused.value.status_code == 401
    assert "not-the-password" not in str(refused.value)


@pytest.mark.airflow3_only  # Airflow 2's basic auth backend has no viewer in this setup
async def test_a_viewer_may_read_but_not_patch(airflow: AirflowServer, sync: bool) -> None:
    assert airflow.api_version == 2
    client = client_for(airflow, sync, username="viewer", password=PASSWORDS["viewer"])
    try:
        assert (await done(client.dags.get(DAG))).dag_id == DAG
        with pytest.raises(PermissionDeniedError) as denied:
            await done(client.dags.pause(DAG))
    finally:
        await close(client)
    assert denied.value.status_code == 403


@pytest.mark.airflow3_only  # Airflow 2 takes no JWT
@pytest.mark.parametrize("kind", ["signed-with-another-secret", "expired"])
async def test_a_rejected_token_is_replaced_once(
    airflow: AirflowServer, sync: bool, kind: str
) -> None:
    assert airflow.api_version == 2
    if kind == "expired":
        stale = forged_jwt(JWT_SECRET, time.time() - 30)
    else:
        stale = forged_jwt("a-secret-the-server-never-had", time.time() + 3600)
    client = client_for(airflow, sync, token=stale)
    fixed_only = client_for(airflow, sync, token=stale, username=None, password=None)
    try:
        assert (await done(client.dags.get(DAG))).dag_id == DAG
        with pytest.raises((AuthenticationError, PermissionDeniedError)):
            await done(fixed_only.dags.get(DAG))  # a token of the caller's is not replaced
    finally:
        await close(client)
        await close(fixed_only)


async def test_an_airflow_3_only_operation_names_the_version(
    airflow: AirflowServer, sync: bool
) -> None:
    client = client_for(airflow, sync)
    try:
        if airflow.api_version == 1:
            from airflow_like import AirflowVersionError

            with pytest.raises(AirflowVersionError, match="needs Airflow API v2"):
                await done(client.backfills.list(DAG).to_list())
        else:
            assert await done(client.backfills.list(DAG).to_list()) == []
    finally:
        await close(client)
