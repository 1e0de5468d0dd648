"""Waiting for a DAG run: what the core's wait loop (:mod:`commonrest._polling`) needs to
know about Airflow, for polling on both versions and for API v2's NDJSON stream
(``GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/wait``, one ``{"state": ...}`` line per
interval until the run is over).

A run that ends ``failed`` raises :class:`DagRunFailedError`; a run still going at the
timeout raises :class:`~commonrest.WaitTimeoutError` and is left running.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commonrest._errors import APIStatusError
from commonrest._lazy import publish
from commonrest._polling import Poll, Waiter, WaitFailedError
from commonrest._progress import ProgressUpdate

from .types.common import DagRun

__all__ = ["DagRunFailedError", "run_waiter", "stream_unavailable", "streamed_state"]


class DagRunFailedError(WaitFailedError):
    """A DAG run ended ``failed``: ``last`` is the run, ``dag_id`` and ``dag_run_id`` name
    it."""

    def __init__(self, run: DagRun) -> None:
        super().__init__(
            f"dag run {run.dag_id}/{run.dag_run_id} ended {run.state}", last=run, reason=run.state
        )
        self.dag_id = run.dag_id
        self.dag_run_id = run.dag_run_id


def _finished(run: DagRun) -> bool:
    if run.state == "failed":
        raise DagRunFailedError(run)
    return run.state == "success"


def run_waiter(
    dag_id: str,
    dag_run_id: str,
    *,
    poll: Poll | None,
    timeout: float | None,
    on_progress: Callable[[DagRun], object] | None,
    progress: bool | None,
) -> Waiter[DagRun]:
    """The decisions of one wait for run ``dag_id/dag_run_id``."""
    return Waiter(
        what=f"dag run {dag_id}/{dag_run_id}",
        finished=_finished,
        describe=lambda run: ProgressUpdate(status=run.state or "unknown"),
        poll=poll,
        timeout=timeout,
        on_progress=on_progress,
        progress=progress,
    )


def streamed_state(dag_id: str, dag_run_id: str, line: Any) -> DagRun:
    """One line of the wait stream, as a :class:`DagRun` with only its state."""
    state = line.get("state") if isinstance(line, dict) else None
    return DagRun(dag_id=dag_id, dag_run_id=dag_run_id, state=state)


def stream_unavailable(error: APIStatusError) -> bool:
    """True when the server has no wait stream (an older Airflow 3): poll instead."""
    return error.status_code in (404, 405, 501)


publish(__name__, globals())
