"""The deadline bounds every phase of a call, on every transport.

Servers that never finish: headers or a body sent one byte at a time forever, a token
endpoint that does the same, a server that never reads the request body, one that never
accepts the connection. Each call must end with ``DeadlineExceededError`` within
:data:`OVERRUN` of its deadline; the per-read timeout is far longer, so only the deadline
can end it. Real time: the virtual clock is switched off here.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from commonrest import (
    BearerAuth,
    DeadlineExceededError,
    RateLimiter,
    RetryPolicy,
    ServiceUnavailableError,
    Timeout,
    TokenEndpoint,
)

from .api import AsyncPetClient, PetClient
from .flavours import FLAVOURS, Flavour, client_on
from .helpers import pet, resolve
from .hostile import Drip, Tally, answer, never_read_body
from .servers import serve

pytestmark = pytest.mark.anyio

DEADLINE = 1.5
#: How late a call may end after its deadline (the machine is shared and loaded).
OVERRUN = 0.5
#: Far above the deadline: a per-read or per-phase timeout never ends these calls.
LONG = Timeout(30)


@pytest.fixture
def clock() -> None:
    """Overrides the virtual clock of conftest: deadlines are about real time."""


def _overrun(started: float) -> float:
    return time.monotonic() - started - DEADLINE


PHASES = {"headers": Drip.headers, "body": Drip.body}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_response_dripping_forever_ends_at_the_deadline(
    flavour: Flavour, phase: str
) -> None:
    drip = Drip()
    with serve(PHASES[phase](drip)) as server:
        async with client_on(flavour, base_url=server.url, timeout=LONG, deadline=DEADLINE) as c:
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError) as info:
                await resolve(c.pets.get("rex"))
            overrun = _overrun(started)
        assert drip.hung_up.wait(5)  # the client closed the connection, not leaked it

    assert -0.05 <= overrun <= OVERRUN
    assert info.value.sent is True
    assert info.value.attempts == 1
    assert f"deadline of {DEADLINE:g}s" in str(info.value)


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_token_endpoint_dripping_forever_ends_at_the_deadline(flavour: Flavour) -> None:
    # The token is fetched inside the auth flow, before the call's own request is sent.
    drip = Drip()
    with serve(drip.headers()) as server:
        auth = BearerAuth(token_endpoint=TokenEndpoint(f"{server.url}/token", json={"k": "v"}))
        async with client_on(
            flavour, base_url=server.url, auth=auth, timeout=LONG, deadline=DEADLINE
        ) as c:
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError):
                await resolve(c.pets.get("rex"))
            overrun = _overrun(started)
    assert -0.05 <= overrun <= OVERRUN


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_server_that_never_reads_the_body_ends_at_the_deadline(flavour: Flavour) -> None:
    with serve(never_read_body()) as server:
        async with client_on(flavour, base_url=server.url, timeout=LONG, deadline=DEADLINE) as c:
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError):
                # more than the socket buffers of a server that reads nothing take in
                await resolve(c.pets.create({"name": "x" * 8_000_000}))
            overrun = _overrun(started)
    assert -0.05 <= overrun <= OVERRUN


@pytest.fixture
def unaccepting() -> Iterator[str]:
    """A URL whose listener never accepts and whose queue is full: connecting hangs."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_connecting_in_vain_ends_at_the_deadline(flavour: Flavour, unaccepting: str) -> None:
    async with client_on(flavour, base_url=unaccepting, timeout=LONG, deadline=DEADLINE) as c:
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError) as info:
            await resolve(c.pets.get("rex"))
        overrun = _overrun(started)
    assert -0.05 <= overrun <= OVERRUN
    assert info.value.attempts == 1


async def test_your_own_async_http_client_is_bounded_too() -> None:
    drip = Drip()
    with serve(drip.headers()) as server:
        async with (
            httpx.AsyncClient(timeout=30) as own,
            AsyncPetClient(base_url=server.url, http_client=own, deadline=DEADLINE) as client,
        ):
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError):
                await client.pets.get("rex")
            overrun = _overrun(started)
    assert -0.05 <= overrun <= OVERRUN


def test_your_own_sync_http_client_still_ends_a_dripping_body_at_the_deadline() -> None:
    # Over a pool of your own the body is checked between chunks (the documented limit:
    # headers trickled byte by byte can hold such an attempt longer).
    drip = Drip(every=0.1)
    with serve(drip.body()) as server, httpx.Client(timeout=30) as own:
        client = PetClient(base_url=server.url, http_client=own, deadline=DEADLINE)
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            client.pets.get("rex")
        overrun = _overrun(started)
    assert -0.05 <= overrun <= OVERRUN


def test_a_transport_you_hand_to_a_sync_client_is_bounded_too() -> None:
    drip = Drip()
    with serve(drip.headers()) as server:
        transport = httpx.HTTPTransport(retries=1)
        with PetClient(base_url=server.url, transport=transport, deadline=DEADLINE) as client:
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError):
                client.pets.get("rex")
            overrun = _overrun(started)
    assert -0.05 <= overrun <= OVERRUN


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_waiting_for_a_rate_limit_permit_ends_at_the_deadline(flavour: Flavour) -> None:
    tally = Tally()
    limiter = RateLimiter(1, per=10.0)
    with serve(answer(pet(), tally=tally)) as server:
        async with client_on(
            flavour, base_url=server.url, rate_limit=limiter, deadline=DEADLINE
        ) as client:
            await resolve(client.pets.get("first"))
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError, match="rate-limit permit") as info:
                await resolve(client.pets.get("second"))  # the next permit is ~10 s away
            overrun = _overrun(started)
    limiter.close()
    assert -0.05 <= overrun <= OVERRUN
    assert info.value.sent is False
    assert tally.requests == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_no_wait_between_attempts_outlasts_the_deadline(flavour: Flavour) -> None:
    # Every answer asks for 0.6 s; the wait that would cross the deadline is not begun.
    tally = Tally()
    busy = answer({"title": "busy"}, 503, tally, headers={"Retry-After": "0.6"})
    with serve(busy) as server:
        async with client_on(
            flavour, base_url=server.url, deadline=DEADLINE, retry=RetryPolicy(max_attempts=10)
        ) as client:
            started = time.monotonic()
            with pytest.raises(ServiceUnavailableError) as info:
                await resolve(client.pets.get("rex"))
            elapsed = time.monotonic() - started
    # A sleep past the deadline would have ended in DeadlineExceededError before attempt 4.
    assert elapsed <= DEADLINE + OVERRUN
    assert tally.requests == info.value.attempts
    assert info.value.attempts in (2, 3)  # at about 0, 0.6 and 1.2 s; 2 on a slow machine
    assert info.value.retry_after == 0.6
