"""The catalogs of the vendor packages, and what every client must offer for them."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from typing import Any

import pytest

from commonrest._operations import Operation, PagedOperation
from commonrest._streaming import StreamOperation

VENDORS = {
    # package: (sync client, async client, constructor arguments, operations in scope)
    "adyen_like": ("AdyenClient", "AsyncAdyenClient", {"api_key": "k"}, 58),
    "airflow_like": (
        "AirflowClient",
        "AsyncAirflowClient",
        {"base_url": "http://af", "token": "t"},
        221,
    ),
    "airbyte_like": ("AirbyteClient", "AsyncAirbyteClient", {"token": "t"}, 191),
    "amentum_like": ("AmentumClient", "AsyncAmentumClient", {"api_key": "k"}, 21),
}


def _clients(package: str) -> tuple[Any, Any]:
    module = importlib.import_module(package)
    sync_name, async_name, kwargs, _ = VENDORS[package]
    return getattr(module, sync_name)(**kwargs), getattr(module, async_name)(**kwargs)


def _resolve(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("package", sorted(VENDORS))
def test_every_catalog_entry_is_a_method_of_both_clients(package: str) -> None:
    entries = importlib.import_module(package).catalog()
    sync_client, async_client = _clients(package)
    assert len(entries) == VENDORS[package][3]
    for entry in entries:
        sync_method = _resolve(sync_client, entry.python_name)
        async_method = _resolve(async_client, entry.python_name)
        assert callable(sync_method) and callable(async_method), entry.python_name
    names = [e.python_name for e in entries]
    assert len(names) == len(set(names)), "two operations share a Python name"


def _resolve_class_attr(client: Any, dotted: str) -> Any:
    *path, name = dotted.split(".")
    resource = _resolve(client, ".".join(path))
    # through the class's bases: a vendor's hand-written resource extends the generated one
    return inspect.getattr_static(type(resource), name)


@pytest.mark.parametrize("package", sorted(VENDORS))
def test_catalog_entries_match_their_declarations(package: str) -> None:
    sync_client, _ = _clients(package)
    for entry in importlib.import_module(package).catalog():
        declared = _resolve_class_attr(sync_client, entry.python_name)
        assert isinstance(declared, (Operation, PagedOperation, StreamOperation))
        assert entry.paged == isinstance(declared, PagedOperation)
        assert entry.streamed == isinstance(declared, StreamOperation)
        info = declared.info
        assert (info.operation_id, info.method, info.path, info.version) == (
            entry.operation_id,
            entry.method,
            entry.path,
            entry.version,
        )
        assert entry.python_name.isascii()
        assert entry.python_name.replace(".", "_").isidentifier()


def test_deprecated_operations_are_generated_and_marked() -> None:
    import adyen_like
    import airflow_like

    adyen = {e.operation_id for e in adyen_like.catalog() if e.deprecated}
    assert {"post-donate", "post-createPermit", "post-disablePermit"} <= adyen
    assert sum(e.deprecated for e in airflow_like.catalog()) == 11


@pytest.mark.parametrize("package", sorted(VENDORS))
def test_importing_a_vendor_package_loads_no_generated_module(package: str) -> None:
    code = (
        f"import sys, {package}\n"
        f"loaded = [m for m in sys.modules if m.startswith(('{package}._generated',"
        f" '{package}.types'))]\n"
        "assert not loaded, loaded\n"
        "assert 'commonrest._client' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_resources_load_on_first_use() -> None:
    code = (
        "import sys\n"
        "from airflow_like import AirflowClient\n"
        "client = AirflowClient(base_url='http://af', token='t')\n"
        "assert not [m for m in sys.modules if m.startswith('airflow_like._generated.v')]\n"
        "client.v2.dags\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('airflow_like._generated.v')\n"
        "                or m.startswith('airflow_like.types.'))\n"
        # the models of the DAG resource only: its chunk and the one resources share
        "assert loaded == ['airflow_like._generated.v2', 'airflow_like._generated.v2._types',"
        " 'airflow_like._generated.v2._types.dags', 'airflow_like._generated.v2._types.shared',"
        " 'airflow_like._generated.v2.dags', 'airflow_like.types.v2'], loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_resources_are_cached_per_client_and_not_shared_by_copies() -> None:
    from airflow_like import AirflowClient

    client = AirflowClient(base_url="http://af", token="t")
    assert client.v1.dags is client.v1.dags
    copy = client.with_options(timeout=3)
    assert copy.v1.dags is not client.v1.dags
    assert copy.v1.dags._client is copy
