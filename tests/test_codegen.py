"""The code generator itself: the reduction of the vendor specs, and its naming rules."""

from __future__ import annotations

import filecmp
import importlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from codegen import generate, reduce
from codegen.config import AIRFLOW, SPECS, VENDORS, Spec
from codegen.emit import ResourceWriter
from codegen.models import GENERATED_MARK, ModelModule
from codegen.naming import BUILTINS, KEYWORDS, pascal, plural, safe, singular, snake
from codegen.spec import Document, as_list, assign_param_names, make_lenient, prepare

#: The collected vendor files (next to the repository, not part of it).
SOURCE_SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "specs"

SPEC_FILES = [spec.file for vendor in VENDORS for spec in vendor.specs]


# ---------------------------------------------------------------------------------------
# reduction


@pytest.mark.skipif(not SOURCE_SPECS.is_dir(), reason="../shared/specs is not there")
def test_reducing_the_collected_specs_gives_the_committed_specs(tmp_path: Path) -> None:
    written = reduce.run(source_root=SOURCE_SPECS, target=tmp_path)
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    assert names == sorted([*SPEC_FILES, "SOURCES.md"])
    committed = sorted(
        str(p.relative_to(SPECS)) for p in SPECS.rglob("*") if p.is_file() and p.name != ".gitkeep"
    )
    assert names == committed
    for name in names:
        assert filecmp.cmp(tmp_path / name, SPECS / name, shallow=False), name


def _load(file: str) -> dict[str, Any]:
    return reduce.load(SPECS / file)


#: Keys whose value maps names (of properties, schemas, paths, statuses ...) to objects:
#: a property called ``description`` is a name, not prose.
_NAME_MAPS = reduce.NAMED_MAPS | {"scopes"}
#: Prose keys (``title`` is kept only as the API's own, ``info.title``).
_PROSE = {"description", "summary", "externalDocs", "termsOfService", "contact", "x-summary"}
#: Keys whose value is data (examples, defaults, enums ...), not part of the description.
_DATA = {"example", "default", "enum", "const", "value", "required", "mapping"}


def _prose_keys(node: Any, where: str, found: list[str]) -> None:
    if isinstance(node, list):
        for i, item in enumerate(node):
            _prose_keys(item, f"{where}/{i}", found)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        here = f"{where}/{key}"
        if key in _PROSE or key.startswith("x-code") or (key == "title" and here != "/info/title"):
            found.append(here)
        if key in _DATA:
            continue
        if key in _NAME_MAPS or (key in ("parameters", "examples") and isinstance(value, dict)):
            # a map of names; ``components`` is a map of such maps
            if isinstance(value, dict):
                for name, item in value.items():
                    _prose_keys(item, f"{here}/{name}", found)
            continue
        if key == "components" and isinstance(value, dict):
            for kind, items in value.items():
                for name, item in (items or {}).items():
                    _prose_keys(item, f"{here}/{kind}/{name}", found)
            continue
        _prose_keys(value, here, found)


@pytest.mark.parametrize("file", SPEC_FILES)
def test_reduced_specs_carry_no_prose(file: str) -> None:
    doc = _load(file)
    found: list[str] = []
    _prose_keys(doc, "", found)
    assert found == []
    # what is kept on purpose: the API's own title and version
    assert set(doc["info"]) <= {"title", "version", "license"}
    assert doc["info"]["version"]


def test_prose_check_sees_prose() -> None:
    found: list[str] = []
    doc = {
        "info": {"title": "kept", "description": "gone"},
        "paths": {"/description": {"get": {"summary": "gone", "responses": {}}}},
        "components": {
            "schemas": {"A": {"title": "gone", "properties": {"description": {"type": "string"}}}},
            "examples": {"e": {"summary": "gone", "value": {"description": "data"}}},
        },
    }
    _prose_keys(doc, "", found)
    assert found == [
        "/info/description",
        "/paths//description/get/summary",
        "/components/schemas/A/title",
        "/components/examples/e/summary",
    ]


def test_reduce_strips_prose_but_keeps_names_and_data() -> None:
    raw = {
        "description": "prose",
        "x-codeSamples": [{"source": "code"}],
        "x-methodName": "kept",
        "properties": {"description": {"type": "string", "description": "prose"}},
        "example": {"description": "data"},
        "examples": {"one": {"summary": "prose", "value": {"summary": "data"}}},
    }
    assert reduce._clean(raw) == {
        "x-methodName": "kept",
        "properties": {"description": {"type": "string"}},
        "example": {"description": "data"},
        "examples": {"one": {"value": {"summary": "data"}}},
    }


