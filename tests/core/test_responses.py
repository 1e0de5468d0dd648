"""What a call returns: models, nothing, a created resource, a cached value, or the raw
response."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
import respx

from commonrest._errors import APIStatusError
from commonrest._etag import ETagCache
from commonrest._response import APIResponse, Created

from .api import AsyncPetClient, NewPet, Pet, PetClient
from .helpers import PETS, AnyPetClient, Factory, Kind, pet, resolve, sent

pytestmark = pytest.mark.anyio


async def test_a_body_is_parsed_into_the_declared_model(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        200, json={"petId": "rex", "name": "Rex", "status": "sold"}
    )
    client = make()

    result = await resolve(client.pets.get("rex"))

    assert isinstance(result, Pet)
    assert (result.pet_id, result.name, result.status) == ("rex", "Rex", "sold")


@pytest.mark.parametrize(
    "response",
    [httpx.Response(204), httpx.Response(200), httpx.Response(202, json={"queued": True})],
    ids=["204", "200-empty", "202-with-body"],
)
async def test_an_operation_without_result_returns_none(
    make: Factory, router: respx.MockRouter, response: httpx.Response
) -> None:
    router.delete(f"{PETS}/pets/rex").mock(return_value=response)
    client = make()
    assert await resolve(client.pets.delete("rex")) is None  # type: ignore[func-returns-value]


async def test_a_201_without_body_returns_where_the_resource_lives(
    make: Factory, router: respx.MockRouter
) -> None:
    router.put(f"{PETS}/pets/rex").respond(
        201,
        headers={"Location": f"{PETS}/pets/rex", "X-Global-Identifier": "gid-42"},
    )
    client = make()

    created = await resolve(client.pets.replace("rex", NewPet(name="Rex")))

    assert created == Created(
        status_code=201, location=f"{PETS}/pets/rex", global_identifier="gid-42"
    )
    assert sent(router)[0].content == b'{"name":"Rex"}'


# ------------------------------------------------------------------------- conditional


async def test_an_etag_cache_repeats_a_get_conditionally(
    make: Factory, router: respx.MockRouter
) -> None:
    answers = iter(
        [
            httpx.Response(200, json=pet(), headers={"ETag": '"v1"'}),
            httpx.Response(304, headers={"ETag": '"v1"'}),
            httpx.Response(200, json=pet(name="Rex II"), headers={"ETag": '"v2"'}),
            httpx.Response(304),
        ]
    )
    router.get(f"{PETS}/pets/rex").mock(side_effect=lambda request: next(answers))
    client = make(etag_cache=True)

    first = await resolve(client.pets.get("rex"))
    second = await resolve(client.pets.get("rex"))
    third = await resolve(client.pets.get("rex"))
    fourth = await resolve(client.pets.get("rex"))

    requests = sent(router)
    assert "if-none-match" not in requests[0].headers
    assert requests[1].headers["if-none-match"] == '"v1"'
    assert requests[2].headers["if-none-match"] == '"v1"'
    assert requests[3].headers["if-none-match"] == '"v2"'
    assert second == first
    assert second is not first  # a fresh model, not a shared mutable one
    assert third.name == "Rex II"
    assert fourth == third


async def test_the_etag_cache_is_per_url_and_credential(
    kind: Kind, router: respx.MockRouter
) -> None:
    from commonrest._auth import APIKeyAuth

    router.get(url__startswith=f"{PETS}/pets/").mock(
        side_effect=lambda request: httpx.Response(200, json=pet(), headers={"ETag": '"v1"'})
    )
    router.post(f"{PETS}/pets/rex/adopt").respond(200, json=pet())
    cache = ETagCache()
    cls = PetClient if kind == "sync" else AsyncPetClient
    one: AnyPetClient = cls(
        etag_cache=cache,
        auth=APIKeyAuth("first-key-1"),
        credentials={"adopter": APIKeyAuth("first-key-1")},
    )
    other: AnyPetClient = cls(etag_cache=cache, auth=APIKeyAuth("second-key-2"))

    await resolve(one.pets.get("rex"))
    await resolve(one.pets.get("fido"))
    await resolve(other.pets.get("rex"))
    await resolve(one.pets.adopt("rex"))

    requests = sent(router)
    assert ["if-none-match" in r.headers for r in requests] == [False, False, False, False]
    assert len(cache) == 3


async def test_without_a_cache_nothing_is_conditional(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet(), headers={"ETag": '"v1"'})
    client = make()
    await resolve(client.pets.get("rex"))
    await resolve(client.pets.get("rex"))
    assert all("if-none-match" not in r.headers for r in sent(router))


async def test_a_call_can_carry_its_own_cached_value(
    make: Factory, router: respx.MockRouter
) -> None:
    answers = iter([httpx.Response(304), httpx.Response(200, json=pet(name="New"))])
    router.get(f"{PETS}/pets/rex").mock(side_effect=lambda request: next(answers))
    client = make()
    known = Pet.model_validate(pet())

    unchanged = await resolve(client.pets.get("rex", cached=('"v7"', known)))
    changed = await resolve(client.pets.get("rex", cached=('"v7"', known)))

    assert unchanged is known
    assert changed.name == "New"
    assert [r.headers["if-none-match"] for r in sent(router)] == ['"v7"', '"v7"']


async def test_a_304_nobody_asked_for_is_an_error(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").respond(304)
    client = make()
    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.get("rex"))
    assert info.value.status_code == 304


def test_the_etag_cache_is_bounded() -> None:
    cache = ETagCache(max_entries=2)
    for n in range(5):
        cache.put(f"k{n}", f'"{n}"', b"{}", "application/json")
    assert len(cache) == 2
    assert cache.get("k0") is None
    assert cache.get("k4") == ('"4"', b"{}", "application/json")
    with pytest.raises(ValueError, match="max_entries"):
        ETagCache(0)


# ------------------------------------------------------------------------- raw responses


async def test_raw_response_gives_status_headers_elapsed_and_attempts(
    kind: Kind, router: respx.MockRouter
) -> None:
    answers = iter(
        [
            httpx.Response(503),
            httpx.Response(200, json=pet(), headers={"X-Request-Id": "r-9", "X-Extra": "1"}),
        ]
    )
    router.get(f"{PETS}/pets/rex").mock(side_effect=lambda request: next(answers))
    client: AnyPetClient = PetClient() if kind == "sync" else AsyncPetClient()

    raw: APIResponse[Pet] = await resolve(client.with_raw_response.pets.get("rex"))

    assert raw.status_code == 200
    assert raw.headers["x-extra"] == "1"
    assert raw.request_id == "r-9"
    assert raw.attempts == 2
    assert isinstance(raw.elapsed, timedelta)
    assert raw.elapsed >= timedelta(0)
    assert raw.parse().pet_id == "rex"
    assert raw.parse() is raw.parse()
    assert "200" in repr(raw)


async def test_raw_response_of_a_create(kind: Kind, router: respx.MockRouter) -> None:
    router.put(f"{PETS}/pets/rex").respond(
        201, headers={"Location": "/pets/rex", "X-Global-Identifier": "g-1"}
    )
    client: AnyPetClient = PetClient() if kind == "sync" else AsyncPetClient()

    raw = await resolve(client.with_raw_response.pets.replace("rex", NewPet(name="Rex")))

    assert raw.status_code == 201
    assert raw.location == "/pets/rex"
    assert raw.global_identifier == "g-1"
    assert raw.attempts == 1
