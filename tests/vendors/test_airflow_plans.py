"""``dag_runs.wait`` and ``task_instances.log`` are plans (``commonrest._plans``): one body
for both modes. Over respx the sync and async clients make the same calls in the same order
and return the same results; mypy (``assert_type``) and ``inspect.signature`` see each
mode's result type.
"""

from __future__ import annotations

import inspect
from collections.abc import Coroutine
from typing import Any

import httpx
import pytest
import respx
from typing_extensions import assert_type

from airflow_like import AirflowClient, AsyncAirflowClient
from airflow_like.types.common import DagRun, TaskLog
from commonrest import Poll

HOST = "http://airflow.test"
A2 = f"{HOST}/api/v2"
FAST = Poll(interval=0.01, max_interval=0.02)


def airflow_3(router: respx.MockRouter, *, stream: int | None) -> None:
    """A server on API v2 (found by detection), with the wait stream (``stream=None``) or
    answering it with that status; the run goes queued -> running -> success."""
    router.get(f"{A2}/monitor/health").respond(200, json={})
    states = iter(["running", "success"])
    if stream is None:
        lines = b'{"state": "queued"}\n{"state": "running"}\n{"state": "success"}\n'
        router.get(f"{A2}/dags/etl/dagRuns/r1/wait").respond(
            200, content=lines, headers={"Content-Type": "application/x-ndjson"}
        )
        states = iter(["success"])
    else:
        router.get(f"{A2}/dags/etl/dagRuns/r1/wait").respond(stream, json={"detail": "no"})
    router.get(f"{A2}/dags/etl/dagRuns/r1").mock(
        side_effect=lambda request: httpx.Response(
            200, json={"dag_id": "etl", "dag_run_id": "r1", "state": next(states)}
        )
    )
    pages = iter(
        [
            {"content": [{"event": "start", "level": "info"}], "continuation_token": "c1"},
            {"content": [{"event": "done", "level": "info"}], "continuation_token": None},
        ]
    )
    router.get(f"{A2}/dags/etl/dagRuns/r1/taskInstances/load/logs/1").mock(
        side_effect=lambda request: httpx.Response(200, json=next(pages))
    )


def calls(router: respx.MockRouter) -> list[tuple[str, str]]:
    return [(c.request.method, str(c.request.url)) for c in router.calls]


def run_sync(stream: int | None) -> tuple[list[tuple[str, str]], list[Any], DagRun, TaskLog]:
    seen: list[Any] = []
    with respx.mock() as router:
        airflow_3(router, stream=stream)
        with AirflowClient(base_url=HOST, token="t", max_retries=0) as client:
            run = client.dag_runs.wait("etl", "r1", poll=FAST, on_progress=seen.append)
            log = client.task_instances.log("etl", "r1", "load")
        assert_type(run, DagRun)
        assert_type(log, TaskLog)
        return calls(router), [r.state for r in seen], run, log


async def run_async(
    stream: int | None,
) -> tuple[list[tuple[str, str]], list[Any], DagRun, TaskLog]:
    seen: list[Any] = []
    with respx.mock() as router:
        airflow_3(router, stream=stream)
        async with AsyncAirflowClient(base_url=HOST, token="t", max_retries=0) as client:
            waiting = client.dag_runs.wait("etl", "r1", poll=FAST, on_progress=seen.append)
            run = await assert_type(waiting, Coroutine[Any, Any, DagRun])
            log = await client.task_instances.log("etl", "r1", "load")
        assert_type(log, TaskLog)
        return calls(router), [r.state for r in seen], run, log


@pytest.mark.anyio
@pytest.mark.parametrize("stream", [None, 404, 405, 501], ids=["stream", "404", "405", "501"])
async def test_both_modes_make_the_same_calls_and_results(stream: int | None) -> None:
    blocking = run_sync(stream)
    awaited = await run_async(stream)
    assert blocking[0] == awaited[0]
    assert blocking[1:] == awaited[1:]
    requests, states, run, log = blocking
    paths = [url.removeprefix(HOST).split("?")[0] for _, url in requests]
    assert paths == [
        "/api/v2/monitor/health",
        "/api/v2/dags/etl/dagRuns/r1/wait",
        *["/api/v2/dags/etl/dagRuns/r1"] * (1 if stream is None else 2),
        *["/api/v2/dags/etl/dagRuns/r1/taskInstances/load/logs/1"] * 2,
    ]
    assert states == (
        ["queued", "running", "success"] if stream is None else ["running", "success"]
    )
    assert run.state == "success" and log.text == "[info] start\n[info] done"


def test_help_shows_each_modes_result() -> None:
    sync = AirflowClient(base_url=HOST, token="t")
    async_ = AsyncAirflowClient(base_url=HOST, token="t")
    wait, await_ = inspect.signature(sync.dag_runs.wait), inspect.signature(async_.dag_runs.wait)
    assert (wait.return_annotation, await_.return_annotation) == (
        "DagRun",
        "Coroutine[Any, Any, DagRun]",
    )
    assert list(wait.parameters) == [
        "dag_id",
        "dag_run_id",
        "timeout",
        "poll",
        "on_progress",
        "progress",
        "stream",
    ]
    log = inspect.signature(sync.task_instances.log)
    assert log.return_annotation == "TaskLog"
    assert inspect.signature(async_.task_instances.log).return_annotation == (
        "Coroutine[Any, Any, TaskLog]"
    )
    assert list(log.parameters) == ["dag_id", "dag_run_id", "task_id", "try_number", "map_index"]
    assert not hasattr(sync, "wait_for_run") and not hasattr(async_, "task_log")
