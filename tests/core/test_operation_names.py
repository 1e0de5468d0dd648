"""Errors and log records name the operation: the Python name the caller wrote
(``payments.authorise``) and the spec's operationId, as attributes and in ``str(err)``."""

from __future__ import annotations

import importlib
import logging
import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from adyen_like import AdyenClient, AsyncAdyenClient
from airbyte_like import AirbyteClient, AsyncAirbyteClient
from airflow_like import AirflowClient, AsyncAirflowClient
from amentum_like import AmentumClient, AsyncAmentumClient
from commonrest import (
    APIConnectionError,
    APIDecodeError,
    CommonRestError,
    DeadlineExceededError,
    NoAuth,
    NotFoundError,
    RateLimiter,
    RateLimitTimeoutError,
    RequestValidationError,
)

from .helpers import PETS, Factory, Kind, collect, pet, resolve
from .servers import json_answer, refused_url, serve, silent

pytestmark = pytest.mark.anyio

VENDORS = ["adyen_like", "airflow_like", "airbyte_like", "amentum_like"]


def _resolve(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


@pytest.mark.parametrize("package", VENDORS)
def test_every_generated_operation_carries_the_name_it_is_called_by(package: str) -> None:
    module = importlib.import_module(package)
    client_cls = {
        "adyen_like": AdyenClient,
        "airflow_like": AirflowClient,
        "airbyte_like": AirbyteClient,
        "amentum_like": AmentumClient,
    }[package]
    client = (
        client_cls(api_key="k")
        if package in ("adyen_like", "amentum_like")
        else client_cls(auth=NoAuth())
    )
    entries = module.catalog()
    assert entries
    for entry in entries:
        info = _resolve(client, entry.python_name).__commonrest_operation__
        assert info.python_name == entry.python_name
        assert "." in info.python_name  # the resource part is there
        assert info.operation_id == entry.operation_id
    client.close()


Call = Callable[[Any], Any]
VENDOR_CALLS: list[tuple[str, Any, Any, dict[str, Any], Call, str, str, str]] = [
    (
        "adyen",
        AdyenClient,
        AsyncAdyenClient,
        {"api_key": "k"},
        lambda c: c.payments.authorise(
            {"merchantAccount": "M", "amount": {"currency": "EUR", "value": 1}, "reference": "r"}
        ),
        "https://pal-test.adyen.com/pal/servlet/Payment/v68/authorise",
        "payments.authorise",
        "post-authorise",
    ),
    (
        "airflow",
        AirflowClient,
        AsyncAirflowClient,
        {"base_url": "http://airflow.test", "token": "t", "api_version": 1},
        lambda c: c.v1.dags.get("etl"),
        "http://airflow.test/api/v1/dags/etl",
        "v1.dags.get",
        "get_dag",
    ),
    (
        "airbyte",
        AirbyteClient,
        AsyncAirbyteClient,
        {"username": "u", "password": "p"},
        lambda c: c.workspaces.get({"workspaceId": "00000000-0000-0000-0000-000000000001"}),
        "http://localhost:8000/api/v1/workspaces/get",
        "workspaces.get",
        "getWorkspace",
    ),
    (
        "amentum",
        AmentumClient,
        AsyncAmentumClient,
        {"api_key": "k"},
        lambda c: c.gravity.geoid_height(latitude=-45, longitude=45.5),
        "https://gravity.amentum.io/egm2008/geoid_height",
        "gravity.geoid_height",
        "app.api_egm2008.endpoints.EGM2008.calculate_height",
    ),
]


@pytest.mark.parametrize(
    ("vendor", "sync_cls", "async_cls", "kwargs", "call", "url", "name", "op_id"),
    VENDOR_CALLS,
    ids=[c[0] for c in VENDOR_CALLS],
)
async def test_vendor_errors_name_their_operation(
    kind: Kind,
    router: respx.MockRouter,
    vendor: str,
    sync_cls: Any,
    async_cls: Any,
    kwargs: dict[str, Any],
    call: Call,
    url: str,
    name: str,
    op_id: str,
) -> None:
    router.route(url__startswith=url).respond(404, json={"message": "no such thing"})
    client = (sync_cls if kind == "sync" else async_cls)(max_retries=0, **kwargs)
    with pytest.raises(NotFoundError) as info:
        await resolve(call(client))
    await resolve(client.close())

    error = info.value
    assert (error.operation, error.operation_id) == (name, op_id)
    text = str(error)
    assert text.startswith("404 Not Found: no such thing (")
    assert f"({name}: {error.method} {url}" in text
    assert f"operationId {op_id}" in text
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.operation, copy.operation_id, str(copy)) == (name, op_id, text)


