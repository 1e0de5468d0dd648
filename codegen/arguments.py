"""The parameter declarations of generated operations (``params=(Parameter(...), ...)``).

Each path, query and header parameter becomes one :class:`commonrest._arguments.Parameter`
holding what its schema states: type, format, bounds, enum values, string lengths and
pattern, items of an array, whether ``null`` is allowed. Only facts the schema structure
gives are carried over; a schema this module cannot read (a union of two types, say) is
declared without a type, so the core checks nothing it was not told.
"""

from __future__ import annotations

import re
from typing import Any

from .spec import Document, Param

#: Header names whose values are credentials: never shown in an error message.
_SECRET_HEADER = re.compile(r"token|secret|password|passwd|key|auth|cookie|session", re.I)
_TYPES = ("string", "integer", "number", "boolean", "array")


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return _q(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return repr(value)
    raise ValueError(f"unsupported enum value {value!r}")


def _facts(doc: Document, schema: Any, depth: int = 0) -> tuple[dict[str, str], bool]:
    """The declaration's keyword arguments for ``schema`` and whether it allows null."""
    schema = doc.resolve(schema)
    if not isinstance(schema, dict) or depth > 5:
        return {}, False
    nullable = False
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [doc.resolve(s) for s in schema[key]]
            rest = [s for s in options if not (isinstance(s, dict) and s.get("type") == "null")]
            nullable = len(rest) < len(options)
            if len(rest) != 1:
                return {}, nullable
            inner, inner_null = _facts(doc, rest[0], depth + 1)
            return inner, nullable or inner_null
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _facts(doc, schema["allOf"][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        nullable = "null" in kind
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    nullable = nullable or bool(schema.get("nullable"))
    if kind is None and ("enum" in schema or "const" in schema):
        values = schema.get("enum", [schema.get("const")])
        if all(isinstance(v, str) for v in values if v is not None):
            kind = "string"
    facts: dict[str, str] = {}
    if kind not in _TYPES:
        return facts, nullable
    facts["type"] = _q(kind)
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt:
        facts["format"] = _q(fmt)
    if kind in ("integer", "number"):
        for key, name in (("minimum", "minimum"), ("maximum", "maximum")):
            if isinstance(schema.get(key), (int, float)) and not isinstance(schema[key], bool):
                facts[name] = repr(schema[key])
        for key, bound, name in (
            ("exclusiveMinimum", "minimum", "exclusive_minimum"),
            ("exclusiveMaximum", "maximum", "exclusive_maximum"),
        ):
            value = schema.get(key)
            if value is True and bound in facts:  # OpenAPI 3.0: a flag on the bound
                facts[name] = facts.pop(bound)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                facts[name] = repr(value)  # OpenAPI 3.1: the bound itself
    if kind == "string":
        for key, name in (("minLength", "min_length"), ("maxLength", "max_length")):
            if isinstance(schema.get(key), int) and not isinstance(schema[key], bool):
                facts[name] = repr(schema[key])
        if isinstance(schema.get("pattern"), str):
            facts["pattern"] = _q(schema["pattern"])
    values = (
        schema["enum"] if "enum" in schema else [schema["const"]] if "const" in schema else None
    )
    if values is not None:
        if None in values:
            nullable = True
        listed = [v for v in values if v is not None]
        if listed:
            facts["enum"] = "(" + "".join(f"{_literal(v)}, " for v in listed) + ")"
    if kind == "array" and isinstance(schema.get("items"), dict):
        item, _ = _facts(doc, schema["items"], depth + 1)
        if item:
            facts["items"] = (
                'Parameter("item", ' + ", ".join(f"{k}={v}" for k, v in item.items()) + ")"
            )
    return facts, nullable


def declaration(doc: Document, p: Param) -> str:
    """The ``Parameter(...)`` expression declaring ``p``."""
    args = [_q(p.py)]
    if p.location != "query":
        args.append(_q(p.location))
    if p.wire != p.py:
        args.append(f"wire={_q(p.wire)}")
    if p.required:
        args.append("required=True")
    facts, nullable = _facts(doc, p.schema)
    args += [f"{k}={v}" for k, v in facts.items()]
    if nullable:
        args.append("nullable=True")
    fmt = doc.resolve(p.schema).get("format") if isinstance(p.schema, dict) else None
    if p.location == "header" and (_SECRET_HEADER.search(p.wire) or fmt == "password"):
        args.append("secret=True")
    return "Parameter(" + ", ".join(args) + ")"
