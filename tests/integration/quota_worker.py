"""One process of the shared-quota tests: ``threads`` threads (or async tasks) calling a
real client whose rate limit is a :class:`commonrest.RedisRateLimiter`.

    python -m tests.integration.quota_worker CONFIG_JSON

Makes one call through the shared limiter (so that imports, connections and first-call work
are done), prints ``ready`` and waits for a line ``go START_AT`` on stdin; START_AT is this
host's ``time.monotonic()`` (one clock for every process on Linux), so all processes begin
together. Calls until ``START_AT + duration``, then prints one JSON line:
``{"calls": n, "errors": ["ErrorClass", ...]}`` (the warm-up call included in ``calls``).
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from typing import Any

from commonrest import CommonRestError, RedisRateLimiter
from tests.core.api import AsyncPetClient, PetClient


def limiter(config: dict[str, Any]) -> RedisRateLimiter:
    return RedisRateLimiter(
        config["redis"],
        key=config["key"],
        requests=config["requests"],
        per=config["per"],
        on_unavailable=config.get("on_unavailable", "fail"),
    )


def wait_for_go() -> float:
    print("ready", flush=True)
    word, start_at = sys.stdin.readline().split()
    assert word == "go"
    return float(start_at)


def run_threads(config: dict[str, Any]) -> dict[str, Any]:
    calls = 1
    errors: list[str] = []
    lock = threading.Lock()
    with PetClient(base_url=config["base_url"], rate_limit=limiter(config)) as client:
        client.pets.get(f"{config['name']}-warm")
        start_at = wait_for_go()
        end = start_at + config["duration"]

        def work(thread: int) -> None:
            nonlocal calls
            n = 0
            while time.monotonic() < end:
                n += 1
                try:
                    client.pets.get(f"{config['name']}-{thread}-{n}")
                except CommonRestError as error:
                    with lock:
                        errors.append(type(error).__name__)
                    return
                with lock:
                    calls += 1

        time.sleep(max(0.0, start_at - time.monotonic()))
        threads = [threading.Thread(target=work, args=(t,)) for t in range(config["threads"])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return {"calls": calls, "errors": errors}


async def run_tasks(config: dict[str, Any]) -> dict[str, Any]:
    calls = 1
    errors: list[str] = []
    shared = limiter(config)
    async with AsyncPetClient(base_url=config["base_url"], rate_limit=shared) as client:
        await client.pets.get(f"{config['name']}-warm")
        start_at = wait_for_go()  # blocks the loop, which has nothing else to do yet
        end = start_at + config["duration"]

        async def work(task: int) -> None:
            nonlocal calls
            n = 0
            while time.monotonic() < end:
                n += 1
                try:
                    await client.pets.get(f"{config['name']}-{task}-{n}")
                except CommonRestError as error:
                    errors.append(type(error).__name__)
                    return
                calls += 1

        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        await asyncio.gather(*(work(t) for t in range(config["threads"])))
    await shared.aclose()
    return {"calls": calls, "errors": errors}


def main(argv: list[str]) -> int:
    config: dict[str, Any] = json.loads(argv[0])
    run_async = config["mode"] == "async"
    result = asyncio.run(run_tasks(config)) if run_async else run_threads(config)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
