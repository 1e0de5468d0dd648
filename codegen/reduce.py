"""Rebuild ``specs/`` from the collected vendor files: structure only, no prose.

Kept: paths, methods, parameters, request bodies, responses, schemas, enums, examples,
servers, security schemes, tags (names only), ``deprecated`` flags and a few structural
vendor extensions. Removed: ``description``, ``summary``, ``title`` (except the API's own),
``externalDocs``, contact details, code samples and every other ``x-`` extension.
Operations carrying an excluded tag (``Spec.exclude_tags``) are dropped, together with the
components nothing else refers to any more.

The walk knows which keys hold maps of *names* (``properties``, ``paths``, ``responses``
...), whose keys are kept whatever they are called (a property named ``description``
stays), and which keys hold *data* (``example``, ``default``, ``enum`` ...), copied as is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from .config import SOURCE_SPECS, SPECS, VENDORS, Spec

PROSE = {"description", "summary", "title", "externalDocs", "termsOfService", "contact"}
KEEP_EXTENSIONS = {"x-methodName", "x-anyOf", "x-addedInVersion", "x-deprecatedInVersion"}
# keys whose value is a map of names -> objects
NAMED_MAPS = {
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "responses",
    "requestBodies",
    "headers",
    "content",
    "links",
    "callbacks",
    "encoding",
    "variables",
    "securitySchemes",
    "paths",
    "webhooks",
    "pathItems",
}
# keys whose value is data, copied verbatim
DATA = {"example", "default", "enum", "const", "value", "required", "mapping", "$ref"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _clean(node: Any, key: str | None = None) -> Any:
    """Strip prose from one OpenAPI object (``key`` is the key it sits under)."""
    if isinstance(node, list):
        return [_clean(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for k, v in node.items():
        k = str(k)
        if k in PROSE:
            continue
        if k.startswith("x-") and k not in KEEP_EXTENSIONS:
            continue
        if k in DATA:
            out[k] = v
        elif k == "examples":
            # OpenAPI: a map of Example objects; JSON Schema 2020-12: a list of values
            if isinstance(v, dict):
                out[k] = {str(n): _clean(ex) for n, ex in v.items()}
            else:
                out[k] = v
        elif k == "scopes" and isinstance(v, dict):
            out[k] = {str(n): "" for n in v}
        elif k == "components" and isinstance(v, dict):
            out[k] = {str(kind): _named(items) for kind, items in v.items()}
        elif isinstance(v, dict) and (k in NAMED_MAPS or k == "parameters"):
            # a map of names (``parameters`` is one in components, a list elsewhere)
            out[k] = _named(v)
        else:
            out[k] = _clean(v, k)
    return out


def _named(items: Any) -> Any:
    if not isinstance(items, dict):
        return _clean(items)
    return {str(name): _clean(value) for name, value in items.items()}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _prune_components(doc: dict[str, Any]) -> None:
    """Drop components that nothing outside ``components`` reaches any more."""
    components = doc.get("components") or {}
    roots = {k: v for k, v in doc.items() if k != "components"}
    seen: set[str] = set()
    todo = list(_refs(roots))
    while todo:
        ref = todo.pop()
        if ref in seen or not ref.startswith("#/components/"):
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        target = (components.get(kind) or {}).get(name)
        if target is not None:
            todo.extend(_refs(target))
    for kind, items in components.items():
        if kind == "securitySchemes" or not isinstance(items, dict):
            continue
        for name in list(items):
            if f"#/components/{kind}/{name}" not in seen:
                del items[name]


def _exclude(doc: dict[str, Any], tags: tuple[str, ...]) -> None:
    paths = doc.get("paths") or {}
    for path in list(paths):
        item = paths[path]
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is not None and set(op.get("tags") or ()) & set(tags):
                del item[method]
        if not any(m in item for m in HTTP_METHODS):
            del paths[path]
    used = {
        t for item in paths.values() for m in HTTP_METHODS for t in item.get(m, {}).get("tags", ())
    }
    if "tags" in doc:
        doc["tags"] = [t for t in doc["tags"] if t.get("name") in used]
    _prune_components(doc)


#: libyaml's loader when PyYAML has it (the same data, several times faster).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_YAML_LOADER)
    assert isinstance(data, dict)
    return data


def dump(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def reduce_spec(spec: Spec, source_root: Path = SOURCE_SPECS) -> dict[str, Any]:
    """The reduced document of one spec."""
    raw = load(source_root / spec.file)
    info = raw.get("info") or {}
    doc: dict[str, Any] = _clean(raw)
    doc["info"] = {k: info[k] for k in ("title", "version", "license") if k in info}
    if "tags" in doc:
        doc["tags"] = [{"name": t["name"]} for t in doc["tags"] if "name" in t]
    if spec.exclude_tags:
        _exclude(doc, spec.exclude_tags)
    return doc


def sources_markdown() -> str:
    lines = [
        "# Sources of the specs in this folder",
        "",
        "Each file here is a vendor spec reduced to structure by `python -m codegen reduce`",
        "(see `codegen/reduce.py`): prose (`description`, `summary`, titles, code samples,",
        "contact details) is removed; paths, parameters, bodies, responses, schemas, enums,",
        "examples, servers and security schemes are kept. The reduction reads the collected",
        "files in `../shared/specs` (described in its README); run it again when a vendor",
        "publishes a new version and commit the result together with the regenerated code.",
        "",
        "| File | Origin | Version or commit | Licence | Reduction |",
        "|---|---|---|---|---|",
    ]
    for vendor in VENDORS:
        for spec in vendor.specs:
            note = "prose removed"
            if spec.exclude_tags:
                tags = ", ".join(f"`{t}`" for t in spec.exclude_tags)
                note += f"; operations tagged {tags} and the components only they used removed"
            lines.append(
                f"| `{spec.file}` | {spec.origin} | {spec.revision} | {spec.licence} | {note} |"
            )
    lines.append("")
    return "\n".join(lines)


def run(source_root: Path = SOURCE_SPECS, target: Path = SPECS) -> list[Path]:
    written = []
    for vendor in VENDORS:
        for spec in vendor.specs:
            out = target / spec.file
            dump(reduce_spec(spec, source_root), out)
            written.append(out)
    (target / "SOURCES.md").write_text(sources_markdown(), encoding="utf-8")
    written.append(target / "SOURCES.md")
    return written
