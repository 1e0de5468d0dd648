"""Two Amentum batches, each on its own client with its own RedisRateLimiter object (same
key), share one quota kept in a real Redis on 127.0.0.1: counted per window at the fake,
their requests together stay within it (each alone would be allowed the whole quota)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from amentum_like import evaluate
from amentum_like.testing import AmentumFake
from commonrest import RedisRateLimiter
from scripts.redis_server import RedisServer, start, stop


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    server: RedisServer = start()
    try:
        yield f"redis://127.0.0.1:{server.port}/0"
    finally:
        stop(server.pid)


@pytest.mark.anyio
async def test_two_batches_share_one_redis_quota(redis_url: str) -> None:
    fake = AmentumFake(latency=0.005)
    grid = [{"latitude": lat, "longitude": 10} for lat in range(-55, 60, 10)]  # 12 points

    async def batch(name: str) -> int:
        quota = RedisRateLimiter(redis_url, key="amentum-batch-test", requests=6, per=0.5)
        async with fake.async_client(rate_limit=quota) as client:
            result = await evaluate(client.gravity.geoid_height, grid, concurrency=6)
        assert [p.point for p in result] == grid and not result.failed, name
        return len(result)

    counts = await asyncio.gather(batch("first"), batch("second"))
    assert list(counts) == [12, 12] and len(fake.requests) == 24
    # one budget of 6 per 0.5 s for both (0.1 s of margin for arrival jitter): two
    # separate budgets would let 12 through
    assert fake.max_per_window(0.4) <= 6
