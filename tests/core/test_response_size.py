"""A response can never take more memory than ``max_response_size``: huge bodies and
gzip bombs are stopped while they stream in, on every transport."""

from __future__ import annotations

import gc
import socket
import threading
import tracemalloc

import httpx
import pytest
import respx

from commonrest import (
    ConfigurationError,
    ETagCache,
    InvalidArgumentError,
    NotFoundError,
    ResponseTooLargeError,
    ServiceUnavailableError,
)
from commonrest._options import DEFAULT_MAX_RESPONSE_SIZE

from .api import Pet, PetClient
from .flavours import FLAVOURS, Flavour, client_on
from .helpers import PETS, Factory, pet, resolve, sent
from .hostile import (
    Tally,
    answer,
    encoded_json,
    gzip_bomb,
    gzip_bomb_bytes,
    large_body,
    large_error,
)
from .servers import Behaviour, read_request, serve

pytestmark = pytest.mark.anyio

MiB = 1 << 20
LIMIT = 8 * MiB
BIG = 200_000_000
BOMB = 500_000_000


def _oversized(case: str) -> Behaviour:
    return {
        "streamed": lambda: large_body(BIG, announce=False),
        "announced": lambda: large_body(BIG),
        "gzip-bomb": lambda: gzip_bomb(BOMB),
    }[case]()


@pytest.mark.parametrize("case", ["streamed", "announced", "gzip-bomb"])
@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_body_past_the_limit_raises_an_error_naming_the_setting(
    flavour: Flavour, case: str
) -> None:
    with serve(_oversized(case)) as server:
        async with client_on(flavour, base_url=server.url, max_response_size=LIMIT) as client:
            with pytest.raises(ResponseTooLargeError) as info:
                await resolve(client.pets.get("rex"))

    error = info.value
    assert error.limit == LIMIT
    assert error.status_code == 200
    assert error.attempts == 1  # the same request would get the same body: not retried
    assert "max_response_size=8388608 (8 MiB" in str(error)
    assert "with_options(max_response_size=" in str(error)
    assert ("announced" in str(error)) is (case == "announced")


@pytest.mark.parametrize("case", ["streamed", "gzip-bomb"])
@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_memory_stays_near_the_limit(flavour: Flavour, case: str) -> None:
    # A memory assertion, not a timing one: what the client allocated while the server
    # sent 200 MB, or 0.5 MB of gzip that expands to 500 MB.
    behaviour = _oversized(case)
    gzip_bomb_bytes(BOMB)  # built before measuring
    with serve(behaviour) as server:
        async with client_on(flavour, base_url=server.url, max_response_size=LIMIT) as client:
            gc.collect()
            tracemalloc.start()
            try:
                with pytest.raises(ResponseTooLargeError):
                    await resolve(client.pets.get("rex"))
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    assert peak < 4 * LIMIT, f"peak {peak / MiB:.1f} MiB"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_compressed_body_within_the_limit_is_decoded(flavour: Flavour, coding: str) -> None:
    tally = Tally()
    with serve(encoded_json(pet("rex", notes="n" * 5000), coding, tally)) as server:
        async with client_on(flavour, base_url=server.url, max_response_size=8192) as client:
            result = await resolve(client.pets.get("rex"))
    assert isinstance(result, Pet)
    assert result.model_extra is not None and result.model_extra["notes"] == "n" * 5000
    assert tally.headers[0]["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_an_error_body_past_the_limit_is_cut_and_the_status_is_the_error(
    flavour: Flavour,
) -> None:
    # A 503 stays a 503 (and is retried like one) however large its body is.
    tally = Tally()
    with serve(large_error(BIG, 503, tally)) as server:
        async with client_on(
            flavour, base_url=server.url, max_response_size=LIMIT, max_retries=1
        ) as client:
            with pytest.raises(ServiceUnavailableError) as info:
                await resolve(client.pets.get("rex"))
    assert tally.requests == 2
    assert info.value.text.startswith('{"message": "xxx')
    assert info.value.body is None  # cut JSON is not parsed


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_small_announced_error_body_past_the_limit_is_cut_too(flavour: Flavour) -> None:
    # Small enough for a transport to read in one step: still cut at the limit.
    problem = {"message": "m" * 3000, "code": "busy"}
    with serve(answer(problem, 404)) as server:
        async with client_on(flavour, base_url=server.url, max_response_size=1000) as client:
            with pytest.raises(NotFoundError) as info:
                await resolve(client.pets.get("rex"))
    assert info.value.text.startswith('{"message": "mmm')
    assert info.value.body is None  # cut JSON is not parsed


