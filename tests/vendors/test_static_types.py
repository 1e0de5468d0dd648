"""Static types through the generated declarations: ``assert_type`` is checked by mypy
(``mypy tests/vendors``) and the calls run against respx at test time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Literal

import httpx
import pytest
import respx
from typing_extensions import assert_type

from adyen_like import AdyenClient, AsyncAdyenClient
from adyen_like.types.payment import ModificationResult
from airflow_like import AirflowClient
from airflow_like.types.v1 import DAG
from commonrest import APIResponse, AsyncPager, SyncPager

HOST = "http://airflow.test"


def test_sync_results_plain_paged_and_raw() -> None:
    client = AirflowClient(base_url=HOST, username="u", password="p", api_version=1)
    with respx.mock() as router:
        router.get(f"{HOST}/api/v1/dags/etl").respond(200, json={"dag_id": "etl"})
        router.get(url__startswith=f"{HOST}/api/v1/dags?").respond(
            200, json={"dags": [{"dag_id": "etl"}], "total_entries": 1}
        )
        dag = client.v1.dags.get("etl")
        assert_type(dag, DAG)
        pager = client.v1.dags.list()
        assert_type(pager, SyncPager[DAG])
        raw = client.with_raw_response.v1.dags.get("etl")
        assert_type(raw, APIResponse[DAG])
        assert [d.dag_id for d in pager] == ["etl"]
    assert dag.dag_id == "etl"
    assert raw.status_code == 200 and raw.parse().dag_id == "etl"


@pytest.mark.anyio
async def test_async_results_are_awaitable_and_pagers_async() -> None:
    client = AsyncAdyenClient(api_key="k")
    url = "https://pal-test.adyen.com/pal/servlet/Payment/v68/cancel"
    try:
        with respx.mock() as router:
            router.post(url).mock(
                return_value=httpx.Response(
                    200, json={"pspReference": "1", "response": "[cancel-received]"}
                )
            )
            result = await client.modifications.cancel(
                {"merchantAccount": "M", "originalReference": "2"}
            )
            assert_type(result, ModificationResult)
            raw = await client.with_raw_response.modifications.cancel(
                {"merchantAccount": "M", "originalReference": "2"}
            )
            assert_type(raw, APIResponse[ModificationResult])
        pager = client.transfers_v4.transactions.list(
            created_since="2024-01-01T00:00:00Z", created_until="2024-01-02T00:00:00Z"
        )
        assert isinstance(pager, AsyncPager)
    finally:
        await client.close()
    assert result.response == "[cancel-received]"
    assert raw.parse().psp_reference == "1"


def test_sync_client_is_not_async() -> None:
    client = AdyenClient(api_key="k")
    with respx.mock() as router:
        router.post(url__startswith="https://pal-test.adyen.com/").respond(
            200, json={"pspReference": "1", "response": "[cancel-received]"}
        )
        result = client.modifications.cancel({"merchantAccount": "M", "originalReference": "2"})
    assert_type(result, ModificationResult)
    assert isinstance(result, ModificationResult)


def test_enum_fields_type_check_as_their_known_values() -> None:
    """An enum field is typed as the ``Literal`` of its known values, so mypy's strict
    equality flags a comparison with a misspelt value; at run time it holds the member
    (equal to its wire string) or any other string the server sends."""
    from airflow_like.types.v1 import DAGRun, DagState

    run = DAGRun.model_validate({"state": "success"})
    assert_type(run.state, Literal["queued", "running", "success", "failed"] | None)
    assert run.state == "success" and isinstance(run.state, DagState)


def test_mypy_catches_a_misspelt_enum_value(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from airflow_like.types.v1 import DAGRun\n"
        "run = DAGRun()\n"
        "if run.state == 'succeded':\n"
        "    pass\n"
        "if run.state == 'success':\n"
        "    pass\n"
    )
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, proc.stdout
    assert "snippet.py:3:" in errors[0] and "comparison-overlap" in errors[0]
