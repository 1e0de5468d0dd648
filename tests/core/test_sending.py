"""How a request leaves: straight to the transport of a pool the client owns, through
``send`` of an ``http_client`` of yours. Either way auth flows, the raw response and
httpx's own log line behave as httpx makes them."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Generator

import anyio.lowlevel
import httpx
import pytest
import respx

from commonrest import APIKeyAuth

from .api import AsyncPetClient, PetClient
from .flavours import FLAVOURS, Flavour, client_on
from .helpers import PETS, SECRET, Factory, Kind, pet, resolve, sent
from .hostile import Tally, answer
from .servers import serve

pytestmark = pytest.mark.anyio

_CHALLENGE = 'Digest realm="pets", nonce="abc123", qop="auth", algorithm=MD5'


def _digest_server(request: httpx.Request) -> httpx.Response:
    if request.headers.get("authorization", "").startswith("Digest "):
        return httpx.Response(200, json=pet())
    return httpx.Response(401, headers={"WWW-Authenticate": _CHALLENGE})


async def test_a_multi_step_auth_flow_answers_the_challenge(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").mock(side_effect=_digest_server)
    client = make(auth=httpx.DigestAuth("alice", SECRET))

    result = await resolve(client.pets.get("rex"))

    assert result.pet_id == "rex"
    first, second = sent(router)
    assert "authorization" not in first.headers
    assert second.headers["authorization"].startswith('Digest username="alice"')


class _SignsTheBody(httpx.Auth):
    """Signs with the body's length and, after a 401, with the challenge's body: an auth
    that asks for both bodies to be read before its flow sees them."""

    requires_request_body = True
    requires_response_body = True

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Signed"] = f"sync-{len(request.content)}"
        response = yield request
        if response.status_code == 401:
            request.headers["X-Signed"] = response.json()["nonce"]
            yield request


class _AwaitsItsKey(_SignsTheBody):
    """The same auth with an async flow of its own, as one that fetches a key would have."""

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await anyio.lowlevel.checkpoint()
        request.headers["X-Signed"] = "async"
        yield request


def _nonce_server(request: httpx.Request) -> httpx.Response:
    if request.headers["x-signed"] == "n-42":
        return httpx.Response(201, json=pet())
    return httpx.Response(401, json={"nonce": "n-42"})


async def test_an_auth_reading_the_bodies_gets_them_read(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.post(f"{PETS}/pets").mock(side_effect=_nonce_server)
    client = make(auth=_SignsTheBody())

    result = await resolve(client.pets.create({"name": "Rex"}))

    assert result.pet_id == "rex"
    assert [r.headers["x-signed"] for r, _ in route.calls] == ["sync-14", "n-42"]


async def test_an_auth_with_its_own_async_flow_signs_async_calls_with_it(
    make: Factory, kind: Kind, router: respx.MockRouter
) -> None:
    route = router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(auth=_AwaitsItsKey())

    await resolve(client.pets.get("rex"))

    expected = "async" if kind == "async" else "sync-0"
    assert route.calls.last.request.headers["x-signed"] == expected


async def test_the_raw_response_is_bound_to_its_request_and_timed(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(auth=APIKeyAuth(SECRET))

    raw = await resolve(client.with_raw_response.pets.get("rex"))

    response = raw.http_response
    assert response.request.url == f"{PETS}/pets/rex"
    assert response.request.headers["x-api-key"] == SECRET
    assert response.elapsed.total_seconds() >= 0
    assert response.is_closed


async def test_httpx_request_log_line_is_kept_and_redacted(
    make: Factory, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.get(f"{PETS}/pets/find").respond(200, json={"pets": []})
    client = make(auth=APIKeyAuth(SECRET))

    with caplog.at_level(logging.INFO, logger="httpx"):
        await resolve(client.pets.find("rex", access_token=SECRET))

    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert len(lines) == 1
    assert lines[0].startswith(f"HTTP Request: GET {PETS}/pets/find?name=rex&access_token=")
    assert lines[0].endswith('"HTTP/1.1 200 OK"')
    assert SECRET not in lines[0]


async def test_an_http_client_of_yours_runs_its_event_hooks(
    kind: Kind, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    seen: list[str] = []

    if kind == "sync":

        def hook(request: httpx.Request) -> None:
            seen.append(str(request.url))

        with httpx.Client(event_hooks={"request": [hook]}) as http:
            PetClient(auth=APIKeyAuth(SECRET), http_client=http).pets.get("rex")
    else:

        async def ahook(request: httpx.Request) -> None:
            seen.append(str(request.url))

        async with httpx.AsyncClient(event_hooks={"request": [ahook]}) as ahttp:
            await AsyncPetClient(auth=APIKeyAuth(SECRET), http_client=ahttp).pets.get("rex")

    assert seen == [f"{PETS}/pets/rex"]


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_cookie_a_response_sets_is_not_sent_with_later_calls(flavour: Flavour) -> None:
    tally = Tally()
    cookie = {"Set-Cookie": "session=from-the-server; Path=/"}
    with serve(answer(pet("rex"), tally=tally, headers=cookie)) as server:
        # a name, not an address: aiohttp's cookie jar ignores cookies of IP addresses
        base = server.url.replace("127.0.0.1", "localhost")
        async with client_on(flavour, base_url=base) as client:
            await resolve(client.pets.get("rex"))
            await resolve(client.pets.get("rex"))
    assert tally.requests == 2
    assert all("cookie" not in headers for headers in tally.headers)
