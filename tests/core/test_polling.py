"""Waiting for a job: backoff, deadline, failure, callback and progress display."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import anyio
import pytest

from commonrest import (
    ConfigurationError,
    InvalidArgumentError,
    Poll,
    WaitFailedError,
    WaitTimeoutError,
)
from commonrest._polling import Waiter, wait_async, wait_sync
from commonrest._progress import ProgressUpdate, open_progress


@dataclass
class Job:
    status: str
    records: int


class JobFailed(WaitFailedError):
    pass


def finished(job: Job) -> bool:
    if job.status == "failed":
        raise JobFailed("job failed", last=job, reason="disk full")
    return job.status == "succeeded"


def describe(job: Job) -> ProgressUpdate:
    return ProgressUpdate(job.status, details={"records": job.records})


def script(*statuses: str) -> list[Job]:
    return [Job(s, i * 10) for i, s in enumerate(statuses)]


FAST = Poll(interval=0.001, max_interval=0.004, multiplier=2)


def test_polls_until_done_and_calls_back_with_every_state() -> None:
    jobs = iter(script("pending", "running", "running", "succeeded"))
    seen: list[str] = []
    waiter = Waiter(
        what="job 7",
        finished=finished,
        describe=describe,
        poll=FAST,
        on_progress=lambda job: seen.append(job.status),
        progress=False,
    )
    final = wait_sync(lambda: next(jobs), waiter)
    assert final.status == "succeeded" and final.records == 30
    assert seen == ["pending", "running", "running", "succeeded"]


def test_intervals_grow_by_the_multiplier_up_to_the_cap() -> None:
    waiter = Waiter(
        what="job",
        finished=finished,
        describe=describe,
        poll=Poll(interval=1, max_interval=5, multiplier=2),
        progress=False,
    )
    assert [waiter.next_sleep() for _ in range(5)] == [1, 2, 4, 5, 5]


def test_a_failed_job_raises_the_vendor_error_with_its_reason() -> None:
    jobs = iter(script("running", "failed"))
    waiter = Waiter(what="job", finished=finished, describe=describe, poll=FAST, progress=False)
    with pytest.raises(JobFailed) as caught:
        wait_sync(lambda: next(jobs), waiter)
    assert caught.value.reason == "disk full" and caught.value.last.status == "failed"


def test_the_deadline_raises_with_the_last_state_and_never_overshoots_by_a_full_interval() -> None:
    now = [0.0]
    polls: list[float] = []

    def fetch() -> Job:
        polls.append(now[0])
        return Job("running", len(polls))

    waiter = Waiter(
        what="job 9",
        finished=finished,
        describe=describe,
        poll=Poll(interval=4, max_interval=4),
        timeout=10,
        progress=False,
        clock=lambda: now[0],
    )
    with pytest.raises(WaitTimeoutError) as caught:
        while not waiter.observe(fetch()):
            now[0] += waiter.next_sleep()
    # polled at 0, 4, 8, and once more at the deadline itself (a short last sleep)
    assert polls == [0, 4, 8, 10]
    assert caught.value.last.status == "running" and caught.value.waited == 10
    assert "job 9 still running after 10.0 s" in str(caught.value)
    assert "not cancelled" in str(caught.value)


def test_async_wait_uses_the_same_decisions() -> None:
    jobs = iter(script("pending", "succeeded"))

    async def fetch() -> Job:
        return next(jobs)

    async def main() -> Job:
        waiter = Waiter(what="job", finished=finished, describe=describe, poll=FAST, progress=False)
        return await wait_async(fetch, waiter)

    assert anyio.run(main).status == "succeeded"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interval": 0}, "Poll.interval: expected a positive number"),
        ({"interval": float("nan")}, "Poll.interval: expected a positive number"),
        ({"multiplier": 0.5}, "Poll.multiplier: expected 1 or more"),
        ({"interval": 5, "max_interval": 1}, "Poll.max_interval (1) is below Poll.interval"),
        ({"interval": True}, "Poll.interval: expected a number"),
    ],
)
def test_bad_poll_settings_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Poll(**kwargs)


def test_bad_wait_arguments_are_refused_before_polling() -> None:
    for kwargs, message in [
        ({"timeout": -1}, "timeout: expected a positive"),
        ({"timeout": "soon"}, "timeout: expected seconds"),
        ({"progress": "yes"}, "progress: expected True, False or None"),
        ({"on_progress": 3}, "on_progress: expected a callable"),
    ]:
        with pytest.raises(InvalidArgumentError, match=message):
            Waiter(what="job", finished=finished, describe=describe, **kwargs)  # type: ignore[arg-type]


def test_progress_true_without_tqdm_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ConfigurationError, match=r"commonrest\[progress\]"):
        open_progress(True, what="points")
    assert not open_progress(None, what="points").shown


def test_the_display_shows_status_and_details(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tqdm", reason="tqdm (extra 'progress') is not installed")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    jobs = iter(script("running", "succeeded"))
    waiter = Waiter(what="sync 4", finished=finished, describe=describe, poll=FAST, progress=True)
    wait_sync(lambda: next(jobs), waiter)
    text = out.getvalue()
    assert "succeeded" in text and "records=10" in text


def test_no_display_when_nobody_watches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal, no notebook kernel
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    assert not open_progress(None, what="points").shown
    assert not open_progress(False, what="points").shown
