"""Models: datamodel-code-generator does the schema work; we adjust its output to our base
classes.

Post-processing (on the syntax tree, so formatting does not matter):

- string enums subclass ``commonrest.declare.StrEnum``;
- fields typed with an enum are typed ``OpenEnum[TheEnum]`` so unknown values survive;
- ``model_config`` with ``extra=...`` is dropped: :class:`commonrest.Model` keeps
  unknown fields, whatever ``additionalProperties`` says;
- a root model around one value (an enum that allows null, a string with a length limit)
  becomes a type alias of that value, so a field holding it compares equal to the value;
- ``SecretStr`` becomes ``commonrest.Secret`` (hidden in reprs, sent as given).

Each spec gets two modules. ``models.py`` (public) is generated from the schemas made
lenient (``spec.make_lenient``): every field optional, no length, pattern or range checks,
so any response of roughly the right shape parses. ``_requests.py`` (private) is generated
from the schemas as the spec writes them, for the schemas request bodies reach, on
:class:`commonrest._models.RequestModel` (strict types, integer ranges from ``format``); the
pipeline validates every request body with it before sending.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datamodel_code_generator.__main__ import main as dcg_main

from .spec import Document, dumps, make_lenient, make_strict, referenced

DCG_OPTIONS = [
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
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
    #: ``_requests.py``: strict classes of the schemas request bodies reach ("" when none)
    requests_source: str = ""
    #: component schema name -> strict request class name
    request_classes: dict[str, str] = field(default_factory=dict)


def run_datamodel_codegen(doc: Document, key: str, base: str) -> tuple[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{key}.json"
        src.write_text(dumps(doc), encoding="utf-8")
        out = Path(tmp) / "models.py"
        meta = Path(tmp) / "meta.json"
        args = [
            f"--input={src}",
            f"--output={out}",
            f"--emit-model-metadata={meta}",
            f"--base-class=commonrest._models.{base}",
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

    def __init__(self, enums: set[str], values: dict[str, str] | None = None) -> None:
        self.enums = enums
        #: enum class -> the name of its field type (see ``_value_alias``), when used
        self.values = values or {}
        self.used = False

    def wrap(self, node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Name) and node.id in self.values:
            return ast.Name(self.values[node.id], ast.Load())
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


#: Names a one-value root model may hold and still become a plain alias of that value.
_SCALARS = frozenset(
    {"str", "int", "float", "bool", "None", "datetime", "date", "time", "Any", "Annotated"}
    | {"Field", "Literal", "OpenEnum", "SecretStr", "AwareDatetime", "NaiveDatetime"}
)


def _scalar_root(node: ast.ClassDef, enums: set[str]) -> ast.expr | None:
    """The type of a ``RootModel`` that wraps one scalar value (or an enum), else ``None``."""
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and getattr(stmt.target, "id", "") == "root":
            for sub in ast.walk(stmt.annotation):
                if isinstance(sub, ast.Name) and sub.id not in _SCALARS | enums:
                    return None
            return stmt.annotation
    return None


def _nullable(node: ast.expr) -> bool:
    if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "Annotated":
        return isinstance(node.slice, ast.Tuple) and _nullable(node.slice.elts[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _nullable(node.left) or _nullable(node.right)
    return isinstance(node, ast.Constant) and node.value is None


def _lenient_default(stmt: ast.AnnAssign) -> ast.expr:
    """The default of a field the generator left required in a lenient model: the tag of a
    tagged union (a one-value ``Literal``, which the union needs) defaults to its value;
    anything else becomes optional."""
    ann = stmt.annotation
    inner = ann.slice.elts[0] if _is_annotated(ann) else ann  # type: ignore[attr-defined]
    if (
        isinstance(inner, ast.Subscript)
        and getattr(inner.value, "id", "") == "Literal"
        and isinstance(inner.slice, ast.Constant)
    ):
        return ast.Constant(inner.slice.value)
    optional = ast.BinOp(left=inner, op=ast.BitOr(), right=ast.Constant(None))
    if _is_annotated(ann):
        ann.slice.elts[0] = optional  # type: ignore[attr-defined]
    else:
        stmt.annotation = optional
    return ast.Constant(None)


def _is_annotated(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and getattr(node.value, "id", "") == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    )


def _string_values(node: ast.ClassDef) -> list[str]:
    out = []
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
            if not isinstance(stmt.value.value, str):
                return []
            out.append(stmt.value.value)
    return out


def _value_alias(enum: str, alias: str, values: list[str]) -> ast.stmt:
    """``<Enum>Value``, the type of a field holding the enum: for type checkers the
    ``Literal`` of its known values (so ``state == "succeded"`` is a non-overlapping
    comparison under mypy's strict equality), at run time ``OpenEnum[<Enum>]`` (a member,
    equal to its wire string, or any other string the server sends)."""
    literal = "Literal[" + ", ".join(repr(v) for v in values) + "]"
    code = (
        "if TYPE_CHECKING:\n"
        f"    {alias}: TypeAlias = {literal}\n"
        "else:\n"
        f"    {alias}: TypeAlias = OpenEnum[{enum}]\n"
    )
    return ast.parse(code).body[0]


class _Secrets(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.expr:
        return ast.Name("Secret", node.ctx) if node.id == "SecretStr" else node


def postprocess(
    source: str, spec_file: str, *, strict: bool = False
) -> tuple[str, set[str], set[str], set[str]]:
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
    taken = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    literal_values: dict[str, list[str]] = {}
    if not strict:
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name in enums:
                values = _string_values(node)
                if values and node.name + "Value" not in taken:
                    literal_values[node.name] = values
    wrapper = _OpenEnums(enums, {e: e + "Value" for e in literal_values})
    if literal_values:
        wrapper.used = True
    secrets = _Secrets()
    uses_strenum = False
    uses_nullable = False
    out: list[ast.stmt] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            out.append(node)
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
            out.append(node)
            if node.name in literal_values:
                out.append(_value_alias(node.name, node.name + "Value", literal_values[node.name]))
            continue
        if node.name in roots:
            scalar = _scalar_root(node, enums)
            if scalar is not None:
                value = secrets.visit(wrapper.wrap(_drop_examples(scalar)))
                out.append(
                    ast.AnnAssign(
                        target=ast.Name(node.name, ast.Store()),
                        annotation=ast.Name("TypeAlias", ast.Load()),
                        value=value,
                        simple=1,
                    )
                )
                continue
        # class bases such as RootModel[list[Status]]
        node.bases = [wrapper.wrap(b) for b in node.bases]
        body: list[ast.stmt] = []
        nullable_required: list[str] = []
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
                stmt.annotation = secrets.visit(wrapper.wrap(_drop_examples(stmt.annotation)))
                name = getattr(stmt.target, "id", "")
                if not strict and stmt.value is None and name != "root":
                    stmt.value = _lenient_default(stmt)
                if strict and stmt.value is None and name != "root" and _nullable(stmt.annotation):
                    # required but nullable: the caller may leave it out; it is sent as null
                    stmt.value = ast.Constant(None)
                    nullable_required.append(name)
            body.append(stmt)
        if nullable_required:
            base_ids = [getattr(b, "id", "") for b in node.bases]
            if "RequestModel" in base_ids:
                node.bases[base_ids.index("RequestModel")] = ast.Name("NullableRequestModel")
            else:
                node.bases.append(ast.Name("NullableRequestModel"))
            uses_nullable = True
            body.insert(
                0,
                ast.AnnAssign(
                    target=ast.Name("__nullable_required__", ast.Store()),
                    annotation=ast.parse("ClassVar[tuple[str, ...]]", mode="eval").body,
                    value=ast.Tuple([ast.Constant(n) for n in nullable_required], ast.Load()),
                    simple=1,
                ),
            )
        node.body = body or [ast.Pass()]
        out.append(node)
    tree.body = out
    # imports: add ours; drop what is no longer used
    imports: list[ast.stmt] = [
        ast.ImportFrom(
            module="typing",
            names=[ast.alias(n) for n in ("TYPE_CHECKING", "ClassVar", "Literal", "TypeAlias")],
            level=0,
        )
    ]
    names = ["RequestModel" if strict else "Model", "Secret"]
    if wrapper.used:
        names.append("OpenEnum")
    if uses_strenum:
        names.append("StrEnum")
    if uses_nullable:
        names.append("NullableRequestModel")
    rest: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "commonrest._models":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        else:
            rest.append(node)
    imports.append(
        ast.ImportFrom(
            module="commonrest._models",
            names=[ast.alias(n) for n in sorted(names)],
            level=0,
        )
    )
    defined = {
        n.name if isinstance(n, ast.ClassDef) else n.target.id  # type: ignore[union-attr]
        for n in rest
        if isinstance(n, ast.ClassDef)
        or (isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name))
    } | {e + "Value" for e in literal_values}
    if not strict:
        # the public names, so ``from ... import *`` (the vendor's ``types`` modules)
        # re-exports exactly the models
        rest.append(
            ast.Assign(
                targets=[ast.Name("__all__", ast.Store())],
                value=ast.List([ast.Constant(n) for n in sorted(defined)], ast.Load()),
            )
        )
    tree.body = imports + rest
    code = ast.unparse(ast.fix_missing_locations(tree))
    if strict:
        doc = (
            f'"""Request-body validation classes of ``specs/{spec_file}``.\n\n'
            "The schemas that request bodies reach, as the spec writes them (required "
            'fields,\nlengths, patterns, ranges).\n"""'
        )
    else:
        doc = f'"""Models of ``specs/{spec_file}``."""'
    header = f"# Generated by `python -m codegen`; do not edit.\n{doc}\n\n"
    return header + code + "\n", enums, roots, defined


