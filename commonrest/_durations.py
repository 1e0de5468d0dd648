"""Durations written in English, as ForgeRock configurations and APIs write them.

``"23 hours 59 minutes and 59 seconds"``, ``"5m"``, ``"1 day, 2h"``, ``"zero"`` and
``"unlimited"`` are all durations. Parsing ignores case; parts may be separated by
spaces, commas or the word ``and``; a number may touch its unit (``"10ms"``). Negative
durations do not exist. The result is a :class:`datetime.timedelta`, or :data:`UNLIMITED`
for the words meaning "no limit".

:func:`parse_duration` reads a string; :func:`to_timedelta` and :func:`to_seconds` also take
a ``timedelta`` or a number of seconds, so any option that takes a duration can accept all
of these forms.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Final, Literal, TypeAlias

from ._errors import InvalidArgumentError
from ._sentinels import Sentinel

__all__ = [
    "UNITS",
    "UNLIMITED",
    "UNLIMITED_WORDS",
    "ZERO_WORDS",
    "Duration",
    "DurationLike",
    "Unlimited",
    "format_duration",
    "parse_duration",
    "to_seconds",
    "to_timedelta",
]


class Unlimited(Sentinel, name="UNLIMITED"):
    """Type of :data:`UNLIMITED`, the duration with no end. There is one instance."""

    __slots__ = ()

    def __str__(self) -> str:
        return "unlimited"

    def __bool__(self) -> Literal[True]:
        return True


#: The duration that never ends ("indefinite", "infinity", "undefined", "unlimited").
UNLIMITED: Final = Unlimited()

#: A parsed duration: a length of time or :data:`UNLIMITED`.
Duration: TypeAlias = timedelta | Unlimited

#: What :func:`to_timedelta` accepts: a duration string, a ``timedelta``, a number of
#: seconds, or :data:`UNLIMITED`.
DurationLike: TypeAlias = str | timedelta | int | float | Unlimited

#: Words that mean "no limit".
UNLIMITED_WORDS: Final = frozenset({"indefinite", "infinity", "undefined", "unlimited"})
#: Words that mean a zero-length duration.
ZERO_WORDS: Final = frozenset({"zero", "disabled"})

_NS_PER: Final = {
    "days": 86_400 * 10**9,
    "hours": 3_600 * 10**9,
    "minutes": 60 * 10**9,
    "seconds": 10**9,
    "milliseconds": 10**6,
    "microseconds": 10**3,
    "nanoseconds": 1,
}

#: Every unit name and alias accepted, mapped to its canonical unit.
UNITS: Final[dict[str, str]] = {
    **dict.fromkeys(("days", "day", "d"), "days"),
    **dict.fromkeys(("hours", "hour", "h"), "hours"),
    **dict.fromkeys(("minutes", "minute", "min", "m"), "minutes"),
    **dict.fromkeys(("seconds", "second", "sec", "s"), "seconds"),
    **dict.fromkeys(
        ("milliseconds", "millisecond", "millisec", "millis", "milli", "ms"), "milliseconds"
    ),
    # "µs" with the micro sign (U+00B5) and with the Greek mu (U+03BC) are both accepted.
    **dict.fromkeys(
        ("microseconds", "microsecond", "microsec", "micros", "micro", "us", "\u00b5s", "\u03bcs"),
        "microseconds",
    ),
    **dict.fromkeys(("nanoseconds", "nanosecond", "nanosec", "nanos", "nano", "ns"), "nanoseconds"),
}
# Unit lookup happens after str.casefold(), which maps the micro sign to the Greek mu.
_UNIT_LOOKUP: Final = {name.casefold(): unit for name, unit in UNITS.items()}

# Numbers are ASCII digits only: "\d" would also take other scripts' digits ("\u0663").
# Such a digit is neither a number nor a letter here, so it becomes a one-character token
# that is refused as "expected a number".
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)?|[^\W\d_]+|\S")
_ASCII_DIGITS: Final = frozenset("0123456789")


def parse_duration(text: str) -> Duration:
    """Parse an English duration into a ``timedelta`` or :data:`UNLIMITED`.

    Nanoseconds are accepted and summed exactly, then truncated to whole microseconds
    (the resolution of ``timedelta``). Raises ``ValueError`` naming the input for an
    empty string, an unknown unit, a number without a unit, a fraction or a negative value.
    """
    if not isinstance(text, str):
        raise InvalidArgumentError(
            f"duration must be a string, got {type(text).__name__} ({text!r})"
        )
    folded = text.strip().casefold()
    if not folded:
        raise InvalidArgumentError("duration must not be empty")
    if folded in UNLIMITED_WORDS:
        return UNLIMITED
    if folded in ZERO_WORDS:
        return timedelta(0)

    tokens = _TOKEN.findall(folded)
    total_ns = 0
    parts = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("and", ","):
            # One separator between two parts: ",", "and", or ", and".
            width = 2 if tokens[i : i + 2] == [",", "and"] else 1
            if parts == 0 or i + width >= len(tokens) or tokens[i + width] in ("and", ","):
                raise InvalidArgumentError(
                    f"duration {text!r}: {token!r} must sit between two parts"
                )
            i += width
            continue
        if token in ("-", "\u2212"):
            raise InvalidArgumentError(f"negative durations are not supported: {text!r}")
        if token[0] not in _ASCII_DIGITS:
            if token in UNLIMITED_WORDS or token in ZERO_WORDS:
                raise InvalidArgumentError(
                    f"duration {text!r}: {token!r} must be used on its own, not with other parts"
                )
            raise InvalidArgumentError(f"duration {text!r}: expected a number, got {token!r}")
        if not all(ch in _ASCII_DIGITS for ch in token):
            raise InvalidArgumentError(f"duration {text!r}: {token!r} is not a whole number")
        if i + 1 >= len(tokens):
            raise InvalidArgumentError(f"duration {text!r}: the number {token} has no unit")
        unit_word = tokens[i + 1]
        unit = _UNIT_LOOKUP.get(unit_word)
        if unit is None:
            known = ", ".join(sorted(UNITS))
            raise InvalidArgumentError(
                f"duration {text!r}: unknown unit {unit_word!r} (known units: {known})"
            )
        total_ns += int(token) * _NS_PER[unit]
        parts += 1
        i += 2
    if parts == 0:
        raise InvalidArgumentError(f"duration {text!r} has no number and unit")
    try:
        return timedelta(microseconds=total_ns // 1000)
    except OverflowError:
        raise InvalidArgumentError(f"duration {text!r} is too long to represent") from None


def to_timedelta(value: DurationLike, *, name: str = "duration") -> Duration:
    """Any accepted duration form as a ``timedelta`` (or :data:`UNLIMITED`).

    ``name`` is the parameter name used in error messages. Numbers are seconds.
    """
    if isinstance(value, Unlimited):
        return value
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise InvalidArgumentError(f"{name} must not be negative, got {value!r}")
        return value
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be a duration, got {value!r}")
    if isinstance(value, (int, float)):
        if value != value or value < 0:  # NaN or negative
            raise InvalidArgumentError(
                f"{name} must be a non-negative number of seconds, got {value!r}"
            )
        if value == float("inf"):
            return UNLIMITED
        try:
            return timedelta(seconds=value)
        except OverflowError:
            raise InvalidArgumentError(
                f"{name} {value!r} seconds is too long to represent as a timedelta"
            ) from None
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise InvalidArgumentError(f"{name}: {exc}") from None
    raise InvalidArgumentError(
        f"{name} must be a duration string, a timedelta or a number of seconds, "
        f"got {type(value).__name__}"
    )


def to_seconds(value: DurationLike, *, name: str = "duration") -> float | None:
    """Any accepted duration form as seconds; ``None`` stands for unlimited.

    This is the shape timeout options usually take (``None`` meaning "no limit").
    """
    duration = to_timedelta(value, name=name)
    if isinstance(duration, Unlimited):
        return None
    return duration.total_seconds()


_FORMAT_UNITS: Final = (
    ("day", timedelta(days=1)),
    ("hour", timedelta(hours=1)),
    ("minute", timedelta(minutes=1)),
    ("second", timedelta(seconds=1)),
    ("millisecond", timedelta(milliseconds=1)),
    ("microsecond", timedelta(microseconds=1)),
)


def format_duration(value: Duration) -> str:
    """Write a duration in the same English form (``"1 day 2 hours and 3 seconds"``)."""
    if isinstance(value, Unlimited):
        return "unlimited"
    if not isinstance(value, timedelta):
        raise InvalidArgumentError(f"duration must be a timedelta or UNLIMITED, got {value!r}")
    if value < timedelta(0):
        raise InvalidArgumentError(f"negative durations are not supported: {value!r}")
    if not value:
        return "zero"
    parts: list[str] = []
    rest = value
    for unit, size in _FORMAT_UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    if len(parts) == 1:
        return parts[0]
    return " ".join(parts[:-1]) + " and " + parts[-1]
