"""``airflow_like.testing.AirflowFake``: the in-memory Airflow the tour and users' tests run
against, driven through the real clients, sync and async, on both API versions."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from airflow_like.testing import AirflowFake
from commonrest import AuthenticationError, BadRequestError, ConflictError, Poll

pytestmark = pytest.mark.anyio
FAST = Poll(interval=0.001, max_interval=0.002)


async def done(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_a_dag_is_listed_paused_triggered_and_waited_for(version: int, sync: bool) -> None:
    fake = AirflowFake(api_version=version, dags=[f"d{i}" for i in range(5)], page_limit=2)
    client = fake.client() if sync else fake.async_client()
    try:
        assert await done(client.detect_version()) == version
        names = [d.dag_id for d in await done(client.dags.list(limit=50).to_list())]
        assert names == ["d0", "d1", "d2", "d3", "d4"]
        assert (await done(client.dags.unpause("d1"))).is_paused is False
        await done(client.dag_runs.trigger("d1", dag_run_id="r1", conf={"x": 1}))
        with pytest.raises(ConflictError):
            await done(client.dag_runs.trigger("d1", dag_run_id="r1"))
        with pytest.raises(BadRequestError, match="is_paused"):
            api: Any = client.v1 if version == 1 else client.v2
            await done(api.dags.patch("d1", {"is_paused": True}, update_mask=["owners"]))
        run = await done(client.dag_runs.wait("d1", "r1", poll=FAST, progress=False))
        assert (run.state, run.conf) == ("success", {"x": 1})
    finally:
        await done(client.close())
    dag_pages = [r for r in fake.requests if r.url.path.endswith("/dags")]
    assert len(dag_pages) == 3  # clamped to 2 a page


@pytest.mark.parametrize("version", [1, 2])
def test_a_wrong_password_is_refused(version: int) -> None:
    fake = AirflowFake(api_version=version)
    with (
        fake.client(password="wrong", api_version=version) as client,
        pytest.raises(AuthenticationError),
    ):
        client.dags.get("example_etl")


def test_a_run_of_a_paused_dag_stays_queued() -> None:
    fake = AirflowFake(api_version=2, dags=["etl"])
    with fake.client() as client:
        client.dag_runs.trigger("etl", dag_run_id="r1")
        states = {client.dag_runs.get("etl", "r1").state for _ in range(5)}
    assert states == {"queued"}
