"""OpenTelemetry: a span per call, a CLIENT span per request sent, wait events, the duration
histogram; nothing of OpenTelemetry loaded when tracing is off.

Recorded with the OpenTelemetry SDK's in-memory span exporter and metric reader, over
respx or real loopback sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from airflow_like import AirflowClient, AsyncAirflowClient
from commonrest import (
    APIConnectionError,
    APIKeyAuth,
    BadRequestError,
    BearerAuth,
    ConfigurationError,
    NotFoundError,
    RateLimiter,
    Tracing,
)

from .api import AsyncPetClient, PetClient
from .helpers import PETS, SECRET, Factory, Kind, pet, resolve
from .servers import refused_url

ROOT = Path(__file__).resolve().parents[2]
CARD = "4111111111111111"
CARD_GROUPED = "4111 1111 1111 1111"
BEARER = "eyJhbGciOiJIUzI1NiJ9.bearer-token-value"
AIRFLOW = "http://airflow.test"


class Recorder:
    """An in-memory OpenTelemetry SDK and the ``Tracing`` setting that sends to it."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.tracing = Tracing(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider
        )

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def calls(self) -> list[ReadableSpan]:
        """The spans of our calls (not the application's own)."""
        return [s for s in self.spans() if s.kind is SpanKind.INTERNAL and ours(s)]

    def requests(self) -> list[ReadableSpan]:
        """The CLIENT spans, in the order they started."""
        found = [s for s in self.spans() if s.kind is SpanKind.CLIENT]
        return sorted(found, key=lambda s: s.start_time or 0)

    def durations(self) -> list[HistogramDataPoint]:
        data = self.reader.get_metrics_data()
        points: list[HistogramDataPoint] = []
        if data is None:
            return points
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == "http.client.request.duration":
                        assert metric.unit == "s"
                        points += [
                            p for p in metric.data.data_points if isinstance(p, HistogramDataPoint)
                        ]
        return points


@pytest.fixture
def otel() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.tracer_provider.shutdown()
    recorder.meter_provider.shutdown()


def ours(span: ReadableSpan) -> bool:
    scope = span.instrumentation_scope
    return scope is not None and scope.name == "commonrest"


