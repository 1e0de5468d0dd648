"""Fixtures of the core tests: a virtual clock instead of real sleeps, a respx router, and
a factory that builds the example client in its sync or async flavour."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest
import respx

import commonrest._client
import commonrest._pipeline
import commonrest._retry

from .api import AsyncPetClient, PetClient
from .helpers import AnyPetClient, Clock, Factory, Kind


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio."""
    return "asyncio"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Retry sleeps are recorded, not slept, and advance a virtual clock that the pipeline's
    deadline arithmetic reads. The rate limiter tests override this fixture."""
    fake = Clock()
    monkeypatch.setattr(commonrest._client, "time", fake)
    monkeypatch.setattr(commonrest._pipeline, "time", fake)
    monkeypatch.setattr(commonrest._retry, "time", fake)
    monkeypatch.setattr(anyio, "sleep", fake.asleep)
    return fake


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """A respx router for the whole test; unmatched requests fail the test."""
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> Kind:
    """Run the test once with the sync client and once with the async client."""
    value: Kind = request.param
    return value


@pytest.fixture
async def make(kind: Kind) -> AsyncIterator[Factory]:
    """Build clients of the parametrised flavour; they are closed after the test."""
    made: list[AnyPetClient] = []

    def build(**kwargs: Any) -> AnyPetClient:
        client: AnyPetClient = PetClient(**kwargs) if kind == "sync" else AsyncPetClient(**kwargs)
        made.append(client)
        return client

    yield build
    for client in made:
        if isinstance(client, AsyncPetClient):
            await client.close()
        else:
            client.close()
