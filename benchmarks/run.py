"""Benchmarks: the real vendor clients against raw httpx, raw aiohttp and a thin client.

    python benchmarks/run.py               # about a minute
    python benchmarks/run.py --rounds 5    # more interleaved rounds
    python benchmarks/run.py --profile-aiohttp 5000   # where the async aiohttp time goes

A local nginx on 127.0.0.1 (see server.py) answers like the real services: Adyen's
authorisation, Airflow v1 and v2 lists of 100 DAGs built from the specs' schemas, a 404
with problem details and a 429. Every variant of a measurement runs in the same process,
one after the other in each round (interleaved), and the medians of the rounds are
compared. The vendor clients run with their defaults (the 429 with ``max_retries=0``, so
the error path is measured rather than a retry). The thin client (thin.py) is httpx plus
small pydantic models with the same fields.

Targets (issue 8): small call <= 1.10x raw httpx; list of 100 real models <= 1.05x the
thin client; error path <= 1.3x raw httpx; async at concurrency 50 with the aiohttp
transport >= 0.5x raw aiohttp; import of the vendor clients <= 1.2x the thin client, and
import + construction + first call <= 1.3x.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adyen_like import AdyenClient, AsyncAdyenClient  # noqa: E402
from airflow_like import AirflowClient  # noqa: E402
from benchmarks import thin  # noqa: E402
from benchmarks.fixtures import authorise_request  # noqa: E402
from benchmarks.server import Nginx  # noqa: E402
from commonrest import NotFoundError, RateLimitError  # noqa: E402

CONCURRENCY = 50
KEY = {"X-API-Key": "bench-key"}
AUTHORISE = "/pal/servlet/Payment/v68/authorise"
Variants = dict[str, Callable[[], object]]


def per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def expect(error: type[Exception], fn: Callable[[], object]) -> Callable[[], object]:
    """A call that must raise ``error`` (the error path), as a callable to time."""

    def call() -> object:
        try:
            fn()
        except error as exc:
            return exc
        raise AssertionError(f"expected {error.__name__}")

    return call


def raw_error(http: httpx.Client, url: str) -> Callable[[], object]:
    """Raw httpx's error path: the status checked and the problem body parsed."""

    def call() -> object:
        response = http.get(url)
        if response.status_code >= 400:
            return response.status_code, json.loads(response.content)
        raise AssertionError("expected an error status")

    return call


def sync_scenarios(base: str) -> tuple[dict[str, tuple[Variants, int]], Callable[[], None]]:
    raw = httpx.Client(timeout=30)
    raw_auth = httpx.Client(timeout=30, auth=httpx.BasicAuth("admin", "secret"))
    thin_adyen = thin.ThinAdyen(base, "bench-key")
    thin_v1 = thin.ThinAirflow(base, httpx.BasicAuth("admin", "secret"))
    thin_v2 = thin.ThinAirflow(base, headers={"Authorization": "Bearer bench-token"})
    adyen = AdyenClient(api_key="bench-key", base_url=base)
    v1 = AirflowClient(base_url=base, username="admin", password="secret", api_version=1)
    v2 = AirflowClient(base_url=base, token="bench-token")
    v1_once = AirflowClient(
        base_url=base, username="admin", password="secret", api_version=1, max_retries=0
    )
    request = authorise_request()
    list_query = {"limit": 100, "offset": 0}

    scenarios: dict[str, tuple[Variants, int]] = {
        "adyen payments.authorise (small call)": (
            {
                "raw httpx": lambda: json.loads(
                    raw.post(base + AUTHORISE, json=request, headers=KEY).content
                ),
                "thin": lambda: thin_adyen.authorise(request),
                "ours": lambda: adyen.payments.authorise(request),
            },
            400,
        ),
        "airflow v1 dags.list: 100 DAGs": (
            {
                "raw httpx": lambda: json.loads(
                    raw_auth.get(base + "/api/v1/dags", params=list_query).content
                ),
                "thin": lambda: thin_v1.list_dags_v1(),
                "ours": lambda: v1.v1.dags.list(limit=100).to_list(),
            },
            40,
        ),
        "airflow v2 dags.list: 100 DAGs": (
            {
                "raw httpx": lambda: json.loads(
                    raw.get(base + "/api/v2/dags", params=list_query).content
                ),
                "thin": lambda: thin_v2.list_dags_v2(),
                "ours": lambda: v2.v2.dags.list(limit=100).to_list(),
            },
            40,
        ),
        "airflow v1 404 with problem details": (
            {
                "raw httpx": raw_error(raw_auth, base + "/api/v1/dags/missing"),
                "thin": expect(thin.ThinError, lambda: thin_v1.get_dag_v1("missing")),
                "ours": expect(NotFoundError, lambda: v1.v1.dags.get("missing")),
            },
            400,
        ),
        "airflow v1 429 (max_retries=0)": (
            {
                "raw httpx": raw_error(raw_auth, base + "/api/v1/dags/busy"),
                "thin": expect(thin.ThinError, lambda: thin_v1.get_dag_v1("busy")),
                "ours": expect(RateLimitError, lambda: v1_once.v1.dags.get("busy")),
            },
            400,
        ),
    }

    def close() -> None:
        for client in (raw, raw_auth, thin_adyen, thin_v1, thin_v2, adyen, v1, v2, v1_once):
            client.close()

    return scenarios, close


