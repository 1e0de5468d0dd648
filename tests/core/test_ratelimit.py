"""Client-side rate limiting, shared by threads and tasks, and learning from 429s.

These tests use real time (small windows): the virtual clock is switched off here.
"""

from __future__ import annotations

import threading
import time

import anyio
import httpx
import pytest
import respx

import commonrest._ratelimit
from commonrest import (
    APITimeoutError,
    CommonRestError,
    DeadlineExceededError,
    RateLimiter,
    RateLimitError,
    RateLimitTimeoutError,
)

from .api import AsyncPetClient, PetClient
from .helpers import PETS, pet

RATE, WINDOW = 5, 0.25
# Timestamps are taken when the mock receives a request, a little after the permit was
# granted; allow for that scheduling noise.
SLACK = 0.03


@pytest.fixture
def clock() -> None:
    """Overrides the virtual clock of conftest: rate limiting needs real time."""


def recording(router: respx.MockRouter) -> list[float]:
    """Make the pets endpoint record when each request arrives."""
    stamps: list[float] = []
    lock = threading.Lock()

    def answer(request: httpx.Request) -> httpx.Response:
        with lock:
            stamps.append(time.monotonic())
        return httpx.Response(200, json=pet())

    router.get(url__startswith=f"{PETS}/pets/").mock(side_effect=answer)
    return stamps


def busiest_window(stamps: list[float], window: float) -> int:
    """The largest number of requests that arrived within any ``window`` seconds."""
    ordered = sorted(stamps)
    best = 0
    for i, start in enumerate(ordered):
        inside = [t for t in ordered[i:] if t - start < window - SLACK]
        best = max(best, len(inside))
    return best


def test_threads_sharing_a_client_share_its_budget(router: respx.MockRouter) -> None:
    stamps = recording(router)
    limiter = RateLimiter(RATE, per=WINDOW)
    errors: list[BaseException] = []

    with PetClient(rate_limit=limiter) as client:

        def work(n: int) -> None:
            try:
                for i in range(5):
                    client.pets.get(f"pet-{n}-{i}")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    assert errors == []
    assert len(stamps) == 15
    assert busiest_window(stamps, WINDOW) <= RATE
    # the budget was used, not merely respected: 15 requests need three windows
    assert max(stamps) - min(stamps) >= 2 * WINDOW - SLACK
    limiter.close()


@pytest.mark.anyio
async def test_tasks_sharing_a_client_share_its_budget(router: respx.MockRouter) -> None:
    stamps = recording(router)
    limiter = RateLimiter(RATE, per=WINDOW)

    async with AsyncPetClient(rate_limit=limiter) as client:

        async def work(n: int) -> None:
            for i in range(5):
                await client.pets.get(f"pet-{n}-{i}")

        async with anyio.create_task_group() as group:
            for n in range(3):
                group.start_soon(work, n)

    assert len(stamps) == 15
    assert busiest_window(stamps, WINDOW) <= RATE
    limiter.close()


def test_with_options_copies_share_the_budget(router: respx.MockRouter) -> None:
    stamps = recording(router)
    with PetClient(rate_limit=RateLimiter(RATE, per=WINDOW)) as client:
        fast = client.with_options(timeout=3)
        for i in range(6):
            (client if i % 2 else fast).pets.get(f"pet-{i}")

    assert busiest_window(stamps, WINDOW) <= RATE


def test_a_429_with_retry_after_pauses_every_caller(router: respx.MockRouter) -> None:
    stamps: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            return httpx.Response(429, headers={"Retry-After": "0.4"})
        return httpx.Response(200, json=pet())

    router.get(url__startswith=f"{PETS}/pets/").mock(side_effect=answer)
    limiter = RateLimiter(100, per=1)

    with PetClient(rate_limit=limiter, max_retries=0) as client:
        with pytest.raises(RateLimitError):
            client.pets.get("first")
        client.pets.get("second")  # another call, not a retry: it still waits

    assert stamps[1] - stamps[0] >= 0.4 - SLACK
    limiter.close()


