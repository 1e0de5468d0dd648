"""The three ways a test can reach a server: the sync client, the async client on httpx's
own transport, and the async client on the aiohttp transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal, TypeAlias

import httpx

from commonrest import aiohttp_transport

from .api import AsyncPetClient, PetClient
from .helpers import AnyPetClient

Flavour: TypeAlias = Literal["sync", "async", "aiohttp"]
FLAVOURS: tuple[Flavour, ...] = ("sync", "async", "aiohttp")


@asynccontextmanager
async def client_on(
    flavour: Flavour, *, limits: httpx.Limits | None = None, **settings: Any
) -> AsyncIterator[AnyPetClient]:
    """The example client of ``flavour`` with ``settings``, closed afterwards."""
    if flavour == "sync":
        with PetClient(limits=limits, **settings) as client:
            yield client
        return
    if flavour == "aiohttp":
        transport = aiohttp_transport(**({"limits": limits} if limits else {}))
        async with AsyncPetClient(transport=transport, **settings) as aio:
            yield aio
        return
    async with AsyncPetClient(limits=limits, **settings) as plain:
        yield plain
