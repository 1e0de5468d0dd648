"""Airbyte syncs and jobs against the in-memory fake: waiting to success, to failure and to
the deadline, progress, job history, paging, and which POSTs are retried."""

from __future__ import annotations

import contextlib

import pytest

from airbyte_like import AirbyteClient, JobFailedError, JobProgress
from airbyte_like.testing import AirbyteFake
from commonrest import (
    InvalidArgumentError,
    Poll,
    RetryPolicy,
    ServiceUnavailableError,
    WaitFailedError,
    WaitTimeoutError,
)

FAST = Poll(interval=0.01, max_interval=0.02)
PG = {"host": "db", "port": 5432, "database": "app", "username": "etl", "password": "pw-12345"}


def _connection(
    fake: AirbyteFake, client: AirbyteClient | None = None
) -> tuple[AirbyteClient, str]:
    client = client or fake.client()
    workspace = client.workspaces.create({"name": "ops"})
    source = client.sources.create(
        {
            "workspaceId": workspace.workspace_id,
            "sourceDefinitionId": fake.postgres_definition_id,
            "name": "db",
            "connectionConfiguration": PG,
        }
    )
    destination = client.destinations.create(
        {
            "workspaceId": workspace.workspace_id,
            "destinationDefinitionId": fake.warehouse_definition_id,
            "name": "wh",
            "connectionConfiguration": {"project_id": "p", "dataset_id": "d", "credentials": "k"},
        }
    )
    connection = client.connections.create(
        {
            "sourceId": source.source_id,
            "destinationId": destination.destination_id,
            "status": "active",
        }
    )
    assert connection.connection_id is not None
    return client, connection.connection_id


def _paths(fake: AirbyteFake) -> list[str]:
    return [r.url.path.removeprefix("/api") for r in fake.requests]


def test_waiting_for_a_sync_to_succeed_reports_growing_progress() -> None:
    fake = AirbyteFake(polls_to_finish=4, records_per_poll=500, bytes_per_record=10)
    client, connection_id = _connection(fake)
    job = client.connections.sync({"connectionId": connection_id})
    assert job.job is not None and job.job.status == "pending"
    seen: list[JobProgress] = []
    final = client.jobs.wait(job, poll=FAST, on_progress=seen.append, progress=False)
    assert final.job is not None and final.job.status == "succeeded"
    assert [p.status for p in seen] == ["running", "running", "running", "succeeded"]
    assert [p.records_emitted for p in seen] == [500, 1000, 1500, 2000]
    assert seen[-1].bytes_emitted == 20000 and seen[-1].records_committed == 2000
    assert seen[-1].bytes_committed == 20000 and seen[-1].attempts == 1
    assert all(p.job_id == job.job.id for p in seen)
    assert _paths(fake).count("/v1/jobs/get_without_logs") == 4


def test_a_failed_sync_raises_with_the_reason_and_the_failure_summary() -> None:
    fake = AirbyteFake()
    client, connection_id = _connection(fake)
    fake.fail_syncs("password authentication failed for user etl")
    job = client.connections.sync({"connectionId": connection_id})
    assert job.job is not None and isinstance(job.job.id, int)
    with pytest.raises(JobFailedError) as caught:
        client.jobs.wait(job.job.id, poll=FAST, progress=False)  # by id this time
    error = caught.value
    assert isinstance(error, WaitFailedError)
    assert error.reason == "password authentication failed for user etl"
    assert error.status == "failed" and error.job_id == job.job.id
    assert error.failure_summary is not None and error.failure_summary.failures
    assert error.failure_summary.failures[0].failure_type == "config_error"
    assert "password authentication failed" in str(error)
    assert "FakeSourceException" not in str(error)  # the stack stays on the summary


def test_a_cancelled_job_raises_job_failed() -> None:
    fake = AirbyteFake(polls_to_finish=50)
    client, connection_id = _connection(fake)
    job = client.connections.reset({"connectionId": connection_id})

    def cancel_at_second_look(progress: JobProgress) -> None:
        if progress.status == "running" and progress.records_emitted == 2000:
            client.jobs.cancel({"id": progress.job_id})

    with pytest.raises(JobFailedError) as caught:
        client.jobs.wait(job, poll=FAST, on_progress=cancel_at_second_look, progress=False)
    assert caught.value.status == "cancelled" and caught.value.reason is None


def test_the_deadline_raises_with_the_job_and_its_status_and_never_cancels() -> None:
    fake = AirbyteFake(polls_to_finish=10_000)
    client, connection_id = _connection(fake)
    job = client.connections.sync({"connectionId": connection_id})
    job_id = job.job.id if job.job else None
    with pytest.raises(WaitTimeoutError) as caught:
        client.jobs.wait(job, poll=FAST, timeout=0.2, progress=False)
    assert f"airbyte job {job_id} still running" in str(caught.value)
    assert caught.value.last.status == "running"
    assert "/v1/jobs/cancel" not in _paths(fake)
    assert fake.jobs[job_id or 0].status == "running"