def run_sync(base: str, rounds: int) -> dict[str, dict[str, float]]:
    scenarios, close = sync_scenarios(base)
    try:
        for variants, _ in scenarios.values():  # warm up pools, validators, code paths
            for fn in variants.values():
                per_call(fn, 20)
        times: dict[str, dict[str, list[float]]] = {
            name: {v: [] for v in variants} for name, (variants, _) in scenarios.items()
        }
        for _ in range(rounds):
            for name, (variants, n) in scenarios.items():
                for variant, fn in variants.items():
                    times[name][variant].append(per_call(fn, n))
    finally:
        close()
    return {
        name: {v: statistics.median(t) for v, t in by_variant.items()}
        for name, by_variant in times.items()
    }


async def throughput(call: Callable[[], Awaitable[object]], seconds: float) -> float:
    """Requests per second of ``CONCURRENCY`` workers calling for about ``seconds`` (bounded
    by time, not by count, so a slow variant cannot stretch the run)."""
    done = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < stop:
            await call()
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return done / (time.perf_counter() - start)


async def run_async(base: str, seconds: float, rounds: int) -> dict[str, float]:
    import aiohttp

    from commonrest import aiohttp_transport

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    request = authorise_request()
    url = base + AUTHORISE
    raw = httpx.AsyncClient(limits=limits, timeout=30)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    ours = AsyncAdyenClient(api_key="bench-key", base_url=base, limits=limits)
    fast = AsyncAdyenClient(
        api_key="bench-key", base_url=base, transport=aiohttp_transport(limits=limits)
    )

    async def raw_httpx() -> object:
        response = await raw.post(url, json=request, headers=KEY)
        return json.loads(response.content)

    async def raw_aiohttp() -> object:
        async with session.post(url, json=request, headers=KEY) as response:
            return json.loads(await response.read())

    async def ours_default() -> object:
        return await ours.payments.authorise(request)

    async def ours_aiohttp() -> object:
        return await fast.payments.authorise(request)

    calls = {
        "raw httpx.AsyncClient": raw_httpx,
        "ours, default transport": ours_default,
        "raw aiohttp": raw_aiohttp,
        "ours, aiohttp transport": ours_aiohttp,
    }
    try:
        for call in calls.values():
            await throughput(call, seconds / 4)
        results: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(rounds):
            for name, call in calls.items():
                results[name].append(await throughput(call, seconds))
    finally:
        await raw.aclose()
        await session.close()
        await ours.close()
        await fast.close()
    return {name: statistics.median(values) for name, values in results.items()}


