"""Refused arguments of the vendor clients: one SDK error naming the parameter, and nothing
sent. Per vendor, each kind of check on a real operation; then every declared range, enum,
format and type of every generated operation, derived from the specs under ``specs/``."""

from __future__ import annotations

import importlib
import inspect
import math
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import respx

from adyen_like import AdyenClient, AsyncAdyenClient
from airbyte_like import AirbyteClient
from airflow_like import AirflowClient, AsyncAirflowClient
from amentum_like import AmentumClient, AsyncAmentumClient
from codegen.config import VENDORS
from codegen.spec import CORE_HEADERS
from commonrest import CommonRestError, InvalidArgumentError
from commonrest._operations import Operation, PagedOperation
from commonrest._streaming import StreamOperation

from .helpers import load_spec, resolve_ref

pytestmark = pytest.mark.anyio

SINCE = datetime(2024, 1, 2, tzinfo=timezone.utc)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """Answers anything with 200, so a request that should have been refused is seen."""
    with respx.mock(assert_all_called=False) as mock:
        mock.route().respond(200, json={})
        yield mock


def _refused(router: respx.MockRouter, call: Any) -> InvalidArgumentError:
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert not router.calls, "a refused call sent a request"
    error = info.value
    assert isinstance(error, CommonRestError) and isinstance(error, ValueError)
    return error


# ----------------------------------------------------------------------------- Airflow


def test_airflow_limit_ten_names_the_parameter(router: respx.MockRouter) -> None:
    client = AirflowClient(base_url="http://airflow.test", token="t", api_version=1)
    error = _refused(router, lambda: client.v1.dags.list(limit="ten"))  # type: ignore[arg-type]
    assert error.parameter == "limit" and error.location == "query"
    assert error.operation == "v1.dags.list" and error.operation_id == "get_dags"
    assert "limit" in str(error) and "'ten'" in str(error) and "an integer" in str(error)
    assert "invalid literal" not in str(error)


@pytest.mark.parametrize(
    ("kwargs", "parameter", "expected"),
    [
        ({"offset": -1}, "offset", ">= 0"),  # minimum
        ({"offset": True}, "offset", "a bool is not a number"),  # booleans are not ints
        ({"limit": 2.0}, "limit", "an integer"),
        ({"paused": 1}, "paused", "True or False"),
        ({"tags": ["etl", 3]}, "tags", "item 1 is 3"),  # arrays of those
        ({"tags": "etl"}, "tags", "a list"),
        ({"dag_id_pattern": 7}, "dag_id_pattern", "a string"),  # a str is not converted
    ],
)
def test_airflow_v1_query_checks(
    router: respx.MockRouter, kwargs: dict[str, Any], parameter: str, expected: str
) -> None:
    client = AirflowClient(base_url="http://airflow.test", token="t", api_version=1)
    error = _refused(router, lambda: client.v1.dags.list(**kwargs))
    assert error.parameter == parameter
    assert expected in str(error)


def test_airflow_v2_enum_and_exclusive_bounds(router: respx.MockRouter) -> None:
    client = AirflowClient(base_url="http://airflow.test", token="t")
    error = _refused(router, lambda: client.v2.dags.list(tags_match_mode="neither"))
    assert error.parameter == "tags_match_mode" and "one of 'any', 'all'" in str(error)
    # exclusiveMinimum 0 (OpenAPI 3.1 form) on a path parameter
    error = _refused(
        router, lambda: client.v2.task_instances.get_external_log_url("d", "r", "t", 0)
    )
    assert error.parameter == "try_number" and error.location == "path" and "> 0" in str(error)
    error = _refused(router, lambda: client.v2.dag_runs.wait_until_finished("d", "r", interval=0.0))
    assert error.parameter == "interval"


def test_airflow_none_leaves_an_optional_parameter_out() -> None:
    client = AirflowClient(base_url="http://airflow.test", token="t")
    with respx.mock() as mock:
        route = mock.get("http://airflow.test/api/v2/dags").respond(
            200, json={"dags": [], "total_entries": 0}
        )
        client.v2.dags.list(tags_match_mode=None, limit=1).first_page()
    assert "tags_match_mode" not in str(route.calls.last.request.url)


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_airflow_path_values_that_would_move_the_request_are_refused(
    router: respx.MockRouter, value: str
) -> None:
    client = AirflowClient(base_url="http://airflow.test", token="t", api_version=1)
    error = _refused(router, lambda: client.v1.dags.get(value))
    assert error.parameter == "dag_id" and error.location == "path"
    assert "path segment" in str(error)


