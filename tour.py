"""An offline tour of every client, against built-in local fakes.

Run it with ``python3 tasks.py tour``. Nothing here touches the network or needs a
credential: the Common REST client talks to the in-memory Common REST server, and the
vendor clients to the test kit's mocks (``commonrest.testing.mock_api``), which intercept
requests inside httpx.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from commonrest import NotFoundError, RetryEvent, RetryPolicy, ServiceUnavailableError
from commonrest.testing import mock_api, problem
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
    from airflow_like import AirflowClient

    heading("Airflow 2 (API v1): DAGs across pages, even when the server clamps the page size")
    client = AirflowClient(
        base_url="http://airflow.local:8080", username="admin", password="tour", api_version=1
    )
    with mock_api(client) as api:
        dags = [{"dag_id": f"etl_{i:02d}", "is_paused": i % 4 == 0} for i in range(7)]

        def page(request: Any) -> Any:
            import httpx

            offset = int(request.url.params.get("offset", 0))
            chunk = dags[offset : offset + 3]  # the server allows 3 per page, whatever we ask
            return httpx.Response(200, json={"dags": chunk, "total_entries": len(dags)})

        route = api.on(client.v1.dags.list).mock(side_effect=page)
        names = [str(dag.dag_id) for dag in client.v1.dags.list(limit=100)]
        print(f"{len(names)} DAGs in {len(route.calls)} requests: {', '.join(names)}")

        api.on(client.v1.dags.get, dag_id="nope").mock(
            return_value=problem(404, "Not Found", "The DAG with dag_id: `nope` was not found")
        )
        try:
            client.v1.dags.get("nope")
        except NotFoundError as error:
            print(f"problem details: title={error.problem.title if error.problem else None!r}")


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
    from amentum_like import evaluate, quantities
    from amentum_like.testing import AmentumFake

    heading("Amentum: a route dose and a grid of geoid heights (on the in-memory fake)")
    fake = AmentumFake()
    with fake.client() as client:
        route = client.aviation_radiation.route_effective_dose(
            origin="YSSY", destination="KLAX", year=2024, month=5, day=21, altitude=11, duration=14
        )
        dose = quantities(route)["dose"]
        print(f"route dose Sydney -> Los Angeles at 11 km for 14 h: {dose} on 2024-05-21")

    grid = [{"latitude": lat, "longitude": lon} for lat in (-30, 0, 30) for lon in (0, 120)]

    async def run() -> None:
        async with fake.async_client(rate_limit=20) as client:
            batch = await evaluate(client.gravity.geoid_height, grid, concurrency=4, progress=False)
        for record in batch.to_records():
            lat, lon, height = record["latitude"], record["longitude"], record["height"]
            print(f"  lat {lat:>4} lon {lon:>4}: {height:8.3f} m")
        print(
            f"{len(batch)} points, {len(batch.failed)} failed, {len(fake.requests)} requests sent"
        )

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