def import_time(code: str) -> float:
    """Seconds ``code`` takes in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import time; _t = time.perf_counter(); {code}; print(time.perf_counter() - _t)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    return float(out.stdout.strip().splitlines()[-1])


def run_imports(base: str, runs: int, rounds: int) -> dict[str, float]:
    codes = {
        "import: thin client": "import benchmarks.thin",
        "import: AdyenClient + AirflowClient": (
            "from adyen_like import AdyenClient; from airflow_like import AirflowClient"
        ),
        "first call: thin client": (
            "import httpx, benchmarks.thin as thin; "
            f"thin.ThinAirflow({base!r}, httpx.BasicAuth('a', 'b')).list_dags_v1()"
        ),
        "first call: AirflowClient v1": (
            "from adyen_like import AdyenClient; from airflow_like import AirflowClient; "
            f"c = AirflowClient(base_url={base!r}, username='a', password='b', api_version=1); "
            "c.v1.dags.list(limit=100).to_list()"
        ),
    }
    # Byte code cached, as an installed package has it (pip compiles on install): the
    # first run of each only writes the cache.
    for code in codes.values():
        import_time(code)
    results: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(rounds):
        for name, code in codes.items():
            results[name] += [import_time(code) for _ in range(runs)]
    return {name: statistics.median(values) for name, values in results.items()}


async def profile_aiohttp(base: str, requests: int) -> None:
    """Where the time of ``AsyncAdyenClient`` over the aiohttp transport goes at
    concurrency 50: cProfile over ``requests`` calls, per request."""
    import cProfile
    import pstats

    from commonrest import aiohttp_transport

    request = authorise_request()
    client = AsyncAdyenClient(api_key="bench-key", base_url=base, transport=aiohttp_transport())
    per_worker = requests // CONCURRENCY

    async def worker() -> None:
        for _ in range(per_worker):
            await client.payments.authorise(request)

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))  # warm up
    profiler = cProfile.Profile()
    profiler.enable()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    profiler.disable()
    await client.close()
    stats = pstats.Stats(profiler)
    total = per_worker * CONCURRENCY
    print(f"cProfile, {total} requests of ours over aiohttp at c={CONCURRENCY}; us per request")
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for title, column, count in (("by cumulative time", 3, 30), ("by own time", 2, 20)):
        print(f"\n{title}\n{'cumulative':>10} {'own':>8}  function")
        rows = sorted(entries, key=lambda kv: kv[1][column], reverse=True)
        for (file, line, name), (_, _, own, cumulative, _) in rows[:count]:
            where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if line else file
            print(f"{cumulative / total * 1e6:10.1f} {own / total * 1e6:8.1f}  {name} ({where})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    ap.add_argument(
        "--profile-aiohttp",
        type=int,
        metavar="N",
        help="instead: cProfile N calls of the async client over aiohttp at c=50",
    )
    args = ap.parse_args()
    rounds = max(1, args.rounds)
    if args.profile_aiohttp:
        server = Nginx()
        server.start()
        try:
            asyncio.run(profile_aiohttp(server.base, args.profile_aiohttp))
        finally:
            server.stop()
        return 0

    server = Nginx()
    server.start()
    try:
        import aiohttp

        print(
            f"server: nginx on {server.base}; python {sys.version.split()[0]}; "
            f"httpx {httpx.__version__}; aiohttp {aiohttp.__version__}; {rounds} rounds\n"
        )
        started = time.perf_counter()
        sync = run_sync(server.base, rounds)
        took = {"sync": time.perf_counter() - started}
        rps = asyncio.run(run_async(server.base, 1.5, rounds))
        took["async"] = time.perf_counter() - started - sum(took.values())
        imports = run_imports(server.base, 2, rounds)
        took["imports"] = time.perf_counter() - started - sum(took.values())
    finally:
        server.stop()

    for name, t in sync.items():
        raw, slim, ours = t["raw httpx"], t["thin"], t["ours"]
        print(
            f"{name:40} raw {raw * 1e6:8.1f} us  thin {slim * 1e6:8.1f} us  "
            f"ours {ours * 1e6:8.1f} us  ours/raw {ours / raw:5.2f}x  ours/thin {ours / slim:5.2f}x"
        )
    print()
    for name, value in rps.items():
        print(f"async c={CONCURRENCY} {name:28} {value:8.0f} req/s")
    print()
    for name, value in imports.items():
        print(f"{name:40} {value * 1e3:8.1f} ms")

    small = sync["adyen payments.authorise (small call)"]
    v1 = sync["airflow v1 dags.list: 100 DAGs"]
    v2 = sync["airflow v2 dags.list: 100 DAGs"]
    e404 = sync["airflow v1 404 with problem details"]
    e429 = sync["airflow v1 429 (max_retries=0)"]
    checks: list[tuple[str, float, str, float]] = [
        ("small call / raw httpx", small["ours"] / small["raw httpx"], "<=", 1.10),
        ("v1 list of 100 / thin", v1["ours"] / v1["thin"], "<=", 1.05),
        ("v2 list of 100 / thin", v2["ours"] / v2["thin"], "<=", 1.05),
        ("404 / raw httpx", e404["ours"] / e404["raw httpx"], "<=", 1.3),
        ("429 / raw httpx", e429["ours"] / e429["raw httpx"], "<=", 1.3),
        (
            "async default / raw httpx",
            rps["ours, default transport"] / rps["raw httpx.AsyncClient"],
            ">=",
            0.9,
        ),
        (
            "async aiohttp / raw aiohttp",
            rps["ours, aiohttp transport"] / rps["raw aiohttp"],
            ">=",
            0.5,
        ),
        (
            "import / thin",
            imports["import: AdyenClient + AirflowClient"] / imports["import: thin client"],
            "<=",
            1.2,
        ),
        (
            "first call / thin",
            imports["first call: AirflowClient v1"] / imports["first call: thin client"],
            "<=",
            1.3,
        ),
    ]
    print("\nseconds taken: " + ", ".join(f"{k} {v:.0f}" for k, v in took.items()))
    print("\nsummary")
    for label, value, op, target in checks:
        ok = value <= target if op == "<=" else value >= target
        print(f"  {label:30} {value:5.2f}x  target {op} {target:<4}  {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
