"""What tracing costs per call: the small Adyen authorisation with tracing off and on.

    python benchmarks/tracing.py               # about half a minute
    python benchmarks/tracing.py --rounds 7

Against the local nginx of run.py, interleaved rounds, medians compared. Variants:

- raw httpx: the request by hand (the floor);
- tracing off: ``AdyenClient`` with its defaults (nothing of OpenTelemetry imported; checked
  before the other variants load it);
- tracing on, API only: ``tracing=True`` with no SDK installed as the global provider (the
  API's no-op spans: what a library user pays when the application does not export);
- tracing on, SDK: ``tracing=Tracing(...)`` with the OpenTelemetry SDK recording every span
  (batch processor, an exporter that drops the batches) and the duration histogram (a
  reader that is never collected).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adyen_like import AdyenClient  # noqa: E402
from benchmarks.fixtures import authorise_request  # noqa: E402
from benchmarks.run import AUTHORISE, KEY, per_call  # noqa: E402
from benchmarks.server import Nginx  # noqa: E402


def measure(base: str, rounds: int, n: int) -> dict[str, float]:
    request = authorise_request()
    raw = httpx.Client(timeout=30)
    off = AdyenClient(api_key="bench-key", base_url=base)
    off.payments.authorise(request)
    if any(m.split(".")[0] == "opentelemetry" for m in sys.modules):
        raise SystemExit("tracing off imported opentelemetry")

    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        SpanExporter,
        SpanExportResult,
    )

    from commonrest import Tracing

    class Dropped(SpanExporter):
        def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(BatchSpanProcessor(Dropped()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    api_only = AdyenClient(api_key="bench-key", base_url=base, tracing=True)
    sdk = AdyenClient(
        api_key="bench-key",
        base_url=base,
        tracing=Tracing(tracer_provider=tracer_provider, meter_provider=meter_provider),
    )
    variants: dict[str, Callable[[], object]] = {
        "raw httpx": lambda: json.loads(
            raw.post(base + AUTHORISE, json=request, headers=KEY).content
        ),
        "tracing off": lambda: off.payments.authorise(request),
        "tracing on, API only": lambda: api_only.payments.authorise(request),
        "tracing on, SDK": lambda: sdk.payments.authorise(request),
    }
    try:
        for fn in variants.values():
            per_call(fn, 50)
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(rounds):
            for name, fn in variants.items():
                times[name].append(per_call(fn, n))
    finally:
        for client in (raw, off, api_only, sdk):
            client.close()
        tracer_provider.shutdown()
        meter_provider.shutdown()
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    ap.add_argument("--calls", type=int, default=400, help="calls per variant and round")
    args = ap.parse_args()
    server = Nginx()
    server.start()
    try:
        print(f"server: nginx on {server.base}; python {sys.version.split()[0]}; ", end="")
        print(f"{max(1, args.rounds)} rounds of {args.calls} calls\n")
        result = measure(server.base, max(1, args.rounds), max(1, args.calls))
    finally:
        server.stop()
    raw, off = result["raw httpx"], result["tracing off"]
    for name, t in result.items():
        print(
            f"{name:22} {t * 1e6:8.1f} us/call  {t / off:5.2f}x tracing off  "
            f"{t / raw:5.2f}x raw httpx  (+{(t - off) * 1e6:6.1f} us)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
