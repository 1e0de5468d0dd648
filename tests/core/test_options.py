"""Transport options per client and per call, and what they refuse."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx

from commonrest import (
    APIKeyAuth,
    ClientClosedError,
    ConfigurationError,
    InvalidArgumentError,
    Timeout,
)

from .api import AsyncPetClient, PetClient
from .helpers import PETS, Factory, Kind, pet, resolve, sent

pytestmark = pytest.mark.anyio


async def test_the_client_timeout_applies_to_every_attempt(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(timeout=Timeout(connect=2, read=7, write=3, pool=1), deadline=None)

    await resolve(client.pets.get("rex"))

    assert sent(router)[0].extensions["timeout"] == {
        "connect": 2,
        "read": 7,
        "write": 3,
        "pool": 1,
    }


async def test_with_options_changes_one_call_and_leaves_the_client_alone(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(timeout=30, deadline=None, headers={"X-Team": "pets", "X-Trace": "a"})

    await resolve(client.with_options(timeout=2, headers={"X-Trace": "b"}).pets.get("rex"))
    await resolve(client.pets.get("rex"))

    first, second = sent(router)
    assert first.extensions["timeout"]["read"] == 2
    assert first.headers["x-team"] == "pets"
    assert first.headers["x-trace"] == "b"
    assert second.extensions["timeout"]["read"] == 30
    assert second.headers["x-trace"] == "a"


async def test_a_bound_operation_kept_on_a_resource_runs_with_that_clients_options(
    make: Factory, router: respx.MockRouter
) -> None:
    # An operation is bound once per resource and reused; a with_options copy and the raw
    # mode have resources of their own, so what they bind runs with their options.
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(headers={"X-Trace": "a"})
    pets = client.pets
    get = pets.get
    assert pets.get is get

    copy = client.with_options(headers={"X-Trace": "b"})
    assert copy.pets.get is not get
    await resolve(copy.pets.get("rex"))
    await resolve(get("rex"))
    raw = await resolve(client.with_raw_response.pets.get("rex"))

    assert [r.headers["x-trace"] for r in sent(router)] == ["b", "a", "a"]
    assert raw.http_response.status_code == 200


async def test_an_httpx_timeout_is_accepted_when_every_phase_is_bounded(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(timeout=httpx.Timeout(4.0, connect=1.0), deadline=None)
    await resolve(client.pets.get("rex"))
    assert sent(router)[0].extensions["timeout"] == {
        "connect": 1.0,
        "read": 4.0,
        "write": 4.0,
        "pool": 4.0,
    }


async def test_default_headers_identify_the_sdk(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make()
    await resolve(client.pets.get("rex"))
    headers = sent(router)[0].headers
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("commonrest/")


async def test_api_parameters_and_options_never_collide(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex/wait").respond(200, json=pet())
    client = make(deadline=None)

    await resolve(
        client.with_options(timeout=3, headers={"X-A": "1"}).pets.wait(
            "rex", timeout=120, headers="all"
        )
    )

    request = sent(router)[0]
    assert request.url.params["timeout"] == "120"
    assert request.url.params["headers"] == "all"
    assert request.extensions["timeout"]["read"] == 3
    assert request.headers["x-a"] == "1"


async def test_idempotency_key_per_call(make: Factory, router: respx.MockRouter) -> None:
    router.post(f"{PETS}/pets").respond(200, json=pet())
    client = make()

    await resolve(client.with_options(idempotency_key="k-1").pets.create({"name": "Rex"}))
    await resolve(client.pets.create({"name": "Rex"}))

    first, second = sent(router)
    assert first.headers["idempotency-key"] == "k-1"
    assert "idempotency-key" not in second.headers


# ------------------------------------------------------------------------- pools


def test_with_options_copies_share_the_connection_pool() -> None:
    with PetClient() as client:
        copy = client.with_options(timeout=3, max_retries=1, headers={"X": "y"})
        assert copy._pool.get() is client._pool.get()
        assert copy is not client
        assert copy.options.timeout.read == 3
        assert client.options.timeout.read == 60
        assert type(copy) is PetClient


async def test_async_copies_share_the_connection_pool() -> None:
    async with AsyncPetClient() as client:
        copy = client.with_options(timeout=3)
        assert copy._pool.get() is client._pool.get()


def test_a_user_supplied_http_client_is_used_and_left_open() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pet())

    http = httpx.Client(transport=httpx.MockTransport(handler), timeout=None)
    client = PetClient(http_client=http, auth=APIKeyAuth("key-12345"), timeout=4, deadline=None)

    client.with_options(timeout=2).pets.get("rex")
    client.close()
    client.close()

    assert not http.is_closed
    assert seen[0].headers["x-api-key"] == "key-12345"
    # our per-attempt timeout, not the user's "no timeout", applies
    assert seen[0].extensions["timeout"]["read"] == 2
    http.close()


async def test_a_user_supplied_async_http_client_is_used_and_left_open() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pet())

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncPetClient(http_client=http) as client:
        assert (await client.pets.get("rex")).pet_id == "rex"
    assert not http.is_closed
    await http.aclose()


def test_a_client_made_pool_is_closed_with_the_client() -> None:
    client = PetClient()
    pool = client._pool.get()
    client.with_options(timeout=1)
    client.close()
    assert pool.is_closed


async def test_a_closed_client_refuses_calls_and_sends_nothing(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make()
    copy = client.with_options(timeout=3)
    if isinstance(copy, AsyncPetClient):
        await copy.close()  # a copy shares the pool: closing it closes both
    else:
        copy.close()
    for closed in (client, copy):
        with pytest.raises(ClientClosedError, match="closed"):
            await resolve(closed.pets.get("rex"))
    assert not route.called


def test_a_closed_client_refuses_calls_even_over_a_users_http_client() -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=pet())))
    client = PetClient(http_client=http)
    client.close()
    with pytest.raises(ClientClosedError):
        client.pets.get("rex")
    assert not http.is_closed  # still the user's to close
    http.close()


def test_the_wrong_kind_of_http_client_is_refused() -> None:
    with pytest.raises(ValueError, match="http_client"):
        PetClient(http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="http_client"):
        AsyncPetClient(http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="transport"):
        PetClient(http_client=httpx.Client(), transport=httpx.HTTPTransport())


# ------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("kwargs", "setting"),
    [
        ({"timeout": None}, "timeout=None"),
        ({"timeout": httpx.Timeout(None)}, "timeout"),
        ({"timeout": httpx.Timeout(5, read=None)}, "read"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"timeout": "forever"}, "timeout"),
        ({"deadline": -1}, "deadline"),
        ({"deadline": float("inf")}, "deadline"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"headers": {"X-A": 1}}, "headers"),
        ({"environment": "prod"}, "environment"),
        ({"base_url": "not a url"}, "base_url"),
        ({"base_url": "http:///x"}, "base_url"),
        ({"headers": {"X-A": "1\r\nX-Injected: yes"}}, "line break"),
    ],
)
async def test_bad_settings_are_value_errors_naming_the_setting(
    kind: Kind, kwargs: dict[str, Any], setting: str
) -> None:
    cls = PetClient if kind == "sync" else AsyncPetClient
    # ConfigurationError is a ValueError and a CommonRestError: either except clause works
    with pytest.raises(ConfigurationError, match=setting):
        cls(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "setting"),
    [
        ({"timeout": None}, "timeout=None"),
        ({"timeout": -3}, "timeout"),
        ({"deadline": 0}, "deadline"),
        ({"max_retries": -2}, "max_retries"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"idempotency_key": "  "}, "idempotency_key"),
    ],
)
def test_with_options_refuses_the_same(kwargs: dict[str, Any], setting: str) -> None:
    # with_options holds the options of the calls to come: a refusal is an argument error
    with PetClient() as client, pytest.raises(InvalidArgumentError, match=setting):
        client.with_options(**kwargs)


def test_timeout_phases_are_checked_one_by_one() -> None:
    with pytest.raises(ConfigurationError, match=r"timeout\.read"):
        Timeout(read=-2)
    assert Timeout(3).as_httpx() == httpx.Timeout(3)


async def test_a_header_value_with_a_line_break_is_refused(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make()
    with pytest.raises(ValueError):
        await resolve(client.with_options(headers={"X-A": "1\r\nX-Injected: yes"}).pets.get("rex"))
    assert not route.called


@pytest.mark.parametrize(
    ("given", "seconds"),
    [("2 minutes", 120.0), ("1 hour 30 sec", 3630.0), (timedelta(seconds=45), 45.0), (7, 7.0)],
)
def test_timeouts_and_deadlines_take_durations(given: Any, seconds: float) -> None:
    with PetClient(timeout=given, deadline=given) as client:
        assert client.options.timeout.read == seconds
        assert client.options.deadline == seconds


def test_an_unlimited_deadline_is_explicit_and_an_unlimited_timeout_refused() -> None:
    with PetClient(deadline="unlimited") as client:
        assert client.options.deadline is None
        assert client.with_options(deadline="10 s").options.deadline == 10
    with pytest.raises(ValueError, match="timeout must be a finite duration"):
        PetClient(timeout="indefinite")
    with pytest.raises(ValueError, match="deadline"):
        PetClient(deadline="-5 seconds")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_forked_worker_gets_its_own_connection_pool() -> None:
    # gunicorn and celery fork after the client exists: sockets must never be shared.
    own = httpx.Client()
    with PetClient() as client, PetClient(http_client=own) as given:
        parent_pool = client._pool.get()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                fresh = client._pool.get()
                ok = fresh is not parent_pool and client._pool.get() is fresh
                ok = ok and given._pool.get() is own  # a user's client is theirs to manage
                os.write(write_end, b"1" if ok else b"0")
            finally:
                os._exit(0)
        os.close(write_end)
        answer = os.read(read_end, 1)
        os.close(read_end)
        os.waitpid(pid, 0)
        assert answer == b"1"
        assert client._pool.get() is parent_pool
    own.close()
