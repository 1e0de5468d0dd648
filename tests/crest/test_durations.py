"""English durations: every unit and alias, keywords, case, negatives, conversions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonrest import NoAuth
from commonrest._durations import (
    UNLIMITED,
    Unlimited,
    format_duration,
    parse_duration,
    to_seconds,
    to_timedelta,
)

# Written out independently of the module's own table: alias -> length of one unit.
ALIASES: dict[str, timedelta] = {
    "days": timedelta(days=1),
    "day": timedelta(days=1),
    "d": timedelta(days=1),
    "hours": timedelta(hours=1),
    "hour": timedelta(hours=1),
    "h": timedelta(hours=1),
    "minutes": timedelta(minutes=1),
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "m": timedelta(minutes=1),
    "seconds": timedelta(seconds=1),
    "second": timedelta(seconds=1),
    "sec": timedelta(seconds=1),
    "s": timedelta(seconds=1),
    "milliseconds": timedelta(milliseconds=1),
    "millisecond": timedelta(milliseconds=1),
    "millisec": timedelta(milliseconds=1),
    "millis": timedelta(milliseconds=1),
    "milli": timedelta(milliseconds=1),
    "ms": timedelta(milliseconds=1),
    "microseconds": timedelta(microseconds=1),
    "microsecond": timedelta(microseconds=1),
    "microsec": timedelta(microseconds=1),
    "micros": timedelta(microseconds=1),
    "micro": timedelta(microseconds=1),
    "us": timedelta(microseconds=1),
    "\u00b5s": timedelta(microseconds=1),  # micro sign
    "\u03bcs": timedelta(microseconds=1),  # Greek small mu
}
NANO_ALIASES = ["nanoseconds", "nanosecond", "nanosec", "nanos", "nano", "ns"]


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_every_unit_and_alias(alias: str) -> None:
    unit = ALIASES[alias]
    assert parse_duration(f"7 {alias}") == 7 * unit
    assert parse_duration(f"7{alias}") == 7 * unit
    assert parse_duration(f"7 {alias.upper()}") == 7 * unit
    assert parse_duration(f"  7 {alias.title()}  ") == 7 * unit


@pytest.mark.parametrize("alias", NANO_ALIASES)
def test_nanoseconds_are_summed_then_truncated_to_microseconds(alias: str) -> None:
    assert parse_duration(f"2500 {alias}") == timedelta(microseconds=2)
    assert parse_duration(f"999 {alias}") == timedelta(0)
    assert parse_duration(f"600 {alias} 600 {alias.upper()}") == timedelta(microseconds=1)
    assert parse_duration(f"1 second 1000 {alias}") == timedelta(seconds=1, microseconds=1)


@pytest.mark.parametrize("word", ["indefinite", "infinity", "undefined", "unlimited"])
def test_unlimited_words(word: str) -> None:
    assert parse_duration(word) is UNLIMITED
    assert parse_duration(word.upper()) is UNLIMITED
    assert parse_duration(f" {word.capitalize()} ") is UNLIMITED


@pytest.mark.parametrize("word", ["zero", "disabled", "ZERO", "Disabled"])
def test_zero_words(word: str) -> None:
    assert parse_duration(word) == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23 hours 59 minutes and 59 seconds", timedelta(hours=23, minutes=59, seconds=59)),
        ("23 Hours 59 Minutes AND 59 Seconds", timedelta(hours=23, minutes=59, seconds=59)),
        ("1 day, 2 hours and 3 minutes", timedelta(days=1, hours=2, minutes=3)),
        ("1 day, 2 hours, and 3 minutes", timedelta(days=1, hours=2, minutes=3)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("0 seconds", timedelta(0)),
        ("1 hour 1 hour", timedelta(hours=2)),
        ("1500 ms", timedelta(seconds=1, milliseconds=500)),
        ("3 minutes and 250 millis", timedelta(minutes=3, milliseconds=250)),
    ],
)
def test_compound_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["-1 second", "- 5 minutes", "1 hour -5 minutes", "\u22122 s"])
def test_negative_durations_are_refused_naming_the_input(text: str) -> None:
    with pytest.raises(ValueError, match="negative") as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("5", "has no unit"),
        ("hours", "expected a number"),
        ("5 fortnights", "unknown unit 'fortnights'"),
        ("1.5 hours", "not a whole number"),
        ("1 hour and", "must sit between two parts"),
        ("and 1 hour", "must sit between two parts"),
        ("1 hour and, 2 s", "must sit between two parts"),
        ("1 hour, , 2 s", "must sit between two parts"),
        ("and", "must sit between two parts"),
        ("unlimited and 1 second", "on its own"),
        ("1 second zero", "on its own"),
        ("99999999999999 days", "too long"),
    ],
)
def test_malformed_durations(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_duration(text)


def test_parse_duration_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match="must be a string"):
        parse_duration(5)  # type: ignore[arg-type]


def test_unlimited_is_a_singleton() -> None:
    assert Unlimited() is UNLIMITED
    assert repr(UNLIMITED) == "UNLIMITED"
    assert str(UNLIMITED) == "unlimited"
    assert bool(UNLIMITED)


def test_to_timedelta_accepts_every_form() -> None:
    assert to_timedelta("2 minutes") == timedelta(minutes=2)
    assert to_timedelta(timedelta(seconds=3)) == timedelta(seconds=3)
    assert to_timedelta(1.5) == timedelta(seconds=1.5)
    assert to_timedelta(0) == timedelta(0)
    assert to_timedelta(float("inf")) is UNLIMITED
    assert to_timedelta(UNLIMITED) is UNLIMITED
    assert to_timedelta("infinity") is UNLIMITED


@pytest.mark.parametrize("bad", [-1, -0.5, float("nan"), timedelta(seconds=-1), True, [1]])
def test_to_timedelta_refuses_bad_values_naming_the_parameter(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^timeout"):
        to_timedelta(bad, name="timeout")  # type: ignore[arg-type]


def test_to_timedelta_names_the_parameter_for_bad_strings() -> None:
    with pytest.raises(ValueError, match=r"^lease: negative durations"):
        to_timedelta("-3 s", name="lease")


def test_to_seconds() -> None:
    assert to_seconds("1 minute and 30 seconds") == 90.0
    assert to_seconds("250ms") == 0.25
    assert to_seconds("unlimited") is None
    assert to_seconds(timedelta(hours=1)) == 3600.0
    assert to_seconds(2) == 2.0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(0), "zero"),
        (UNLIMITED, "unlimited"),
        (timedelta(seconds=1), "1 second"),
        (timedelta(hours=23, minutes=59, seconds=59), "23 hours 59 minutes and 59 seconds"),
        (timedelta(days=2, microseconds=3), "2 days and 3 microseconds"),
        (timedelta(milliseconds=1), "1 millisecond"),
    ],
)
def test_format_duration(value: timedelta, text: str) -> None:
    assert format_duration(value) == text


def test_format_duration_refuses_negatives() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration(timedelta(seconds=-1))


@given(st.timedeltas(min_value=timedelta(0)))
def test_format_then_parse_gives_the_same_duration(value: timedelta) -> None:
    assert parse_duration(format_duration(value)) == value


def test_durations_feed_the_client_options() -> None:
    from commonrest.crest import CommonRestClient

    with CommonRestClient(
        base_url="https://x.test",
        auth=NoAuth(),
        timeout=to_seconds("2 minutes"),
        deadline=to_seconds("unlimited"),
    ) as client:
        assert client.options.timeout.read == 120.0
        assert client.options.deadline is None  # unlimited: no overall deadline
        faster = client.with_options(timeout=to_seconds("1500 ms"))
        assert faster.options.timeout.connect == 1.5
    # The core refuses an unlimited per-attempt timeout: a request could hang forever.
    with pytest.raises(ValueError, match="hang forever"):
        CommonRestClient(base_url="https://x.test", auth=NoAuth(), timeout=to_seconds("indefinite"))


@pytest.mark.parametrize(
    "text",
    [
        "\u0663 s",  # ARABIC-INDIC DIGIT THREE
        "\u0967\u0966 minutes",  # DEVANAGARI ONE ZERO
        "\uff15 hours",  # FULLWIDTH DIGIT FIVE
        "1 hour \u0662 s",
        "\U0001d7d9 s",  # MATHEMATICAL DOUBLE-STRUCK DIGIT ONE
    ],
)
def test_only_ascii_digits_count_as_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="expected a number") as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


def test_ascii_digit_followed_by_another_script_digit_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        parse_duration("3\u0663 s")


@pytest.mark.parametrize("huge", [1e20, 10**30, 1e15, float(2**63)])
def test_to_timedelta_of_a_huge_number_is_a_value_error_naming_the_input(
    huge: float | int,
) -> None:
    with pytest.raises(ValueError, match="too long") as info:
        to_timedelta(huge, name="lease")
    message = str(info.value)
    assert message.startswith("lease") and repr(huge) in message
    with pytest.raises(ValueError, match="too long"):
        to_seconds(huge)