async def test_airflow_async_client_refuses_the_same_before_awaiting(
    router: respx.MockRouter,
) -> None:
    client = AsyncAirflowClient(base_url="http://airflow.test", token="t", api_version=1)
    with pytest.raises(InvalidArgumentError, match="limit"):
        client.v1.dags.list(limit="ten")  # type: ignore[arg-type]  # refused when called
    with pytest.raises(InvalidArgumentError, match="dag_id"):
        await client.v1.dags.get("..")
    assert not router.calls
    await client.close()


# ----------------------------------------------------------------------------- Adyen


@pytest.mark.parametrize(
    ("kwargs", "parameter", "expected"),
    [
        ({"limit": 2**31}, "limit", "int32"),  # integer format bounds
        ({"limit": -(2**31) - 1}, "limit", "from -2147483648 to 2147483647"),
        ({"limit": False}, "limit", "a bool is not a number"),
        ({"sort_order": "sideways"}, "sort_order", "one of 'asc', 'desc'"),  # enum
        ({"category": "teleport"}, "category", "one of "),
        ({"created_until": 20240102}, "created_until", "date-time"),
    ],
)
def test_adyen_query_checks(
    router: respx.MockRouter, kwargs: dict[str, Any], parameter: str, expected: str
) -> None:
    client = AdyenClient(api_key="k")
    args: dict[str, Any] = {"created_since": SINCE, "created_until": SINCE, **kwargs}
    error = _refused(router, lambda: client.transfers_v4.transfers.list(**args))
    assert error.parameter == parameter
    assert expected in str(error)


def test_adyen_wire_names_are_shown_where_they_differ(router: respx.MockRouter) -> None:
    client = AdyenClient(api_key="k")
    error = _refused(
        router,
        lambda: client.transfers_v4.transfers.list(
            created_since=SINCE,
            created_until=SINCE,
            balance_account_id=5,  # type: ignore[arg-type]
        ),
    )
    assert error.parameter == "balance_account_id" and error.wire == "balanceAccountId"
    assert "balance_account_id (query parameter 'balanceAccountId')" in str(error)


def test_adyen_enum_members_and_their_values_are_accepted(router: respx.MockRouter) -> None:
    from adyen_like.types.transfers_v4 import SortOrder

    client = AdyenClient(api_key="k")
    for order in (SortOrder.DESC, "asc"):
        client.transfers_v4.transfers.list(
            created_since=SINCE, created_until=SINCE, sort_order=order
        ).first_page()
    sent = [str(call.request.url.params["sortOrder"]) for call in router.calls]
    assert sent == ["desc", "asc"]


def test_adyen_header_parameter_with_non_ascii_is_refused_without_its_value(
    router: respx.MockRouter,
) -> None:
    client = AdyenClient(api_key="k")
    error = _refused(
        router,
        lambda: client.transfers_v4.transfers.transfer_funds(
            {}, www_authenticate="Basic clé-secrète"
        ),
    )
    assert error.parameter == "www_authenticate" and error.location == "header"
    assert "non-ASCII" in str(error)
    assert "clé-secrète" not in str(error)  # a header credential is never shown
    error = _refused(
        router,
        lambda: client.transfers_v4.transfers.transfer_funds({}, www_authenticate="a\r\nX-Evil: 1"),
    )
    assert "line break" in str(error)


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_adyen_path_values_are_refused(router: respx.MockRouter, value: str) -> None:
    client = AdyenClient(api_key="k")
    error = _refused(router, lambda: client.transfers_v4.transfers.get(value))
    assert error.parameter == "transfer_id" and error.wire == "id"


async def test_adyen_async_refuses_the_same(router: respx.MockRouter) -> None:
    client = AsyncAdyenClient(api_key="k")
    with pytest.raises(InvalidArgumentError, match="limit"):
        client.transfers_v4.transfers.list(created_since=SINCE, created_until=SINCE, limit=True)
    with pytest.raises(InvalidArgumentError, match="transfer_id"):
        await client.transfers_v4.transfers.get("..")
    assert not router.calls
    await client.close()


# ----------------------------------------------------------------------------- Amentum


@pytest.mark.parametrize("latitude", ["north", math.nan, math.inf, -math.inf, True, None, [1.0]])
def test_amentum_latitude_must_be_a_finite_number(router: respx.MockRouter, latitude: Any) -> None:
    client = AmentumClient(api_key="k")
    error = _refused(
        router, lambda: client.gravity.geoid_height(latitude=latitude, longitude=151.2)
    )
    assert error.parameter == "latitude" and "a finite number" in str(error)


