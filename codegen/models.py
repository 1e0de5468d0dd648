"""Models: datamodel-code-generator does the schema work; we adjust its output to our base
classes.

Post-processing (on the syntax tree, so formatting does not matter):

- string enums subclass ``commonrest.models.StrEnum``;
- fields typed with an enum are typed ``OpenEnum[TheEnum]`` so unknown values survive;
- ``model_config`` with ``extra=...`` is dropped: :class:`commonrest.models.Model` keeps
  unknown fields, whatever ``additionalProperties`` says.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datamodel_code_generator.__main__ import main as dcg_main

from .spec import Document, dumps

DCG_OPTIONS = [
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--base-class=commonrest.models.Model",
    "--snake-case-field",
    "--remove-special-field-name-prefix",
    "--use-annotated",
    "--field-constraints",
    "--use-standard-collections",
    "--use-union-operator",
    "--target-python-version=3.10",
    "--target-pydantic-version=2.11",
    "--collapse-root-models",
    "--disable-timestamp",
    "--enum-field-as-literal=none",
    "--capitalise-enum-members",
    "--use-subclass-enum",
    "--output-datetime-class=datetime",
    "--no-formatters",
    "--disable-warnings",
    # the pydantic mypy plugin's __init__ has **kwargs: keep that name free
    '--aliases={"kwargs": "kwargs_"}',
    "--type-mappings",
    "string+uri=string",
    "string+uri-reference=string",
    "string+url=string",
    "string+email=string",
    "string+uuid=string",
    "string+UUID=string",
    "string+byte=string",
    "string+ipv4=string",
    "string+ipv6=string",
    "string+hostname=string",
    "string+json-pointer=string",
    "string+duration=string",
]


@dataclass
class ModelModule:
    source: str
    #: component schema name -> class name
    classes: dict[str, str]
    #: class names that are enums
    enums: set[str]
    #: class names that are root models (not pydantic BaseModel subclasses of Model)
    roots: set[str]
    #: class name -> {wire name: Python field name}
    fields: dict[str, dict[str, str]]
    #: every class name defined in the module
    names: set[str]


def run_datamodel_codegen(doc: Document, key: str) -> tuple[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{key}.json"
        src.write_text(dumps(doc), encoding="utf-8")
        out = Path(tmp) / "models.py"
        meta = Path(tmp) / "meta.json"
        args = [
            f"--input={src}",
            f"--output={out}",
            f"--emit-model-metadata={meta}",
            *DCG_OPTIONS,
        ]
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = dcg_main(args)
        if int(code) != 0:
            raise RuntimeError(f"datamodel-codegen failed for {key}: {err.getvalue()}")
        return out.read_text(encoding="utf-8"), json.loads(meta.read_text(encoding="utf-8"))


def _class_map(meta: dict[str, Any]) -> dict[str, str]:
    classes: dict[str, str] = {}
    for model in meta.get("models", []):
        path = model.get("source_path") or []
        if len(path) == 3 and path[0] == "components" and path[1] == "schemas":
            classes[path[2]] = model["class_name"]
    return classes


def _field_map(meta: dict[str, Any]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for model in meta.get("models", []):
        out[model["class_name"]] = {
            (f.get("original_name") or f.get("alias") or f["name"]): f["name"]
            for f in model.get("fields", [])
        }
    return out


def _base_names(cls: ast.ClassDef) -> list[str]:
    names = []
    for b in cls.bases:
        if isinstance(b, ast.Name):
            names.append(b.id)
        elif isinstance(b, ast.Attribute):
            names.append(b.attr)
        elif isinstance(b, ast.Subscript) and isinstance(b.value, ast.Name):
            names.append(b.value.id)
    return names


class _OpenEnums(ast.NodeTransformer):
    """Wrap enum names inside type expressions with ``OpenEnum[...]``."""

    def __init__(self, enums: set[str]) -> None:
        self.enums = enums
        self.used = False

    def wrap(self, node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Name) and node.id in self.enums:
            self.used = True
            return ast.Subscript(value=ast.Name("OpenEnum", ast.Load()), slice=node, ctx=ast.Load())
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            node.left = self.wrap(node.left)
            node.right = self.wrap(node.right)
            return node
        if isinstance(node, ast.Subscript):
            head = node.value
            head_name = head.id if isinstance(head, ast.Name) else ""
            if head_name == "Literal":
                return node
            if head_name == "Annotated" and isinstance(node.slice, ast.Tuple):
                elts = node.slice.elts
                node.slice.elts = [self.wrap(elts[0]), *elts[1:]]
                return node
            if isinstance(node.slice, ast.Tuple):
                node.slice.elts = [self.wrap(e) for e in node.slice.elts]
            else:
                node.slice = self.wrap(node.slice)
            return node
        return node


def _drop_examples(node: ast.expr) -> ast.expr:
    """``Annotated[T, Field(alias=..., examples=[...])]`` without the examples (vendor data
    that belongs to the spec, not to the code); ``Annotated[T, Field()]`` becomes ``T``."""
    if not (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        return node
    kept: list[ast.expr] = []
    for meta in node.slice.elts[1:]:
        if isinstance(meta, ast.Call) and getattr(meta.func, "id", "") == "Field":
            meta.keywords = [k for k in meta.keywords if k.arg != "examples"]
            if not meta.keywords and not meta.args:
                continue
        kept.append(meta)
    if not kept:
        return node.slice.elts[0]
    node.slice.elts = [node.slice.elts[0], *kept]
    return node


def postprocess(source: str, spec_file: str) -> tuple[str, set[str], set[str], set[str]]:
    tree = ast.parse(source)
    enums: set[str] = set()
    roots: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = _base_names(node)
            if "Enum" in bases or "IntEnum" in bases or "StrEnum" in bases:
                enums.add(node.name)
            if "RootModel" in bases:
                roots.add(node.name)
    wrapper = _OpenEnums(enums)
    uses_strenum = False
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if node.name in enums:
            for stmt in node.body:  # E741: ambiguous member names such as O (oxygen)
                target = stmt.targets[0] if isinstance(stmt, ast.Assign) else None
                if isinstance(target, ast.Name) and target.id in ("I", "O", "l"):
                    target.id += "_"
            bases = _base_names(node)
            if bases == ["str", "Enum"]:
                node.bases = [ast.Name("StrEnum", ast.Load())]
                uses_strenum = True
            continue
        # class bases such as RootModel[list[Status]]
        node.bases = [wrapper.wrap(b) for b in node.bases]
        body: list[ast.stmt] = []
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == "model_config"
                and isinstance(stmt.value, ast.Call)
            ):
                kws = [k for k in stmt.value.keywords if k.arg != "extra"]
                if not kws and not stmt.value.args:
                    continue
                stmt.value.keywords = kws
            if isinstance(stmt, ast.AnnAssign):
                stmt.annotation = wrapper.wrap(_drop_examples(stmt.annotation))
            body.append(stmt)
        node.body = body or [ast.Pass()]
    # imports: add ours; drop what is no longer used
    imports: list[ast.stmt] = []
    names = ["Model"]
    if wrapper.used:
        names.append("OpenEnum")
    if uses_strenum:
        names.append("StrEnum")
    rest: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "commonrest.models":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        else:
            rest.append(node)
    imports.append(
        ast.ImportFrom(
            module="commonrest.models",
            names=[ast.alias(n) for n in sorted(names)],
            level=0,
        )
    )
    tree.body = imports + rest
    code = ast.unparse(ast.fix_missing_locations(tree))
    header = (
        "# Generated by `python -m codegen`; do not edit.\n"
        f'"""Models of ``specs/{spec_file}``."""\n\n'
    )
    defined = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    return header + code + "\n", enums, roots, defined


def generate_models(doc: Document, key: str, spec_file: str) -> ModelModule:
    raw, meta = run_datamodel_codegen(doc, key)
    source, enums, roots, names = postprocess(raw, spec_file)
    return ModelModule(
        source=source,
        classes=_class_map(meta),
        enums=enums,
        roots=roots,
        fields=_field_map(meta),
        names=names,
    )
