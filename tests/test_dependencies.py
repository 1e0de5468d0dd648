"""The distribution declares what its packages import, and imports what it declares."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("commonrest", "adyen_like", "airflow_like", "airbyte_like", "amentum_like")


def _declared(section: str) -> set[str]:
    """Distribution names in a ``[project]`` list (``dependencies = [...]``) or extra."""
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(rf"^{re.escape(section)} = \[(.*?)^\]", text, re.S | re.M)
    assert block is not None, section
    names = re.findall(r'^\s*"([A-Za-z0-9_.-]+)', block.group(1), re.M)
    return {name.lower().replace("_", "-") for name in names}


def _extras() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text()
    extras = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    names = re.findall(r'"([A-Za-z0-9_.-]+)[<>=!~ ]', extras)
    return {name.lower().replace("_", "-") for name in names}


def _imported() -> set[str]:
    """Top-level modules imported anywhere in the shipped packages (also lazily)."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - set(PACKAGES)


def _distributions(modules: set[str]) -> set[str]:
    owners = packages_distributions()
    known = _declared("dependencies") | _extras()
    found: set[str] = set()
    for module in modules:
        # Python 3.10 maps only distributions that ship top_level.txt: otherwise the module
        # is its distribution's name, or (a namespace package: opentelemetry) its prefix.
        name = module.lower().replace("_", "-")
        dists = owners.get(module) or (
            [name] if name in known else [d for d in known if d.startswith(f"{name}-")] or [name]
        )
        found.update(dist.lower().replace("_", "-") for dist in dists)
    return found


def test_every_third_party_import_is_a_declared_dependency_or_extra() -> None:
    undeclared = _distributions(_imported()) - _declared("dependencies") - _extras()
    assert undeclared == set()


def test_every_declared_dependency_is_imported() -> None:
    unused = _declared("dependencies") - _distributions(_imported())
    assert unused == set()
