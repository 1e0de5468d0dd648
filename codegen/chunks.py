"""Splitting a spec's models module into chunks loaded on first use.

pydantic builds every class of a module as the module is imported (about 0.3 ms a class
even with ``defer_build``), and a call needs only the models of its resource: the first
call of an Airflow v1 DAG list built 102 classes and used 20. So the generated models go
into private chunk modules (``_generated/<key>/_types/<chunk>.py``) and the public
module (``<vendor>/types/<key>.py``) loads a chunk the first time one of its names is
used. A chunk's classes report the public module as their ``__module__`` and are found in
its namespace, as if defined there (reprs, pickles and pydantic's own look-ups see one
module).

The chunks: one per resource module, with the definitions only that resource reaches;
``shared`` for those two or more resources reach; ``other`` for the rest (schemas no
operation uses, webhook payloads). A chunk imports only from chunks of a wider reach, so
they never import each other in a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

from .models import _defined, _forward_references

__all__ = ["split_models"]

SHARED = "shared"
OTHER = "other"


def _used(node: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def split_models(
    source: str,
    *,
    public: str,
    package: str,
    roots: Mapping[str, Iterable[str]],
    header: str,
) -> tuple[str, dict[str, str]]:
    """The public module and the chunk modules (name -> source) of the models module
    ``source``. ``public`` is the public module's dotted name, ``package`` the chunks'
    package, ``roots`` the names each resource module imports, ``header`` what opens
    every generated file."""
    tree = ast.parse(source)
    doc = ast.get_docstring(tree) or ""
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    body = [
        n
        for n in tree.body
        if _defined(n) and not (isinstance(n, ast.Assign) and _defined(n) == ["__all__"])
    ]
    owner = {name: i for i, node in enumerate(body) for name in _defined(node)}
    needs = [{owner[n] for n in _used(node) if n in owner} - {i} for i, node in enumerate(body)]

    reach: list[set[str]] = [set() for _ in body]
    for resource, names in roots.items():
        todo = [owner[n] for n in names if n in owner]
        seen: set[int] = set()
        while todo:
            i = todo.pop()
            if i not in seen:
                seen.add(i)
                todo.extend(needs[i])
        for i in seen:
            reach[i].add(resource)
    chunk_of = [next(iter(r)) if len(r) == 1 else SHARED if r else OTHER for r in reach]

    chunks: dict[str, str] = {}
    where: dict[str, str] = {}
    for chunk in sorted(set(chunk_of)):
        mine = [i for i, c in enumerate(chunk_of) if c == chunk]
        names = [n for i in mine for n in _defined(body[i])]
        where.update(dict.fromkeys(names, chunk))
        borrowed: dict[str, list[str]] = {}
        for i in mine:
            for j in sorted(needs[i]):
                if chunk_of[j] != chunk:
                    borrowed.setdefault(chunk_of[j], []).extend(_defined(body[j]))
        own_imports: list[ast.stmt] = list(imports)
        for other, items in sorted(borrowed.items()):
            own_imports.append(
                ast.ImportFrom(
                    module=other,
                    names=[ast.alias(n) for n in sorted(set(items))],
                    level=1,
                )
            )
        own_imports.append(
            ast.ImportFrom(module="commonrest._lazy", names=[ast.alias("adopt")], level=0)
        )
        adopt = ast.parse(f"adopt({public!r}, globals())").body
        own_body = [body[i] for i in mine]
        if not _forward_references(own_imports, own_body):
            own_imports = [
                n
                for n in own_imports
                if not (isinstance(n, ast.ImportFrom) and n.module == "__future__")
            ]
        module = ast.Module(body=[*own_imports, *own_body, *adopt], type_ignores=[])
        text = ast.unparse(ast.fix_missing_locations(module))
        chunk_doc = (
            f'"""Models of ``{public}`` that {_reach_text(chunk)}; loaded through that '
            'module, which they report as theirs."""'
        )
        chunks[chunk] = f"{header}\n{chunk_doc}\n\n{text}\n"

    names = sorted(where)
    lines = [header, f'"""{doc}\n"""', "", "from typing import TYPE_CHECKING", ""]
    lines.append("if TYPE_CHECKING:")
    for chunk in sorted(chunks):
        listed = ", ".join(f"{n} as {n}" for n in names if where[n] == chunk)
        lines.append(f"    from {package}.{chunk} import {listed}")
    lines += ["", f"__all__ = {names!r}", ""]
    lines.append("#: the package of this module's chunks, and the chunk of each name")
    lines.append(f"_CHUNKS = {package!r}")
    lines.append(f"_WHERE = {dict(sorted(where.items()))!r}")
    lines += [
        "",
        "if not TYPE_CHECKING:  # (for type checkers, the names above are all there is)",
        "    from commonrest._lazy import lazy_exports",
        "",
        "    __getattr__, __dir__ = lazy_exports("
        "__name__, globals(), _WHERE, __all__, base=_CHUNKS)",
        "",
    ]
    return "\n".join(lines), chunks


def _reach_text(chunk: str) -> str:
    if chunk == SHARED:
        return "several resources use"
    if chunk == OTHER:
        return "no resource uses (payloads, schemas of the spec no operation reaches)"
    return f"only the ``{chunk}`` resource uses"
