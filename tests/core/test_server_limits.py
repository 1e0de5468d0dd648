"""Reading the budget a server announces, and pacing requests to stay within it."""

from __future__ import annotations

import httpx
import pytest
import respx

from commonrest import APIConnectionError, RateLimitError, ServerLimit
from commonrest._server_limits import ServerBudget, parse_server_limit
from tests.core.api import PetClient
from tests.core.helpers import PETS

NOW = 1_800_000_000.0  # a Unix time


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {"RateLimit": '"default";r=5;t=30', "RateLimit-Policy": '"default";q=100;w=60'},
            ServerLimit(remaining=5, reset=30, limit=100, window=60, policy='"default";q=100;w=60'),
        ),
        (
            {"RateLimit": '"burst";r=0;t=2, "day";r=900;t=40000'},
            ServerLimit(remaining=0, reset=2),
        ),
        (
            {"RateLimit-Limit": "15", "RateLimit-Remaining": "3", "RateLimit-Reset": "1"},
            ServerLimit(remaining=3, reset=1, limit=15),
        ),
        (
            {"RateLimit-Limit": "10, 10;w=1, 1000;w=3600", "RateLimit-Remaining": "9"},
            ServerLimit(remaining=9, reset=None, limit=10),
        ),
        (
            {
                "X-RateLimit-Limit": "5000",
                "X-RateLimit-Remaining": "4999",
                "X-RateLimit-Reset": str(int(NOW) + 120),
            },
            ServerLimit(remaining=4999, reset=120, limit=5000),
        ),
        (
            {"X-Rate-Limit-Remaining": "7", "X-Rate-Limit-Reset": "12.5"},
            ServerLimit(remaining=7, reset=12.5),
        ),
        (
            {"X-RateLimit-Remaining": "3", "X-RateLimit-Reset": str(int(NOW) * 1000 + 30_000)},
            ServerLimit(remaining=3, reset=30),
        ),
    ],
    ids=[
        "structured",
        "structured-first-item",
        "draft",
        "draft-policy-list",
        "x-epoch",
        "x-dash",
        "x-epoch-ms",
    ],
)
def test_every_header_family_is_read(headers: dict[str, str], expected: ServerLimit) -> None:
    assert parse_server_limit(httpx.Headers(headers), now_unix=NOW) == expected


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"RateLimit-Remaining": "many"},
        {"X-RateLimit-Remaining": "-1"},
        {"RateLimit": '"default";t=30'},
        {"X-RateLimit-Remaining": "nan"},
    ],
)
def test_nothing_or_nonsense_announces_nothing(headers: dict[str, str]) -> None:
    assert parse_server_limit(httpx.Headers(headers), now_unix=NOW) is None


def _announce(
    limits: ServerBudget, remaining: int, reset: float, at: float, limit: int = 10
) -> None:
    limits.learn(
        httpx.Headers(
            {
                "RateLimit-Limit": str(limit),
                "RateLimit-Remaining": str(remaining),
                "RateLimit-Reset": str(reset),
            }
        ),
        now=at,
    )


def test_no_wait_until_a_budget_is_announced_or_while_plenty_is_left() -> None:
    limits = ServerBudget()
    assert [limits.reserve(now=t) for t in (0.0, 0.0, 0.0)] == [0.0, 0.0, 0.0]
    for _ in range(3):
        limits.learn(httpx.Headers({}), now=0.0)  # their answers announce nothing
    _announce(limits, remaining=8, reset=1.0, at=0.0, limit=10)
    assert [limits.reserve(now=0.0) for _ in range(6)] == [0.0] * 6


