"""A rate-limit budget shared through a real Redis by several processes.

Every test drives real clients (``PetClient``/``AsyncPetClient``, subclasses of
``commonrest.SyncClient``/``AsyncClient``) against a counting HTTP server on 127.0.0.1 and
checks what arrived there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import pytest

from commonrest import (
    RateLimiter,
    RateLimiterUnavailableError,
    RateLimitTimeoutError,
    RedisRateLimiter,
)
from scripts.redis_server import RedisServer, stop
from tests.core.api import AsyncPetClient, PetClient

from .conftest import CountingServer, busiest_window

ROOT = Path(__file__).resolve().parents[2]
RATE = 15


def launch(config: dict[str, Any]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.quota_worker", json.dumps(config)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def outcome(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def fleet(
    redis: RedisServer,
    server: CountingServer,
    *,
    processes: int,
    threads: int,
    duration: float,
    key: str,
    async_every: int = 0,
) -> tuple[float, list[subprocess.Popen[str]]]:
    """Start ``processes`` workers sharing one budget (every ``async_every``-th is async),
    wait until each is ready, and start them together; returns when they start."""
    workers = []
    for n in range(processes):
        is_async = async_every and n % async_every == 0
        config = {
            "redis": redis.url,
            "key": key,
            "requests": RATE,
            "per": 1.0,
            "base_url": server.url,
            "name": f"p{n}",
            "mode": "async" if is_async else "sync",
            "threads": threads,
            "duration": duration,
        }
        workers.append(launch(config))
    for worker in workers:
        assert worker.stdout is not None
        line = worker.stdout.readline()
        if line.strip() != "ready":
            worker.kill()
            raise AssertionError(f"worker failed to start: {line}{worker.communicate()[1]}")
    start_at = time.monotonic() + 0.2
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write(f"go {start_at!r}\n")
        worker.stdin.flush()
    return start_at, workers


def test_four_processes_of_eight_threads_share_fifteen_per_second(
    redis_server: RedisServer, counting_server: CountingServer
) -> None:
    start_at, workers = fleet(
        redis_server,
        counting_server,
        processes=4,
        threads=8,
        duration=5.0,
        key=f"quota-{uuid.uuid4()}",
        async_every=4,  # process 0 runs 8 async tasks, the others 8 threads each
    )
    results = [outcome(w) for w in workers]
    assert all(r["errors"] == [] for r in results), results
    times = counting_server.times()
    assert sum(r["calls"] for r in results) == len(times)
    busiest = busiest_window(times, 1.0)  # warm-up calls included: they spend budget too
    measured = sorted(t for t in times if t >= start_at)
    span = measured[-1] - measured[0]
    rate = (len(measured) - 1) / span
    print(
        f"\n4 processes x 8 threads: {len(measured)} requests in {span:.2f}s = {rate:.2f}/s "
        f"(+{len(times) - len(measured)} warm-up), busiest 1 s window {busiest}"
    )
    if os.environ.get("QUOTA_DEBUG"):
        t0 = min(times)
        print(sorted(round(t - t0, 3) for t in times))
    assert all(counting_server.times(f"p{n}") for n in range(4))  # every process was served
    assert busiest <= RATE
    assert rate >= 13.0


def test_a_429_seen_by_one_process_pauses_the_others(
    redis_server: RedisServer, counting_server: CountingServer
) -> None:
    pause = 2.0
    start_at, workers = fleet(
        redis_server,
        counting_server,
        processes=3,
        threads=2,
        duration=5.0,
        key=f"pause-{uuid.uuid4()}",
        async_every=2,  # processes 0 and 2 async, 1 sync
    )
    time.sleep(max(0.0, start_at + 1.5 - time.monotonic()))
    counting_server.throttle_once("p1", pause)
    results = [outcome(w) for w in workers]
    assert all(r["errors"] == [] for r in results), results
    with counting_server.lock:
        arrivals = list(counting_server.arrivals)
    throttled = [a.at for a in arrivals if a.status == 429]
    assert len(throttled) == 1
    at = throttled[0]
    # Requests already past their permit when the 429 arrived may still land just after it.
    held = [a for a in arrivals if at + 0.25 < a.at < at + pause - 0.05]
    before = [a for a in arrivals if at - 1.0 < a.at < at]
    after = [a for a in arrivals if at + pause <= a.at]
    print(
        f"\n429 at +{at - start_at:.2f}s: {len(held)} requests during the {pause:g}s pause, "
        f"{len(before)} in the second before, {len(after)} after"
    )
    assert held == []
    assert {a.caller for a in before} >= {"p0", "p2"}  # the others were busy before...
    assert {a.caller for a in after} >= {"p0", "p2"}  # ...and resumed after the pause


def calls_until_stopped(
    client: PetClient, redis: RedisServer, server: CountingServer, *, calls: int, stop_after: int
) -> list[BaseException | None]:
    """Make ``calls`` calls one after another, stopping Redis after ``stop_after``."""
    outcomes: list[BaseException | None] = []
    for n in range(calls):
        if n == stop_after:
            stop(redis.pid)
        try:
            client.pets.get(f"c-{n}")
            outcomes.append(None)
        except Exception as error:
            outcomes.append(error)
    return outcomes


def test_redis_stopped_mid_run_fails_closed_by_default(
    own_redis: Any, counting_server: CountingServer
) -> None:
    redis: RedisServer = own_redis()
    limiter = RedisRateLimiter(redis.url, key="closed", requests=50)
    assert limiter.on_unavailable == "fail"  # the default
    with PetClient(base_url=counting_server.url, rate_limit=limiter) as client:
        outcomes = calls_until_stopped(client, redis, counting_server, calls=6, stop_after=3)
    assert outcomes[:3] == [None, None, None]
    for error in outcomes[3:]:
        assert isinstance(error, RateLimiterUnavailableError)
        assert error.sent is False
        assert "on_unavailable" in str(error) and error.key == "closed"
        assert error.method == "GET" and error.operation == "pets.get"  # names the call
    assert len(counting_server.times()) == 3  # nothing was sent without a shared permit


def test_redis_stopped_mid_run_fails_closed_for_async_clients(
    own_redis: Any, counting_server: CountingServer
) -> None:
    redis: RedisServer = own_redis()
    limiter = RedisRateLimiter(redis.url, key="closed-async", requests=50)

    async def main() -> list[BaseException | None]:
        outcomes: list[BaseException | None] = []
        async with AsyncPetClient(base_url=counting_server.url, rate_limit=limiter) as client:
            for n in range(5):
                if n == 2:
                    stop(redis.pid)
                try:
                    await client.pets.get(f"a-{n}")
                    outcomes.append(None)
                except Exception as error:
                    outcomes.append(error)
        await limiter.aclose()
        return outcomes

    outcomes = anyio.run(main)
    assert outcomes[:2] == [None, None]
    assert all(isinstance(e, RateLimiterUnavailableError) for e in outcomes[2:]), outcomes
    assert len(counting_server.times()) == 2


def test_redis_stopped_mid_run_falls_back_to_a_local_limit(
    own_redis: Any, counting_server: CountingServer, caplog: pytest.LogCaptureFixture
) -> None:
    redis: RedisServer = own_redis()
    # A wide margin: the server counts arrivals, which lag their permits by up to that much.
    limiter = RedisRateLimiter(
        redis.url, key="local", requests=4, per=1.0, margin=0.3, on_unavailable="local"
    )
    with PetClient(base_url=counting_server.url, rate_limit=limiter) as client:
        outcomes = calls_until_stopped(client, redis, counting_server, calls=12, stop_after=4)
    assert outcomes == [None] * 12  # every call went out...
    times = counting_server.times()
    assert len(times) == 12
    assert busiest_window(times[4:], 1.0) <= 4  # ...within the local limit after the outage
    assert "using a local limit" in caplog.text


def test_redis_stopped_mid_run_falls_back_to_a_local_limit_for_async_clients(
    own_redis: Any, counting_server: CountingServer
) -> None:
    redis: RedisServer = own_redis()
    limiter = RedisRateLimiter(
        redis.url, key="local-async", requests=4, per=1.0, margin=0.3, on_unavailable="local"
    )

    async def main() -> list[BaseException | None]:
        outcomes: list[BaseException | None] = []
        async with AsyncPetClient(base_url=counting_server.url, rate_limit=limiter) as client:
            for n in range(10):
                if n == 3:
                    stop(redis.pid)
                try:
                    await client.pets.get(f"l-{n}")
                    outcomes.append(None)
                except Exception as error:
                    outcomes.append(error)
        await limiter.aclose()
        return outcomes

    outcomes = anyio.run(main)
    assert outcomes == [None] * 10  # every call went out...
    times = counting_server.times()
    assert len(times) == 10
    assert busiest_window(times[3:], 1.0) <= 4  # ...within the local limit after the outage


def test_the_local_fallback_goes_back_to_redis_when_it_returns(
    own_redis: Any, counting_server: CountingServer
) -> None:
    redis: RedisServer = own_redis()
    local = RedisRateLimiter(
        redis.url,
        key="back",
        requests=2,
        per=30.0,
        on_unavailable="local",
        retry_redis_after=0.2,
        max_wait=0.5,
        smooth=False,
    )
    stop(redis.pid)
    local.acquire()  # Redis is down: a local permit
    from scripts.redis_server import start

    again = start(port=redis.port)
    try:
        time.sleep(0.3)
        other = RedisRateLimiter(
            again.url, key="back", requests=2, per=30.0, max_wait=0.5, smooth=False
        )
        other.acquire()
        other.acquire()  # the shared budget of 2 per 30 s is spent
        with pytest.raises(Exception) as caught:
            local.acquire()  # Redis again, not the local budget (which has a permit left)
        assert type(caught.value).__name__ == "RateLimitTimeoutError"
    finally:
        stop(again.pid)


def test_a_client_created_before_fork_shares_the_budget_in_the_child(
    redis_server: RedisServer, counting_server: CountingServer
) -> None:
    limiter = RedisRateLimiter(
        redis_server.url,
        key=f"fork-{uuid.uuid4()}",
        requests=3,
        per=30.0,
        max_wait=0.5,
        smooth=False,  # the three permits at once
    )
    with PetClient(base_url=counting_server.url, rate_limit=limiter) as client:
        for n in range(2):
            client.pets.get(f"parent-{n}")
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its own sockets, the parent's budget
            os.close(read)
            result = "?"
            try:
                client.pets.get("child-0")
                try:
                    client.pets.get("child-1")
                    result = "second call went out"
                except Exception as error:
                    result = type(error).__name__
            except BaseException as error:
                result = f"first call failed: {type(error).__name__}"
            finally:
                os.write(write, result.encode())
                os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        with os.fdopen(read) as pipe:
            said = pipe.read()
    assert said == "RateLimitTimeoutError"  # 2 by the parent + 1 by the child = the budget
    assert counting_server.times("child") and len(counting_server.times()) == 3


def test_an_in_memory_limiter_gives_each_forked_child_its_own_budget(
    counting_server: CountingServer,
) -> None:
    limiter = RateLimiter(3, per=60.0, max_wait=0.5)
    with PetClient(base_url=counting_server.url, rate_limit=limiter) as client:
        for n in range(3):
            client.pets.get(f"parent-{n}")  # the parent's budget is spent for 60 s
        with pytest.raises(RateLimitTimeoutError):
            client.pets.get("parent-3")
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            result = "?"
            try:
                for n in range(3):
                    client.pets.get(f"child-{n}")
                result = "ok"
            except BaseException as error:
                result = type(error).__name__
            finally:
                os.write(write, result.encode())
                os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        with os.fdopen(read) as pipe:
            said = pipe.read()
    assert said == "ok"
    assert len(counting_server.times("child")) == 3


def test_a_restarted_redis_is_used_again_without_an_error(
    own_redis: Any, counting_server: CountingServer
) -> None:
    from scripts.redis_server import start

    redis: RedisServer = own_redis()
    limiter = RedisRateLimiter(redis.url, key="restart", requests=50)
    with PetClient(base_url=counting_server.url, rate_limit=limiter) as client:
        client.pets.get("r-0")
        stop(redis.pid)
        again = start(port=redis.port)  # the same address, an empty server
        try:
            client.pets.get("r-1")  # the connection and the script come back by themselves
        finally:
            stop(again.pid)
    assert len(counting_server.times()) == 2


def test_the_budget_key_expires_when_nobody_uses_it(redis_server: RedisServer) -> None:
    import redis

    key = f"idle-{uuid.uuid4()}"
    limiter = RedisRateLimiter(redis_server.url, key=key, requests=5, per=1.0)
    limiter.acquire()
    with redis.Redis.from_url(redis_server.url) as store:
        left = store.pttl(key)
    limiter.close()
    assert 0 < left <= 2 * 1050  # two windows (with the margin), then Redis drops it
