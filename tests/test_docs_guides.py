"""The guides of the docs site run as written: their blocks are executed, offline, against
respx routes standing in for the hosts they name (``http://airflow:8080``, Adyen's test
host, ``http://airbyte:8000``), and what they print or return is checked."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from airflow_like.types.v1 import DAG
from airflow_like.types.v2 import DAGResponse
from commonrest import APIResponse, AsyncClient, SyncClient
from commonrest.testing import APIMock

from .test_docs import _block, _minimal, _run

AIRFLOW = "http://airflow:8080"
ADYEN_TEST = "https://pal-test.adyen.com/pal/servlet"


def _dags(model: Any, ids: list[str], total: int) -> dict[str, Any]:
    return {"dags": [_minimal(model, dag_id=i) for i in ids], "total_entries": total}


def _paged(model: Any, ids: list[str]) -> Callable[[httpx.Request], httpx.Response]:
    """An Airflow list endpoint over ``ids`` that clamps every page to two items."""

    def handle(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        return httpx.Response(200, json=_dags(model, ids[offset : offset + 2], len(ids)))

    return handle


def _not_found(request: httpx.Request) -> httpx.Response:
    body = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no such DAG"}
    return httpx.Response(
        404,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/problem+json", "X-Request-Id": "r-404"},
    )


@pytest.fixture
def airflow_host() -> Iterator[respx.MockRouter]:
    """Airflow's v1 and v2 APIs on http://airflow:8080, with three DAGs; asked for its
    version, it answers as an Airflow 2 (API v1)."""
    ids = ["etl", "report", "backup"]
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{AIRFLOW}/api/v2/monitor/health").respond(404)
        router.get(f"{AIRFLOW}/api/v1/health").respond(200, json={"metadatabase": {}})
        router.post(f"{AIRFLOW}/auth/token").respond(201, json={"access_token": "jwt"})
        router.get(f"{AIRFLOW}/api/v1/dags").mock(side_effect=_paged(DAG, ids))
        router.get(f"{AIRFLOW}/api/v2/dags").mock(side_effect=_paged(DAGResponse, ids))
        for version, model in (("v1", DAG), ("v2", DAGResponse)):
            router.get(f"{AIRFLOW}/api/{version}/dags/etl").respond(
                200,
                json=_minimal(model, dag_id="etl", is_paused=False),
                headers={"X-Request-Id": "r-1"},
            )
            router.get(f"{AIRFLOW}/api/{version}/dags/nobody").mock(side_effect=_not_found)
        yield router


def test_getting_started_runs_top_to_bottom(airflow_host: respx.MockRouter) -> None:
    page = "docs/getting-started.md"
    ns = _run(_block(page, 'airflow.dags.get("nobody")'))
    assert ns["__stdout__"].splitlines() == [
        "etl False",
        "etl",
        "report",
        "backup",
        "404 dags.get",
    ]
    probe_2, probe_1, first = (call.request for call in airflow_host.calls[:3])
    assert [probe_2.url.path, probe_1.url.path] == ["/api/v2/monitor/health", "/api/v1/health"]
    assert "Authorization" not in probe_2.headers and "Authorization" not in probe_1.headers
    assert first.url.path == "/api/v1/dags/etl"  # detected: an Airflow 2
    assert first.headers["Authorization"].startswith("Basic ")  # API v1: basic auth

    later = _run(_block(page, "async def main()"))
    assert later["names"] == ["etl", "etl", "report", "backup"]

    ns = _run(_block(page, "with_raw_response"), ns)  # the first block's session
    assert isinstance(ns["raw"], APIResponse) and ns["raw"].attempts == 1
    assert ns["__stdout__"].startswith("200 application/json 1 ")
    assert ns["dag"].dag_id == "etl"
    assert ns["quick"].options.retry.max_attempts == 1


def test_configuration_blocks(
    airflow_host: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = "docs/configuration.md"
    ns = _run(_block(page, "rate_limit=10"))
    assert "deadline" in ns["__stdout__"] and "-1" in ns["__stdout__"]
    airflow = ns["airflow"]
    assert airflow.options.deadline == 120
    assert airflow.options.retry.max_attempts == 5

    _run(_block(page, "slow = airflow.with_options("), ns)
    assert ns["slow"].options.deadline == 600

    monkeypatch.delenv("AIRFLOW_BASE_URL", raising=False)
    monkeypatch.delenv("AIRFLOW_TOKEN", raising=False)
    ns = _run(_block(page, 'os.environ["AIRFLOW_TOKEN"]'))
    # the block set the variables itself; monkeypatch restores them after the test
    assert "http://airflow:8080" in ns["__stdout__"]
    assert ns["airflow"].v2.dags.get("etl").dag_id == "etl"
    assert airflow_host.calls[-1].request.headers["Authorization"] == "Bearer eyJhbGciOi..."


def test_errors_and_retries_blocks(airflow_host: respx.MockRouter) -> None:
    page = "docs/errors-and-retries.md"
    ns = _run(_block(page, "except NotFoundError as err:"))
    assert ns["__stdout__"].splitlines() == ["404 r-404 v2.dags.get", "Not Found no such DAG"]

    # the first attempt fails with a 503, the second succeeds: on_retry reports once
    etl = airflow_host.get(f"{AIRFLOW}/api/v2/dags/etl")
    ok = httpx.Response(200, json=_minimal(DAGResponse, dag_id="etl"))
    etl.side_effect = [httpx.Response(503), ok, ok]
    _run(_block(page, "on_retry=report"), ns)
    printed = ns["__stdout__"].splitlines()
    assert len(printed) == 1 and printed[0].startswith("attempt 1 failed (status 503); next in")
    assert etl.call_count == 3


def test_an_explicit_idempotency_key_is_sent() -> None:
    with respx.mock() as router:
        route = router.post(f"{ADYEN_TEST}/Payment/v68/authorise").respond(
            200, json={"pspReference": "p-1", "resultCode": "Authorised"}
        )
        _run(_block("docs/errors-and-retries.md", 'idempotency_key="order-17-auth"'))
    assert route.calls.last.request.headers["Idempotency-Key"] == "order-17-auth"


def test_pagination_blocks(airflow_host: respx.MockRouter) -> None:
    page = "docs/pagination.md"
    ns = _run(_block(page, "first_page()"))
    lines = ns["__stdout__"].splitlines()
    # three DAGs in pages the server clamps to two, whatever limit was asked for
    assert lines == ["etl", "report", "backup", "2 3", "1 3"]
    assert [d.dag_id for d in ns["first_ten"]] == ["etl", "report", "backup"]
    assert [d.dag_id for d in ns["page"].items] == ["etl", "report"]

    ns = _run(_block(page, "async def dag_ids()"))
    assert ns["__stdout__"] == "['etl', 'report', 'backup']\n"


def test_testing_guide_blocks(
    commonrest_mock: Callable[[SyncClient | AsyncClient], APIMock],
) -> None:
    page = "docs/testing.md"
    ns = _run(_block(page, "def test_dag_owner()"))
    ns["test_dag_owner"]()

    ns = _run(_block(page, "def test_pause(commonrest_mock)"))
    ns["test_pause"](commonrest_mock)

    ns = _run(_block(page, "api = mock_api(client).start()"))
    assert not ns["api"].active and ns["api"].calls.call_count == 1


def test_notebooks_guide_block() -> None:
    ns = _run(_block("docs/notebooks.md", "api = mock_api(client, assert_all_called=False)"))
    assert not ns["api"].active
    assert ns["api"].calls.call_count == 1


def test_migration_blocks_run_here(airflow_host: respx.MockRouter) -> None:
    page = "docs/migration.md"
    # an Airflow 2: no API v2, so the neutral surface speaks v1 (basic auth, no token)
    airflow_host.get(f"{AIRFLOW}/api/v2/monitor/health").respond(404)
    airflow_host.get(f"{AIRFLOW}/api/v1/health").respond(200, json={})
    ns = _run(_block(page, "airflow.dags.list(limit=100)"))
    assert ns["__stdout__"] == "etl\nreport\nbackup\n"
    pages = [c.request for c in airflow_host.calls if c.request.url.path == "/api/v1/dags"]
    assert [p.url.params.get("offset", "0") for p in pages] == ["0", "2"]
    assert all(p.headers["Authorization"].startswith("Basic ") for p in pages)

    with respx.mock() as router:
        router.post(f"{ADYEN_TEST}/Payment/v68/authorise").respond(
            200, json={"pspReference": "p-1", "resultCode": "Authorised"}
        )
        ns = _run(_block(page, "adyen.with_options(idempotency_key="))
        router.post("http://airbyte:8000/api/v1/workspaces/list").respond(
            200, json={"workspaces": [{"workspaceId": "w-1", "name": "Main"}]}
        )
        ns = _run(_block(page, "from airbyte_like import AirbyteClient"))
    assert ns["__stdout__"] == "w-1 Main\n"


def test_pypi_description_blocks(airflow_host: respx.MockRouter) -> None:
    ns = _run(_block("README.pypi.md", "except NotFoundError as err:"))
    lines = ns["__stdout__"].splitlines()
    assert lines[:3] == ["etl", "report", "backup"]
    assert lines[3].startswith("404 r-404 type='about:blank' title='Not Found'")
    _run(_block("README.pypi.md", "with mock_api(client) as api:"))


def test_home_page_block(airflow_host: respx.MockRouter) -> None:
    ns = _run(_block("docs/index.md", "lazy paging"))
    assert ns["__stdout__"] == "etl\nreport\nbackup\n"


def test_the_readme_links_pages_that_exist() -> None:
    root = Path(__file__).resolve().parent.parent
    text = (root / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", text)
    assert len(links) >= 15  # the guides, vendors, concepts, licences and changelog
    assert [link for link in links if not (root / link).is_file()] == []
