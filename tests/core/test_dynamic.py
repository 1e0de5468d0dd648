"""Dynamic operations: one declaration whose path is known only at call time, serving the
sync, async and raw clients; and the ``finish`` hook of a call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import respx
from typing_extensions import assert_type

from commonrest import APIResponse
from commonrest._operations import (
    Async,
    AsyncRaw,
    Call,
    DynamicOperation,
    DynamicPagedOperation,
    M,
    OperationInfo,
    PagedCall,
    Resource,
    Sync,
    SyncRaw,
    build_catalog,
    dynamic_operation,
    dynamic_paged_operation,
)
from commonrest._pagination import AsyncPager, OffsetPaging, SyncPager

from .api import AsyncPetClient, Pet, PetClient, PetList
from .helpers import PETS, Kind, collect, pet, resolve, sent

pytestmark = pytest.mark.anyio


@dataclass
class Adopted:
    """What ``adopt`` returns: the parsed pet plus facts only the response carries."""

    pet: Pet
    location: str | None
    status_code: int


def _info(method: str, path: str) -> OperationInfo:
    return OperationInfo(method=method, path=path, operation_id="kennel", api="pets", version="2")


class Kennel(Resource[M]):
    """Pets under a kennel whose name is chosen at run time, as Common REST paths are."""

    __slots__ = ("name",)

    def __init__(self, client: Any, name: str) -> None:
        super().__init__(client)
        self.name = name

    @dynamic_operation
    def get(self, pet_id: str) -> tuple[OperationInfo, Call[Pet]]:
        info = _info("GET", f"/kennels/{self.name}/pets/{{pet_id}}")
        return info, Call(Pet, path={"pet_id": pet_id})

    @dynamic_operation
    def adopt(self, pet_id: str) -> tuple[OperationInfo, Call[Adopted]]:
        def finish(parsed: Pet, response: httpx.Response) -> Adopted:
            return Adopted(parsed, response.headers.get("location"), response.status_code)

        info = _info("POST", f"/kennels/{self.name}/pets/{{pet_id}}/adopt")
        return info, Call(Pet, path={"pet_id": pet_id}, finish=finish)

    @dynamic_paged_operation
    def list(self) -> tuple[OperationInfo, PagedCall[PetList, Pet]]:
        call: PagedCall[PetList, Pet] = PagedCall(
            PetList,
            items=lambda page: page.pets,
            paging=OffsetPaging(total=lambda page: page.total_entries, page_size=2),
        )
        return _info("GET", f"/kennels/{self.name}/pets"), call


def _mock(router: respx.MockRouter) -> None:
    router.get(f"{PETS}/kennels/north/pets/rex").respond(200, json=pet("rex"))
    router.post(f"{PETS}/kennels/north/pets/rex/adopt").respond(
        201, json=pet("rex"), headers={"Location": "/adoptions/17", "X-Request-Id": "r1"}
    )
    router.get(f"{PETS}/kennels/north/pets", params={"offset": "2"}).respond(
        200, json={"pets": [pet("c")], "totalEntries": 3}
    )
    router.get(f"{PETS}/kennels/north/pets").respond(
        200, json={"pets": [pet("a"), pet("b")], "totalEntries": 3}
    )


def test_static_types_follow_the_client_mode() -> None:
    def check(
        sync: Kennel[Sync], asyn: Kennel[Async], raw: Kennel[SyncRaw], araw: Kennel[AsyncRaw]
    ) -> None:
        assert_type(sync.get("rex"), Pet)
        assert_type(sync.adopt("rex"), Adopted)
        assert_type(sync.list(), SyncPager[Pet])
        assert_type(asyn.list(), AsyncPager[Pet])
        assert_type(raw.adopt("rex"), APIResponse[Adopted])

        async def awaited() -> None:
            assert_type(await asyn.get("rex"), Pet)
            assert_type(await araw.get("rex"), APIResponse[Pet])

    assert isinstance(Kennel.get, DynamicOperation)
    assert isinstance(Kennel.list, DynamicPagedOperation)
    assert check is not None


async def test_one_declaration_serves_sync_and_async_clients(
    kind: Kind, router: respx.MockRouter
) -> None:
    _mock(router)
    client = PetClient() if kind == "sync" else AsyncPetClient()
    try:
        kennel: Kennel[Any] = Kennel(client, "north")
        got = await resolve(kennel.get("rex"))
        adopted = await resolve(kennel.adopt("rex"))
        names = [p.pet_id for p in await collect(kennel.list())]
    finally:
        await resolve(client.close())

    assert isinstance(got, Pet) and got.pet_id == "rex"
    # The finish hook saw the response: its status and headers.
    assert adopted == Adopted(Pet.model_validate(pet("rex")), "/adoptions/17", 201)
    assert names == ["a", "b", "c"]
    assert [r.url.path for r in sent(router)] == [
        "/api/v2/kennels/north/pets/rex",
        "/api/v2/kennels/north/pets/rex/adopt",
        "/api/v2/kennels/north/pets",
        "/api/v2/kennels/north/pets",
    ]
    assert kennel.get.__name__ == "get"
    assert not hasattr(kennel.get, "__commonrest_operation__")  # no static path to offer


async def test_raw_clients_get_the_finished_result_with_the_response(
    kind: Kind, router: respx.MockRouter
) -> None:
    _mock(router)
    client = PetClient() if kind == "sync" else AsyncPetClient()
    try:
        kennel: Kennel[Any] = Kennel(client._raw_copy(), "north")
        raw = await resolve(kennel.adopt("rex"))
    finally:
        await resolve(client.close())

    assert isinstance(raw, APIResponse)
    assert raw.status_code == 201
    assert raw.request_id == "r1"
    assert raw.parse() == Adopted(Pet.model_validate(pet("rex")), "/adoptions/17", 201)


async def test_finish_is_not_applied_to_a_cached_value(router: respx.MockRouter) -> None:
    router.get(f"{PETS}/kennels/north/pets/rex").respond(304)
    seen: list[int] = []

    def finish(parsed: Pet, response: httpx.Response) -> Pet:
        seen.append(response.status_code)
        return parsed

    cached = Pet.model_validate(pet("rex"))
    call = Call(Pet, path={"pet_id": "rex"}, cached=("v1", cached), finish=finish)
    with PetClient() as client:
        result = client._execute(_info("GET", "/kennels/north/pets/{pet_id}"), call)

    assert result is cached
    assert seen == []
    assert sent(router)[0].headers["If-None-Match"] == "v1"


def test_the_catalog_leaves_dynamic_operations_out() -> None:
    assert build_catalog([("kennel", Kennel)]) == []