# ---------------------------------------------------------------------------------------
# naming


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("getDagRuns", "get_dag_runs"),
        ("DAGRun", "dag_run"),
        ("HTTPRequest", "http_request"),
        ("API-Key", "api_key"),
        ("x-requested-with", "x_requested_with"),
        ("post-authorise3ds2", "post_authorise3ds2"),
        ("dag_id", "dag_id"),
        ("3dsResult", "n3ds_result"),
        ("__init__", "init"),
        ("--", "value"),
    ],
)
def test_snake(wire: str, python: str) -> None:
    assert snake(wire) == python
    assert python.isidentifier()


def test_pascal_plural_singular() -> None:
    assert pascal("dag_runs") == pascal("dag-runs") == pascal("dagRuns") == "DagRuns"
    assert [plural(w) for w in ("dag", "entry", "day", "box", "status")] == [
        "dags",
        "entries",
        "days",
        "boxes",
        "status",
    ]
    assert [singular(w) for w in ("dags", "entries", "boxes", "class")] == [
        "dag",
        "entry",
        "box",
        "class",
    ]


@pytest.mark.parametrize(
    ("name", "lists", "result"),
    [
        ("get_all_transfers", False, "list_transfers"),
        ("get_notification_configuration_list", False, "list_notification_configurations"),
        ("get_task_instance_tries", True, "list_task_instance_tries"),
        (
            "get_task_instance_dependencies_by_map_index",
            True,
            "list_task_instance_dependencies_by_map_index",
        ),
        ("get_config", True, "get_config"),  # one object with a list in it
        ("get_task_instance_tries", False, "get_task_instance_tries"),
        ("get_stores_under_account", False, "get_stores_under_account"),
    ],
)
def test_listing_operations_say_list(name: str, lists: bool, result: str) -> None:
    assert as_list(name, lists) == result


def _python_names() -> dict[str, str]:
    """``"<package> <operationId> <version>"`` -> Python name, over every package."""
    out = {}
    for vendor in VENDORS:
        catalog = importlib.import_module(f"{vendor.package}._generated.catalog")
        for e in catalog.catalog():
            out[f"{vendor.package} {e.operation_id} {e.version}"] = e.python_name
    return out


def test_paged_operations_are_named_list() -> None:
    for vendor in VENDORS:
        catalog = importlib.import_module(f"{vendor.package}._generated.catalog")
        for e in catalog.catalog():
            if e.paged:
                assert e.python_name.rsplit(".", 1)[-1].startswith("list"), e.python_name


def test_method_names_do_not_repeat_the_resource() -> None:
    names = _python_names()
    assert {
        names["adyen_like get-transfers 4"],
        names["adyen_like get-transactions 4"],
        names["adyen_like get-transfers-id 4"],
        names["adyen_like post-getNotificationConfigurationList 6"],
        names["adyen_like post-listRecurringDetails 68"],
        names["airflow_like get_task_instance_tries 1"],
        names["airflow_like clear_dag_runs 2"],
        names["airbyte_like tryNotificationConfig 1.0.0"],
    } == {
        "transfers_v4.transfers.list",
        "transfers_v4.transactions.list",
        "transfers_v4.transfers.get",
        "notification_configuration.list",
        "recurring.list_details",
        "v1.task_instances.list_tries",
        "v2.dag_runs.clear_many",
        "notifications.try_config",
    }
    # the verb stays where it is also the noun, and no name becomes a keyword
    assert names["adyen_like post-payout 68"] == "payouts.payout"
    assert names["adyen_like post-transfers 4"] == "transfers_v4.transfers.transfer_funds"
    assert (
        names["adyen_like post-transfers-transferId-returns 4"]
        == "transfers_v4.transfers.return_transfer"
    )
    for name in names.values():
        *path, method = name.split(".")
        assert method.isidentifier() and method not in KEYWORDS, name
        # after its verb, a name does not say the resource's noun again (but
        # ``return_transfer``: ``return`` alone is a keyword)
        words = method.split("_")[1:]
        noun = singular(path[-1]).split("_")
        for n in (noun, plural("_".join(noun)).split("_")):
            repeats = any(words[i : i + len(n)] == n for i in range(len(words)))
            assert not repeats or method == "return_transfer", name


@pytest.mark.parametrize("name", ["from", "class", "try", "None", "match", "type", "self"])
def test_safe_renames_keywords_and_builtins(name: str) -> None:
    assert safe(name) == name + "_"
    assert safe(name).isidentifier()


def test_safe_keeps_other_names() -> None:
    assert safe("dag_id") == "dag_id"
    assert safe("id", avoid_builtins=False) == "id"
    assert safe("id") == "id_"
    assert {"from", "match"} <= KEYWORDS and {"id", "type", "next"} <= BUILTINS


def _op_spec(params: list[dict[str, Any]], path: str = "/items/{id}") -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {path: {"get": {"operationId": "getItem", "parameters": params}}},
    }


