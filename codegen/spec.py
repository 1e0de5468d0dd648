"""Reading a reduced spec into operations, and preparing it for model generation.

Preparation moves every inline schema that needs a class (object bodies and responses,
string enums of parameters) into ``components/schemas`` under a name of our choosing, so
that datamodel-code-generator makes one class for it and the operation templates can refer
to that class by name.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .config import Spec
from .naming import BUILTINS, KEYWORDS, pascal, plural, safe, singular, snake

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# header parameters the core sets itself: content negotiation and idempotency keys
CORE_HEADERS = {"content-type", "accept", "idempotency-key"}


@dataclass
class Param:
    wire: str
    location: str  # path | query | header | cookie
    required: bool
    schema: dict[str, Any]
    py: str = ""


#: Media types of newline-delimited JSON (one JSON text per line).
NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


@dataclass
class Response:
    status: str
    content_type: str | None  # the one the SDK reads
    schema: dict[str, Any] | None
    content_types: tuple[str, ...] = ()  # every one the spec declares, in its order


@dataclass
class Operation:
    method: str  # upper case
    path: str
    operation_id: str
    tags: tuple[str, ...]
    deprecated: bool
    params: list[Param]
    body_schema: dict[str, Any] | None
    body_required: bool
    body_content_type: str | None
    responses: list[Response]
    raw: dict[str, Any]
    resource: str = ""  # attribute name of the resource
    name: str = ""  # Python method name
    credential: str = "default"
    read_only: bool = False
    skipped_headers: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


class Document:
    """A reduced OpenAPI document with ``$ref`` resolution."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def schemas(self) -> dict[str, Any]:
        comps = self.data.setdefault("components", {})
        return comps.setdefault("schemas", {})  # type: ignore[no-any-return]

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"external $ref not supported: {ref}")
            target: Any = self.data
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
        return node

    def operations(self) -> Iterator[Operation]:
        for path, item in (self.data.get("paths") or {}).items():
            item = self.resolve(item)
            common = [self.resolve(p) for p in item.get("parameters", [])]
            for method in HTTP_METHODS:
                op = item.get(method)
                if op is None:
                    continue
                params: dict[tuple[str, str], Param] = {}
                for p in [*common, *(self.resolve(p) for p in op.get("parameters", []))]:
                    params[(p["name"], p["in"])] = Param(
                        wire=p["name"],
                        location=p["in"],
                        required=bool(p.get("required", p["in"] == "path")),
                        schema=p.get("schema") or {},
                    )
                body_schema = None
                body_ct = None
                body_required = False
                if "requestBody" in op:
                    rb = self.resolve(op["requestBody"])
                    body_required = bool(rb.get("required", False))
                    content = rb.get("content") or {}
                    body_ct = _pick_content_type(content)
                    if body_ct is not None:
                        body_schema = content[body_ct].get("schema") or {}
                responses = []
                for status, resp in (op.get("responses") or {}).items():
                    resp = self.resolve(resp)
                    content = resp.get("content") or {}
                    ct = _pick_response_type(content)
                    schema = (content[ct].get("schema") or {}) if ct else None
                    responses.append(Response(str(status), ct, schema, tuple(content)))
                yield Operation(
                    method=method.upper(),
                    path=path,
                    operation_id=op.get("operationId") or f"{method}_{path}",
                    tags=tuple(op.get("tags") or ()),
                    deprecated=bool(op.get("deprecated", False)),
                    params=list(params.values()),
                    body_schema=body_schema,
                    body_required=body_required,
                    body_content_type=body_ct,
                    responses=responses,
                    raw=op,
                )


def _pick_response_type(content: dict[str, Any]) -> str | None:
    """The media type of a response the SDK reads: JSON with a schema, else NDJSON, else
    any JSON, else the first declared. An empty JSON schema next to NDJSON is what FastAPI
    writes for every route by default (Airflow's streaming ``wait``): the stream is the
    real body."""
    if not content:
        return None
    jsons = [ct for ct in content if is_json(ct)]
    for ct in jsons:
        if content[ct].get("schema"):
            return ct
    for ct in content:
        if ct in NDJSON_TYPES:
            return ct
    return jsons[0] if jsons else next(iter(content))


