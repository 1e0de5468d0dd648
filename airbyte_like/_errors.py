"""Airbyte's error bodies, and the errors of the Airbyte helpers.

The Configuration API answers errors with ``message``, ``exceptionClassName``,
``exceptionStack`` and, depending on the error, ``rootCauseExceptionClassName`` /
``rootCauseExceptionStack`` (known exceptions), ``validationErrors`` (invalid input: a
property path and a message each) or ``id`` (not found). :func:`parse_airbyte_error` reads
them into :class:`AirbyteErrorDetail`, which the core hangs on every status error as
``error.detail``: the one-line message is the server's ``message`` followed by the fields
the validation errors name; the stacks stay on the detail, never in the message. An
``invalidValue`` is not put in the message either: for a connector configuration it is
the secret that failed validation.

::

    ConflictError (409, the core's)
    └── ConcurrentUpdateError       safe_update saw the object change; nothing was written
    WaitFailedError (the core's)
    └── JobFailedError              a sync or reset job ended failed or cancelled
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from commonrest._errors import ConflictError, ErrorDetail
from commonrest._lazy import publish
from commonrest._polling import WaitFailedError

if TYPE_CHECKING:
    from .types import AttemptFailureSummary, JobInfoRead

__all__ = [
    "AirbyteErrorDetail",
    "ConcurrentUpdateError",
    "JobFailedError",
    "ValidationProblem",
    "parse_airbyte_error",
]


@dataclass(frozen=True)
class ValidationProblem:
    """One entry of ``validationErrors``: the property it is about and what is wrong."""

    field: str | None
    message: str | None


@dataclass(frozen=True)
class AirbyteErrorDetail(ErrorDetail):
    """An Airbyte error body: ``code`` is the Java exception class
    (``exceptionClassName``), ``data`` the whole body (secrets the client knows scrubbed)."""

    exception_class: str | None = None
    exception_stack: tuple[str, ...] = ()
    root_cause_class: str | None = None
    root_cause_stack: tuple[str, ...] = ()
    validation_errors: tuple[ValidationProblem, ...] = field(default=())
    #: The id a "not found" error is about.
    missing_id: str | None = None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _lines(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(str(v) for v in value)
    return ()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse_airbyte_error(body: Any, headers: httpx.Headers) -> ErrorDetail | None:
    """Read an Airbyte error body; ``None`` when the body is not one."""
    if not isinstance(body, dict):
        return None
    message = _text(body.get("message"))
    exception = _text(body.get("exceptionClassName"))
    raw_problems = body.get("validationErrors")
    if message is None and exception is None and not isinstance(raw_problems, list):
        return None
    problems = tuple(
        ValidationProblem(field=_text(p.get("propertyPath")), message=_text(p.get("message")))
        for p in (raw_problems if isinstance(raw_problems, list) else ())
        if isinstance(p, dict)
    )
    shown = _one_line(message) if message else (exception or "")
    if problems:
        named = "; ".join(
            f"{p.field or '(body)'}: {_one_line(p.message or 'invalid')}" for p in problems
        )
        shown = f"{shown} ({named})" if shown else named
    return AirbyteErrorDetail(
        message=shown or None,
        code=exception,
        data=body,
        exception_class=exception,
        exception_stack=_lines(body.get("exceptionStack")),
        root_cause_class=_text(body.get("rootCauseExceptionClassName")),
        root_cause_stack=_lines(body.get("rootCauseExceptionStack")),
        validation_errors=problems,
        missing_id=_text(body.get("id")),
    )


class ConcurrentUpdateError(ConflictError):
    """``safe_update`` read the object, and just before writing found it changed (by
    someone else, in between): nothing was written. Raised by the client, not the server,
    so ``status_code`` is 409 by convention and ``headers`` are empty; ``changed`` names
    the fields (wire names) that differ, never their values."""

    def __init__(self, message: str, *, method: str, url: str, changed: tuple[str, ...]) -> None:
        super().__init__(message, method=method, url=url, status_code=409, headers=httpx.Headers())
        self.changed = changed


class JobFailedError(WaitFailedError):
    """A job ended ``failed`` or ``cancelled``. ``job_id`` and ``status`` say which and how;
    ``reason`` is the last attempt's first failure message (``None`` when the job gives
    none), ``failure_summary`` that attempt's whole summary, ``last`` the final
    :class:`~airbyte_like.types.JobInfoRead`."""

    last: JobInfoRead

    def __init__(
        self,
        message: str,
        *,
        last: JobInfoRead,
        job_id: int | None,
        status: str,
        reason: str | None,
        failure_summary: AttemptFailureSummary | None,
    ) -> None:
        super().__init__(message, last=last, reason=reason)
        self.job_id = job_id
        self.status = status
        self.failure_summary = failure_summary


publish(__name__, globals())