def test_parameter_names_avoid_keywords_builtins_and_each_other() -> None:
    params: list[dict[str, Any]] = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "from", "in": "query", "schema": {"type": "string"}},
        {"name": "type", "in": "query", "schema": {"type": "string"}},
        {"name": "next", "in": "query", "schema": {"type": "string"}},
        {"name": "self", "in": "query", "schema": {"type": "string"}},
        {"name": "pageSize", "in": "query", "schema": {"type": "integer"}},
        {"name": "page-size", "in": "header", "schema": {"type": "integer"}},
        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
    ]
    (op,) = Document(_op_spec(params)).operations()
    assign_param_names(op)
    assert [p.py for p in op.params] == [
        "item_id",
        "from_",
        "type_",
        "next_",
        "self_",
        "page_size",
        "page_size_",
    ]
    assert op.skipped_headers == ["Idempotency-Key"]
    assert all(p.py.isidentifier() and p.py not in KEYWORDS for p in op.params)


def test_schemas_named_like_builtins_get_a_suffix() -> None:
    data = _op_spec([])
    data["paths"]["/items/{id}"]["get"]["responses"] = {
        "200": {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ImportError"}}
            }
        }
    }
    data["components"] = {"schemas": {"ImportError": {"type": "object"}}}
    spec = Spec(key="t", file="t.json", grouping="single", resource="items")
    doc, _ = prepare(spec, data)
    assert "ImportErrorModel" in doc.schemas and "ImportError" not in doc.schemas
    body = doc.data["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/ImportErrorModel"}


def test_untyped_path_parameters_are_strings() -> None:
    params: list[dict[str, Any]] = [
        {"name": "id", "in": "path", "required": True, "schema": {}},
        {"name": "q", "in": "query", "schema": {}},
    ]
    (op,) = Document(_op_spec(params)).operations()
    assign_param_names(op)
    models = ModelModule(source="", classes={}, enums=set(), roots=set(), fields={}, names=set())
    writer = ResourceWriter(AIRFLOW, AIRFLOW.specs[0], Document({}), models)
    path, query = op.params
    assert writer.param_annotation(path) == "str"
    assert writer.param_annotation(query) == "NotGivenOr[Any]"


def test_lenient_schemas_have_no_required_fields_or_defaults() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": {"type": "string", "default": "x"},
            "required": {"type": "object", "required": ["b"], "properties": {"b": {}}},
            "list": {"type": "array", "items": {"required": ["c"], "properties": {"c": {}}}},
            "either": {"anyOf": [{"required": ["d"], "properties": {"d": {}}}]},
        },
    }
    make_lenient(schema)
    props = schema["properties"]
    assert "required" not in schema and props["a"] == {"type": "string"}
    # a property may be called "required": it stays, its own list goes
    assert props["required"] == {"type": "object", "properties": {"b": {}}}
    assert props["list"]["items"] == {"properties": {"c": {}}}
    assert props["either"]["anyOf"] == [{"properties": {"d": {}}}]


def test_only_webhook_specs_are_lenient() -> None:
    lenient = {spec.key for vendor in VENDORS for spec in vendor.specs if spec.lenient}
    assert lenient == {"webhooks", "marketpay_notifications"}
    assert all(spec.models_only for vendor in VENDORS for spec in vendor.specs if spec.lenient)


# ---------------------------------------------------------------------------------------
# the drift check


def _copy_output(root: Path, to: Path) -> None:
    """The committed Airflow output (``_generated`` and the types modules) under ``to``."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(
        root / "airflow_like" / "_generated", to / "airflow_like" / "_generated", ignore=ignore
    )
    shutil.copytree(root / "airflow_like" / "types", to / "airflow_like" / "types", ignore=ignore)


def test_check_sees_a_hand_edited_or_stale_types_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(__file__).resolve().parents[1]
    fresh, committed = tmp_path / "fresh", tmp_path / "committed"
    _copy_output(root, fresh)
    (fresh / "airflow_like" / "types" / "__init__.py").unlink()  # hand-written, not generated
    _copy_output(root, committed)
    assert generate.compare(fresh, committed, (AIRFLOW,)) == 0
    types = committed / "airflow_like" / "types"
    # a hand edit, even one that drops the generator's first line
    v2 = types / "v2.py"
    v2.write_text(v2.read_text(encoding="utf-8").replace("DAGResponse as DAGResponse", "Dag"))
    v1 = types / "v1.py"
    v1.write_text(v1.read_text(encoding="utf-8").partition("\n")[2])
    # a module the generator no longer writes (its spec went away)
    (types / "v0.py").write_text(f'{GENERATED_MARK}\n"""Models of an old API."""\n')
    capsys.readouterr()
    assert generate.compare(fresh, committed, (AIRFLOW,)) == 3
    out = capsys.readouterr().out
    assert f"{v2}" in out and f"{v1}" in out
    assert f"not produced by the generator: {types / 'v0.py'}" in out
    # a types module missing from the repository
    v2.unlink()
    assert generate.compare(fresh, committed, (AIRFLOW,)) == 3
    assert f"missing from the repository: {v2}" in capsys.readouterr().out
