"""The offline test kit users mock our clients with: routes by operation, error helpers,
and the pytest fixture."""

from __future__ import annotations

import gc
import socket
from collections.abc import Callable
from typing import Any

import pytest

from commonrest import APIConnectionError, RateLimitError, UnprocessableEntityError
from commonrest._client import BaseClient
from commonrest.testing import APIMock, mock_api, problem, rate_limited

from .api import Orders, PetClient, Pets
from .helpers import Factory, pet, resolve

pytestmark = pytest.mark.anyio


async def test_routes_are_declared_by_operation(make: Factory) -> None:
    client = make()
    with mock_api(client) as api:
        one = api.on(Pets.get, pet_id="a/b").respond(200, json=pet("a/b"))
        other = api.on(Pets.get).respond(200, json=pet("other"))
        order = api.on(Orders.create).respond(200, json={"id": "o-1"})

        assert (await resolve(client.pets.get("a/b"))).pet_id == "a/b"
        assert (await resolve(client.pets.get("zed", fields=["name"]))).pet_id == "other"
        assert await resolve(client.orders.create("bone")) == {"id": "o-1"}
        assert len(api.calls) == 3

    assert one.call_count == 1
    assert other.call_count == 1
    assert order.call_count == 1


async def test_a_route_for_one_value_does_not_match_a_longer_path(make: Factory) -> None:
    client = make()
    with mock_api(client, assert_all_called=False) as api:
        route = api.on(Pets.get).respond(200, json=pet())
        adopt = api.on(Pets.adopt).respond(200, json=pet())
        await resolve(client.pets.get("rex"))
    assert route.call_count == 1
    assert not adopt.called


async def test_error_helpers_build_what_the_client_raises(make: Factory) -> None:
    client = make(max_retries=0)
    with mock_api(client) as api:
        api.on(Pets.get, pet_id="bad").mock(
            return_value=problem(422, "Invalid", "name too long", errors=["name"])
        )
        api.on(Pets.get, pet_id="busy").mock(
            return_value=rate_limited(7, **{"X-RateLimit-Remaining": "0"})
        )

        with pytest.raises(UnprocessableEntityError) as invalid:
            await resolve(client.pets.get("bad"))
        with pytest.raises(RateLimitError) as limited:
            await resolve(client.pets.get("busy"))

    assert invalid.value.problem is not None
    assert invalid.value.problem.extensions == {"errors": ["name"]}
    assert limited.value.retry_after == 7
    assert limited.value.rate_limit == {"x-ratelimit-remaining": "0"}


def test_the_pytest_fixture_mocks_a_client(
    commonrest_mock: Callable[[BaseClient], APIMock],
) -> None:
    with PetClient() as client:
        api = commonrest_mock(client)
        api.on(Pets.delete, pet_id="rex").respond(204)
        assert client.pets.delete("rex") is None


async def test_a_bound_operation_names_its_route(make: Factory) -> None:
    client = make()
    with mock_api(client) as api:
        route = api.on(client.pets.get, pet_id="rex").respond(200, json=pet())
        assert (await resolve(client.pets.get("rex"))).pet_id == "rex"
    assert route.call_count == 1


def test_something_that_is_not_an_operation_is_refused() -> None:
    with (
        PetClient() as client,
        mock_api(client, assert_all_called=False) as api,
        pytest.raises(TypeError, match=r"client\.pets\.get"),
    ):
        api.on(client.close)


async def test_a_base_url_with_capitals_in_its_host_is_mocked(make: Factory) -> None:
    # httpx sends the host in lower case; an Adyen live prefix such as "...-AdyenDemo" has capitals
    client = make(base_url="http://Pets.Example.TEST/api/v2")
    with mock_api(client) as api:
        api.on(Pets.get, pet_id="rex").respond(200, json=pet())
        assert (await resolve(client.pets.get("rex"))).pet_id == "rex"


def _cell(namespace: dict[str, Any], code: Callable[[], APIMock]) -> None:
    """What a notebook cell does: keep the name it assigns, drop every temporary."""
    namespace["api"] = code()
    gc.collect()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("how", ["start", "enter"])
async def test_a_started_mock_stays_active_across_cells_until_stopped(
    make: Factory, how: str
) -> None:
    # a closed loopback port: a request that escapes the mock fails to connect
    client = make(base_url=f"http://127.0.0.1:{_closed_port()}", max_retries=0)
    cells: dict[str, Any] = {}
    if how == "start":
        _cell(cells, lambda: mock_api(client).start())
    else:  # what a notebook user tried first: the with block's entry, by hand
        _cell(cells, lambda: mock_api(client).__enter__())
    api = cells["api"]
    api.on(Pets.get, pet_id="rex").respond(200, json=pet("rex"))
    gc.collect()

    assert api.active
    assert (await resolve(client.pets.get("rex"))).pet_id == "rex"
    assert (await resolve(client.pets.get("rex"))).pet_id == "rex"
    assert api.start() is api  # starting an active mock does nothing
    assert len(api.calls) == 2

    api.stop()
    assert not api.active
    assert len(api.calls) == 2  # still there to inspect
    api.stop()  # stopping again does nothing
    with pytest.raises(APIConnectionError):
        await resolve(client.pets.get("rex"))


async def test_stop_checks_that_every_route_was_called(make: Factory) -> None:
    client = make()
    api = mock_api(client).start()
    api.on(Pets.get, pet_id="rex").respond(200, json=pet("rex"))
    with pytest.raises(AssertionError, match="not called"):
        api.stop()
    assert not api.active

    api = mock_api(client).start()
    api.on(Pets.get, pet_id="rex").respond(200, json=pet("rex"))
    api.stop(check=False)  # a notebook that leaves a route unused
    assert not api.active


async def test_an_error_in_the_block_is_not_masked_by_an_uncalled_route(make: Factory) -> None:
    client = make()
    with pytest.raises(KeyError), mock_api(client) as api:
        api.on(Pets.get, pet_id="rex").respond(200, json=pet("rex"))
        raise KeyError("the test's own failure")
    assert not api.active
