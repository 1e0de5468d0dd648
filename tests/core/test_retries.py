"""The retry policy: what is retried, how long we wait, and when we give up."""

from __future__ import annotations

import email.utils
import uuid
from collections.abc import Iterator

import httpx
import pytest
import respx

from commonrest import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    DeadlineExceededError,
    RateLimitError,
    RetryEvent,
    RetryPolicy,
    ServiceUnavailableError,
)

from .helpers import PETS, SHOP, Clock, Factory, pet, resolve, sent

pytestmark = pytest.mark.anyio


def answers(*responses: httpx.Response | Exception) -> Iterator[httpx.Response | Exception]:
    """A respx side effect giving ``responses`` in order (the last one repeats)."""
    items = list(responses)
    while True:
        yield items.pop(0) if len(items) > 1 else items[0]


def unavailable(**headers: str) -> httpx.Response:
    return httpx.Response(503, json={"message": "try later"}, headers=headers)


NO_JITTER = RetryPolicy(max_attempts=5, backoff_base=1.0, backoff_cap=8.0, jitter=False)


# ------------------------------------------------------------------------- what is retried


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_transient_statuses_are_retried(
    make: Factory, router: respx.MockRouter, clock: Clock, status: int
) -> None:
    route = router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(
            httpx.Response(status), httpx.Response(status), httpx.Response(200, json=pet())
        )
    )
    client = make()

    assert (await resolve(client.pets.get("rex"))).pet_id == "rex"
    assert route.call_count == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
async def test_other_statuses_are_not_retried(
    make: Factory, router: respx.MockRouter, clock: Clock, status: int
) -> None:
    route = router.get(f"{PETS}/pets/rex").respond(status)
    client = make()

    with pytest.raises(APIStatusError):
        await resolve(client.pets.get("rex"))
    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut")],
)
async def test_connection_failures_and_timeouts_are_retried(
    make: Factory, router: respx.MockRouter, failure: Exception
) -> None:
    route = router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(failure, httpx.Response(200, json=pet()))
    )
    client = make()

    assert (await resolve(client.pets.get("rex"))).pet_id == "rex"
    assert route.call_count == 2


async def test_a_policy_can_leave_timeouts_and_connection_errors_alone(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.get(f"{PETS}/pets/rex").mock(side_effect=httpx.ReadTimeout("slow"))
    client = make(retry=RetryPolicy(retry_timeouts=False))
    with pytest.raises(APITimeoutError):
        await resolve(client.pets.get("rex"))
    assert route.call_count == 1

    route.side_effect = httpx.ConnectError("refused")
    client = make(retry=RetryPolicy(retry_connection_errors=False))
    with pytest.raises(APIConnectionError):
        await resolve(client.pets.get("rex"))
    assert route.call_count == 2


async def test_attempts_are_bounded_and_counted_on_the_error(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    route = router.get(f"{PETS}/pets/rex").mock(side_effect=answers(unavailable()))
    client = make(retry=RetryPolicy(max_attempts=4))

    with pytest.raises(ServiceUnavailableError) as info:
        await resolve(client.pets.get("rex"))

    assert route.call_count == 4
    assert info.value.attempts == 4
    assert "after 4 attempts" in str(info.value)
    assert len(clock.sleeps) == 3


async def test_max_retries_per_client_and_per_call(make: Factory, router: respx.MockRouter) -> None:
    route = router.get(f"{PETS}/pets/rex").mock(side_effect=answers(unavailable()))
    client = make(max_retries=0)

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.pets.get("rex"))
    assert route.call_count == 1

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.with_options(max_retries=4).pets.get("rex"))
    assert route.call_count == 1 + 5


# ------------------------------------------------------------------------- backoff


async def test_backoff_doubles_up_to_its_cap_without_jitter(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    router.get(f"{PETS}/pets/rex").mock(side_effect=answers(unavailable()))
    client = make(
        retry=RetryPolicy(max_attempts=7, backoff_base=0.5, backoff_cap=4.0, jitter=False),
        deadline=None,
    )

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.pets.get("rex"))

    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


async def test_full_jitter_stays_between_zero_and_the_exponential_bound(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    router.get(f"{PETS}/pets/rex").mock(side_effect=answers(unavailable()))
    client = make(
        retry=RetryPolicy(max_attempts=40, backoff_base=0.5, backoff_cap=4.0), deadline=None
    )

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.pets.get("rex"))

    bounds = [min(4.0, 0.5 * 2**n) for n in range(39)]
    assert len(clock.sleeps) == 39
    assert all(0 <= s <= b for s, b in zip(clock.sleeps, bounds, strict=True))
    assert len(set(clock.sleeps)) > 30  # really random, not the bound itself
    assert any(s < b / 2 for s, b in zip(clock.sleeps, bounds, strict=True))