def parent_of(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def span_id(span: ReadableSpan) -> int:
    assert span.context is not None
    found: int = span.context.span_id
    return found


def attrs(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


# ------------------------------------------------------------------ span trees


@pytest.mark.anyio
async def test_a_success_is_a_call_span_with_one_client_span(
    make: Factory, router: respx.MockRouter, otel: Recorder
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(tracing=otel.tracing)
    await resolve(client.pets.get("rex"))

    (call,) = otel.calls()
    (sent,) = otel.requests()
    assert call.name == "pets.get"
    assert parent_of(call) is None
    assert parent_of(sent) == span_id(call)
    assert attrs(call) == {
        "commonrest.operation": "pets.get",
        "commonrest.operation_id": "getPet",
        "http.request.method": "GET",
        "server.address": "pets-test.example.com",
        "server.port": 443,
        "url.full": f"{PETS}/pets/rex",
        "http.response.status_code": 200,
    }
    assert sent.name == "GET"
    assert attrs(sent) == {
        "http.request.method": "GET",
        "server.address": "pets-test.example.com",
        "server.port": 443,
        "url.full": f"{PETS}/pets/rex",
        "http.response.status_code": 200,
    }
    assert call.status.status_code is StatusCode.UNSET
    assert sent.status.status_code is StatusCode.UNSET


@pytest.mark.anyio
async def test_a_404_names_the_status_on_the_request_and_the_error_class_on_the_call(
    make: Factory, router: respx.MockRouter, otel: Recorder
) -> None:
    router.get(f"{PETS}/pets/gone").respond(404, json={"title": "no such pet"})
    client = make(tracing=otel.tracing)
    with pytest.raises(NotFoundError):
        await resolve(client.pets.get("gone"))

    (call,) = otel.calls()
    (sent,) = otel.requests()
    assert attrs(sent)["http.response.status_code"] == 404
    assert attrs(sent)["error.type"] == "404"
    assert sent.status.status_code is StatusCode.ERROR
    assert attrs(call)["error.type"] == "commonrest.NotFoundError"
    assert attrs(call)["http.response.status_code"] == 404
    assert call.status.status_code is StatusCode.ERROR
    assert call.status.description is None  # nothing of the message or body


@pytest.mark.anyio
async def test_a_retried_503_counts_resends_and_records_the_wait(
    make: Factory, router: respx.MockRouter, otel: Recorder
) -> None:
    router.get(f"{PETS}/pets/rex").mock(
        side_effect=[httpx.Response(503), httpx.Response(503), httpx.Response(200, json=pet())]
    )
    client = make(tracing=otel.tracing)
    await resolve(client.pets.get("rex"))

    (call,) = otel.calls()
    first, second, third = otel.requests()
    assert {parent_of(s) for s in (first, second, third)} == {span_id(call)}
    assert "http.request.resend_count" not in attrs(first)
    assert attrs(second)["http.request.resend_count"] == 1
    assert attrs(third)["http.request.resend_count"] == 2
    assert [attrs(s).get("error.type") for s in (first, second, third)] == ["503", "503", None]
    waits = [e for e in call.events if e.name == "commonrest.retry_wait"]
    assert [dict(e.attributes or {})["commonrest.attempt"] for e in waits] == [1, 2]
    for event in waits:
        seen = dict(event.attributes or {})
        assert seen["error.type"] == "commonrest.ServiceUnavailableError"
        assert seen["http.response.status_code"] == 503
        assert isinstance(seen["commonrest.wait_seconds"], float)
        assert seen["commonrest.wait_seconds"] > 0
    assert "error.type" not in attrs(call)


@pytest.mark.anyio
async def test_a_refused_connection_is_an_error_type_without_a_status(
    kind: Kind, otel: Recorder
) -> None:
    url = refused_url()
    options: dict[str, Any] = {"base_url": url, "tracing": otel.tracing, "max_retries": 1}
    if kind == "sync":
        with PetClient(**options) as sync, pytest.raises(APIConnectionError):
            sync.pets.get("rex")
    else:
        async with AsyncPetClient(**options) as aclient:
            with pytest.raises(APIConnectionError):
                await aclient.pets.get("rex")

    (call,) = otel.calls()
    sent = otel.requests()
    assert len(sent) == 2  # never sent, so retried once
    for span in sent:
        assert attrs(span)["error.type"] == "commonrest.APIConnectionError"
        assert "http.response.status_code" not in attrs(span)
        assert attrs(span)["server.address"] == "127.0.0.1"
        assert attrs(span)["server.port"] == httpx.URL(url).port
        assert span.status.status_code is StatusCode.ERROR
    assert attrs(call)["error.type"] == "commonrest.APIConnectionError"


@pytest.mark.anyio
async def test_waiting_for_a_rate_limit_permit_is_an_event(
    make: Factory, router: respx.MockRouter, otel: Recorder
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    limiter = RateLimiter(1, per=0.3)
    client = make(tracing=otel.tracing, rate_limit=limiter)
    await resolve(client.pets.get("rex"))
    await resolve(client.pets.get("rex"))  # the bucket holds one: this one waits
    limiter.close()

    _, second = sorted(otel.calls(), key=lambda s: s.start_time or 0)
    (event,) = [e for e in second.events if e.name == "commonrest.rate_limit_wait"]
    seen = dict(event.attributes or {})
    assert seen["commonrest.granted"] is True
    assert isinstance(seen["commonrest.wait_seconds"], float)
    assert seen["commonrest.wait_seconds"] > 0.05  # most of the bucket's 0.3 s


@pytest.mark.anyio
async def test_every_request_is_measured_in_the_duration_histogram(
    make: Factory, router: respx.MockRouter, otel: Recorder
) -> None:
    router.get(f"{PETS}/pets/rex").mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=pet())]
    )
    router.get(f"{PETS}/pets/gone").respond(404)
    client = make(tracing=otel.tracing)
    await resolve(client.pets.get("rex"))
    with pytest.raises(NotFoundError):
        await resolve(client.pets.get("gone"))

    points = otel.durations()
    by_outcome = {
        (p.attributes or {}).get("http.response.status_code"): p for p in points
    }  # one series per status
    assert set(by_outcome) == {200, 404, 503}
    assert sum(p.count for p in points) == 3
    assert dict(by_outcome[404].attributes or {}) == {
        "http.request.method": "GET",
        "server.address": "pets-test.example.com",
        "server.port": 443,
        "http.response.status_code": 404,
        "error.type": "404",
    }
    assert "error.type" not in (by_outcome[200].attributes or {})
    from commonrest._tracing import DURATION_BUCKETS

    assert tuple(by_outcome[200].explicit_bounds) == DURATION_BUCKETS


# ------------------------------------------------------------------ context


@pytest.mark.anyio
async def test_concurrent_async_calls_each_nest_under_the_callers_span(
    router: respx.MockRouter, otel: Recorder
) -> None:
    router.get(url__startswith=f"{PETS}/pets/").respond(200, json=pet())
    tracer = otel.tracer_provider.get_tracer("the application")
    async with AsyncPetClient(tracing=otel.tracing) as client:
        with tracer.start_as_current_span("batch") as batch:
            await asyncio.gather(*(client.pets.get(f"p{i}") for i in range(5)))

    calls = otel.calls()
    assert len(calls) == 5
    assert {parent_of(c) for c in calls} == {batch.get_span_context().span_id}
    urls = {}
    for sent in otel.requests():
        (owner,) = [c for c in calls if span_id(c) == parent_of(sent)]
        urls[attrs(owner)["url.full"]] = attrs(sent)["url.full"]
    assert len(urls) == 5
    assert all(mine == theirs for mine, theirs in urls.items())


def test_the_token_request_is_a_child_of_the_call_that_needed_it(otel: Recorder) -> None:
    client = AirflowClient(
        base_url=AIRFLOW, username="admin", password="secret-pw", tracing=otel.tracing
    )
    with respx.mock() as router:
        router.post(f"{AIRFLOW}/auth/token").respond(201, json={"access_token": BEARER})
        router.delete(f"{AIRFLOW}/api/v2/dags/etl").respond(204)
        client.v2.dags.delete("etl")
    client.close()
    check_token_tree(otel)


@pytest.mark.anyio
async def test_the_async_token_request_is_a_child_of_the_call_that_needed_it(
    otel: Recorder,
) -> None:
    client = AsyncAirflowClient(
        base_url=AIRFLOW, username="admin", password="secret-pw", tracing=otel.tracing
    )
    with respx.mock() as router:
        router.post(f"{AIRFLOW}/auth/token").respond(201, json={"access_token": BEARER})
        router.delete(f"{AIRFLOW}/api/v2/dags/etl").respond(204)
        await client.v2.dags.delete("etl")
    await client.close()
    check_token_tree(otel)


def check_token_tree(otel: Recorder) -> None:
    by_name = {s.name: s for s in otel.calls()}
    outer, token = by_name["v2.dags.delete"], by_name["auth.create_token"]
    assert parent_of(outer) is None
    assert parent_of(token) == span_id(outer)
    post, delete = otel.requests()
    assert (post.name, parent_of(post)) == ("POST", span_id(token))
    assert (delete.name, parent_of(delete)) == ("DELETE", span_id(outer))
    assert attrs(post)["url.full"] == f"{AIRFLOW}/auth/token"
    assert_nothing_secret(otel, ["secret-pw", BEARER, "bearer-token-value"])


# ------------------------------------------------------------------ secrets


def recorded_text(otel: Recorder) -> str:
    """Everything the SDK was given: names, attributes, events, statuses, metric series."""
    parts: list[str] = []
    for span in otel.spans():
        parts += [span.name, repr(attrs(span)), repr(span.status.description)]
        for event in span.events:
            parts += [event.name, repr(dict(event.attributes or {}))]
    parts += [repr(dict(p.attributes or {})) for p in otel.durations()]
    return "\n".join(parts)


def assert_nothing_secret(otel: Recorder, secrets: Sequence[str]) -> None:
    text = recorded_text(otel)
    assert otel.spans()  # something was recorded
    for secret in secrets:
        assert secret not in text


@pytest.mark.anyio
async def test_no_credential_body_or_card_number_is_recorded(
    kind: Kind, router: respx.MockRouter, otel: Recorder
) -> None:
    echoed = {"detail": f"card {CARD} refused for key {SECRET}", "name": CARD_GROUPED}
    router.get(url__startswith=f"{PETS}/pets/").respond(400, json=echoed)
    router.get(url__startswith=f"{PETS}/pets/find").respond(200, json={"pets": []})
    router.post(f"{PETS}/pets").respond(400, json=echoed)
    options: dict[str, Any] = {
        "tracing": otel.tracing,
        "credentials": {"default": APIKeyAuth(SECRET), "bearer": BearerAuth(BEARER)},
        "headers": {"X-Session-Token": "session-0123456789"},
    }
    calls: list[Any] = []
    if kind == "sync":
        sync = PetClient(**options)
        calls = [
            lambda: sync.pets.get("rex", fields=[CARD]),
            lambda: sync.pets.find("rex", access_token=BEARER),
            lambda: sync.pets.create({"name": CARD_GROUPED}),
        ]
    else:
        aclient = AsyncPetClient(**options)
        calls = [
            lambda: aclient.pets.get("rex", fields=[CARD]),
            lambda: aclient.pets.find("rex", access_token=BEARER),
            lambda: aclient.pets.create({"name": CARD_GROUPED}),
        ]
    for call in calls:
        with contextlib.suppress(BadRequestError):  # the echoing 400s
            await resolve(call())
    assert len(otel.calls()) == 3
    urls = [attrs(s)["url.full"] for s in otel.requests()]
    assert urls[0] == f"{PETS}/pets/rex?fields=" + "%2A" * 12 + "1111"  # masked, encoded
    assert "access_token=%5Bredacted%5D" in urls[1]
    assert_nothing_secret(
        otel,
        [CARD, CARD_GROUPED, "4111 1111", SECRET, BEARER, "session-0123456789", "refused"],
    )


# ------------------------------------------------------------------ off


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_with_tracing_off_nothing_of_opentelemetry_is_imported() -> None:
    done = run_python(
        """
        import sys
        import respx
        from tests.core.api import PetClient, AsyncPetClient
        from tests.core.helpers import PETS, pet
        import asyncio

        with respx.mock() as router:
            router.get(f"{PETS}/pets/rex").respond(200, json=pet())
            with PetClient() as client:
                client.pets.get("rex")
            async def main():
                async with AsyncPetClient(tracing=False) as aclient:
                    await aclient.pets.get("rex")
            asyncio.run(main())
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "opentelemetry")
        print(loaded)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_tracing_without_opentelemetry_installed_says_what_to_install() -> None:
    done = run_python(
        """
        import sys
        sys.modules["opentelemetry"] = None  # as if the otel extra were not installed
        from commonrest import ConfigurationError
        from tests.core.api import PetClient
        try:
            PetClient(tracing=True)
        except ConfigurationError as error:
            print(error)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "opentelemetry-api" in done.stdout
    assert "commonrest[otel]" in done.stdout


@pytest.mark.parametrize("value", ["yes", 1, object()])
def test_a_tracing_setting_of_the_wrong_kind_is_refused(value: object) -> None:
    with pytest.raises(ConfigurationError, match="tracing must be True, False or a"):
        PetClient(tracing=value)  # type: ignore[arg-type]


def test_tracing_true_uses_the_global_providers() -> None:
    done = run_python(
        """
        import json, respx
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        from tests.core.api import PetClient
        from tests.core.helpers import PETS, pet

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        with respx.mock() as router:
            router.get(f"{PETS}/pets/rex").respond(200, json=pet())
            with PetClient(tracing=True) as client:
                client.pets.get("rex")
        print(json.dumps(sorted(s.name for s in exporter.get_finished_spans())))
        """
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["GET", "pets.get"]
