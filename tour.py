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
    from adyen_like.amounts import amount, from_minor_units
    from adyen_like.testing import notification_item, signed_notification
    from adyen_like.webhooks import WebhookVerificationError, verify_notification

    heading("Adyen: authorise, capture, refund, stored details, and a verified webhook batch")
    client = AdyenClient(api_key="tour-not-a-real-key")
    merchant = "TourMerchant"
    with mock_api(client) as api:
        route = api.on(client.payments.authorise).respond(
            200, json={"pspReference": "8835511210681094", "resultCode": "Authorised"}
        )
        raw = client.with_raw_response.payments.authorise(
            {
                "merchantAccount": merchant,
                "amount": amount("10.00", "EUR"),
                "reference": "order-17",
                "shopperReference": "shopper-42",
            }
        )
        result = raw.parse()
        sent = route.calls.last.request
        print(f"authorise EUR 10.00 -> {result.result_code} (pspReference {result.psp_reference})")
        print(f"  sent to {sent.url}, amount in minor units: {sent.content.decode()[:48]}...")
        print(f"  Idempotency-Key {raw.idempotency_key} (repeat with the same key to be safe)")

        steps = [
            (client.modifications.capture, "capture", "10.00", "8835511210681095"),
            (client.modifications.refund, "refund", "2.50", "8835511210681096"),
        ]
        for operation, name, value, reference in steps:
            api.on(operation).respond(
                200, json={"pspReference": reference, "response": f"[{name}-received]"}
            )
            done = operation(
                {
                    "merchantAccount": merchant,
                    "modificationAmount": amount(value, "EUR"),
                    "originalReference": result.psp_reference,
                }
            )
            print(f"{name} EUR {value} -> {done.response} (pspReference {done.psp_reference})")

        api.on(client.recurring.list_details).respond(
            200,
            json={
                "shopperReference": "shopper-42",
                "details": [
                    {
                        "RecurringDetail": {
                            "recurringDetailReference": "8315535186226105",
                            "variant": "visa",
                            "card": {"number": "1111", "expiryMonth": "03", "expiryYear": "2030"},
                        }
                    }
                ],
            },
        )
        listed = client.recurring.list_details(
            {"merchantAccount": merchant, "shopperReference": "shopper-42"}
        )
        for wrapper in listed.details or []:
            detail = wrapper.recurring_detail
            print(f"stored detail: {detail!r}")

    key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"  # a test key
    body = signed_notification(
        notification_item("CAPTURE", psp_reference="8835511210681095", value=1000),
        notification_item("REFUND", psp_reference="8835511210681096", value=250),
        hmac_key=key,
    )
    batch = verify_notification(body, key)
    for item in batch.items:
        money = from_minor_units(item.amount.value or 0, "EUR") if item.amount else None
        print(f"verified webhook: {item.event_code} success={item.success} EUR {money}")
    tampered = body.replace(b'"value": 250', b'"value": 25000')
    try:
        verify_notification(tampered, key)
    except WebhookVerificationError as error:
        print(f"tampered webhook rejected: {error}")
    try:
        AdyenClient(api_key="tour-not-a-real-key", environment="live")
    except ValueError as error:
        print(f"live without a prefix is refused at construction: {error}")


def airflow() -> None:
    from airflow_like.testing import AirflowFake
    from airflow_like.types.common import DagRun
    from commonrest import Poll

    for version in (1, 2):
        release = "Airflow 2 (API v1)" if version == 1 else "Airflow 3 (API v2)"
        heading(f"{release}: one client, the version asked of the server")
        # The fake gives at most 3 DAGs a page, whatever is asked: the pager still gets all.
        fake = AirflowFake(
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
            seen: list[DagRun] = []
            finished = client.dag_runs.wait(
                "etl_01",
                "tour-1",
                poll=Poll(interval=0.01, max_interval=0.05),
                on_progress=seen.append,
                progress=False,
            )
            states = " -> ".join(str(r.state) for r in seen)
            print(f"run {run.dag_run_id}: {states}; finished {finished.state}")
            try:
                client.dags.get("nope")
            except NotFoundError as error:
                print(f"not found: {error.message}")


def airbyte() -> None:
    from airbyte_like import JobProgress
    from airbyte_like.testing import AirbyteFake
    from commonrest import Poll

    heading("Airbyte: a sync you can wait for, and an update that erases nothing (local fake)")
    fake = AirbyteFake(polls_to_finish=4)
    client = fake.client()  # basic auth airbyte/password, the stock install's (passed, not assumed)
    workspace = client.workspaces.create({"name": "tour"})
    source = client.sources.create(
        {
            "workspaceId": workspace.workspace_id,
            "sourceDefinitionId": fake.postgres_definition_id,
            "name": "app-db",
            "connectionConfiguration": {
                "host": "db.internal",
                "port": 5432,
                "database": "app",
                "username": "etl",
                "password": "tour-only-secret",
            },
        }
    )
    destination = client.destinations.create(
        {
            "workspaceId": workspace.workspace_id,
            "destinationDefinitionId": fake.warehouse_definition_id,
            "name": "warehouse",
            "connectionConfiguration": {
                "project_id": "tour",
                "dataset_id": "raw",
                "credentials": "tour-only-key",
            },
        }
    )
    print(f"source config as shown: {source.connection_configuration}")
    connection = client.connections.create(
        {
            "sourceId": source.source_id,
            "destinationId": destination.destination_id,
            "status": "active",
        }
    )
    job = client.connections.sync({"connectionId": connection.connection_id})

    def report(progress: JobProgress) -> None:
        print(
            f"  job {progress.job_id}: {progress.status}, attempt {progress.attempts}, "
            f"{progress.records_emitted} records emitted, "
            f"{progress.bytes_committed} bytes committed"
        )

    final = client.jobs.wait(job, poll=Poll(interval=0.01, max_interval=0.05), on_progress=report)
    print(f"sync finished: {final.job.status if final.job else None}")
    assert source.source_id is not None
    client.sources.safe_update(
        source.source_id, lambda body: body["connectionConfiguration"].update(port=6432)
    )
    kept = fake.sources[source.source_id]["connectionConfiguration"]
    print(
        "safe_update changed the port and kept the rest (a plain update with only the port "
        f"would have erased them): database={kept['database']!r}, password kept: "
        f"{kept['password'] == 'tour-only-secret'}"
    )
    history = [j.job.status for j in client.jobs.history(connection.connection_id or "") if j.job]
    print(f"job history, newest first: {[str(s) for s in history]}")


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
        sent = sum(1 for r in fake.requests if r.path.endswith("geoid_height"))
        print(f"{len(batch)} points, {len(batch.failed)} failed, {sent} requests sent")

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
