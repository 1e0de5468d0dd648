"""A client that reads the budget the server announces sends fewer requests into a 429.

The server (quota_server.py) enforces a quota per one-second window on real sockets and
announces it in ``RateLimit-*`` headers; the same work runs with learning on and off.
"""

from __future__ import annotations

import threading

import anyio
import pytest

from tests.core.api import AsyncPetClient, PetClient
from tests.core.quota_server import QuotaServer, quota_server


@pytest.fixture
def clock() -> None:
    """Real sleeps: the server's windows are in real time."""


QUOTA = 8
WORKERS = 4
CALLS = 8  # per worker: 32 requests, four windows' worth


def _sync_work(server: QuotaServer, learn: bool) -> None:
    with PetClient(base_url=server.url, learn_rate_limits=learn, max_retries=20) as client:

        def worker(n: int) -> None:
            for i in range(CALLS):
                client.pets.get(f"pet-{n}-{i}")

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


async def _async_work(server: QuotaServer, learn: bool) -> None:
    async with AsyncPetClient(
        base_url=server.url, learn_rate_limits=learn, max_retries=20
    ) as client:

        async def worker(n: int) -> None:
            for i in range(CALLS):
                await client.pets.get(f"pet-{n}-{i}")

        async with anyio.create_task_group() as group:
            for n in range(WORKERS):
                group.start_soon(worker, n)


def _rejected(learn: bool, kind: str) -> tuple[int, int]:
    with quota_server(QUOTA, window=1.0) as server:
        if kind == "sync":
            _sync_work(server, learn)
        else:
            anyio.run(_async_work, server, learn)
        return server.answered_200, server.answered_429


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_learning_the_servers_budget_avoids_most_429s(kind: str) -> None:
    done_off, rejected_off = _rejected(False, kind)
    done_on, rejected_on = _rejected(True, kind)
    print(f"{kind}: 429s without learning {rejected_off}, with learning {rejected_on}")
    assert done_off == done_on == WORKERS * CALLS  # the same work, all of it done
    assert rejected_off >= WORKERS  # the work really overruns the quota
    assert rejected_on < rejected_off
    assert rejected_on <= WORKERS  # at most the first burst of a window
