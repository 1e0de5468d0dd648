"""Benchmarks: commonrest against raw httpx, measured in the same run, printed as ratios.

    python benchmarks/run.py            # all measurements (about a minute)
    python benchmarks/run.py --quick    # fewer rounds

A local nginx on 127.0.0.1 serves canned JSON (see server.py). Targets (issue 2):
sync small call <= 1.10x raw httpx; list of 100 models <= 1.5x raw httpx + json.loads;
async at concurrency 50 >= 0.9x raw httpx.AsyncClient with the default transport and
>= 5x with the aiohttp transport; `import commonrest` <= 1.2x `import httpx, pydantic`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_api import AsyncBenchClient, BenchClient, bind
from benchmarks.server import Nginx

BODY = {"name": "benchmark thing", "size": 3, "tags": ["a", "b"]}
CONCURRENCY = 50


def per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def compare_sync(
    label: str, raw: Callable[[], object], ours: Callable[[], object], n: int, rounds: int
) -> tuple[float, float]:
    for _ in range(200):
        raw()
        ours()
    raw_t: list[float] = []
    our_t: list[float] = []
    for _ in range(rounds):
        raw_t.append(per_call(raw, n))
        our_t.append(per_call(ours, n))
    r, o = statistics.median(raw_t), statistics.median(our_t)
    print(f"{label:44} raw {r * 1e6:8.1f} us   ours {o * 1e6:8.1f} us   ratio {o / r:5.2f}x")
    return r, o


async def throughput(call: Callable[[], Awaitable[object]], total: int) -> float:
    per_worker = total // CONCURRENCY

    async def worker() -> None:
        for _ in range(per_worker):
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return per_worker * CONCURRENCY / (time.perf_counter() - start)


async def async_bench(base: str, total: int, rounds: int) -> dict[str, float]:
    from commonrest.transports import aiohttp_transport

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    raw = httpx.AsyncClient(limits=limits, timeout=30)
    ours = AsyncBenchClient(limits=limits)
    fast = AsyncBenchClient(transport=aiohttp_transport(limits=limits))
    url = base + "/small"

    async def raw_call() -> object:
        r = await raw.post(url, json=BODY)
        return json.loads(r.content)

    async def our_call() -> object:
        return await ours.things.create(BODY)

    async def fast_call() -> object:
        return await fast.things.create(BODY)

    calls = {
        "raw httpx.AsyncClient": raw_call,
        "commonrest default": our_call,
        "commonrest aiohttp": fast_call,
    }
    for call in calls.values():  # warm up pools and code paths
        await throughput(call, CONCURRENCY * 4)
    results: dict[str, list[float]] = {k: [] for k in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            results[name].append(await throughput(call, total))
    await raw.aclose()
    await ours.close()
    await fast.close()
    return {k: statistics.median(v) for k, v in results.items()}


def import_time(code: str, runs: int) -> float:
    # Byte code is cached as an installed package has it (pip compiles on install): with
    # PYTHONDONTWRITEBYTECODE set, an editable checkout would be compiled on every run
    # while the site-packages it is compared with would not.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for run in range(runs + 1):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)",
            ],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        if run:  # the first run only writes the byte code cache
            times.append(float(out.stdout.strip()))
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n, rounds, total = (300, 5, 2000) if args.quick else (1000, 9, 5000)

    server = Nginx()
    server.start()
    try:
        bind(server.base)
        print(
            f"server: nginx on {server.base}; python {sys.version.split()[0]}; "
            f"httpx {httpx.__version__}\n"
        )
        raw = httpx.Client(timeout=30)
        ours = BenchClient()
        small_url, list_url = server.base + "/small", server.base + "/list"
        ratios: dict[str, float] = {}

        r, o = compare_sync(
            "sync small POST -> model",
            lambda: json.loads(raw.post(small_url, json=BODY).content),
            lambda: ours.things.create(BODY),
            n,
            rounds,
        )
        ratios["sync small"] = o / r
        r, o = compare_sync(
            "sync list of 100 -> models",
            lambda: json.loads(raw.get(list_url).content),
            lambda: ours.things.list(),
            n,
            rounds,
        )
        ratios["sync list"] = o / r
        raw.close()
        ours.close()

        rps = asyncio.run(async_bench(server.base, total, max(3, rounds // 3)))
        base_rps = rps["raw httpx.AsyncClient"]
        for name, value in rps.items():
            print(
                f"async c={CONCURRENCY} {name:30} {value:8.0f} req/s   "
                f"ratio {value / base_rps:5.2f}x"
            )
        ratios["async default"] = rps["commonrest default"] / base_rps
        ratios["async aiohttp"] = rps["commonrest aiohttp"] / base_rps
    finally:
        server.stop()

    runs = 7 if args.quick else 15
    base_imp = import_time("import httpx, pydantic", runs)
    our_imp = import_time("import commonrest", runs)
    full_imp = import_time("from commonrest import SyncClient, AsyncClient, Model", runs)
    model_imp = import_time(
        "import httpx, pydantic; exec('class M(pydantic.BaseModel):\\n    x: int')", runs
    )
    print(
        f"{'import commonrest vs import httpx, pydantic':44} raw {base_imp * 1e3:8.1f} ms   "
        f"ours {our_imp * 1e3:8.1f} ms   ratio {our_imp / base_imp:5.2f}x"
    )
    print(
        f"{'clients+models vs httpx, pydantic+BaseModel':44} raw {model_imp * 1e3:8.1f} ms   "
        f"ours {full_imp * 1e3:8.1f} ms   ratio {full_imp / model_imp:5.2f}x"
    )
    ratios["import"] = our_imp / base_imp
    ratios["import+clients"] = full_imp / model_imp

    targets = {
        "sync small": ("<=", 1.10),
        "sync list": ("<=", 1.5),
        "async default": (">=", 0.9),
        "async aiohttp": (">=", 5.0),
        "import": ("<=", 1.2),
        "import+clients": ("<=", 1.2),
    }
    print("\nsummary")
    for name, (op, target) in targets.items():
        value = ratios[name]
        ok = value <= target if op == "<=" else value >= target
        print(f"  {name:15} {value:5.2f}x  target {op} {target:<4}  {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
