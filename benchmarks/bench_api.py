"""The API the benchmarks call: one small POST and one list of 100 objects."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from commonrest.client import AsyncClient, SyncClient
from commonrest.models import Model
from commonrest.operations import Async, Call, M, Resource, Sync, operation
from commonrest.services import Service


class Owner(Model):
    owner_id: str = Field(alias="ownerId")
    display_name: str = Field(alias="displayName")


class Thing(Model):
    thing_id: str = Field(alias="thingId")
    name: str
    status: str
    created_at: str = Field(alias="createdAt")
    size: int
    ratio: float
    active: bool
    tags: list[str]
    owner: Owner


class Item(Model):
    item_id: int = Field(alias="itemId")
    name: str
    kind: str
    price: float
    currency: str
    in_stock: bool = Field(alias="inStock")
    updated_at: str = Field(alias="updatedAt")
    description: str
    labels: list[str]


class ItemList(Model):
    items: list[Item]
    total_entries: int


class Things(Resource[M]):
    @operation("POST", "/small", operation_id="createThing", api="bench", version="1")
    def create(self, body: dict[str, Any]) -> Call[Thing]:
        return Call(Thing, json=body)

    @operation("GET", "/list", operation_id="listItems", api="bench", version="1")
    def list(self) -> Call[ItemList]:
        return Call(ItemList)


def _services(base: str) -> dict[str, Service]:
    return {"bench": Service(name="Bench", urls={"test": base})}


class BenchClient(SyncClient):
    services: ClassVar[dict[str, Service]] = {}

    @property
    def things(self) -> Things[Sync]:
        return Things(self)


class AsyncBenchClient(AsyncClient):
    services: ClassVar[dict[str, Service]] = {}

    @property
    def things(self) -> Things[Async]:
        return Things(self)


def bind(base: str) -> None:
    """Point both benchmark clients at the local server."""
    BenchClient.services = _services(base)
    AsyncBenchClient.services = _services(base)