@pytest.mark.anyio
async def test_async_wait_uses_the_same_loop() -> None:
    fake = AirbyteFake()
    async with fake.async_client() as client:
        workspace = await client.workspaces.create({"name": "a"})
        source = await client.sources.create(
            {
                "workspaceId": workspace.workspace_id,
                "sourceDefinitionId": fake.postgres_definition_id,
                "name": "db",
                "connectionConfiguration": PG,
            }
        )
        destination = await client.destinations.create(
            {
                "workspaceId": workspace.workspace_id,
                "destinationDefinitionId": fake.warehouse_definition_id,
                "name": "wh",
                "connectionConfiguration": {
                    "project_id": "p",
                    "dataset_id": "d",
                    "credentials": "k",
                },
            }
        )
        connection = await client.connections.create(
            {
                "sourceId": source.source_id,
                "destinationId": destination.destination_id,
                "status": "active",
            }
        )
        job = await client.connections.sync({"connectionId": connection.connection_id})
        seen: list[str] = []
        final = await client.jobs.wait(job, poll=FAST, on_progress=lambda p: seen.append(p.status))
        fake.fail_syncs("disk full")
        failing = await client.connections.sync({"connectionId": connection.connection_id})
        with pytest.raises(JobFailedError, match="disk full"):
            await client.jobs.wait(failing, poll=FAST)
        history = [
            j.job.status async for j in client.jobs.history(connection.connection_id or "") if j.job
        ]
    assert final.job is not None and final.job.status == "succeeded"
    assert seen[-1] == "succeeded"
    assert history == ["failed", "succeeded"]


def test_wait_refuses_what_is_not_a_job() -> None:
    client = AirbyteFake().client()
    with pytest.raises(InvalidArgumentError, match="job"):
        client.jobs.wait("42")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="job"):
        client.jobs.wait(True)


def test_job_history_is_lazy_newest_first_and_filtered() -> None:
    fake = AirbyteFake(polls_to_finish=2)
    client, connection_id = _connection(fake)
    ids: list[int] = []
    for n in range(5):
        if n in (1, 3):
            fake.fail_syncs("boom")
        job = client.connections.sync({"connectionId": connection_id})
        assert job.job is not None and job.job.id is not None
        ids.append(job.job.id)
        with pytest.raises(JobFailedError) if n in (1, 3) else contextlib.nullcontext():
            client.jobs.wait(job, poll=FAST)
    client.connections.reset({"connectionId": connection_id})
    before = len(fake.requests)
    pager = client.jobs.history(connection_id, page_size=2)
    assert len(fake.requests) == before  # nothing fetched until iterated
    first = next(iter(pager))
    assert len(fake.requests) == before + 1
    assert first.job is not None and first.job.config_type == "reset_connection"
    every = [j.job.id for j in client.jobs.history(connection_id, page_size=2) if j.job]
    assert every == [ids[-1] + 1, *reversed(ids)]
    failed = [j.job.id for j in client.jobs.history(connection_id, statuses="failed") if j.job]
    assert failed == [ids[3], ids[1]]
    syncs = client.jobs.history(connection_id, types="sync", statuses=["succeeded"])
    assert [j.job.id for j in syncs if j.job] == [ids[4], ids[2], ids[0]]
    listed = [r for r in fake.requests[before:] if r.url.path.endswith("/v1/jobs/list")]
    assert b'"orderByMethod":"DESC"' in listed[0].content


def test_paging_over_several_pages_of_sources() -> None:
    fake = AirbyteFake()
    client = fake.client()
    workspace = client.workspaces.create({"name": "many"})
    for n in range(5):
        client.sources.create(
            {
                "workspaceId": workspace.workspace_id,
                "sourceDefinitionId": fake.postgres_definition_id,
                "name": f"s{n}",
                "connectionConfiguration": PG,
            }
        )
    before = len(fake.requests)
    names = [
        s.name
        for s in client.sources.list_paginated(
            {"workspaceIds": [workspace.workspace_id], "pagination": {"pageSize": 2}}
        )
    ]
    assert names == ["s0", "s1", "s2", "s3", "s4"]
    pages = fake.requests[before:]
    assert [r.content.count(b'"rowOffset"') for r in pages] == [1, 1, 1]
    assert [b'"rowOffset":%d' % n in r.content for n, r in zip((0, 2, 4), pages, strict=True)] == [
        True
    ] * 3


def _quick(fake: AirbyteFake) -> AirbyteClient:
    return fake.client(retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.02))


def test_a_read_only_post_is_retried_after_a_503() -> None:
    fake = AirbyteFake()
    client, _ = _connection(fake, _quick(fake))
    workspace_id = next(iter(fake.workspaces))
    fake.fail_next(503, path="/v1/workspaces/get")
    assert client.workspaces.get({"workspaceId": workspace_id}).name == "ops"
    assert _paths(fake)[-2:] == ["/v1/workspaces/get", "/v1/workspaces/get"]


def test_a_mutating_post_is_not_retried_after_a_503() -> None:
    fake = AirbyteFake()
    client, connection_id = _connection(fake, _quick(fake))
    fake.fail_next(503, path="/v1/connections/sync")
    with pytest.raises(ServiceUnavailableError) as caught:
        client.connections.sync({"connectionId": connection_id})
    assert caught.value.attempts == 1
    assert _paths(fake).count("/v1/connections/sync") == 1
    assert fake.jobs == {}


def test_the_progress_display_shows_the_job_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    fake = AirbyteFake(records_per_poll=7)
    client, connection_id = _connection(fake)
    job = client.connections.sync({"connectionId": connection_id})
    client.jobs.wait(job, poll=FAST, progress=True)
    drawn = capsys.readouterr().err
    assert "succeeded" in drawn and "attempts=1" in drawn and "21" in drawn