@pytest.mark.anyio
async def test_a_429_with_retry_after_pauses_every_task(router: respx.MockRouter) -> None:
    stamps: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            return httpx.Response(429, headers={"Retry-After": "0.4"})
        return httpx.Response(200, json=pet())

    router.get(url__startswith=f"{PETS}/pets/").mock(side_effect=answer)
    limiter = RateLimiter(100, per=1)

    async with AsyncPetClient(rate_limit=limiter, max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.pets.get("first")
        await client.pets.get("second")

    assert stamps[1] - stamps[0] >= 0.4 - SLACK
    limiter.close()


def test_the_limiter_wait_counts_against_the_deadline(router: respx.MockRouter) -> None:
    stamps = recording(router)
    limiter = RateLimiter(1, per=1.0)
    with PetClient(rate_limit=limiter) as client:
        client.pets.get("first")
        client.with_options(deadline=2).pets.get("second")  # waits ~1 s for a permit
    timeouts = [call.request.extensions["timeout"] for call in router.calls]
    assert timeouts[1]["read"] <= 2 - 0.5  # what was left of the deadline after the wait
    assert len(stamps) == 2
    limiter.close()


def test_a_permit_wait_beyond_the_deadline_fails_at_the_deadline(
    router: respx.MockRouter,
) -> None:
    recording(router)
    limiter = RateLimiter(1, per=3.0)
    with PetClient(rate_limit=limiter, deadline=0.3) as client:
        client.pets.get("first")
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError, match="rate-limit permit") as info:
            client.pets.get("second")  # the next permit is ~3 s away
        assert time.monotonic() - started < 1.5
    assert info.value.sent is False
    assert len(router.calls) == 1
    limiter.close()


@pytest.mark.anyio
async def test_an_async_permit_wait_beyond_the_deadline_fails_at_the_deadline(
    router: respx.MockRouter,
) -> None:
    recording(router)
    limiter = RateLimiter(1, per=3.0)
    async with AsyncPetClient(rate_limit=limiter, deadline=0.3) as client:
        await client.pets.get("first")
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError, match="rate-limit permit"):
            await client.pets.get("second")
        assert time.monotonic() - started < 1.5
    assert len(router.calls) == 1
    limiter.close()


def test_a_server_pause_beyond_the_deadline_fails_at_once(router: respx.MockRouter) -> None:
    recording(router)
    limiter = RateLimiter(10, max_wait=10)
    limiter.pause(3.0)
    with PetClient(rate_limit=limiter, deadline=0.3) as client:
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            client.pets.get("first")
        assert time.monotonic() - started < 1.0
    assert len(router.calls) == 0
    limiter.close()


def test_no_permit_within_max_wait_is_an_sdk_timeout(router: respx.MockRouter) -> None:
    recording(router)
    limiter = RateLimiter(1, per=3.0, max_wait=0.1)
    with PetClient(rate_limit=limiter, deadline=None) as client:
        client.pets.get("first")
        with pytest.raises(RateLimitTimeoutError) as info:
            client.pets.get("second")
    error = info.value
    assert isinstance(error, APITimeoutError)
    assert isinstance(error, CommonRestError)
    assert isinstance(error, TimeoutError)  # what the limiter raised before
    assert "max_wait=0.1s" in str(error)
    assert error.method == "GET"
    assert error.url.endswith("/pets/second")
    assert error.sent is False
    limiter.close()


@pytest.mark.anyio
async def test_no_async_permit_within_max_wait_is_an_sdk_timeout() -> None:
    limiter = RateLimiter(1, per=3.0, max_wait=0.1)
    await limiter.acquire_async()
    with pytest.raises(RateLimitTimeoutError, match="max_wait"):
        await limiter.acquire_async()
    limiter.close()


def test_rate_limiter_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="requests"):
        RateLimiter(0)
    with pytest.raises(ValueError, match="period"):
        RateLimiter(5, per=0)
    with pytest.raises(ValueError, match="rate_limit"):
        PetClient(rate_limit=True)


# ------------------------------------------------------------------------- closing


@pytest.fixture
def closes(monkeypatch: pytest.MonkeyPatch) -> list[RateLimiter]:
    """Every RateLimiter.close() call, by limiter."""
    closed: list[RateLimiter] = []
    original = commonrest._ratelimit.RateLimiter.close

    def spy(self: RateLimiter) -> None:
        closed.append(self)
        original(self)

    monkeypatch.setattr(commonrest._ratelimit.RateLimiter, "close", spy)
    return closed


def test_a_limiter_the_user_passed_is_not_closed(closes: list[RateLimiter]) -> None:
    limiter = RateLimiter(10)
    client = PetClient(rate_limit=limiter)
    copy = client.with_options(timeout=5)
    copy.close()
    client.close()
    assert closes == []
    limiter.close()


def test_a_limiter_the_client_created_is_closed_once(closes: list[RateLimiter]) -> None:
    client = PetClient(rate_limit=10)
    copy = client.with_options(timeout=5)
    copy.close()
    client.close()
    client.close()
    assert len(closes) == 1


@pytest.mark.anyio
async def test_async_clients_close_only_what_they_created(closes: list[RateLimiter]) -> None:
    limiter = RateLimiter(10)
    async with AsyncPetClient(rate_limit=limiter) as client:
        await client.with_options(timeout=5).close()
    assert closes == []

    async with AsyncPetClient(rate_limit=10) as client:
        await client.with_options(timeout=5).close()
    assert len(closes) == 1
    limiter.close()