def test_a_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="backoff_cap"):
        RetryPolicy(backoff_cap=-1)
    with pytest.raises(ValueError, match="retry_after_cap"):
        RetryPolicy(retry_after_cap=float("inf"))
    with pytest.raises(ValueError, match="backoff_base"):
        RetryPolicy(backoff_base="soon")
    with pytest.raises(ValueError, match="retry_after_cap"):
        RetryPolicy(retry_after_cap="indefinite")  # a cap must be finite


def test_a_policy_takes_durations_as_well_as_seconds() -> None:
    from datetime import timedelta

    policy = RetryPolicy(
        backoff_base=timedelta(milliseconds=250), backoff_cap="2 minutes", retry_after_cap="1 h"
    )
    assert (policy.backoff_base, policy.backoff_cap, policy.retry_after_cap) == (
        0.25,
        120.0,
        3600.0,
    )
    assert policy.retry_after_cap_seconds == 3600.0
    assert policy == RetryPolicy(backoff_base=0.25, backoff_cap=120, retry_after_cap=3600)


# ------------------------------------------------------------------------- callbacks


async def test_on_retry_and_on_give_up_see_every_decision(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(
            unavailable(**{"X-Request-Id": "r-1"}),
            httpx.ConnectError("refused"),
            unavailable(**{"X-Request-Id": "r-3"}),
        )
    )
    retried: list[RetryEvent] = []
    gave_up: list[RetryEvent] = []
    policy = RetryPolicy(
        max_attempts=3, jitter=False, on_retry=retried.append, on_give_up=gave_up.append
    )
    client = make(retry=policy)

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.pets.get("rex"))

    assert [(e.attempt, e.delay, e.reason, e.request_id) for e in retried] == [
        (1, 0.5, "status 503", "r-1"),
        (2, 1.0, "connection error", None),
    ]
    assert len(gave_up) == 1
    assert gave_up[0].attempt == 3
    assert "attempts exhausted" in gave_up[0].reason
    assert gave_up[0].request_id == "r-3"
    assert isinstance(gave_up[0].error, ServiceUnavailableError)


# ------------------------------------------------------------------------- Retry-After


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "2.5"}, 2.5),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
    ],
)
async def test_retry_after_in_seconds_is_the_wait(
    make: Factory, router: respx.MockRouter, clock: Clock, headers: dict[str, str], expected: float
) -> None:
    router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(unavailable(**headers), httpx.Response(200, json=pet()))
    )
    client = make()

    await resolve(client.pets.get("rex"))

    assert clock.sleeps == [expected]


async def test_retry_after_as_an_http_date_is_the_wait(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    when = email.utils.formatdate(clock.time() + 30, usegmt=True)
    router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(
            httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200, json=pet())
        )
    )
    client = make()

    await resolve(client.pets.get("rex"))

    assert len(clock.sleeps) == 1
    assert 28 <= clock.sleeps[0] <= 30


async def test_an_unreadable_retry_after_falls_back_to_backoff(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(unavailable(**{"Retry-After": "soon"}), httpx.Response(200, json=pet()))
    )
    client = make(retry=NO_JITTER)
    await resolve(client.pets.get("rex"))
    assert clock.sleeps == [1.0]


@pytest.mark.parametrize("header", ["3600", "retry-after-ms:3600000", "date"])
async def test_retry_after_above_the_cap_is_raised_at_once_with_the_wait(
    make: Factory, router: respx.MockRouter, clock: Clock, header: str
) -> None:
    if header == "date":
        headers = {"Retry-After": email.utils.formatdate(clock.time() + 3600, usegmt=True)}
    elif header.startswith("retry-after-ms"):
        headers = {"retry-after-ms": header.split(":")[1]}
    else:
        headers = {"Retry-After": header}
    route = router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(httpx.Response(429, headers=headers), httpx.Response(200, json=pet()))
    )
    gave_up: list[RetryEvent] = []
    client = make(retry=RetryPolicy(retry_after_cap=60, on_give_up=gave_up.append))

    with pytest.raises(RateLimitError) as info:
        await resolve(client.pets.get("rex"))

    assert route.call_count == 1
    assert clock.sleeps == []
    assert info.value.retry_after is not None
    assert 3590 <= info.value.retry_after <= 3600
    assert "above cap" in gave_up[0].reason


