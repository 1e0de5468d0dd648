"""Jobs: waiting for a sync or reset to finish, and a connection's job history.

``connections.sync`` and ``connections.reset`` answer with the job they started (a
:class:`~airbyte_like.types.JobInfoRead`). :func:`wait_plan` polls it with
``jobs.get_without_logs`` through the core's wait loop (:mod:`commonrest._polling`: backoff,
deadline, callback, progress display) until it is ``succeeded``, ``failed`` or
``cancelled``; ``pending``, ``running`` and ``incomplete`` (an attempt failed, another
follows) keep it waiting. A bad ending raises :class:`~airbyte_like.JobFailedError`; the
deadline raises :class:`~commonrest.WaitTimeoutError` naming the job and its last status.
The SDK never cancels a job (``jobs.cancel`` is yours to call).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from commonrest._errors import InvalidArgumentError
from commonrest._plans import Plan, Send, Wait
from commonrest._polling import Poll, Waiter
from commonrest._progress import ProgressUpdate

from ._errors import JobFailedError

if TYPE_CHECKING:
    from commonrest._operations import Resource

    from .types import AttemptRead, JobInfoRead, JobRead

__all__ = ["JobProgress", "history_body", "job_id_of", "wait_plan"]

_DONE = frozenset({"succeeded"})
_FAILED = frozenset({"failed", "cancelled"})


@dataclass(frozen=True)
class JobProgress:
    """One look at a job while waiting: what the ``on_progress`` callback receives.

    Counts come from the latest attempt's totals (the job's aggregated stats when the
    attempt has none); ``None`` when the job reports nothing yet.
    """

    job_id: int | None
    status: str
    #: How many attempts the job has made so far.
    attempts: int
    records_emitted: int | None
    bytes_emitted: int | None
    records_committed: int | None
    bytes_committed: int | None
    #: What the server answered.
    job: JobInfoRead


def _last_attempt(info: JobInfoRead) -> AttemptRead | None:
    attempts = [a.attempt for a in info.attempts or () if a.attempt is not None]
    return attempts[-1] if attempts else None


def progress_of(info: JobInfoRead) -> JobProgress:
    job = info.job
    attempt = _last_attempt(info)
    totals: Any = attempt.total_stats if attempt is not None else None
    if totals is None and job is not None:
        totals = job.aggregated_stats

    def count(name: str) -> int | None:
        value = getattr(totals, name, None) if totals is not None else None
        return value if isinstance(value, int) else None

    return JobProgress(
        job_id=job.id if job is not None else None,
        status=str(job.status) if job is not None and job.status is not None else "unknown",
        attempts=len(info.attempts or ()),
        records_emitted=count("records_emitted"),
        bytes_emitted=count("bytes_emitted"),
        records_committed=count("records_committed"),
        bytes_committed=count("bytes_committed"),
        job=info,
    )


def _describe(state: JobProgress) -> ProgressUpdate:
    return ProgressUpdate(
        status=state.status,
        completed=state.records_emitted,
        details={
            "attempts": state.attempts,
            "records committed": state.records_committed,
            "bytes emitted": state.bytes_emitted,
        },
    )


def _finished(state: JobProgress) -> bool:
    if state.status in _DONE:
        return True
    if state.status not in _FAILED:
        return False
    attempt = _last_attempt(state.job)
    summary = attempt.failure_summary if attempt is not None else None
    reason = None
    for failure in (summary.failures or ()) if summary is not None else ():
        reason = failure.external_message or failure.internal_message
        if reason:
            break
    raise JobFailedError(
        f"airbyte job {state.job_id} {state.status} after {state.attempts} attempt(s)"
        + (f": {reason}" if reason else ""),
        last=state.job,
        job_id=state.job_id,
        status=state.status,
        reason=reason,
        failure_summary=summary,
    )


def job_id_of(job: JobInfoRead | JobRead | int) -> int:
    """The id of ``job``: a job id, or what ``connections.sync`` / ``jobs.get`` returned."""
    if isinstance(job, bool):
        raise InvalidArgumentError("job: expected a job or a job id, got a bool", parameter="job")
    if isinstance(job, int):
        return job
    found = getattr(job, "job", job)  # JobInfoRead and JobWithAttemptsRead wrap a JobRead
    job_id = getattr(found, "id", None)
    if isinstance(job_id, int) and not isinstance(job_id, bool):
        return job_id
    raise InvalidArgumentError(
        f"job: expected a job id or a job (as connections.sync returns it), got "
        f"{type(job).__name__}" + (" without an id" if found is not job or job_id is None else ""),
        parameter="job",
    )


def wait_plan(
    jobs: Resource[Any],
    job: JobInfoRead | JobRead | int,
    *,
    timeout: float | None,
    poll: Poll | None,
    on_progress: Callable[[JobProgress], object] | None,
    progress: bool | None,
) -> Plan[JobInfoRead]:
    """The steps of ``jobs.wait``: one wait over ``jobs.get_without_logs``."""
    job_id = job_id_of(job)
    waiter: Waiter[JobProgress] = Waiter(
        what=f"airbyte job {job_id}",
        finished=_finished,
        describe=_describe,
        poll=poll,
        timeout=timeout,
        on_progress=on_progress,
        progress=progress,
    )
    final: JobProgress = yield Wait(
        Send(jobs.get_without_logs, {"id": job_id}),  # type: ignore[attr-defined]
        progress_of,
        waiter,
    )
    return final.job


def _listed(name: str, values: str | Iterable[str] | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    listed = list(values)
    if not all(isinstance(v, str) for v in listed):
        raise InvalidArgumentError(f"{name}: expected strings, got {listed!r}", parameter=name)
    return listed


def history_body(
    connection_id: str,
    statuses: str | Iterable[str] | None,
    types: str | Iterable[str],
    page_size: int,
) -> dict[str, Any]:
    """The ``jobs.list`` body for a connection's jobs, newest first."""
    if not isinstance(connection_id, str) or not connection_id:
        raise InvalidArgumentError(
            f"connection_id: expected a connection id, got {connection_id!r}",
            parameter="connection_id",
        )
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise InvalidArgumentError(
            f"page_size: expected a positive integer, got {page_size!r}", parameter="page_size"
        )
    body: dict[str, Any] = {
        "configTypes": _listed("types", types),
        "configId": connection_id,
        "pagination": {"pageSize": page_size},
        "orderByField": "createdAt",
        "orderByMethod": "DESC",
    }
    chosen = _listed("statuses", statuses)
    if chosen is not None:
        body["statuses"] = chosen
    return body
