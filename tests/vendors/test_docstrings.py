"""What ``help()`` shows for generated methods: our own docstrings and the real signature.

The docstrings are written by the generator from the spec's structure; these tests check
that they are there for every operation, that what they promise (the exception class of
each declared status, whether a failed call is repeated) is what the client does over the
transport, and that none of the vendors' own prose reached them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pydoc
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml  # type: ignore[import-untyped,unused-ignore]

import commonrest
from commonrest import RetryPolicy

ROOT = Path(__file__).resolve().parents[2]
SHARED_SPECS = ROOT.parent / "shared" / "specs"
#: A run of this many words copied from a spec's prose counts as copied prose.
RUN = 6

#: Retries that do not sleep, so a repeated request shows at once.
_FAST = RetryPolicy(max_attempts=2, backoff_base=0.001, backoff_cap=0.001, jitter=False)

VENDORS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "adyen_like": ("AdyenClient", "AsyncAdyenClient", {"api_key": "k"}),
    "airflow_like": (
        "AirflowClient",
        "AsyncAirflowClient",
        {"base_url": "http://af", "token": "t"},
    ),
    "airbyte_like": ("AirbyteClient", "AsyncAirbyteClient", {"token": "t"}),
    "amentum_like": ("AmentumClient", "AsyncAmentumClient", {"api_key": "k"}),
}


def _client(package: str, *, sync: bool = True, **extra: Any) -> Any:
    sync_name, async_name, kwargs = VENDORS[package]
    cls = getattr(importlib.import_module(package), sync_name if sync else async_name)
    return cls(**kwargs, **extra)


def _resolve(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _methods(package: str) -> Iterator[tuple[Any, Any]]:
    client = _client(package)
    for entry in importlib.import_module(package).catalog():
        yield entry, _resolve(client, entry.python_name)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _prose_runs(doc: str) -> set[tuple[str, ...]]:
    """The word runs of a docstring outside its code spans: those hold identifiers the spec
    defines (paths, operationIds, wire names, values), facts rather than sentences."""
    return set().union(*(_runs(part) for part in re.split(r"``[^`]*``", doc)))


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _prose(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield value
            else:
                yield from _prose(value)
    elif isinstance(node, list):
        for value in node:
            yield from _prose(value)


@cache
def _vendor_runs() -> frozenset[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for path in sorted(SHARED_SPECS.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.load(text, yaml.CSafeLoader)
        except (ValueError, yaml.YAMLError):
            continue
        for prose in _prose(data):
            runs |= _runs(prose)
    return frozenset(runs)


def _docstrings(file: Path) -> Iterator[tuple[str, str]]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node)
            if doc:
                yield getattr(node, "name", "<module>"), doc


@pytest.mark.skipif(not SHARED_SPECS.is_dir(), reason="needs the collected specs (../shared)")
def test_no_generated_docstring_repeats_six_words_of_vendor_prose() -> None:
    vendor = _vendor_runs()
    assert len(vendor) > 10_000  # the specs' prose was really read
    copied = []
    checked = 0
    for package in VENDORS:
        for file in sorted((ROOT / package / "_generated").rglob("*.py")):
            for name, doc in _docstrings(file):
                checked += 1
                for run in sorted(_prose_runs(doc) & vendor):
                    copied.append(f"{file.relative_to(ROOT)}:{name}: {' '.join(run)}")
    assert checked > 491
    assert not copied, "\n".join(copied[:20])


@pytest.mark.parametrize("package", sorted(VENDORS))
def test_every_generated_method_documents_its_call(package: str) -> None:
    for entry, method in _methods(package):
        doc = inspect.getdoc(method) or ""
        summary = doc.split("\n", 1)[0]
        assert summary.endswith(".") and len(summary.split()) >= 2, entry.python_name
        assert f"``{entry.method} {entry.path}``" in doc, entry.python_name
        for section in ("Returns:", "Raises:", "Note:"):
            assert f"\n{section}\n" in doc, (entry.python_name, section)
        params = list(inspect.signature(method).parameters)
        if params:
            args = doc.split("\nArgs:\n", 1)[1].split("\n\n", 1)[0]
            assert [re.match(r"\s*(\w+) \(", line) for line in args.splitlines()]
            listed = [m.group(1) for m in re.finditer(r"^    (\w+) \(", args, re.M)]
            assert listed == params, entry.python_name
        if entry.paged:
            assert "a page at a time" in summary and "pager of" in doc, entry.python_name
        if entry.deprecated:
            assert "Deprecated by the vendor" in doc, entry.python_name
        assert ("Retried on a transient failure" in doc) != ("Not repeated" in doc)


def _declared_errors(doc: str) -> list[tuple[str, int]]:
    raises = doc.split("\nRaises:\n", 1)[1].split("\n\n", 1)[0]
    return [
        (name, int(code))
        for name, codes in re.findall(r"^    (\w+): Declared status ([\d, ]+)", raises, re.M)
        for code in codes.split(", ")
    ]


#: Calls with valid arguments: (dotted name, positional arguments, keyword arguments).
_WID = {"workspaceId": "0b6fbe7a-1f35-4e8c-9a59-63a39f1bb8c5"}
_CALLS: dict[str, tuple[str, tuple[Any, ...], dict[str, Any]]] = {
    "adyen disable": (
        "recurring.disable",
        ({"merchantAccount": "m", "shopperReference": "s"},),
        {},
    ),
    "airflow get": ("v1.dags.get", ("etl",), {}),
    "airflow create": ("v1.variables.create", ({"key": "k", "value": "v"},), {}),
    "airbyte delete": ("workspaces.delete", (_WID,), {}),
    "airbyte get": ("workspaces.get", (_WID,), {}),
    "amentum anomaly": ("gravity.anomaly", (), {"latitude": 1.0, "longitude": 2.0}),
}


def _call(client: Any, case: str) -> tuple[Any, Any]:
    name, args, kwargs = _CALLS[case]
    method = _resolve(client, name)
    return method, lambda: method(*args, **kwargs)


#: One operation per vendor whose Raises section lists several declared statuses.
_RAISING = {
    "adyen_like": "adyen disable",
    "airflow_like": "airflow get",
    "airbyte_like": "airbyte delete",
    "amentum_like": "amentum anomaly",
}


@pytest.mark.parametrize("package", sorted(VENDORS))
def test_the_documented_exception_is_the_one_raised(package: str) -> None:
    method, call = _call(_client(package, max_retries=0), _RAISING[package])
    declared = _declared_errors(inspect.getdoc(method) or "")
    if package != "amentum_like":  # Amentum declares no error statuses
        assert len(declared) >= 2
    declared.append(("ClientError", 418))  # undeclared: the class for its code
    for name, code in declared:
        with respx.mock(assert_all_mocked=True) as router:
            router.route().mock(return_value=httpx.Response(code, json={"detail": "no"}))
            with pytest.raises(commonrest.APIStatusError) as caught:
                call()
        assert type(caught.value) is getattr(commonrest, name), (code, type(caught.value))


#: Per vendor: (call, attempts after a 503) for an unsafe POST (Adyen's carries an
#: idempotency key, the others none) and for a safe or read-only call.
_RETRIES = {
    "adyen_like": [("adyen disable", 2)],
    "airflow_like": [("airflow create", 1), ("airflow get", 2)],
    "airbyte_like": [("airbyte delete", 1), ("airbyte get", 2)],
    "amentum_like": [("amentum anomaly", 2)],
}


@pytest.mark.parametrize("package", sorted(VENDORS))
def test_the_documented_retry_safety_is_what_the_client_does(package: str) -> None:
    for case, attempts in _RETRIES[package]:
        method, call = _call(_client(package, retry=_FAST), case)
        doc = inspect.getdoc(method) or ""
        with respx.mock(assert_all_mocked=True) as router:
            route = router.route().mock(
                side_effect=[httpx.Response(503), httpx.Response(200, json={})]
            )
            try:
                call()
            except commonrest.APIStatusError as error:
                assert error.status_code == 503
        assert route.call_count == attempts, case
        assert ("Retried on a transient failure" in doc) == (attempts == 2), case


#: A few methods per vendor: (dotted name, parameter that must show, sync return type).
_SHOWN = {
    "adyen_like": [
        ("payments.authorise", "body", "PaymentResult"),
        ("transfers.list", "created_since", "SyncPager[TransferData]"),
    ],
    "airflow_like": [
        ("v1.dags.get", "dag_id", "DAG"),
        ("v2.dags.list", "limit", "SyncPager[DAGResponse]"),
    ],
    "airbyte_like": [("workspaces.get", "body", "WorkspaceRead")],
    "amentum_like": [("gravity.geoid_height", "latitude", "Height")],
}


@pytest.mark.parametrize("package", sorted(VENDORS))
def test_help_shows_parameters_and_return_type_in_every_mode(package: str) -> None:
    sync = _client(package)
    aclient = _client(package, sync=False)
    for name, param, returns in _SHOWN[package]:
        paged = returns.startswith("SyncPager[")
        item = returns[len("SyncPager[") : -1] if paged else returns
        shown = {
            "sync": (_resolve(sync, name), returns),
            "async": (
                _resolve(aclient, name),
                f"AsyncPager[{item}]" if paged else f"Coroutine[Any, Any, {item}]",
            ),
            "raw": (
                _resolve(sync.with_raw_response, name),
                returns if paged else f"APIResponse[{item}]",
            ),
            "async raw": (
                _resolve(aclient.with_raw_response, name),
                f"AsyncPager[{item}]" if paged else f"Coroutine[Any, Any, APIResponse[{item}]]",
            ),
        }
        for mode, (method, expected) in shown.items():
            sig = inspect.signature(method)
            assert "self" not in sig.parameters
            assert param in sig.parameters, (name, mode)
            assert sig.return_annotation == expected, (name, mode)
            text = pydoc.render_doc(method)
            assert f"-> '{expected}'" in text, (name, mode)
            assert f"{param}:" in text and "Returns:" in text and "Raises:" in text
