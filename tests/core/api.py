"""A small example API declared with the core, used by the core's tests."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from commonrest import NOT_GIVEN, AsyncClient, Created, NotGiven, Service, SyncClient
from commonrest.crest._wire import with_global_identifier
from commonrest.declare import (
    Async,
    AsyncRaw,
    Call,
    CookiePaging,
    M,
    Model,
    NextLinkPaging,
    OffsetPaging,
    OpenEnum,
    PagedCall,
    Resource,
    StrEnum,
    Sync,
    SyncRaw,
    operation,
    paged_operation,
)


class Status(StrEnum):
    AVAILABLE = "available"
    SOLD = "sold"


class Pet(Model):
    pet_id: str = Field(alias="petId")
    name: str
    status: OpenEnum[Status] | None = None
    is_vaccinated: bool | None = Field(default=None, alias="isVaccinated")


class PetList(Model):
    pets: list[Pet]
    total_entries: int | None = None


class CookiePage(Model):
    result: list[Pet]
    paged_results_cookie: str | None = Field(default=None, alias="pagedResultsCookie")


class LinkedPage(Model):
    data: list[Pet]
    next: str | None = None


class NewPet(Model):
    name: str = Field(min_length=1)
    status: Status | None = None


class Pets(Resource[M]):
    resource_path = "pets"

    @operation("GET", "/pets/{pet_id}", operation_id="getPet", api="pets", version="2")
    def get(
        self,
        pet_id: str,
        *,
        fields: list[str] | NotGiven = NOT_GIVEN,
        cached: tuple[str, Pet] | None = None,
    ) -> Call[Pet]:
        return Call(Pet, path={"pet_id": pet_id}, query={"fields": fields}, cached=cached)

    @operation("GET", "/pets/{pet_id}/wait", operation_id="waitForPet", api="pets", version="2")
    def wait(self, pet_id: str, *, timeout: int, headers: str | NotGiven = NOT_GIVEN) -> Call[Pet]:
        """An API whose own parameters are called ``timeout`` and ``headers``."""
        return Call(Pet, path={"pet_id": pet_id}, query={"timeout": timeout, "headers": headers})

    @operation("GET", "/pets/find", operation_id="findPets", api="pets", version="2")
    def find(self, name: str, *, access_token: str) -> Call[PetList]:
        """An API that takes a token in the query string."""
        return Call(PetList, query={"name": name, "access_token": access_token})

    @operation("POST", "/pets", operation_id="createPet", api="pets", version="2")
    def create(self, pet: NewPet | dict[str, Any]) -> Call[Pet]:
        return Call(Pet, json=pet, body_model=NewPet)

    @operation(
        "POST", "/pets/search", operation_id="searchPets", api="pets", version="2", read_only=True
    )
    def search(self, name: str) -> Call[PetList]:
        return Call(PetList, json={"name": name})

    @operation("PUT", "/pets/{pet_id}", operation_id="replacePet", api="pets", version="2")
    def replace(self, pet_id: str, pet: NewPet) -> Call[Created]:
        # This API names what it created as Common REST does (X-Global-Identifier).
        return Call(Created, path={"pet_id": pet_id}, json=pet, finish=with_global_identifier)

    @operation("DELETE", "/pets/{pet_id}", operation_id="deletePet", api="pets", version="2")
    def delete(self, pet_id: str) -> Call[None]:
        return Call(None, path={"pet_id": pet_id})

    @operation(
        "POST",
        "/pets/{pet_id}/adopt",
        operation_id="adoptPet",
        api="pets",
        version="2",
        credential="adopter",
    )
    def adopt(self, pet_id: str) -> Call[Pet]:
        return Call(Pet, path={"pet_id": pet_id})

    @operation(
        "GET", "/legacy/pets", operation_id="legacyPets", api="pets", version="2", deprecated=True
    )
    def legacy(self) -> Call[list[Pet]]:
        return Call(list[Pet])

    @paged_operation("GET", "/pets", operation_id="listPets", api="pets", version="2")
    def list(
        self, *, limit: int | NotGiven = NOT_GIVEN, offset: int | NotGiven = NOT_GIVEN
    ) -> PagedCall[PetList, Pet]:
        return PagedCall(
            PetList,
            items=lambda page: page.pets,
            paging=OffsetPaging(total=lambda page: page.total_entries, page_size=20),
            query={"limit": limit, "offset": offset},
        )

    @paged_operation("GET", "/cookie-pets", operation_id="listPetsByCookie", api="pets")
    def list_by_cookie(self, *, page_size: int = 2) -> PagedCall[CookiePage, Pet]:
        return PagedCall(
            CookiePage,
            items=lambda page: page.result,
            paging=CookiePaging(next_cookie=lambda page: page.paged_results_cookie),
            query={"_pageSize": page_size},
        )

    @paged_operation("GET", "/linked-pets", operation_id="listPetsByLink", api="pets")
    def list_linked(self) -> PagedCall[LinkedPage, Pet]:
        return PagedCall(
            LinkedPage,
            items=lambda page: page.data,
            paging=NextLinkPaging(next_link=lambda page: page.next),
        )


SERVICES: dict[str, Service] = {
    "pets": Service(
        name="Pets",
        urls={"test": "https://pets-test.example.com", "live": "https://{prefix}-pets.example.com"},
        path="/api/v{version}",
        version="2",
        variable_settings={"prefix": "live_url_prefix"},
    ),
    "shop": Service(
        name="Shop",
        urls={"test": "https://shop-test.example.com", "live": "https://shop.example.com"},
        path="/shop/v{version}",
        version="1",
        idempotency_header="Idempotency-Key",
    ),
}


class Orders(Resource[M]):
    resource_path = "orders"

    @operation("POST", "/orders", operation_id="createOrder", api="shop", version="1")
    def create(self, item: str) -> Call[dict[str, Any]]:
        return Call(dict[str, Any], json={"item": item})


class PetClient(SyncClient):
    """Sync client of the example API."""

    services: ClassVar[dict[str, Service]] = SERVICES
    env_prefix = "PETS"

    @property
    def pets(self) -> Pets[Sync]:
        return Pets(self)

    @property
    def orders(self) -> Orders[Sync]:
        return Orders(self)

    @property
    def with_raw_response(self) -> RawPetClient:
        return RawPetClient(self._raw_copy())


class RawPetClient:
    def __init__(self, client: PetClient) -> None:
        self._client = client

    @property
    def pets(self) -> Pets[SyncRaw]:
        return Pets(self._client)


class AsyncPetClient(AsyncClient):
    """Async client of the example API."""

    services: ClassVar[dict[str, Service]] = SERVICES

    @property
    def pets(self) -> Pets[Async]:
        return Pets(self)

    @property
    def orders(self) -> Orders[Async]:
        return Orders(self)

    @property
    def with_raw_response(self) -> AsyncRawPetClient:
        return AsyncRawPetClient(self._raw_copy())


class AsyncRawPetClient:
    def __init__(self, client: AsyncPetClient) -> None:
        self._client = client

    @property
    def pets(self) -> Pets[AsyncRaw]:
        return Pets(self._client)
