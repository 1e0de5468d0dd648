"""docs/airflow.md runs: its python blocks, in order, against in-memory Airflows (an
Airflow 3 at localhost:8080, an Airflow 2 at airflow2:8080), as a reader would paste them."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import respx

from airflow_like.testing import AirflowFake

DOC = Path(__file__).resolve().parents[2] / "docs" / "airflow.md"
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def test_the_airflow_guide_runs_top_to_bottom() -> None:
    blocks = _FENCE.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 7
    airflow_3 = AirflowFake(dags=["etl"], password="...", base_url="http://localhost:8080")
    airflow_2 = AirflowFake(api_version=1, dags=["etl"], password="...")
    out = io.StringIO()
    with respx.mock(assert_all_called=False) as router, contextlib.redirect_stdout(out):
        router.route(host="localhost", port=8080).mock(side_effect=airflow_3.handle)
        router.route(host="airflow2").mock(side_effect=airflow_2.handle)
        for code in blocks:
            # the guide's poll interval, shortened so the test does not sleep for seconds
            code = code.replace("Poll(interval=2, max_interval=30)", "Poll(interval=0.01)")
            session: dict[str, Any] = {"__name__": "airflow_docs"}
            exec(compile(code, str(DOC), "exec"), session)
    printed = out.getvalue().splitlines()
    assert printed[0] == "3.3.2"  # the server's version, asked without knowing it
    assert "2 1" in printed  # an Airflow 3 operation on Airflow 2: needed 2, actual 1
    assert printed[printed.index("2 1") + 1 :][:4] == [
        "running",
        "running",
        "success",
        "success 2026-01-01 00:01:00+00:00",
    ]
    assert "2026-01-01T00:00:00+00:00 [info] load finished: success" in printed
    conflict = next(line for line in printed if line.startswith("409 Conflict"))
    assert "Unique constraint violation" in conflict and "nightly-1" in conflict
    assert not airflow_2.requests  # the version came from the URL: nothing was asked


def test_an_airflow_2_log_is_read_from_its_tuple_text() -> None:
    fake = AirflowFake(api_version=1, dags=["etl"])
    with fake.client() as client:
        client.dags.unpause("etl")
        client.dag_runs.trigger("etl", dag_run_id="r1")
        client.dag_runs.get("etl", "r1")  # one read: the run has started
        log = client.task_instances.log("etl", "r1", "load")
    assert log.hosts == ["worker-1"]
    assert log.text == "load try 1 started\nload finished: running"
    assert log.records == []
