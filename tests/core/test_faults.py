"""Faults over real sockets on 127.0.0.1: refused, reset mid-body, too slow, and a normal
answer, through the sync client, the async client, and the aiohttp transport."""

from __future__ import annotations

import time

import pytest

from commonrest import (
    APIConnectionError,
    APITimeoutError,
    DeadlineExceededError,
    Timeout,
    aiohttp_transport,
)

from .api import AsyncPetClient, Pet
from .helpers import Factory, pet, resolve
from .servers import (
    Behaviour,
    cut_short,
    drip,
    json_answer,
    refused_url,
    reset_mid_body,
    serve,
    silent,
)

pytestmark = pytest.mark.anyio


async def test_a_normal_answer(make: Factory) -> None:
    with serve(json_answer(pet())) as server:
        client = make(base_url=server.url)
        result = await resolve(client.pets.get("rex"))
    assert isinstance(result, Pet)
    assert result.pet_id == "rex"


async def test_connection_refused_is_retried_then_raised(make: Factory) -> None:
    client = make(base_url=refused_url(), max_retries=2)

    with pytest.raises(APIConnectionError) as info:
        await resolve(client.pets.get("rex"))

    error = info.value
    assert type(error) is APIConnectionError
    assert error.sent is False
    assert error.attempts == 3


async def test_connection_refused_on_a_post_is_retried_as_nothing_was_sent(
    make: Factory,
) -> None:
    client = make(base_url=refused_url(), max_retries=1)
    with pytest.raises(APIConnectionError) as info:
        await resolve(client.pets.create({"name": "Rex"}))
    assert info.value.attempts == 2


@pytest.mark.parametrize(
    "behaviour",
    [cut_short(announced=100, sent=10), reset_mid_body()],
    ids=["closed-early", "reset"],
)
async def test_a_body_cut_short_is_a_connection_error(make: Factory, behaviour: Behaviour) -> None:
    # an orderly close after part of the body, or a TCP reset (RST) in the middle of it
    with serve(behaviour) as server:
        client = make(base_url=server.url, max_retries=1)
        with pytest.raises(APIConnectionError) as info:
            await resolve(client.pets.get("rex"))
        connections = server.connections

    assert not isinstance(info.value, APITimeoutError)
    assert info.value.sent is True
    assert info.value.attempts == 2
    assert connections == 2  # a GET is retried


async def test_a_body_cut_short_on_a_post_is_not_retried(make: Factory) -> None:
    with serve(cut_short()) as server:
        client = make(base_url=server.url)
        with pytest.raises(APIConnectionError):
            await resolve(client.pets.create({"name": "Rex"}))
        connections = server.connections
    assert connections == 1


async def test_a_slow_server_times_out(make: Factory) -> None:
    with serve(silent(5)) as server:
        client = make(base_url=server.url, timeout=Timeout(0.2), max_retries=0)
        with pytest.raises(APITimeoutError) as info:
            await resolve(client.pets.get("rex"))

    # the server would have hung up after 5 s (a connection error): the timeout came first
    assert not isinstance(info.value, DeadlineExceededError)
    assert info.value.sent is True


async def test_a_slow_server_uses_up_the_deadline(make: Factory) -> None:
    with serve(silent(5)) as server:
        client = make(base_url=server.url, timeout=10, deadline=0.3)
        with pytest.raises(DeadlineExceededError):
            await resolve(client.pets.get("rex"))


async def test_a_body_sent_byte_by_byte_cannot_outlast_the_deadline(make: Factory) -> None:
    # every read returns within the read timeout, but the whole body would take ~4 s
    with serve(drip(pet(), every=0.1)) as server:
        client = make(base_url=server.url, timeout=10, deadline=0.5)
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError) as info:
            await resolve(client.pets.get("rex"))
    assert time.monotonic() - started < 3  # generous: the point is "not ~4 s or more"
    assert info.value.sent is True


# ------------------------------------------------------------------------- aiohttp


async def test_the_aiohttp_transport_gives_a_normal_answer() -> None:
    with serve(json_answer(pet())) as server:
        async with AsyncPetClient(base_url=server.url, transport=aiohttp_transport()) as client:
            result = await client.pets.get("rex")
    assert result.pet_id == "rex"


async def test_the_aiohttp_transport_maps_connection_refused() -> None:
    async with AsyncPetClient(
        base_url=refused_url(), transport=aiohttp_transport(), max_retries=1
    ) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.pets.get("rex")
    assert info.value.sent is False
    assert info.value.attempts == 2


async def test_the_aiohttp_transport_keeps_the_deadline_on_a_dripping_body() -> None:
    with serve(drip(pet(), every=0.1)) as server:
        async with AsyncPetClient(
            base_url=server.url, transport=aiohttp_transport(), timeout=10, deadline=0.5
        ) as client:
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError):
                await client.pets.get("rex")
    assert time.monotonic() - started < 3


async def test_the_aiohttp_transport_maps_a_reset_and_a_timeout() -> None:
    with serve(reset_mid_body()) as server:
        async with AsyncPetClient(
            base_url=server.url, transport=aiohttp_transport(), max_retries=0
        ) as client:
            with pytest.raises(APIConnectionError) as reset:
                await client.pets.get("rex")
    assert not isinstance(reset.value, APITimeoutError)
    with serve(silent(5)) as server:
        async with AsyncPetClient(
            base_url=server.url, transport=aiohttp_transport(), timeout=Timeout(0.2), max_retries=0
        ) as client:
            with pytest.raises(APITimeoutError) as slow:
                await client.pets.get("rex")
    assert not isinstance(slow.value, DeadlineExceededError)
