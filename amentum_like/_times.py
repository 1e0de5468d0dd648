"""Dates and times for the Amentum APIs, given as ``datetime.date``/``datetime.datetime``.

The APIs take a moment as separate query parameters, and each API splits it differently:
``year``/``month``/``day`` (PARMA, routes, GCR flux, ocean), plus ``utc`` as a whole hour
(CARI-7) or as fractional hours (JB2008, NRLMSISE-00), plus ``hour``/``minute`` (WAM-IPE)
and ``second`` (trapped radiation), or one decimal ``year`` (the magnetic field).
:func:`time_arguments` reads which from the operation's declared parameters, so one
``datetime`` serves every operation.

An aware datetime is converted to UTC; a naive one is taken as UTC already (the APIs work
in UTC). A plain ``date`` is refused where the operation needs a time of day, rather than
silently meaning midnight.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from commonrest import InvalidArgumentError
from commonrest._lazy import publish

__all__ = ["time_arguments"]


def _info(operation: Any) -> Any:
    info = getattr(operation, "__commonrest_operation__", None)
    if info is None:
        raise InvalidArgumentError(
            f"operation must be an operation of an Amentum client "
            f"(client.aviation_radiation.cari7_ambient_dose, ...), got {operation!r}",
            parameter="operation",
        )
    return info


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        return when
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def _decimal_year(when: datetime) -> float:
    start = datetime(when.year, 1, 1)
    end = datetime(when.year + 1, 1, 1)
    return when.year + (when - start).total_seconds() / (end - start).total_seconds()


def time_arguments(operation: Any, when: date | datetime) -> dict[str, int | float]:
    """The date and time parameters of ``operation`` for the moment ``when``.

    ``operation`` is a bound operation (``client.aviation_radiation.cari7_ambient_dose``);
    the result goes into its keyword arguments::

        client.aviation_radiation.cari7_ambient_dose(
            **time_arguments(client.aviation_radiation.cari7_ambient_dose, when), ...
        )

    Raises :class:`~commonrest.InvalidArgumentError` (parameter ``when``) for a value that
    is not a date, for a date where a time of day is needed, and for an operation that
    takes no date."""
    info = _info(operation)
    params = {p.name: p for p in info.params}
    if not isinstance(when, date):
        raise InvalidArgumentError(
            f"when must be a datetime.date or datetime.datetime, got {when!r}",
            parameter="when",
        )
    if "year" not in params:
        raise InvalidArgumentError(f"when: {info.python_name} takes no date", parameter="when")
    needs_time = "month" not in params or any(
        name in params for name in ("utc", "hour", "minute", "second")
    )
    if needs_time and not isinstance(when, datetime):
        raise InvalidArgumentError(
            f"when must be a datetime.datetime for {info.python_name} (it takes a time of "
            f"day), got the date {when.isoformat()}",
            parameter="when",
        )
    moment = _utc(when) if isinstance(when, datetime) else datetime(when.year, when.month, when.day)
    if "month" not in params:  # one decimal year (the magnetic field)
        return {"year": _decimal_year(moment)}
    out: dict[str, int | float] = {"year": moment.year, "month": moment.month, "day": moment.day}
    utc = params.get("utc")
    if utc is not None:
        if utc.type == "integer":
            out["utc"] = moment.hour
        else:
            out["utc"] = (
                moment.hour + moment.minute / 60 + (moment.second + moment.microsecond / 1e6) / 3600
            )
    for name in ("hour", "minute", "second"):
        if name in params:
            out[name] = getattr(moment, name)
    return out


publish(__name__, globals())
