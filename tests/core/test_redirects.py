"""Redirects never carry a request to another origin: two real servers on 127.0.0.1, on
different ports (so different origins), and a count of what the foreign one received.
Sync, async and the aiohttp transport."""

from __future__ import annotations

import json
import pickle
from collections.abc import AsyncIterator
from typing import Any, Literal

import httpx
import pytest
import respx

import commonrest
from commonrest import (
    APIKeyAuth,
    APIResponseError,
    APIStatusError,
    RedirectError,
    aiohttp_transport,
)

from .api import AsyncPetClient, NewPet, PetClient
from .helpers import PETS, SECRET, AnyPetClient, Factory, pet, resolve, sent
from .recorder import Received, Recorder, Reply, recording, reply

pytestmark = pytest.mark.anyio

CARD = "4111111111111111"
TEAM_SECRET = "team-header-value-0123"
CALL_SECRET = "per-call-value-4567"
Flavour = Literal["sync", "async", "aiohttp"]


@pytest.fixture(params=["sync", "async", "aiohttp"])
async def build(request: pytest.FixtureRequest) -> AsyncIterator[Factory]:
    """Clients of the example API over the default sync and async transports and aiohttp."""
    flavour: Flavour = request.param
    made: list[AnyPetClient] = []

    def factory(**kwargs: Any) -> AnyPetClient:
        client: AnyPetClient
        if flavour == "sync":
            client = PetClient(**kwargs)
        elif flavour == "async":
            client = AsyncPetClient(**kwargs)
        else:
            client = AsyncPetClient(transport=aiohttp_transport(), **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        if isinstance(client, AsyncPetClient):
            await client.close()
        else:
            client.close()


def _redirect_to(location: str, status: int = 307) -> Reply:
    return reply(status, Location=location)


def _moved(target: str, status: int) -> Any:
    """An API that answers everything with a redirect to ``target``."""

    def answer(request: Received) -> Reply:
        return _redirect_to(target + "?sig=signed-query-secret", status)

    return answer


def _client(build: Factory, api: Recorder) -> AnyPetClient:
    # everything a call could carry: a credential, a client header, and (per call) another
    return build(
        base_url=api.url,
        auth=APIKeyAuth(SECRET),
        headers={"X-Team": TEAM_SECRET, "Cookie": f"sid={TEAM_SECRET}"},
        max_retries=2,
    ).with_options(headers={"X-Call": CALL_SECRET})


# ------------------------------------------------------------------------- body-bearing


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
async def test_a_cross_origin_307_of_a_write_stops_before_the_foreign_host(
    build: Factory, status: int, method: str
) -> None:
    with (
        recording(lambda r: reply(200, pet())) as foreign,
        recording(_moved(f"{foreign.url}/collect/orders", status)) as api,
    ):
        client = _client(build, api)
        action: Any = {
            "POST": lambda: client.orders.create(CARD),  # a service with idempotency keys
            "PUT": lambda: client.pets.replace("rex", NewPet(name=CARD)),
            "DELETE": lambda: client.pets.delete("rex"),  # no body: still not sent there
        }[method]

        with pytest.raises(RedirectError) as info:
            await resolve(action())

        assert foreign.requests == []
        assert foreign.connections == 0
        assert len(api.requests) == 1  # not retried either

    error = info.value
    assert isinstance(error, APIResponseError)
    assert error.status_code == status
    assert error.method == method
    assert error.target_origin == foreign.origin
    assert error.url.startswith(api.url)
    shown = str(error)
    assert foreign.origin in shown
    assert "nothing was sent there" in shown
    for kept in (shown, repr(dict(error.headers)), repr(error.args)):
        assert "/collect/orders" not in kept
        assert "signed-query-secret" not in kept
    assert "x-api-key" not in {k.lower() for k, v in error.headers.items() if v == SECRET}


async def test_the_foreign_host_never_sees_the_card_or_the_idempotency_key(
    build: Factory,
) -> None:
    with (
        recording(lambda r: reply(200, {"ok": True})) as foreign,
        recording(_moved(f"{foreign.url}/orders", 307)) as api,
    ):
        client = _client(build, api)
        with pytest.raises(RedirectError):
            await resolve(client.orders.create(CARD))
        sent_to_api = api.requests[0]

    assert json.loads(sent_to_api.body) == {"item": CARD}
    assert sent_to_api.headers["idempotency-key"]
    everything_foreign = b"".join(r.raw for r in foreign.requests)
    assert everything_foreign == b""


# ------------------------------------------------------------------------- reads


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_cross_origin_get_is_followed_without_anything_of_ours(
    build: Factory, status: int
) -> None:
    with (
        recording(lambda r: reply(200, pet("rex-cdn"))) as foreign,
        recording(_moved(f"{foreign.url}/cdn/rex.json", status)) as api,
    ):
        client = build(
            base_url=api.url,
            auth=APIKeyAuth(SECRET),
            headers={"X-Team": TEAM_SECRET, "Accept": "application/vnd.pets+json"},
        ).with_options(headers={"X-Call": CALL_SECRET})

        result = await resolve(client.pets.get("rex"))

    assert result.pet_id == "rex-cdn"
    assert len(foreign.requests) == 1
    followed = foreign.requests[0]
    # what the transport adds itself (aiohttp's Accept-Encoding) describes nothing of ours
    transport = {"host", "accept-encoding", "connection"}
    ours = set(api.requests[0].headers) - transport - {"accept", "user-agent"}
    assert ours >= {"x-api-key", "x-team", "x-call"}
    assert not ours & set(followed.headers)
    for value in (SECRET, TEAM_SECRET, CALL_SECRET):
        assert value.encode() not in followed.raw
    assert followed.body == b""
    # the client's own Accept, not the caller's (which was meant for the API)
    assert followed.headers["accept"] == "application/json"
    assert followed.headers["user-agent"].startswith("commonrest/")
    assert followed.target == "/cdn/rex.json?sig=signed-query-secret"


async def test_a_chain_that_left_the_origin_stays_stripped_back_on_it(build: Factory) -> None:
    def api_answer(request: Received) -> Reply:
        if request.path.endswith("/pets/rex"):
            return _redirect_to(f"{foreign.url}/bounce", 302)
        return reply(200, pet("rex-2"))

    with (
        recording(lambda r: _redirect_to(f"{api.url}/api/v2/pets/rex-2", 302)) as foreign,
        recording(api_answer) as api,
    ):
        client = _client(build, api)
        assert (await resolve(client.pets.get("rex"))).pet_id == "rex-2"

    first, back = api.requests
    assert first.headers["x-api-key"] == SECRET
    assert back.path == "/api/v2/pets/rex-2"
    for request in (foreign.requests[0], back):
        assert "x-api-key" not in request.headers
        assert "x-team" not in request.headers
        assert "cookie" not in request.headers
        assert SECRET.encode() not in request.raw


async def test_a_same_origin_307_repeats_the_post_with_its_body_and_headers(
    build: Factory,
) -> None:
    def api_answer(request: Received) -> Reply:
        if request.path == "/shop/v1/orders":
            return _redirect_to("/shop/v1/orders-v2", 307)
        return reply(200, {"id": "o-1"})

    with recording(api_answer) as api:
        client = _client(build, api)
        assert await resolve(client.orders.create("book")) == {"id": "o-1"}

    first, repeated = api.requests
    assert repeated.method == "POST"
    assert repeated.path == "/shop/v1/orders-v2"
    assert repeated.body == first.body == b'{"item":"book"}'
    for name in ("idempotency-key", "x-api-key", "x-team", "x-call"):
        assert repeated.headers[name] == first.headers[name]


# ------------------------------------------------------------------------- every origin change


@pytest.mark.parametrize(
    ("target", "origin"),
    [
        ("https://pets-test.example.com:8443/api/v2/pets", "https://pets-test.example.com:8443"),
        ("http://pets-test.example.com/api/v2/pets", "http://pets-test.example.com:80"),
        ("https://evil.example.com/api/v2/pets", "https://evil.example.com:443"),
    ],
    ids=["other port", "other scheme", "other host"],
)
async def test_every_change_of_origin_stops_a_post(
    make: Factory, router: respx.MockRouter, target: str, origin: str
) -> None:
    router.post(f"{PETS}/pets").respond(308, headers={"Location": target})
    foreign = router.post(target).respond(200, json=pet())
    client = make(auth=APIKeyAuth(SECRET))

    with pytest.raises(RedirectError) as info:
        await resolve(client.pets.create({"name": "Rex"}))

    assert not foreign.called
    assert len(sent(router)) == 1
    assert info.value.target_origin == origin


async def test_the_default_port_is_the_same_origin(make: Factory, router: respx.MockRouter) -> None:
    router.post(f"{PETS}/pets").respond(
        307, headers={"Location": "https://pets-test.example.com:443/api/v2/pets-v2"}
    )
    moved = router.post(f"{PETS}/pets-v2").respond(200, json=pet())
    client = make(auth=APIKeyAuth(SECRET))

    await resolve(client.pets.create({"name": "Rex"}))

    assert moved.calls[0].request.headers["x-api-key"] == SECRET


def test_a_redirect_error_is_exported_and_survives_pickling() -> None:
    assert commonrest.RedirectError is RedirectError
    assert not issubclass(RedirectError, APIStatusError)  # a 307 is not a failure status
    error = RedirectError(
        "307 redirect not followed",
        method="POST",
        url="https://api.example.com/orders",
        status_code=307,
        headers=httpx.Headers({"location": "https://evil.example.com:443"}),
        target_origin="https://evil.example.com:443",
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is RedirectError
    assert copy.target_origin == "https://evil.example.com:443"
    assert str(copy) == str(error)


async def test_an_answer_from_another_origin_is_not_cached_as_the_apis(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        302, headers={"Location": "https://cdn.example.net/rex.json"}
    )
    router.get("https://cdn.example.net/rex.json").respond(
        200, json=pet("from-cdn"), headers={"ETag": '"cdn-1"'}
    )
    client = make(etag_cache=True)

    await resolve(client.pets.get("rex"))
    await resolve(client.pets.get("rex"))

    api_calls = [r for r in sent(router) if r.url.host == "pets-test.example.com"]
    assert len(api_calls) == 2
    assert "if-none-match" not in api_calls[1].headers