async def test_retry_after_within_a_raised_cap_is_honoured(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(unavailable(**{"Retry-After": "90"}), httpx.Response(200, json=pet()))
    )
    client = make(retry=RetryPolicy(retry_after_cap=120))
    await resolve(client.pets.get("rex"))
    assert clock.sleeps == [90]


async def test_retry_after_beyond_the_deadline_is_raised_at_once(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    route = router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(unavailable(**{"Retry-After": "20"}), httpx.Response(200, json=pet()))
    )
    client = make(deadline=10)

    with pytest.raises(ServiceUnavailableError) as info:
        await resolve(client.pets.get("rex"))

    assert route.call_count == 1
    assert clock.sleeps == []
    assert info.value.retry_after == 20


# ------------------------------------------------------------------------- deadline


async def test_the_deadline_bounds_all_attempts_and_sleeps(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    route = router.get(f"{PETS}/pets/rex").mock(side_effect=answers(unavailable()))
    client = make(retry=RetryPolicy(max_attempts=10, backoff_base=1.0, jitter=False), deadline=5)

    with pytest.raises(ServiceUnavailableError) as info:
        await resolve(client.pets.get("rex"))

    # waits of 1 s and 2 s fit in 5 s; the next (4 s) would not
    assert clock.sleeps == [1.0, 2.0]
    assert route.call_count == 3
    assert info.value.attempts == 3


async def test_slow_attempts_use_up_the_deadline(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    def slow_timeout(request: httpx.Request) -> httpx.Response:
        clock.advance(4)
        raise httpx.ReadTimeout("slow", request=request)

    route = router.get(f"{PETS}/pets/rex").mock(side_effect=slow_timeout)
    client = make(retry=RetryPolicy(max_attempts=10, backoff_base=0.1, jitter=False), deadline=10)

    with pytest.raises(DeadlineExceededError) as info:
        await resolve(client.pets.get("rex"))

    assert route.call_count == 3  # 4 s + 0.1 + 4 s + 0.2 + 4 s > 10 s
    assert isinstance(info.value, APITimeoutError)
    assert "deadline of 10s" in str(info.value)


async def test_each_attempt_timeout_is_clipped_to_the_time_left(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    def slow_unavailable(request: httpx.Request) -> httpx.Response:
        clock.advance(7)
        return unavailable()

    router.get(f"{PETS}/pets/rex").mock(
        side_effect=answers(slow_unavailable, httpx.Response(200, json=pet()))  # type: ignore[arg-type]
    )
    client = make(timeout=60, deadline=10, retry=NO_JITTER)

    await resolve(client.pets.get("rex"))

    first, second = (r.extensions["timeout"] for r in sent(router))
    assert 9.5 <= first["read"] <= 10  # 60 s per attempt, but only 10 s for the call
    assert 1.5 <= second["read"] <= 2.0  # 10 - 7 - 1 (backoff) = 2 s left
    assert second["connect"] == second["read"]


async def test_no_deadline_means_only_attempts_bound_the_call(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    router.get(f"{PETS}/pets/rex").mock(side_effect=answers(unavailable(**{"Retry-After": "50"})))
    client = make(deadline=None, retry=RetryPolicy(max_attempts=4))
    with pytest.raises(ServiceUnavailableError):
        await resolve(client.pets.get("rex"))
    assert clock.sleeps == [50, 50, 50]


# ------------------------------------------------------------------------- unsafe methods


async def test_a_post_without_idempotency_key_is_not_retried_after_a_503(
    make: Factory, router: respx.MockRouter, clock: Clock
) -> None:
    route = router.post(f"{PETS}/pets").mock(
        side_effect=answers(unavailable(), httpx.Response(200, json=pet()))
    )
    gave_up: list[RetryEvent] = []
    client = make(retry=RetryPolicy(on_give_up=gave_up.append))

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.pets.create({"name": "Rex"}))

    assert route.call_count == 1
    assert clock.sleeps == []
    assert "not idempotent" in gave_up[0].reason
    assert "idempotency-key" not in route.calls[0].request.headers


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut"), httpx.ReadError("x")]
)
async def test_a_post_that_may_have_reached_the_server_is_not_retried(
    make: Factory, router: respx.MockRouter, failure: Exception
) -> None:
    route = router.post(f"{PETS}/pets").mock(
        side_effect=answers(failure, httpx.Response(200, json=pet()))
    )
    client = make()

    with pytest.raises(APIConnectionError):
        await resolve(client.pets.create({"name": "Rex"}))
    assert route.call_count == 1


@pytest.mark.parametrize("failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("x")])
async def test_a_post_that_failed_before_sending_is_retried(
    make: Factory, router: respx.MockRouter, failure: Exception
) -> None:
    route = router.post(f"{PETS}/pets").mock(
        side_effect=answers(failure, httpx.Response(200, json=pet()))
    )
    client = make()

    assert (await resolve(client.pets.create({"name": "Rex"}))).pet_id == "rex"
    assert route.call_count == 2


async def test_a_post_with_a_key_is_retried_with_the_same_key(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.post(f"{SHOP}/orders").mock(
        side_effect=answers(unavailable(), httpx.ReadTimeout("slow"), httpx.Response(200, json={}))
    )
    client = make()

    await resolve(client.with_options(idempotency_key="order-17").orders.create("bone"))

    assert route.call_count == 3
    assert [r.headers["idempotency-key"] for r in sent(router)] == ["order-17"] * 3
    assert {r.content for r in sent(router)} == {b'{"item":"bone"}'}


async def test_a_key_does_not_make_a_post_retryable_where_the_service_ignores_keys(
    make: Factory, router: respx.MockRouter
) -> None:
    # the pets service declares no idempotency header: a repeat could create a second pet
    route = router.post(f"{PETS}/pets").mock(side_effect=answers(unavailable()))
    client = make()

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.with_options(idempotency_key="order-17").pets.create({"name": "Rex"}))

    assert route.call_count == 1
    assert route.calls.last.request.headers["idempotency-key"] == "order-17"


async def test_a_read_only_post_is_retried_like_a_get(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.post(f"{PETS}/pets/search").mock(
        side_effect=answers(unavailable(), httpx.Response(200, json={"pets": [pet()]}))
    )
    client = make()

    result = await resolve(client.pets.search("rex"))

    assert [p.pet_id for p in result.pets] == ["rex"]
    assert route.call_count == 2
    assert "idempotency-key" not in route.calls[0].request.headers


async def test_a_service_with_an_idempotency_header_gets_a_generated_key(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.post(f"{SHOP}/orders").mock(
        side_effect=answers(unavailable(), httpx.Response(200, json={"id": "o-1"}))
    )
    client = make()

    assert await resolve(client.orders.create("bone")) == {"id": "o-1"}
    await resolve(client.orders.create("ball"))

    keys = [r.headers["idempotency-key"] for r in sent(router)]
    assert route.call_count == 3
    assert keys[0] == keys[1]  # the same key on every attempt of one call
    assert keys[2] != keys[0]  # a new key for a new call
    for key in keys:  # random (version 4) UUIDs in their canonical text
        parsed = uuid.UUID(key)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, key)


async def test_a_key_given_by_the_caller_wins_over_the_generated_one(
    make: Factory, router: respx.MockRouter
) -> None:
    router.post(f"{SHOP}/orders").respond(200, json={})
    client = make()
    await resolve(client.with_options(idempotency_key="mine-1").orders.create("bone"))
    assert sent(router)[0].headers["idempotency-key"] == "mine-1"


async def test_generated_keys_can_be_switched_off(make: Factory, router: respx.MockRouter) -> None:
    route = router.post(f"{SHOP}/orders").mock(side_effect=answers(unavailable()))
    client = make(auto_idempotency_keys=False)

    with pytest.raises(ServiceUnavailableError):
        await resolve(client.orders.create("bone"))

    assert route.call_count == 1
    assert "idempotency-key" not in route.calls[0].request.headers


async def test_safe_methods_are_retried_without_a_key(
    make: Factory, router: respx.MockRouter
) -> None:
    put = router.put(f"{PETS}/pets/rex").mock(
        side_effect=answers(unavailable(), httpx.Response(201, headers={"Location": "/pets/rex"}))
    )
    delete = router.delete(f"{PETS}/pets/rex").mock(
        side_effect=answers(httpx.ReadTimeout("slow"), httpx.Response(204))
    )
    client = make()

    from .api import NewPet

    await resolve(client.pets.replace("rex", NewPet(name="Rex")))
    await resolve(client.pets.delete("rex"))

    assert put.call_count == 2
    assert delete.call_count == 2
    assert "idempotency-key" not in put.calls[0].request.headers