async def test_the_limit_is_set_per_call_with_options(make: Factory) -> None:
    with serve(large_body(4096, content_type=b"application/octet-stream")) as server:
        client = make(base_url=server.url, max_response_size=10_000)
        assert client.options.max_response_size == 10_000
        small = client.with_options(max_response_size=1000)
        with pytest.raises(ResponseTooLargeError) as info:
            await resolve(small.pets.get("rex"))
    assert info.value.limit == 1000
    assert client.options.max_response_size == 10_000  # the client itself is unchanged


def test_the_default_limit() -> None:
    assert 64 * MiB == DEFAULT_MAX_RESPONSE_SIZE
    assert PetClient().options.max_response_size == 64 * MiB


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "8 MiB", None])
def test_a_bad_limit_is_refused_naming_the_setting(bad: object) -> None:
    with pytest.raises(ConfigurationError, match="max_response_size must be a whole number"):
        PetClient(max_response_size=bad)  # type: ignore[arg-type]
    # with_options takes the options of the calls to come: an argument error
    with pytest.raises(InvalidArgumentError, match="max_response_size"):
        PetClient().with_options(max_response_size=bad)  # type: ignore[arg-type]


def test_a_mocked_body_past_the_limit_is_refused_too(router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").mock(
        return_value=httpx.Response(200, json=pet(notes="x" * 2000))
    )
    with pytest.raises(ResponseTooLargeError):
        PetClient(max_response_size=1000).pets.get("rex")


def test_the_etag_cache_keeps_no_body_past_its_byte_budget(router: respx.MockRouter) -> None:
    big, small = pet("big", notes="x" * 2000), pet("small")
    router.get(f"{PETS}/pets/big").mock(
        return_value=httpx.Response(200, json=big, headers={"ETag": '"b"'})
    )
    router.get(f"{PETS}/pets/small").mock(
        return_value=httpx.Response(200, json=small, headers={"ETag": '"s"'})
    )
    cache = ETagCache(max_bytes=1000)
    client = PetClient(etag_cache=cache)
    client.pets.get("big")
    client.pets.get("small")
    assert len(cache) == 1  # the small one
    client.pets.get("big")
    assert "if-none-match" not in sent(router)[-1].headers
    with pytest.raises(ConfigurationError, match="max_bytes"):
        ETagCache(max_bytes=0)


def test_a_cached_body_past_a_calls_limit_is_refused(router: respx.MockRouter) -> None:
    route = router.get(f"{PETS}/pets/rex")
    route.mock(
        return_value=httpx.Response(200, json=pet(notes="x" * 2000), headers={"ETag": '"1"'})
    )
    client = PetClient(etag_cache=True)
    client.pets.get("rex")
    route.mock(return_value=httpx.Response(304, headers={"ETag": '"1"'}))
    assert client.pets.get("rex").pet_id == "rex"
    with pytest.raises(ResponseTooLargeError):
        client.with_options(max_response_size=1000).pets.get("rex")


@pytest.mark.parametrize("flavour", FLAVOURS)
async def test_a_length_announced_without_a_body_is_not_refused(flavour: Flavour) -> None:
    # A 204 (or a HEAD) carries no body whatever length it names.
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(f"HTTP/1.1 204 No Content\r\nContent-Length: {BIG}\r\n\r\n".encode())

    with serve(behave) as server:
        async with client_on(flavour, base_url=server.url, max_response_size=1000) as client:
            response = await resolve(client.with_raw_response.pets.delete("rex"))
    assert response.status_code == 204
    assert response.parse() is None