def test_amentum_numbers_that_are_fine_are_sent(router: respx.MockRouter) -> None:
    from decimal import Decimal

    client = AmentumClient(api_key="k")
    for latitude in (-33, -33.9, Decimal("-33.9")):
        client.gravity.geoid_height(latitude=latitude, longitude=151.2)  # type: ignore[arg-type]
    sent = [str(call.request.url.params["latitude"]) for call in router.calls]
    assert sent == ["-33", "-33.9", "-33.9"]


def test_amentum_arrays_of_numbers_and_integer_parameters(router: respx.MockRouter) -> None:
    client = AmentumClient(api_key="k")

    def route(**changes: Any) -> Any:
        args: dict[str, Any] = {
            "origin": "SYD",
            "destination": "LAX",
            "year": 2024,
            "month": 1,
            "day": 2,
            **changes,
        }
        return client.aviation_radiation.route_ambient_dose(**args)

    error = _refused(router, lambda: route(cruising_altitudes=[10, math.nan]))
    assert error.parameter == "cruising_altitudes" and "item 1 is nan" in str(error)
    error = _refused(router, lambda: route(year="2024"))
    assert error.parameter == "year"
    error = _refused(router, lambda: route(month=True))
    assert error.parameter == "month"


async def test_amentum_async_refuses_the_same(router: respx.MockRouter) -> None:
    client = AsyncAmentumClient(api_key="k")
    with pytest.raises(InvalidArgumentError, match="latitude"):
        await client.gravity.geoid_height(latitude=math.inf, longitude=0)
    assert not router.calls
    await client.close()


# ----------------------------------------------------------------------------- Airbyte


@pytest.mark.parametrize("value", ["", ".", "..", 42])
def test_airbyte_path_parameter_checks(router: respx.MockRouter, value: Any) -> None:
    # the only path/query/header parameter Airbyte's spec declares: a string in the path
    client = AirbyteClient(token="t")
    error = _refused(router, lambda: client.user_invitations.get(value))
    assert error.parameter == "invite_code" and error.wire == "inviteCode"


# ---------------------------------------------------------------- every generated operation


def _single(doc: dict[str, Any], schema: Any) -> dict[str, Any] | None:
    """The schema with a ``null`` alternative taken off; ``None`` for real unions."""
    schema = resolve_ref(doc, schema)
    if not isinstance(schema, dict):
        return None
    for key in ("anyOf", "oneOf"):
        if key in schema:
            rest = [
                resolve_ref(doc, s)
                for s in schema[key]
                if resolve_ref(doc, s).get("type") != "null"
            ]
            return _single(doc, rest[0]) if len(rest) == 1 else None
    return schema