def _request_doc(doc: Document, bodies: list[Any]) -> Document | None:
    """A document holding only the schemas that request bodies reach, un-relaxed."""
    names = referenced(doc, bodies)
    if not names:
        return None
    schemas = {n: copy.deepcopy(s) for n, s in doc.schemas.items() if n in names}
    for schema in schemas.values():
        make_strict(schema)
    data = {k: v for k, v in doc.data.items() if k not in ("paths", "components", "webhooks")}
    data["paths"] = {}
    data["components"] = {"schemas": schemas}
    return Document(data)


def generate_models(doc: Document, key: str, spec_file: str, bodies: list[Any]) -> ModelModule:
    """The public (lenient) models of ``doc`` and the strict classes of the schemas that
    ``bodies`` (the request-body schemas) reach."""
    lenient = Document(copy.deepcopy(doc.data))
    for schema in lenient.schemas.values():
        make_lenient(schema)
    raw, meta = run_datamodel_codegen(lenient, key, "Model")
    source, enums, roots, names = postprocess(raw, spec_file)
    requests_source = ""
    request_classes: dict[str, str] = {}
    strict_doc = _request_doc(doc, bodies)
    if strict_doc is not None:
        raw, strict_meta = run_datamodel_codegen(strict_doc, key, "RequestModel")
        requests_source = postprocess(raw, spec_file, strict=True)[0]
        request_classes = _class_map(strict_meta)
    return ModelModule(
        source=source,
        requests_source=requests_source,
        request_classes=request_classes,
        classes=_class_map(meta),
        enums=enums,
        roots=roots,
        fields=_field_map(meta),
        names=names,
    )
