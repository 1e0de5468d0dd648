"""Waiting for a DAG run: what the core's wait loop (:mod:`commonrest._polling`) needs to
know about Airflow, for polling on both versions and for API v2's NDJSON stream
(``GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/wait``, one ``{"state": ...}`` line per
interval until the run is over).

A run that ends ``failed`` raises :class:`DagRunFailedError`; a run still going at the
timeout raises :class:`~commonrest.WaitTimeoutError` and is left running. :func:`wait_plan`
is ``client.dag_runs.wait``, written once for both modes (:mod:`commonrest._plans`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from commonrest._errors import APIStatusError, DeadlineExceededError
from commonrest._lazy import publish
from commonrest._plans import Plan, Send, Stream, Wait
from commonrest._polling import Poll, Waiter, WaitFailedError
from commonrest._progress import ProgressUpdate

from .types.common import DagRun

if TYPE_CHECKING:
    from ._neutral import DagRuns

__all__ = ["DagRunFailedError", "run_waiter", "stream_unavailable", "streamed_state", "wait_plan"]


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


def wait_plan(
    runs: DagRuns[Any],
    dag_id: str,
    dag_run_id: str,
    *,
    timeout: float | None,
    poll: Poll | None,
    on_progress: Callable[[DagRun], object] | None,
    progress: bool | None,
    stream: bool,
) -> Plan[DagRun]:
    """The steps of ``dag_runs.wait``: on API v2 (unless ``stream`` is false) follow the
    wait stream while the run is going, then poll ``dag_runs.get`` until it is over."""
    waiter = run_waiter(
        dag_id, dag_run_id, poll=poll, timeout=timeout, on_progress=on_progress, progress=progress
    )
    client: Any = runs._client
    try:
        if stream and (yield Send(client.detect_version)) == 2:

            def each(line: Any) -> bool:
                state = streamed_state(dag_id, dag_run_id, line)
                if state.finished:
                    return True  # a final state is read back in full by the poll below
                waiter.observe(state)
                waiter.next_sleep()  # only the deadline: the server paces the lines
                return False

            bounded = client if timeout is None else client.with_options(deadline=timeout)
            opened = Send(
                bounded.v2.dag_runs.wait_until_finished,
                dag_id,
                dag_run_id,
                interval=(poll or Poll()).interval,
            )
            try:
                yield Stream(opened, each)
            except DeadlineExceededError:
                waiter.next_sleep()  # raises the WaitTimeoutError, with the last state
                raise
            except APIStatusError as error:
                if not stream_unavailable(error):
                    raise
        final: DagRun = yield Wait(Send(runs.get, dag_id, dag_run_id), _same, waiter)
        return final
    finally:
        waiter.close()


def _same(run: DagRun) -> DagRun:
    return run


publish(__name__, globals())