def _kind(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind is None and ("enum" in schema or "const" in schema):
        return "string"
    return kind if isinstance(kind, str) else None


def _bad_values(doc: dict[str, Any], schema: dict[str, Any]) -> list[Any]:
    """Values the schema's structure refuses: wrong types, out of range, not listed."""
    kind = _kind(schema)
    bad: list[Any] = []
    if kind == "integer":
        bad += ["ten", True, 1.5]
        fmt = schema.get("format")
        if fmt == "int32":
            bad += [2**31, -(2**31) - 1]
        if fmt == "int64":
            bad += [2**63, -(2**63) - 1]
    elif kind == "number":
        bad += ["north", math.nan, math.inf, -math.inf, True]
    elif kind == "boolean":
        bad += [1, "true"]
    elif kind == "string":
        bad += [5]
        listed = schema.get("enum", [schema["const"]] if "const" in schema else None)
        if listed is not None:
            bad.append("certainly-not-a-listed-value")
        if isinstance(schema.get("maxLength"), int):
            bad.append("x" * (schema["maxLength"] + 1))
        if schema.get("minLength"):
            bad.append("x" * (schema["minLength"] - 1))
    elif kind == "array":
        item = _single(doc, schema.get("items") or {})
        bad += ["a-lone-value"] + [[v] for v in (_bad_values(doc, item) if item else [])]
    if kind in ("integer", "number"):
        step = 1 if kind == "integer" else 0.5
        lo, hi = schema.get("minimum"), schema.get("maximum")
        xlo, xhi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if isinstance(lo, (int, float)) and not isinstance(lo, bool):
            bad.append(lo if xlo is True else lo - step)
        if isinstance(hi, (int, float)) and not isinstance(hi, bool):
            bad.append(hi if xhi is True else hi + step)
        for bound in (xlo, xhi):
            if isinstance(bound, (int, float)) and not isinstance(bound, bool):
                bad.append(bound)
    return bad


def _good_value(doc: dict[str, Any], schema: dict[str, Any] | None) -> Any:
    if schema is None:
        return "x"
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    if "const" in schema:
        return schema["const"]
    kind = _kind(schema)
    if kind == "number" and isinstance(schema.get("example"), (int, float)):
        return schema["example"]  # a number from a listed set (Amentum's ocean depths)
    if kind in ("integer", "number"):
        lo = schema.get("minimum", schema.get("exclusiveMinimum"))
        value = 1 if not isinstance(lo, (int, float)) or isinstance(lo, bool) else lo + 1
        return value if kind == "number" else int(value)
    if kind == "boolean":
        return True
    if kind == "array":
        return [_good_value(doc, _single(doc, schema.get("items") or {}))]
    # the spec's own example, where it gives one: a form stated only in prose (Amentum's
    # airports, see codegen/config.py) is checked, and "x" would not pass
    example = schema.get("example")
    return {
        "date-time": SINCE,
        "date": "2024-01-02",
        "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
    }.get(schema.get("format", ""), example if isinstance(example, str) else "x")


def _spec_operations() -> Iterator[tuple[str, str, dict[str, Any], str, str, dict[str, Any]]]:
    """(package, api, spec document, method, path, operation) for every spec operation."""
    for vendor in VENDORS:
        for spec in vendor.specs:
            if spec.models_only:
                continue
            doc = load_spec(spec.file)
            for path, item in (doc.get("paths") or {}).items():
                item = resolve_ref(doc, item)
                for method, op in item.items():
                    if method in ("get", "put", "post", "delete", "patch", "head", "options"):
                        op = {
                            **op,
                            "parameters": [*item.get("parameters", []), *op.get("parameters", [])],
                        }
                        yield vendor.package, spec.api, doc, method.upper(), path, op


_CLIENTS: dict[str, Any] = {
    "adyen_like": lambda: AdyenClient(api_key="k", reviewer_api_key="r"),
    "airflow_like": lambda: AirflowClient(base_url="http://airflow.test", token="t"),
    "airbyte_like": lambda: AirbyteClient(token="t"),
    "amentum_like": lambda: AmentumClient(api_key="k"),
}


def _method(client: Any, dotted: str) -> Any:
    obj = client
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _declared(client: Any, dotted: str) -> Any:
    *path, name = dotted.split(".")
    resource = _method(client, ".".join(path))
    declared = inspect.getattr_static(type(resource), name)  # through a vendor subclass
    assert isinstance(declared, (Operation, PagedOperation, StreamOperation))
    return declared.info


def test_every_declared_range_enum_and_type_is_checked(router: respx.MockRouter) -> None:
    clients = {package: make() for package, make in _CLIENTS.items()}
    catalogs = {
        package: {(e.api, e.method, e.path): e for e in importlib.import_module(package).catalog()}
        for package in clients
    }
    cases: dict[str, int] = dict.fromkeys(clients, 0)
    constrained = 0
    for package, api, doc, method, path, op in _spec_operations():
        entry = catalogs[package][(api, method, path)]
        client = clients[package]
        info = _declared(client, entry.python_name)
        declared = {(p.wire_name, p.location): p for p in info.params}
        params = [resolve_ref(doc, p) for p in op["parameters"]]
        params = [
            p
            for p in params
            if p["in"] in ("path", "query", "header")
            and not (p["in"] == "header" and p["name"].lower() in CORE_HEADERS)
        ]
        required: dict[str, Any] = {}
        for p in params:
            assert (p["name"], p["in"]) in declared, f"{entry.python_name}: {p['name']} undeclared"
            if p.get("required") or p["in"] == "path":
                py = declared[(p["name"], p["in"])].name
                required[py] = _good_value(doc, _single(doc, p.get("schema") or {}))
        body = op.get("requestBody")
        if body is not None and resolve_ref(doc, body).get("required"):
            required["body"] = {}
        method_fn = _method(client, entry.python_name)
        for p in params:
            schema = _single(doc, p.get("schema") or {})
            bad = _bad_values(doc, schema) if schema else []
            if p["in"] == "path":
                bad += ["", ".", ".."]
            if (
                schema
                and any(
                    k in schema
                    for k in (
                        "minimum",
                        "maximum",
                        "exclusiveMinimum",
                        "exclusiveMaximum",
                        "enum",
                        "const",
                        "maxLength",
                        "minLength",
                    )
                )
            ) or (schema or {}).get("format") in ("int32", "int64"):
                constrained += 1
            py = declared[(p["name"], p["in"])].name
            for value in bad:
                args = {**required, py: value}
                with pytest.raises(InvalidArgumentError) as info_:
                    method_fn(**args)
                assert info_.value.parameter == py, (entry.python_name, py, value, str(info_.value))
                cases[package] += 1
    assert not router.calls, "a refused argument was sent"
    # derived from the specs, not hard-coded: still, it must have found something to check
    assert all(n > 0 for n in cases.values()), cases
    assert constrained >= 50, constrained
