"""The core's modules import one another one way: no import cycles (counting imports made
only for type checking or inside functions), and nothing in ``commonrest`` imports a
vendor package."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import commonrest

VENDORS = ("adyen_like", "airflow_like", "airbyte_like", "amentum_like")


def _modules() -> dict[str, Path]:
    root = Path(commonrest.__file__).parent
    found = {"commonrest": root / "__init__.py"}
    for info in pkgutil.walk_packages([str(root)], prefix="commonrest."):
        path = root.joinpath(*info.name.split(".")[1:])
        found[info.name] = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, wherever the import statement is."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.add(target)
            out.update(f"{target}.{alias.name}" for alias in node.names)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    # a package's __init__ is its public facade: it re-exports what lies below it
    facades = {name for name, path in modules.items() if path.name == "__init__.py"}
    core = set(modules) - facades
    return {name: (_imports(name, modules[name]) & core) - {name} for name in sorted(core)}


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_walk_sees_every_layer() -> None:
    graph = _graph()
    assert {"commonrest._client", "commonrest._options", "commonrest.crest._client"} <= set(graph)
    assert "commonrest._calls" in graph["commonrest._pagination"]


def test_the_core_has_no_import_cycles() -> None:
    cycles = [sorted(c) for c in _cycles(_graph())]
    assert cycles == []


def test_the_cycles_the_issue_names_are_broken() -> None:
    graph = _graph()
    assert "commonrest._options" not in graph["commonrest._retry"]
    assert "commonrest._operations" not in graph["commonrest._pagination"]
    assert "commonrest._operations" not in graph["commonrest._arguments"]


def test_nothing_in_commonrest_imports_a_vendor_package() -> None:
    offenders = {
        name: sorted(i for i in _imports(name, path) if i.split(".")[0] in VENDORS)
        for name, path in _modules().items()
        if not name.startswith("commonrest.testing")
    }
    assert {name: found for name, found in offenders.items() if found} == {}
