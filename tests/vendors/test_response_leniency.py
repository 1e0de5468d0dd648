"""Responses never fail on shape: every generated response model of every vendor reads a
body of roughly the right shape, over the transport, through the client's decoding.

Checked for every model of every spec: ``{}``; every example the spec gives; and, built from
each object schema, bodies with each required field removed, each string over its maximum
length, each scalar of the wrong type. The issue's own cases are tested by name below.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any, ClassVar

import httpx
import pydantic
import pytest
import respx

from codegen.config import VENDORS
from commonrest import APIDecodeError, Model, Service, SyncClient
from commonrest.declare import Call, M, Resource, Sync, operation

from .helpers import load_spec, members, minimal_instance, resolve_ref

URL = "https://models.test/read"
SPECS = [(v.package, s.key, s.file) for v in VENDORS for s in v.specs]


class Reader(Resource[M]):
    """One operation whose response type is chosen by the caller: the decoding every
    generated operation uses."""

    @operation("GET", "/read", operation_id="read", api="models")
    def read(self, response: Any) -> Call[Any]:
        return Call(response)


class ReaderClient(SyncClient):
    services: ClassVar[dict[str, Service]] = {
        "models": Service(name="Models", urls={"test": "https://models.test"}, path="")
    }
    env_prefix = "MODELS_TEST"

    @property
    def reader(self) -> Reader[Sync]:
        return Reader(self)


@pytest.fixture(scope="module")
def read() -> Iterator[Any]:
    """``read(cls, body)``: the body sent by a server, as the client returns it."""
    client = ReaderClient(max_retries=0)
    with respx.mock(assert_all_called=False) as router:
        route = router.get(URL)

        def call(cls: Any, body: Any) -> Any:
            route.mock(return_value=httpx.Response(200, content=json.dumps(body).encode()))
            return client.reader.read(cls)

        yield call
    client.close()


def _module(package: str, key: str) -> ModuleType:
    vendor = next(v for v in VENDORS if v.package == package)
    return importlib.import_module(
        vendor.types_module(next(s for s in vendor.specs if s.key == key))
    )


def _classes(module: ModuleType) -> list[type[Model]]:
    return [
        c
        for c in members(module)
        if isinstance(c, type)
        and issubclass(c, Model)
        and not issubclass(c, pydantic.RootModel)
        and c.__module__ == module.__name__
    ]


def _class_of(module: ModuleType, schema: str) -> type[Model] | None:
    for name in (schema, schema + "Model"):
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, Model):
            return cls
    return None


def _keys(result: Model) -> set[str]:
    return set(result.to_dict())


# reading a field the spec marks deprecated warns, as it should
@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")
@pytest.mark.parametrize(("package", "key", "file"), SPECS, ids=[f"{p}.{k}" for p, k, _ in SPECS])
def test_every_model_reads_an_empty_object(read: Any, package: str, key: str, file: str) -> None:
    classes = _classes(_module(package, key))
    assert classes
    for cls in classes:
        result = read(cls, {})
        assert isinstance(result, cls)
        assert result.to_dict() == {}, cls
        # a tag of a tagged union reads as its only value; every other field as None
        values = {name: getattr(result, name) for name in type(result).model_fields}
        assert all(v is None or isinstance(v, str) for v in values.values()), cls


def _examples(file: str) -> Iterator[tuple[str, str, Any]]:
    """(where, schema name, example) of every JSON example the spec gives for a schema
    that has a class: response media examples, named examples and schema examples."""
    doc = load_spec(file)
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            for status, response in (op.get("responses") or {}).items():
                for ct, media in (resolve_ref(doc, response).get("content") or {}).items():
                    ref = (media.get("schema") or {}).get("$ref", "")
                    if "json" not in ct or not ref:
                        continue
                    values = [media["example"]] if "example" in media else []
                    values += [
                        resolve_ref(doc, e).get("value")
                        for e in (media.get("examples") or {}).values()
                    ]
                    for value in values:
                        yield f"{method} {path} {status}", ref.rsplit("/", 1)[-1], value
    for name, schema in ((doc.get("components") or {}).get("schemas") or {}).items():
        if isinstance(schema, dict) and "example" in schema:
            yield f"schema {name}", name, schema["example"]


@pytest.mark.parametrize(("package", "key", "file"), SPECS, ids=[f"{p}.{k}" for p, k, _ in SPECS])
def test_every_spec_example_reads(read: Any, package: str, key: str, file: str) -> None:
    module = _module(package, key)
    seen = 0
    for where, schema, value in _examples(file):
        cls = _class_of(module, schema)
        value = json.loads(json.dumps(value, default=str))  # YAML dates are strings on the wire
        if cls is None or not isinstance(value, dict):
            continue
        result = read(cls, value)
        assert _keys(result) == set(value), where
        seen += 1
    if not key.startswith(("marketpay", "webhooks")):  # those specs show webhook bodies
        assert seen or not list(_examples(file)), f"{file}: no example was checked"


def _object_schemas(file: str) -> Iterator[tuple[str, dict[str, Any]]]:
    doc = load_spec(file)
    for name, schema in ((doc.get("components") or {}).get("schemas") or {}).items():
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            yield name, schema


def _wrong(value: Any) -> Any:
    """A value of another JSON type."""
    if isinstance(value, bool):
        return "not-a-boolean"
    if isinstance(value, (int, float)):
        return "not-a-number"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"unexpected": "object"}
    return ["unexpected", "array"]


def _perturbed(
    file: str, name: str, schema: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any], str | None]]:
    """(what, body, the key whose value must come back unchanged, if any)."""
    base = minimal_instance(file, {"$ref": f"#/components/schemas/{name}"})
    if not isinstance(base, dict):
        return
    base = json.loads(json.dumps(base, default=str))
    doc = load_spec(file)
    props = {k: resolve_ref(doc, v) for k, v in schema["properties"].items()}
    for key in base:
        rest = {k: v for k, v in base.items() if k != key}
        yield f"{name} without required {key}", rest, None
        wrong = _wrong(base[key])
        if '"format": "date' in json.dumps(props.get(key)):
            wrong = {"unexpected": "object"}  # a number is a timestamp (pydantic's lax mode)
        yield f"{name}.{key} of the wrong type", {**base, key: wrong}, key
    samples = {"string": "text", "integer": 3, "number": 2.5, "boolean": True}
    for key, prop in props.items():
        kind = prop.get("type") if isinstance(prop, dict) else None
        if key not in base and kind in samples and "format" not in prop and "enum" not in prop:
            body = {**base, key: _wrong(samples[kind])}
            yield f"{name}.{key} (optional) of the wrong type", body, key
        inner = prop.get("properties") if isinstance(prop, dict) and key not in base else None
        for sub, sub_prop in (inner or {}).items():
            sub_kind = sub_prop.get("type") if isinstance(sub_prop, dict) else None
            if sub_kind in samples and "format" not in sub_prop:
                body = {**base, key: {sub: _wrong(samples[sub_kind])}}
                yield f"{name}.{key}.{sub} of the wrong type", body, key
        if isinstance(prop, dict) and isinstance(prop.get("maxLength"), int):
            long = "x" * (prop["maxLength"] + 1)
            yield f"{name}.{key} over its maximum length", {**base, key: long}, key


@pytest.mark.parametrize(("package", "key", "file"), SPECS, ids=[f"{p}.{k}" for p, k, _ in SPECS])
def test_perturbed_bodies_read_with_the_other_fields_intact(
    read: Any, package: str, key: str, file: str
) -> None:
    module = _module(package, key)
    checked = 0
    for name, schema in _object_schemas(file):
        cls = _class_of(module, name)
        if cls is None:
            continue
        for what, body, kept in _perturbed(file, name, schema):
            result = read(cls, body)
            assert isinstance(result, cls), what
            out = result.to_dict()
            assert set(out) == set(body), what
            if kept is not None:
                assert out[kept] == body[kept], what
            checked += 1
    assert checked or not list(_object_schemas(file)), f"{file}: nothing was perturbed"


@pytest.mark.parametrize("package", sorted({v.package for v in VENDORS}))
def test_perturbed_bodies_cover_every_vendor(package: str) -> None:
    # the perturbation test above must not pass on a vendor for want of bodies to perturb
    count = sum(
        1
        for pkg, key, file in SPECS
        if pkg == package
        for name, schema in _object_schemas(file)
        if _class_of(_module(pkg, key), name) is not None
        for _ in _perturbed(file, name, schema)
    )
    assert count > 0


# ------------------------------------------------------------------ the cases


def test_airflow3_dag_run_without_partition_fields(read: Any) -> None:
    from airflow_like.types.v2 import DAGRunResponse

    body = {"dag_run_id": "r1", "dag_id": "etl", "state": "success", "run_type": "manual"}
    run = read(DAGRunResponse, body)
    assert run.partition_key is None and run.partition_date is None
    assert run.dag_id == "etl" and run.state == "success"


def test_airflow3_dag_response_with_one_field(read: Any) -> None:
    from airflow_like.types.v2 import DAGResponse

    assert len(DAGResponse.model_fields) >= 28
    dag = read(DAGResponse, {"dag_id": "etl"})
    assert dag.dag_id == "etl" and dag.is_paused is None


def test_airbyte_aggregated_stats_without_committed_counts(read: Any) -> None:
    from airbyte_like.types import JobRead

    job = read(JobRead, {"id": 7, "aggregatedStats": {"recordsEmitted": 5, "bytesEmitted": 9}})
    stats = job.aggregated_stats
    assert stats is not None
    assert stats.records_emitted == 5 and stats.records_committed is None


def test_adyen_payment_result_md_longer_than_its_limit(read: Any) -> None:
    from adyen_like.types.payment import PaymentResult

    md = "m" * 20_001
    result = read(PaymentResult, {"md": md, "resultCode": "RedirectShopper"})
    assert result.md == md and result.result_code == "RedirectShopper"


def test_airflow_ui_color_outside_its_pattern(read: Any) -> None:
    from airflow_like.types.v1 import TaskCollection

    tasks = read(TaskCollection, {"tasks": [{"task_id": "t", "ui_color": "not a colour"}]})
    assert tasks.tasks[0].ui_color == "not a colour"


def test_airflow_v1_unknown_schedule_interval_tag_is_kept(read: Any) -> None:
    from airflow_like.types.v1 import DAG, CronExpression, DAGCollection

    odd = {"__type": "CalendarDelta", "weeks": 2}
    body = {"dags": [{"dag_id": "a", "schedule_interval": odd}, {"dag_id": "b"}]}
    page = read(DAGCollection, body)
    assert page.dags[0].dag_id == "a" and page.dags[0].schedule_interval == odd
    assert page.dags[1].dag_id == "b"
    cron = {"__type": "CronExpression", "value": "@daily"}
    known = read(DAG, {"dag_id": "c", "schedule_interval": cron})
    assert isinstance(known.schedule_interval, CronExpression)


def test_amentum_number_where_a_string_is_declared(read: Any) -> None:
    from amentum_like.types.geomag import MagneticFieldResponse

    # as in the spec's own example: the two values of grid_variation swapped
    swapped = {"units": -65.8558578491211, "value": "Deg"}
    body = {"grid_variation": swapped, "declination": {"units": "Deg", "value": 2.5}}
    result = read(MagneticFieldResponse, body)
    assert result.grid_variation is not None
    assert (result.grid_variation.units, result.grid_variation.value) == (-65.8558578491211, "Deg")
    assert result.declination is not None and result.declination.value == 2.5


def test_a_wrong_type_inside_a_list_item_keeps_the_other_items(read: Any) -> None:
    from airflow_like.types.v1 import DAGCollection

    body = {"dags": [{"dag_id": "a", "is_paused": "sometimes"}, {"dag_id": "b", "is_paused": True}]}
    page = read(DAGCollection, body)
    assert [d.dag_id for d in page.dags] == ["a", "b"]
    assert page.dags[0].is_paused == "sometimes" and page.dags[1].is_paused is True


def test_a_body_of_another_shape_still_fails(read: Any) -> None:
    from airflow_like.types.v1 import DAG

    with pytest.raises(APIDecodeError, match="does not match DAG"):
        read(DAG, ["not", "an", "object"])


def test_airflow_v1_time_delta_with_another_tag_spelling(read: Any) -> None:
    from airflow_like.types.v1 import TimeDelta

    # the spec types __type as any string; the union needs it as the one tag it knows
    delta = read(TimeDelta, {"__type": "timedelta", "days": 1, "seconds": 30})
    assert delta.type == "timedelta" and (delta.days, delta.seconds) == (1, 30)