def test_requests_in_flight_when_a_budget_is_announced_count_against_it() -> None:
    limits = ServerBudget()
    assert [limits.reserve(now=0.0) for _ in range(4)] == [0.0] * 4
    # The first answer says 7 of 8 are left; the three still in flight may be counted by
    # the server already, so only 4 remain: three go at once, then they are spread.
    _announce(limits, remaining=7, reset=1.0, at=0.0, limit=8)
    assert [limits.reserve(now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limits.reserve(now=0.0) == pytest.approx(0.5)


def test_the_last_requests_of_a_window_are_spread_over_the_time_to_reset() -> None:
    limits = ServerBudget()
    _announce(limits, remaining=2, reset=1.0, at=0.0, limit=10)
    waits = [limits.reserve(now=0.0) for _ in range(2)]
    assert waits == [0.0, pytest.approx(0.5)]


def test_a_spent_budget_holds_every_caller_until_the_reset() -> None:
    limits = ServerBudget()
    _announce(limits, remaining=0, reset=0.8, at=10.0)
    assert [limits.reserve(now=10.0) for _ in range(3)] == [pytest.approx(0.8)] * 3
    assert limits.reserve(now=10.5) == pytest.approx(0.3)


def test_requests_sent_since_an_announcement_count_against_it() -> None:
    limits = ServerBudget()
    _announce(limits, remaining=12, reset=1.0, at=0.0, limit=100)  # spread below 10 left
    assert [limits.reserve(now=0.0) for _ in range(2)] == [0.0, 0.0]
    # A response to a request sent before those two still says 12; ours (10) is lower,
    # so the spreading starts now rather than two requests later.
    _announce(limits, remaining=12, reset=0.9, at=0.1, limit=100)
    assert limits.reserve(now=0.1) == 0.0
    assert limits.reserve(now=0.1) == pytest.approx(0.9 / 10)


def test_after_the_reset_a_known_quota_starts_a_new_window() -> None:
    limits = ServerBudget()
    limits.learn(
        httpx.Headers({"RateLimit": '"q";r=0;t=1', "RateLimit-Policy": '"q";q=10;w=1'}), now=0.0
    )
    assert limits.reserve(now=0.0) == pytest.approx(1.0)
    assert [limits.reserve(now=1.0) for _ in range(8)] == [0.0] * 8


def test_after_the_reset_an_unknown_quota_waits_for_the_next_announcement() -> None:
    limits = ServerBudget()
    limits.learn(httpx.Headers({"RateLimit-Remaining": "0", "RateLimit-Reset": "1"}), now=0.0)
    assert limits.reserve(now=0.5) == pytest.approx(0.5)
    assert [limits.reserve(now=2.0) for _ in range(20)] == [0.0] * 20  # nothing to go by


def test_without_an_announced_window_the_longest_reset_stands_for_it() -> None:
    limits = ServerBudget()
    _announce(limits, remaining=9, reset=2.0, at=0.0, limit=10)  # a window's first answer
    _announce(limits, remaining=0, reset=1.0, at=1.0, limit=10)
    assert limits.reserve(now=1.0) == pytest.approx(1.0)
    # At the reset the held callers go by the quota of the new window, not all at once.
    waits = [limits.reserve(now=2.0) for _ in range(12)]
    assert waits[:8] == [0.0] * 8
    assert all(w > 0 for w in waits[9:])


def test_a_429_says_what_the_server_announced(router: respx.MockRouter) -> None:
    router.get(url__startswith=f"{PETS}/pets/").mock(
        return_value=httpx.Response(
            429,
            headers={
                "Retry-After": "3",
                "RateLimit": '"default";r=0;t=3',
                "RateLimit-Policy": '"default";q=15;w=1',
            },
        )
    )
    with PetClient(max_retries=0) as client, pytest.raises(RateLimitError) as caught:
        client.pets.get("rex")
    assert caught.value.server_limit == ServerLimit(
        remaining=0, reset=3, limit=15, window=1, policy='"default";q=15;w=1'
    )
    assert caught.value.retry_after == 3


def test_an_attempt_that_got_no_answer_stops_counting_as_in_flight(
    router: respx.MockRouter,
) -> None:
    # Attempts that fail on the connection are never answered. Were they still counted as
    # in flight, the next window's announcement of 20 left would read as spent and the
    # call after it would be held (here: refused, as the wait outlasts its deadline).
    pet = {"petId": "rex", "name": "Rex"}

    def answer(left: int, reset: int) -> httpx.Response:
        announced = {"RateLimit-Remaining": str(left), "RateLimit-Reset": str(reset)}
        return httpx.Response(200, json=pet, headers=announced)

    router.get(f"{PETS}/pets/rex").mock(side_effect=[answer(50, 0), answer(20, 60), answer(19, 60)])
    router.get(f"{PETS}/pets/gone").mock(side_effect=httpx.ConnectError("refused"))
    with PetClient(max_retries=0, deadline=5) as client:
        client.pets.get("rex")
        for _ in range(20):
            with pytest.raises(APIConnectionError):
                client.pets.get("gone")
        client.pets.get("rex")  # a new window: 20 left
        assert client.pets.get("rex").name == "Rex"
