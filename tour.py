"""An offline tour of every client, against built-in local fakes.

Run it with ``python3 tasks.py tour``. Nothing here touches the network or needs a
credential: the Common REST client talks to the in-memory Common REST server, and the
vendor clients to the test kit's mocks (``commonrest.testing.mock_api``), which intercept
requests inside httpx.
"""

from __future__ import annotations

import asyncio
import sys

from commonrest import NotFoundError, RetryEvent, RetryPolicy, ServiceUnavailableError
from commonrest.testing import mock_api
from commonrest.testing.crest_server import CrestServer
from commonrest.testing.crest_tour import run_crest_tour


def heading(title: str) -> None:
    print(f"\n== {title}")


def core() -> None:
    heading("core: retries, typed errors, raw responses, options (on a Common REST fake)")
    server = CrestServer("https://api.example.test/openidm")
    server.add_collection("/things")
    waits: list[str] = []

    def on_retry(event: RetryEvent) -> None:
        waits.append(f"attempt {event.attempt} failed ({event.reason}), waiting {event.delay:g}s")

    retry = RetryPolicy(max_attempts=3, backoff_base=0.01, on_retry=on_retry)
    with server.client(retry=retry, deadline=10) as client:
        things = client.resource("/things")
        things.create({"name": "first"}, id="t1")

        server.fail_next(503, times=2, method="GET", headers={"Retry-After": "0"})
        thing = things.read("t1")
        print(f"read after two 503s: {thing['name']!r}")
        for line in waits:
            print(f"  on_retry: {line}")

        try:
            things.read("missing")
        except NotFoundError as error:
            print(f"typed error: {type(error).__name__} status={error.status_code} -> {error}")

        server.fail_next(503, times=5, method="GET")
        try:
            client.with_options(max_retries=1).resource("/things").read("t1")
        except ServiceUnavailableError as error:
            print(f"with_options(max_retries=1): gave up after {error.attempts} attempts")


def crest() -> None:
    heading("Common REST: create, filtered query, paging, patch, revision conflict")
    run_crest_tour(print_fn=lambda line: print(f"  {line}"))


def adyen() -> None:
    from adyen_like import AdyenClient

    heading("Adyen: a payment with an idempotency key, and a live URL check")
    client = AdyenClient(api_key="tour-not-a-real-key")
    with mock_api(client) as api:
        route = api.on(client.payments.authorise).respond(
            200, json={"pspReference": "8835511210681094", "resultCode": "Authorised"}
        )
        result = client.payments.authorise(
            {
                "merchantAccount": "TourMerchant",
                "amount": {"currency": "EUR", "value": 1000},
                "reference": "order-17",
            }
        )
        sent = route.calls.last.request
        print(f"authorise -> {result.result_code} (pspReference {result.psp_reference})")
        print(f"  sent to {sent.url} with Idempotency-Key {sent.headers['idempotency-key']}")
        print(f"  the client's repr hides the key: {client!r}")
    try:
        AdyenClient(api_key="tour-not-a-real-key", environment="live")
    except ValueError as error:
        print(f"live without a prefix is refused at construction: {error}")


def airflow() -> None:
    from airflow_like.testing import FakeAirflow
    from commonrest import Poll

    for version in (1, 2):
        release = "Airflow 2 (API v1)" if version == 1 else "Airflow 3 (API v2)"
        heading(f"{release}: one client, the version asked of the server")
        # The fake gives at most 3 DAGs a page, whatever is asked: the pager still gets all.
        fake = FakeAirflow(
            api_version=version, dags=[f"etl_{i:02d}" for i in range(7)], page_limit=3
        )
        with fake.client() as client:
            print(f"detected API v{client.detect_version()}")
            names = [str(dag.dag_id) for dag in client.dags.list(limit=100)]
            pages = sum(1 for r in fake.requests if r.url.path.endswith("/dags"))
            print(f"{len(names)} DAGs in {pages} pages: {', '.join(names)}")
            print(f"etl_00 paused: {client.dags.pause('etl_00').is_paused}")
            client.dags.unpause("etl_01")
            run = client.dag_runs.trigger("etl_01", dag_run_id="tour-1", conf={"day": "today"})
            states: list[str] = []
            finished = client.wait_for_run(
                "etl_01",
                "tour-1",
                poll=Poll(interval=0.01, max_interval=0.05),
                on_progress=lambda r, seen=states: seen.append(str(r.state)),
                progress=False,
            )
            print(f"run {run.dag_run_id}: {' -> '.join(states)}; finished {finished.state}")
            try:
                client.dags.get("nope")
            except NotFoundError as error:
                print(f"not found: {error.message}")


def airbyte() -> None:
    from airbyte_like import AirbyteClient

    heading("Airbyte: RPC-style reads over POST")
    client = AirbyteClient(
        base_url="http://airbyte.local:8000", username="airbyte", password="tour"
    )
    with mock_api(client) as api:
        route = api.on(client.workspaces.list).respond(
            200,
            json={
                "workspaces": [
                    {
                        "workspaceId": "b5c1f6a0-0000-4000-8000-000000000001",
                        "customerId": "b5c1f6a0-0000-4000-8000-000000000002",
                        "name": "tour",
                        "slug": "tour",
                        "initialSetupComplete": True,
                    }
                ]
            },
        )
        listed = client.workspaces.list()
        sent = route.calls.last.request
        print(f"{sent.method} {sent.url.path} -> {[w.name for w in listed.workspaces or []]}")


def amentum() -> None:
    from amentum_like import AsyncAmentumClient

    heading("Amentum: an async call with the API-Key header")

    async def run() -> None:
        async with AsyncAmentumClient(api_key="tour-not-a-real-key") as client:
            with mock_api(client) as api:
                route = api.on(client.gravity.geoid_height).respond(
                    200, json={"height": {"units": "m", "value": 45.8}}
                )
                height = await client.gravity.geoid_height(latitude=-33.9, longitude=151.2)
                sent = route.calls.last.request
                value = height.height.value if height.height else None
                print(f"geoid height {value} m from {sent.url.host}{sent.url.path}")

    asyncio.run(run())


def main() -> int:
    core()
    crest()
    adyen()
    airflow()
    airbyte()
    amentum()
    print("\ntour finished: every request above stayed inside this process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