def _named(error: CommonRestError, name: str = "pets.get", op_id: str = "getPet") -> None:
    assert (error.operation, error.operation_id) == (name, op_id)
    assert name in str(error) and op_id in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.operation, copy.operation_id) == (name, op_id)
    assert str(copy) == str(error)


async def test_a_decode_error_names_its_operation(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json={"unexpected": True})
    with pytest.raises(APIDecodeError) as info:
        await resolve(make().pets.get("rex"))
    _named(info.value)


async def test_a_status_error_over_a_real_socket_names_its_operation(make: Factory) -> None:
    with (
        serve(json_answer({"message": "gone away"}, status=404)) as server,
        pytest.raises(NotFoundError) as info,
    ):
        await resolve(make(base_url=server.url, max_retries=0).pets.get("rex"))
    assert f"(pets.get: GET {server.url}/api/v2/pets/rex, operationId getPet)" in str(info.value)
    _named(info.value)


async def test_a_transport_error_names_its_operation(make: Factory) -> None:
    with pytest.raises(APIConnectionError) as info:
        await resolve(make(base_url=refused_url(), max_retries=1).pets.get("rex"))
    assert info.value.attempts == 2
    _named(info.value)


async def test_a_deadline_error_names_its_operation(make: Factory) -> None:
    with serve(silent(5)) as server, pytest.raises(DeadlineExceededError) as info:
        await resolve(make(base_url=server.url, deadline=0.3).pets.get("rex"))
    _named(info.value)


async def test_a_rate_limit_timeout_names_its_operation(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    limiter = RateLimiter(1, per=60, max_wait=0)
    client = make(rate_limit=limiter, deadline=None)
    await resolve(client.pets.get("rex"))
    with pytest.raises(RateLimitTimeoutError) as info:
        await resolve(client.pets.get("rex"))
    limiter.close()
    _named(info.value)


async def test_a_refused_request_body_names_its_operation(make: Factory) -> None:
    with pytest.raises(RequestValidationError) as info:
        await resolve(make().pets.create({"name": ""}))
    _named(info.value, "pets.create", "createPet")
    assert str(info.value).endswith("(pets.create, operationId createPet)")


async def test_every_log_record_of_a_call_names_its_operation(
    make: Factory, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="commonrest")
    answers = iter([httpx.Response(503), httpx.Response(200, json=pet())])
    router.get(f"{PETS}/pets/rex").mock(side_effect=lambda request: next(answers))
    await resolve(make(max_retries=1).pets.get("rex"))

    ours = [r for r in caplog.records if r.name.startswith("commonrest")]
    assert len(ours) >= 3  # two responses and a retry
    for record in ours:
        assert getattr(record, "operation", None) == "pets.get"
        assert getattr(record, "operation_id", None) == "getPet"
        assert record.getMessage().startswith("pets.get: ")


async def test_a_pager_log_record_names_its_operation(
    make: Factory, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    # the server sends 2 items where 3 were asked, though its total says more follow
    caplog.set_level(logging.INFO, logger="commonrest")
    pages = iter(
        [
            httpx.Response(200, json={"pets": [pet("a"), pet("b")], "total_entries": 3}),
            httpx.Response(200, json={"pets": [pet("c")], "total_entries": 3}),
        ]
    )
    router.get(f"{PETS}/pets").mock(side_effect=lambda request: next(pages))
    items = await collect(make().pets.list(limit=3))

    assert len(items) == 3
    short = [r for r in caplog.records if "items where" in r.getMessage()]
    assert len(short) == 1
    assert getattr(short[0], "operation", None) == "pets.list"
    assert short[0].getMessage().startswith("pets.list: server returned 2 items where 3")