def _pick_content_type(content: dict[str, Any]) -> str | None:
    if not content:
        return None
    for ct in content:
        if ct == "application/json" or ct.endswith("+json"):
            return ct
    return next(iter(content))


# ---------------------------------------------------------------------------------------
# naming of resources and methods


def resource_name(spec: Spec, op: Operation) -> str:
    if spec.grouping == "single":
        return spec.resource
    tag = op.tags[0] if op.tags else "default"
    if tag in spec.tag_resources:
        return spec.tag_resources[tag]
    return plural(snake(tag))


def _common_prefix(lists: list[list[str]]) -> list[str]:
    if not lists:
        return []
    prefix = lists[0]
    for segs in lists[1:]:
        n = 0
        while n < min(len(prefix), len(segs)) and prefix[n] == segs[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def _segments(path: str) -> list[str]:
    segs = [s for s in path.strip("/").split("/") if s]
    if segs and re.fullmatch(r"v\d+", segs[0]):
        segs = segs[1:]
    return segs


#: Verbs of a path's last segment that read better first (``oauth_params/create`` ->
#: ``create_oauth_params``).
_PATH_VERBS = frozenset({"list", "get", "create", "update", "delete"})
#: Properties a collection response may carry besides its one array (totals, links, cursors).
_COLLECTION_META = frozenset(
    {"total_entries", "total_entries_limit", "next_cursor", "previous_cursor", "_links"}
)


def lists_collection(doc: Document, op: Operation) -> bool:
    """A GET that reads a collection: its first JSON success body is an array, or an
    object with one array and nothing else but totals, links or cursors (every paged
    operation's page is such an object)."""
    if op.method != "GET":
        return False
    for r in op.responses:
        if not r.status.startswith("2") or r.schema is None:
            continue
        schema = doc.resolve(r.schema)
        if not isinstance(schema, dict):
            return False
        if schema.get("type") == "array":
            return True
        props = _props(doc, schema)
        arrays = [k for k, v in props.items() if doc.resolve(v).get("type") == "array"]
        return len(arrays) == 1 and set(props) - set(arrays) <= _COLLECTION_META
    return False


def _props(doc: Document, schema: Any) -> dict[str, Any]:
    schema = doc.resolve(schema) if isinstance(schema, dict) else {}
    props: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        props.update(_props(doc, part))
    props.update(schema.get("properties") or {})
    return props


_QUALIFIERS = frozenset({"by", "for", "in", "under", "of", "from"})


def _is_plural(word: str) -> bool:
    return singular(word) != word


def as_list(name: str, lists: bool) -> str:
    """Listing operations say ``list``: ``get_all_transfers`` -> ``list_transfers``,
    ``get_notification_configuration_list`` -> ``list_notification_configurations`` and,
    where the operation reads a collection, ``get_task_instance_tries`` ->
    ``list_task_instance_tries`` (only when the name's object, before any ``by``/``for``
    qualifier, is a plural)."""
    tokens = name.split("_")
    if tokens[0] != "get" or len(tokens) < 2:
        return name
    if tokens[1] == "all" and len(tokens) > 2:
        return "_".join(["list", *tokens[2:]])
    if tokens[-1] == "list" and len(tokens) > 2:
        return "_".join(["list", *tokens[1:-2], plural(tokens[-2])])
    # the object is what comes before a qualifier (``get_dependencies_by_map_index``)
    cut = next((i for i, t in enumerate(tokens) if i > 1 and t in _QUALIFIERS), len(tokens))
    if lists and _is_plural(tokens[cut - 1]):
        return "_".join(["list", *tokens[1:]])
    return name


def _strip_noun(
    name: str, method: str, singular_noun: str, plural_noun: str, *, verb_first: bool
) -> tuple[str, bool]:
    """The name without the resource's noun, and whether the noun removed was the plural
    of an operation that is no listing (``clear_dag_runs`` -> ``clear``, which becomes
    ``clear_many`` when it meets ``clear_dag_run``)."""
    verb, _, rest = name.partition("_")
    if rest == plural_noun:
        if verb == "list" or (verb == "get" and method == "GET"):
            return "list", False
        if verb in ("post", "create"):
            return "create", False
        if verb == "bulk":
            return "bulk", False
        return verb, True
    if rest == singular_noun:
        direct = {
            "get": "get",
            "post": "create",
            "create": "create",
            "patch": "patch",
            "update": "update",
            "delete": "delete",
        }
        if verb in direct:
            return direct[verb], False
    tokens = name.split("_")
    # the first word of an operationId or x-methodName is its verb, even where it is
    # also the noun (``transfer_funds``, ``payout``)
    first = 1 if verb_first else 0
    for noun, many in ((plural_noun, True), (singular_noun, False)):
        nt = noun.split("_")
        for i in range(first, len(tokens) - len(nt) + 1):
            if tokens[i : i + len(nt)] == nt:
                rest_tokens = tokens[:i] + tokens[i + len(nt) :]
                if rest_tokens and rest_tokens != ["get"]:
                    return "_".join(rest_tokens), many and i + len(nt) == len(tokens)
    # ``source_definitions.grant_definition`` -> ``grant``: a two-word name that ends in
    # the last word of a compound noun
    head = singular_noun.split("_")
    if len(head) > 1 and len(tokens) == 2 and tokens[1] in (head[-1], plural(head[-1])):
        return tokens[0], False
    return name, False


def _usable(name: str) -> bool:
    return bool(name) and name not in KEYWORDS and not name[0].isdigit()


def assign_names(spec: Spec, ops: list[Operation], doc: Document | None = None) -> None:
    """Set ``resource`` and ``name`` of every operation; names are unique per resource.

    See docs/codegen.md, "Names": listing operations say ``list``, the resource's noun is
    not repeated, overrides come from ``spec.method_names``; where two names clash, the
    one that dropped a plural noun takes ``_many``, and if they still clash, both keep
    their full names.
    """
    doc = doc or Document({})
    by_resource: dict[str, list[Operation]] = {}
    for op in ops:
        op.resource = resource_name(spec, op)
        by_resource.setdefault(op.resource, []).append(op)
    for resource, group in by_resource.items():
        noun = singular(resource)
        nouns = spec.nouns.get(resource, (noun, plural(noun)))
        full: dict[int, str] = {}
        short: dict[int, str] = {}
        many: dict[int, str] = {}
        if spec.naming == "path":
            lists = [[s for s in _segments(op.path)] for op in group]
            prefix = _common_prefix(lists)
            for op, segs in zip(group, lists, strict=True):
                rest = [s for s in segs[len(prefix) :] if not s.startswith("{")]
                if not rest:
                    rest = [s for s in segs if not s.startswith("{")][-1:] or ["get"]
                if len(rest) > 1 and rest[-1] in _PATH_VERBS:
                    rest = [rest[-1], *rest[:-1]]
                name, _ = _strip_noun(snake("_".join(rest)), op.method, *nouns, verb_first=False)
                fallback, _ = _strip_noun(
                    snake(op.operation_id.rsplit(".", 1)[-1]), op.method, *nouns, verb_first=True
                )
                short[id(op)] = name if _usable(name) else fallback
                full[id(op)] = snake(op.operation_id.rsplit(".", 1)[-1])
        else:
            for op in group:
                if spec.naming == "x-methodName" and op.raw.get("x-methodName"):
                    base = snake(op.raw["x-methodName"])
                else:
                    base = snake(op.operation_id)
                full[id(op)] = base
                name = as_list(base, lists_collection(doc, op))
                stripped, plural_dropped = _strip_noun(name, op.method, *nouns, verb_first=True)
                short[id(op)] = stripped if _usable(stripped) else name
                if plural_dropped:
                    many[id(op)] = stripped + "_many"
        names = {id(op): spec.method_names.get(op.operation_id, short[id(op)]) for op in group}
        # where two operations end up with one name, the one that dropped a plural noun
        # takes ``_many`` (``clear`` and ``clear_many``); where that does not settle it,
        # both keep their full names
        tried_many = False
        while True:
            counts: dict[str, int] = {}
            for n in names.values():
                counts[n] = counts.get(n, 0) + 1
            clash = [i for i, n in names.items() if counts[n] > 1]
            if not clash:
                break
            changed = False
            if not tried_many:
                tried_many = True
                for i in clash:
                    if i in many and names[i] == short[i]:
                        names[i] = many[i]
                        changed = True
                if changed:
                    continue
            for i in clash:
                if names[i] != full[i]:
                    names[i] = full[i]
                    changed = True
            if not changed:
                raise ValueError(f"{spec.file}: method names clash in {resource}: {clash}")
        for op in group:
            name = names[id(op)]
            if name in KEYWORDS or name.startswith("_"):
                name = name.lstrip("_") + "_"
            op.name = name
            op.credential = spec.credentials.get(op.operation_id, spec.default_credential)
            op.read_only = is_read_only(spec, op)


_READ_VERBS = {
    # Airbyte's RPC API: get*/list*/search*/read*/check*, but not getOrCreate*
    "airbyte": re.compile(r"^(get|list|search|read|check)(?!OrCreate)"),
    # Adyen's classic RPC services: get*/list*/find*/retrieve*
    "adyen": re.compile(r"^(get|list|find|retrieve)[A-Z0-9]"),
}


def is_read_only(spec: Spec, op: Operation) -> bool:
    """Declared read-only: a POST that only reads (RPC APIs), so the core may retry it.

    The rule looks at the operation's verb: its ``operationId`` (Airbyte, without a
    ``webBackend`` prefix) or ``x-methodName`` (Adyen) starts with a reading verb, see
    ``_READ_VERBS``; ``Spec.read_only`` lists further operations by id. These return data
    or run a check; none creates, changes or deletes a stored object.
    """
    if op.method != "POST":
        return False
    if op.operation_id in spec.read_only:
        return True
    pattern = _READ_VERBS.get(spec.read_only_rule)
    if pattern is None:
        return False
    name = str(op.raw.get("x-methodName") or op.operation_id)
    if name.startswith("webBackend"):
        name = name[len("webBackend") :]
        name = name[:1].lower() + name[1:]
    return bool(pattern.match(name))


def assign_param_names(op: Operation) -> None:
    used = {"self", "body", "options"}
    segs = op.path.strip("/").split("/")
    for p in op.params:
        if p.location == "header" and p.wire.lower() in CORE_HEADERS:
            op.skipped_headers.append(p.wire)
            continue
        name = snake(p.wire)
        if p.location == "path" and name == "id":
            i = segs.index("{" + p.wire + "}")
            before = segs[i - 1] if i > 0 else "item"
            name = snake(singular(snake(before))) + "_id"
        if name in KEYWORDS or name in BUILTINS:
            name = safe(name)
        while name in used:
            name += "_"
        used.add(name)
        p.py = name
    op.params = [p for p in op.params if p.py]


# ---------------------------------------------------------------------------------------
# preparation for datamodel-code-generator


#: Names the generated models module imports; a hoisted schema must not take them.
RESERVED = frozenset(
    {"Model", "OpenEnum", "StrEnum", "Enum", "Field", "RootModel", "ConfigDict", "Any"}
    | {"Annotated", "Literal", "AwareDatetime", "datetime", "date", "timedelta"}
)


def _needs_class(schema: Any) -> bool:
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if "properties" in schema or "allOf" in schema:
        return True
    return any(_needs_class(s) for key in ("anyOf", "oneOf") for s in schema.get(key, []))


def _is_string_enum(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and "enum" in schema
        and "$ref" not in schema
        and all(isinstance(v, str) for v in schema["enum"] if v is not None)
        and len([v for v in schema["enum"] if v is not None]) > 0
    )


class Hoister:
    """Moves inline schemas into ``components/schemas``."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.enums: dict[tuple[str, ...], str] = {}
        for name, schema in doc.schemas.items():
            if _is_string_enum(schema) and "properties" not in schema:
                self.enums.setdefault(tuple(v for v in schema["enum"] if v is not None), name)

    def _free(self, name: str) -> str:
        base, n = name, 1
        while name in self.doc.schemas:
            n += 1
            name = f"{base}{n}"
        return name

    def add(self, name: str, schema: dict[str, Any]) -> dict[str, str]:
        name = self._free(name)
        self.doc.schemas[name] = copy.deepcopy(schema)
        return {"$ref": f"#/components/schemas/{name}"}

    def body(self, schema: dict[str, Any], name: str) -> dict[str, Any]:
        if _needs_class(schema):
            return self.add(name, schema)
        if isinstance(schema, dict) and schema.get("type") == "array":
            items = schema.get("items")
            if isinstance(items, dict) and _needs_class(items):
                return {**schema, "items": self.add(name + "Item", items)}
        return schema

    def enum(self, schema: dict[str, Any], name: str, fallback: str) -> dict[str, Any]:
        values = tuple(v for v in schema["enum"] if v is not None)
        known = self.enums.get(values)
        if known is None:
            if name in RESERVED or name in self.doc.schemas:
                name = fallback
            known = name if name not in self.doc.schemas else self._free(name)
            self.doc.schemas[known] = {"type": "string", "enum": list(values)}
            self.enums[values] = known
        ref: dict[str, Any] = {"$ref": f"#/components/schemas/{known}"}
        if None in schema["enum"]:
            return {"anyOf": [ref, {"type": "null"}]}
        return ref

    def param(self, schema: dict[str, Any], name: str, fallback: str) -> dict[str, Any]:
        """The parameter's schema with its string enums moved to components: named after
        the parameter, or after the operation and the parameter when that name is taken."""
        if _is_string_enum(schema):
            return self.enum(schema, name, fallback)
        out = dict(schema)
        if isinstance(out.get("items"), dict) and _is_string_enum(out["items"]):
            out["items"] = self.enum(out["items"], name, fallback)
        for key in ("anyOf", "oneOf"):
            if key in out:
                out[key] = [
                    self.enum(s, name, fallback) if _is_string_enum(s) else s for s in out[key]
                ]
        return out


def _rename_schemas(doc: Document) -> None:
    """Schemas named like a Python builtin (Airflow's ``ImportError``) get a ``Model``
    suffix, so no generated class shadows a builtin."""
    renames = {n: n + "Model" for n in doc.schemas if n in BUILTINS or n in KEYWORDS}
    if not renames:
        return
    schemas = doc.schemas
    for old, new in renames.items():
        schemas[new] = schemas.pop(old)
    prefix = "#/components/schemas/"

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix) :] in renames:
                node["$ref"] = prefix + renames[ref[len(prefix) :]]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc.data)


#: Schema keywords whose value is one schema, a list of schemas, or a map of name -> schema.
_SUBSCHEMA = ("items", "additionalProperties", "not", "contains", "propertyNames")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")


#: Checks a spec asks of values a client sends; a response is read without them.
_CONSTRAINTS = (
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)


def _subschemas(schema: dict[str, Any]) -> Iterator[Any]:
    for key in _SUBSCHEMA:
        yield schema.get(key)
    for key in _SUBSCHEMA_LISTS:
        yield from schema.get(key) or ()
    for key in _SUBSCHEMA_MAPS:
        yield from (schema.get(key) or {}).values()


def make_lenient(schema: Any) -> None:
    """Drop ``required`` lists, ``default`` values and value constraints (lengths, patterns,
    ranges) from a schema and every schema in it (in place), so each generated field is
    optional with the default ``None`` and any value of the right type is accepted."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("required"), list):
        del schema["required"]
    schema.pop("default", None)
    for key in _CONSTRAINTS:
        if key in schema and not isinstance(schema[key], dict):
            del schema[key]
    for sub in _subschemas(schema):
        make_lenient(sub)


#: The type of an int64 field in the lenient models (see :func:`mark_exact_integers`).
INT64_TYPE = "commonrest._models.Int64"


def mark_exact_integers(schema: Any) -> None:
    """Type every ``format: int64`` integer of a lenient schema (in place) as
    ``commonrest._models.Int64``: an int that keeps a bool or float as given rather than
    converting it, so the strict request check refuses it before sending (minor-unit
    amounts: ``True`` must not go out as ``1``, ``10.7`` not as an error of pydantic's)."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "integer" and schema.get("format") == "int64":
        schema["customTypePath"] = INT64_TYPE
    for sub in _subschemas(schema):
        mark_exact_integers(sub)


#: ``format`` -> the range a request value must stay in.
_INT_BOUNDS = {"int64": (-(2**63), 2**63 - 1), "int32": (-(2**31), 2**31 - 1)}


def make_strict(schema: Any) -> None:
    """Give sized integers (``format: int64``/``int32``) their range where the schema sets
    none (in place), so a request never carries a number the server cannot store."""
    if not isinstance(schema, dict):
        return
    bounds = _INT_BOUNDS.get(str(schema.get("format")))
    if bounds is not None and schema.get("type") == "integer":
        schema.setdefault("minimum", bounds[0])
        schema.setdefault("maximum", bounds[1])
    for sub in _subschemas(schema):
        make_strict(sub)


def referenced(doc: Document, roots: Iterable[Any]) -> set[str]:
    """Names of the component schemas that ``roots`` reach through ``$ref``."""
    prefix = "#/components/schemas/"
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix):
                name = ref[len(prefix) :]
                if name not in seen and name in doc.schemas:
                    seen.add(name)
                    stack.append(doc.schemas[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return seen


def apply_stated(spec: Spec, op: Operation, doc: Document) -> None:
    """Merge what ``spec.stated`` says of ``op``'s parameters into their schemas (into the
    items of an array), so declarations and docstrings carry it like any schema keyword."""
    stated = {**spec.stated.get("*", {}), **spec.stated.get(op.path, {})}
    for p in op.params:
        facts = stated.get(p.wire)
        if not facts:
            continue
        schema = dict(doc.resolve(p.schema))
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            schema["items"] = {**doc.resolve(schema["items"]), **facts}
        else:
            schema.update(facts)
        p.schema = schema


def prepare(spec: Spec, data: dict[str, Any]) -> tuple[Document, list[Operation]]:
    """Copy of the document with inline schemas hoisted, and its named operations."""
    doc = Document(copy.deepcopy(data))
    _rename_schemas(doc)
    if spec.lenient:
        for schema in doc.schemas.values():
            make_lenient(schema)
    if spec.models_only:
        return doc, []
    ops = list(doc.operations())
    if spec.stated:
        for op in ops:
            apply_stated(spec, op, doc)
    assign_names(spec, ops, doc)
    hoist = Hoister(doc)
    single = spec.grouping == "single"
    for op in ops:
        assign_param_names(op)
        stem = pascal(op.name) if single else pascal(op.resource) + pascal(op.name)
        for p in op.params:
            p.schema = hoist.param(p.schema, pascal(p.wire), stem + pascal(p.wire))
        if op.body_schema is not None:
            op.body_schema = hoist.body(op.body_schema, stem + "Request")
        first = True
        for r in op.responses:
            if r.schema is None:
                continue
            suffix = "Response" if first and r.status.startswith("2") else f"Response{r.status}"
            if r.status.startswith("2"):
                first = False
            r.schema = hoist.body(r.schema, stem + suffix)
    return doc, ops


def dumps(doc: Document) -> str:
    return json.dumps(doc.data, default=str, ensure_ascii=False)
