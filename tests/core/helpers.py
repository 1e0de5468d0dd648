"""Helpers of the core tests: run one scenario through the sync or the async client."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable
from typing import Any, Literal, Protocol, TypeAlias, TypeVar, cast

import httpx
import respx

from commonrest import AsyncPager, SyncPager

from .api import AsyncPetClient, PetClient

T = TypeVar("T")

Kind: TypeAlias = Literal["sync", "async"]
AnyPetClient: TypeAlias = PetClient | AsyncPetClient

PETS = "https://pets-test.example.com/api/v2"
SHOP = "https://shop-test.example.com/shop/v1"

SECRET = "sk-live-0123456789abcdef"


class Factory(Protocol):
    """Builds a :class:`PetClient` or an :class:`AsyncPetClient` (per the ``kind``)."""

    def __call__(self, **kwargs: Any) -> AnyPetClient: ...


class Clock:
    """A virtual clock: sleeps are recorded and move time forward instead of waiting."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def time(self) -> float:
        return time.time() + self.offset

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.offset += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass (as if the server took that long)."""
        self.offset += seconds


async def resolve(value: T | Awaitable[T]) -> T:
    """The result of a sync call, or of an async one once awaited."""
    if inspect.isawaitable(value):
        return await cast(Awaitable[T], value)
    return value


async def collect(pager: SyncPager[T] | AsyncPager[T], max_items: int | None = None) -> list[T]:
    """Every item of a sync or async pager."""
    if isinstance(pager, AsyncPager):
        return await pager.to_list(max_items)
    return pager.to_list(max_items)


async def take(pager: SyncPager[T] | AsyncPager[T], count: int) -> list[T]:
    """The first ``count`` items, read with a plain ``for`` loop left by ``break`` (not
    ``max_items``), as a caller's own loop would."""
    seen: list[T] = []
    if isinstance(pager, AsyncPager):
        async for item in pager:
            seen.append(item)
            if len(seen) == count:
                break
    else:
        for item in pager:
            seen.append(item)
            if len(seen) == count:
                break
    return seen


def sent(router: respx.MockRouter) -> list[httpx.Request]:
    """The requests the mock received, in order."""
    return [call.request for call in router.calls]


def pet(pet_id: str = "rex", **extra: Any) -> dict[str, Any]:
    """A pet as the server sends it."""
    return {"petId": pet_id, "name": pet_id.title(), **extra}
