"""The ``deprecated`` flags of the vendor catalogs agree with the specs.

Checked twice: against the ``deprecated`` column of the operation inventories collected
with the vendor files (``../shared/specs/inventory/*.tsv``, skipped when that folder is not
there), and against the ``deprecated: true`` markers of the reduced specs in ``specs/``.
"""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import pytest

from codegen.config import VENDORS, Spec
from codegen.reduce import load
from commonrest import CatalogEntry

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT.parent / "shared" / "specs" / "inventory"

PACKAGES = [vendor.package for vendor in VENDORS]


def _specs_by_api(package: str) -> dict[str, Spec]:
    vendor = next(v for v in VENDORS if v.package == package)
    return {spec.api: spec for spec in vendor.specs if not spec.models_only}


def _catalog(package: str) -> list[CatalogEntry]:
    entries = importlib.import_module(package).catalog()
    assert entries
    return list(entries)


def _inventory(spec: Spec) -> dict[tuple[str, str, str], bool]:
    """(operationId, method, path) -> deprecated, from the spec's inventory file."""
    folder, name = spec.file.split("/")
    path = INVENTORY / f"{folder}-{name.rsplit('.', 1)[0]}.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert rows and {row["deprecated"] for row in rows} <= {"yes", "no"}
    return {(r["operationId"], r["method"], r["path"]): r["deprecated"] == "yes" for r in rows}


@pytest.mark.skipif(not INVENTORY.is_dir(), reason="../shared/specs/inventory is not there")
@pytest.mark.parametrize("package", PACKAGES)
def test_deprecated_flags_match_the_inventory(package: str) -> None:
    specs = _specs_by_api(package)
    inventories = {api: _inventory(spec) for api, spec in specs.items()}
    for entry in _catalog(package):
        key = (entry.operation_id, entry.method, entry.path)
        inventory = inventories[entry.api]
        assert key in inventory, key
        assert entry.deprecated == inventory[key], key


@pytest.mark.parametrize("package", PACKAGES)
def test_deprecated_flags_match_the_reduced_specs(package: str) -> None:
    specs = _specs_by_api(package)
    marked: dict[str, dict[tuple[str, str], bool]] = {}
    for api, spec in specs.items():
        paths = load(ROOT / "specs" / spec.file).get("paths") or {}
        marked[api] = {
            (method.upper(), path): bool(op.get("deprecated", False))
            for path, item in paths.items()
            for method, op in item.items()
            if isinstance(op, dict) and "responses" in op
        }
    entries = _catalog(package)
    assert len(entries) == sum(len(m) for m in marked.values())
    for entry in entries:
        assert entry.deprecated == marked[entry.api][(entry.method, entry.path)], entry


def test_some_operations_are_deprecated() -> None:
    """The checks above compare something: each flag value occurs."""
    flags = [entry.deprecated for package in PACKAGES for entry in _catalog(package)]
    assert len(flags) == 491
    assert 0 < sum(flags) < len(flags)
