"""What counts as sent: a request the server may have read is repeated only when that is
safe, on every transport, and no transport repeats a request on its own.

The hostile server reads each request completely and then hangs up, resets or stops
mid-headers; it counts the requests it read. Retry waits use the virtual clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest

from commonrest import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    RetryPolicy,
    Timeout,
    aiohttp_transport,
)

from .api import AsyncPetClient, PetClient
from .flavours import FLAVOURS, Flavour, client_on
from .helpers import AnyPetClient, pet, resolve
from .hostile import (
    Tally,
    answer,
    close_after_request,
    close_mid_headers,
    reset_after_request,
)
from .servers import Behaviour, read_request, refused_url, serve

pytestmark = pytest.mark.anyio

ATTEMPTS = 3
FAULTS: dict[str, Callable[[Tally], Behaviour]] = {
    "close": close_after_request,
    "reset": reset_after_request,
    "mid-headers": close_mid_headers,
}


def _unkeyed_post(client: AnyPetClient) -> Any:
    return client.pets.create({"name": "Rex"})  # the pets service takes no idempotency key


def _keyed_post(client: AnyPetClient) -> Any:
    return client.orders.create("kibble")  # the shop service dedupes by Idempotency-Key


def _get(client: AnyPetClient) -> Any:
    return client.pets.get("rex")


# (call, requests the server must see)
CALLS: dict[str, tuple[Callable[[AnyPetClient], Any], int]] = {
    "unkeyed-POST": (_unkeyed_post, 1),
    "keyed-POST": (_keyed_post, ATTEMPTS),
    "GET": (_get, ATTEMPTS),
}


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_request_the_server_read_is_repeated_only_when_safe(
    flavour: Flavour, fault: str, call: str
) -> None:
    tally = Tally()
    make_call, expected = CALLS[call]
    with serve(FAULTS[fault](tally)) as server:
        async with client_on(
            flavour,
            base_urls={"pets": server.url, "shop": server.url},
            retry=RetryPolicy(max_attempts=ATTEMPTS),
        ) as client:
            with pytest.raises(APIConnectionError) as info:
                await resolve(make_call(client))

    error = info.value
    assert tally.requests == expected
    assert error.attempts == expected
    assert error.sent is True
    assert not isinstance(error, APITimeoutError)
    if call == "keyed-POST":
        keys = set(tally.idempotency_keys)
        assert len(keys) == 1 and None not in keys  # every attempt carried the same key


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_refused_connection_sent_nothing_so_even_a_post_is_retried(
    flavour: Flavour,
) -> None:
    async with client_on(flavour, base_url=refused_url(), max_retries=2) as client:
        with pytest.raises(APIConnectionError) as info:
            await resolve(client.pets.create({"name": "Rex"}))
    assert info.value.sent is False
    assert info.value.attempts == 3
    assert not isinstance(info.value, APITimeoutError)


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_name_that_does_not_resolve_sent_nothing(flavour: Flavour) -> None:
    # The suite's network guard makes every name but loopback fail to resolve, as DNS would.
    async with client_on(flavour, base_url="http://no-such-host.invalid", max_retries=1) as client:
        with pytest.raises(APIConnectionError) as info:
            await resolve(client.pets.create({"name": "Rex"}))
    assert info.value.sent is False
    assert info.value.attempts == 2


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_waiting_for_a_pooled_connection_in_vain_sent_nothing(flavour: Flavour) -> None:
    # One connection in the pool, held by a first call the server never answers; a second
    # call gives up waiting for it. Only the first request ever reaches the server.
    tally = Tally()

    def behave(conn: Any, stop: threading.Event) -> None:
        if read_request(conn):
            tally.record(b"GET / HTTP/1.1\r\n\r\n")
        stop.wait(3)

    with serve(behave) as server:
        async with client_on(
            flavour,
            base_url=server.url,
            limits=httpx.Limits(max_connections=1),
            timeout=Timeout(read=2, connect=2, write=2, pool=0.3),
            max_retries=0,
        ) as client:
            held: list[BaseException] = []

            async def hold() -> None:
                try:
                    await resolve(client.pets.get("held"))
                except APIError as exc:
                    held.append(exc)

            async with anyio.create_task_group() as group:
                if isinstance(client, PetClient):
                    group.start_soon(anyio.to_thread.run_sync, anyio.run, hold)
                else:
                    group.start_soon(hold)
                await anyio.to_thread.run_sync(lambda: _wait_for(lambda: tally.requests == 1))
                with pytest.raises(APITimeoutError) as info:
                    await resolve(client.pets.create({"name": "Rex"}))

    assert info.value.sent is False
    assert tally.requests == 1
    assert len(held) == 1  # the first call ended with its own read timeout


def _wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(250):
        if condition():
            return
        threading.Event().wait(0.02)
    raise AssertionError("the server never saw the first request")


async def test_an_aiohttp_session_of_your_own_does_not_retry_on_its_own_either() -> None:
    import aiohttp

    tally = Tally()
    with serve(close_after_request(tally)) as server:
        async with aiohttp.ClientSession() as session:
            transport = aiohttp_transport(client=session)
            async with AsyncPetClient(base_url=server.url, transport=transport) as client:
                with pytest.raises(APIConnectionError):
                    await client.with_options(max_retries=2).pets.get("rex")
    assert tally.requests == 3  # aiohttp's own re-send would have made it 6


async def test_an_aiohttp_session_of_your_own_stays_open_when_the_client_closes() -> None:
    import aiohttp

    with serve(answer(pet("rex"))) as server:
        async with aiohttp.ClientSession() as session:
            transport = aiohttp_transport(client=session)
            async with AsyncPetClient(base_url=server.url, transport=transport) as client:
                assert (await client.pets.get("rex")).pet_id == "rex"
            assert not session.closed  # yours to close, and still usable
            async with session.get(server.url) as response:
                assert response.status == 200
