"""Common REST API descriptors (``?_crestapi``) as a small typed structure.

A descriptor lists *services* (what a resource provider can do: verbs, queries, actions,
item operations, sub-resources) and *paths* mapping each endpoint and version to a
service. :func:`parse_descriptor` reads one; :meth:`ApiDescriptor.endpoints` flattens it
into concrete endpoints (``/users``, ``/users/{id}``, ``/users/{userId}/devices``...) with
what each offers; :meth:`ApiDescriptor.summary` prints that as text.

``$ref`` links inside the document are followed. Links to other documents (such as
``frapi:common#/errors/badRequest``) are followed when the referenced document is passed
in ``registry``, keyed by its ``id``; otherwise the error is kept with ``code=None``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias, Union

from .._errors import CommonRestError

__all__ = [
    "VERBS",
    "ActionInfo",
    "ApiDescriptor",
    "DescriptorError",
    "Endpoint",
    "ErrorInfo",
    "ItemsInfo",
    "Parameter",
    "QueryInfo",
    "ServiceInfo",
    "Verb",
    "VerbInfo",
    "parse_descriptor",
]


class DescriptorError(CommonRestError, ValueError):
    """A ``?_crestapi`` descriptor that cannot be read: not JSON, not of the documented
    shape, or naming services it does not define."""


Verb: TypeAlias = Literal["create", "read", "update", "delete", "patch"]

#: The verbs a descriptor can declare directly (queries and actions are listed apart).
VERBS: Final[tuple[Verb, ...]] = ("create", "read", "update", "delete", "patch")

_Json: TypeAlias = Mapping[str, Any]
_Registry: TypeAlias = Mapping[str, Union[_Json, "ApiDescriptor"]]


@dataclass(frozen=True)
class ErrorInfo:
    """An error a request may end with: HTTP ``code``, description, and the ``$ref`` used."""

    code: int | None
    description: str | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Parameter:
    """A request parameter: from the path (``PATH``) or the query string (``ADDITIONAL``)."""

    name: str
    type: str | None = None
    source: str | None = None
    required: bool = False
    description: str | None = None
    enum: tuple[Any, ...] = ()


@dataclass(frozen=True)
class VerbInfo:
    """One of create, read, update, delete or patch, with its details."""

    verb: Verb
    description: str | None = None
    stability: str | None = None
    errors: tuple[ErrorInfo, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    supported_locales: tuple[str, ...] = ()
    #: create only: ``ID_FROM_SERVER`` (POST ?_action=create) or ``ID_FROM_CLIENT`` (PUT).
    mode: str | None = None
    #: create only: whether the created resource is a singleton.
    singleton: bool | None = None
    #: patch only: the patch operations supported (``ADD``, ``REMOVE``...).
    patch_operations: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionInfo:
    """A named action (``POST ?_action=<name>``) with its parameters and body schemas."""

    name: str
    description: str | None = None
    stability: str | None = None
    parameters: tuple[Parameter, ...] = ()
    request: _Json | None = None
    response: _Json | None = None
    errors: tuple[ErrorInfo, ...] = ()


@dataclass(frozen=True)
class QueryInfo:
    """A supported query: ``FILTER`` (``_queryFilter``), ``ID`` (``_queryId``) or ``EXPRESSION``."""

    type: str
    query_id: str | None = None
    description: str | None = None
    stability: str | None = None
    queryable_fields: tuple[str, ...] = ()
    paging_modes: tuple[str, ...] = ()
    count_policies: tuple[str, ...] = ()
    supported_sort_keys: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    errors: tuple[ErrorInfo, ...] = ()


@dataclass(frozen=True)
class ItemsInfo:
    """What can be done on one member of a collection (``/coll/{id}``)."""

    path_parameter: Parameter | None
    verbs: Mapping[str, VerbInfo] = field(default_factory=dict)
    actions: tuple[ActionInfo, ...] = ()
    subresources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceInfo:
    """A resource provider as the descriptor declares it."""

    name: str
    description: str | None = None
    mvcc_supported: bool = False
    resource_schema: _Json | None = None
    verbs: Mapping[str, VerbInfo] = field(default_factory=dict)
    queries: tuple[QueryInfo, ...] = ()
    actions: tuple[ActionInfo, ...] = ()
    items: ItemsInfo | None = None
    parameters: tuple[Parameter, ...] = ()
    subresources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    """A concrete path (template) and what it offers."""

    path: str
    version: str
    service: str
    kind: Literal["collection", "item", "resource"]
    verbs: tuple[Verb, ...] = ()
    queries: tuple[QueryInfo, ...] = ()
    actions: tuple[ActionInfo, ...] = ()
    mvcc_supported: bool = False
    verb_details: Mapping[str, VerbInfo] = field(default_factory=dict)

    @property
    def action_names(self) -> tuple[str, ...]:
        """The names of the actions, in declaration order."""
        return tuple(a.name for a in self.actions)

    def describe(self) -> str:
        """One line: path, version and what can be done there."""
        offers: list[str] = []
        for verb in self.verbs:
            info = self.verb_details.get(verb)
            if verb == "create" and info is not None and info.mode:
                offers.append(f"create({info.mode})")
            elif verb == "patch" and info is not None and info.patch_operations:
                offers.append(f"patch[{','.join(info.patch_operations)}]")
            else:
                offers.append(verb)
        for q in self.queries:
            offers.append(f"query:{q.type}" + (f"={q.query_id}" if q.query_id else ""))
        for a in self.actions:
            offers.append(f"action:{a.name}")
        return f"{self.path} (v{self.version}): {', '.join(offers) or 'nothing'}"


@dataclass(frozen=True)
class ApiDescriptor:
    """A parsed ``?_crestapi`` document."""

    id: str | None
    version: str | None
    description: str | None
    services: Mapping[str, ServiceInfo]
    #: endpoint path -> API version -> service name
    paths: Mapping[str, Mapping[str, str]]
    errors: Mapping[str, ErrorInfo] = field(default_factory=dict)
    definitions: _Json = field(default_factory=dict)

    def endpoints(self, *, version: str | None = None) -> list[Endpoint]:
        """Every endpoint, collection then items then sub-resources, for each path."""
        out: list[Endpoint] = []
        for path, versions in self.paths.items():
            for ver, service_name in versions.items():
                if version is None or ver == version:
                    self._expand(path, ver, service_name, out, depth=0)
        return out

    def endpoint(self, path: str, *, version: str | None = None) -> Endpoint:
        """The endpoint at ``path`` (a template such as ``/users/{id}``); newest version
        wins when ``version`` is not given. ``KeyError`` when there is none."""
        matches = [e for e in self.endpoints(version=version) if e.path == path]
        if not matches:
            known = ", ".join(sorted({e.path for e in self.endpoints()}))
            raise KeyError(f"no endpoint {path!r} in this descriptor (known: {known})")
        return max(matches, key=lambda e: _version_key(e.version))

    def service(self, name: str) -> ServiceInfo:
        """The service called ``name`` (``"users:1.0"``)."""
        return self.services[name]

    def summary(self) -> str:
        """All endpoints, one per line."""
        return "\n".join(e.describe() for e in self.endpoints())

    def definition(self, ref: str | _Json) -> _Json | None:
        """A schema from ``definitions``, given ``#/definitions/x``, ``{"$ref": ...}`` or a
        name; inline schemas are returned as they are."""
        if isinstance(ref, Mapping):
            target = ref.get("$ref")
            if not isinstance(target, str):
                return ref
            ref = target
        name = ref.split("#/definitions/", 1)[1] if "#/definitions/" in ref else ref
        found = self.definitions.get(name)
        return found if isinstance(found, Mapping) else None

    def _expand(
        self, path: str, version: str, service_name: str, out: list[Endpoint], depth: int
    ) -> None:
        service = self.services.get(service_name)
        if service is None or depth > 8:
            return
        collection_verbs = tuple(v for v in VERBS if v in service.verbs)
        kind: Literal["collection", "resource"] = (
            "collection" if service.items is not None or service.queries else "resource"
        )
        out.append(
            Endpoint(
                path=path,
                version=version,
                service=service_name,
                kind=kind,
                verbs=collection_verbs,
                queries=service.queries,
                actions=service.actions,
                mvcc_supported=service.mvcc_supported,
                verb_details=service.verbs,
            )
        )
        items = service.items
        if items is not None:
            param = items.path_parameter.name if items.path_parameter else "id"
            item_path = f"{path.rstrip('/')}/{{{param}}}"
            out.append(
                Endpoint(
                    path=item_path,
                    version=version,
                    service=service_name,
                    kind="item",
                    verbs=tuple(v for v in VERBS if v in items.verbs),
                    actions=items.actions,
                    mvcc_supported=service.mvcc_supported,
                    verb_details=items.verbs,
                )
            )
            for sub, target in items.subresources.items():
                self._expand(item_path.rstrip("/") + _slash(sub), version, target, out, depth + 1)
        for sub, target in service.subresources.items():
            self._expand(path.rstrip("/") + _slash(sub), version, target, out, depth + 1)


def _slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


# -------------------------------------------------------------------------- parsing


class _Reader:
    def __init__(self, doc: _Json, registry: _Registry) -> None:
        self.doc = doc
        self.registry = registry
        self.inline_services: dict[str, ServiceInfo] = {}

    def lookup(self, ref: str) -> Any:
        """Follow a ``[document]#/a/b`` reference; ``None`` when it cannot be followed."""
        doc_id, _, fragment = ref.partition("#")
        if doc_id and doc_id != self.doc.get("id"):
            other = self.registry.get(doc_id)
            if other is None:
                return None
            base: Any = _raw(other)
        else:
            base = self.doc
        for part in fragment.split("/"):
            if not part:
                continue
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(base, Mapping) or part not in base:
                return None
            base = base[part]
        return base

    def error(self, data: Any) -> ErrorInfo:
        if isinstance(data, Mapping) and isinstance(data.get("$ref"), str):
            ref = data["$ref"]
            target = self.lookup(ref)
            if isinstance(target, Mapping):
                return ErrorInfo(_int(target.get("code")), _str(target.get("description")), ref)
            return ErrorInfo(None, None, ref)
        if isinstance(data, Mapping):
            return ErrorInfo(_int(data.get("code")), _str(data.get("description")))
        raise DescriptorError(f"descriptor error entry must be an object, got {data!r}")

    def errors(self, data: Any) -> tuple[ErrorInfo, ...]:
        return tuple(self.error(e) for e in _list(data))

    def parameter(self, data: Any) -> Parameter:
        if not isinstance(data, Mapping) or not isinstance(data.get("name"), str):
            raise DescriptorError(
                f"descriptor parameter must be an object with a name, got {data!r}"
            )
        return Parameter(
            name=data["name"],
            type=_str(data.get("type")),
            source=_str(data.get("source")),
            required=bool(data.get("required", False)),
            description=_str(data.get("description")),
            enum=tuple(_list(data.get("enum"))),
        )

    def parameters(self, data: Any) -> tuple[Parameter, ...]:
        return tuple(self.parameter(p) for p in _list(data))

    def verb(self, verb: Verb, data: Any) -> VerbInfo:
        data = data if isinstance(data, Mapping) else {}
        singleton = data.get("singleton")
        return VerbInfo(
            verb=verb,
            description=_str(data.get("description")),
            stability=_str(data.get("stability")),
            errors=self.errors(data.get("errors")),
            parameters=self.parameters(data.get("parameters")),
            supported_locales=tuple(str(x) for x in _list(data.get("supportedLocales"))),
            mode=_str(data.get("mode")),
            singleton=singleton if isinstance(singleton, bool) else None,
            patch_operations=tuple(str(x).upper() for x in _list(data.get("operations"))),
        )

    def verbs(self, data: _Json) -> dict[str, VerbInfo]:
        return {v: self.verb(v, data[v]) for v in VERBS if v in data}

    def action(self, data: Any) -> ActionInfo:
        if not isinstance(data, Mapping) or not isinstance(data.get("name"), str):
            raise DescriptorError(f"descriptor action must be an object with a name, got {data!r}")
        request = data.get("request")
        response = data.get("response")
        return ActionInfo(
            name=data["name"],
            description=_str(data.get("description")),
            stability=_str(data.get("stability")),
            parameters=self.parameters(data.get("parameters")),
            request=request if isinstance(request, Mapping) else None,
            response=response if isinstance(response, Mapping) else None,
            errors=self.errors(data.get("errors")),
        )

    def query(self, data: Any) -> QueryInfo:
        if not isinstance(data, Mapping) or not isinstance(data.get("type"), str):
            raise DescriptorError(f"descriptor query must be an object with a type, got {data!r}")
        return QueryInfo(
            type=data["type"].upper(),
            query_id=_str(data.get("queryId")),
            description=_str(data.get("description")),
            stability=_str(data.get("stability")),
            queryable_fields=tuple(str(x) for x in _list(data.get("queryableFields"))),
            paging_modes=tuple(str(x).upper() for x in _list(data.get("pagingModes"))),
            count_policies=tuple(str(x).upper() for x in _list(data.get("countPolicies"))),
            supported_sort_keys=tuple(str(x) for x in _list(data.get("supportedSortKeys"))),
            parameters=self.parameters(data.get("parameters")),
            errors=self.errors(data.get("errors")),
        )

    def service_ref(self, data: Any, fallback_name: str) -> str:
        """The service name a ``{"$ref": "#/services/x"}`` points to, or an inline one's."""
        ref = data.get("$ref") if isinstance(data, Mapping) else None
        if isinstance(ref, str):
            marker = "#/services/"
            if marker in ref and not ref.split("#", 1)[0]:
                return ref.split(marker, 1)[1]
            target = self.lookup(ref)
            if isinstance(target, Mapping):
                self.inline_services[ref] = self.service(ref, target)
                return ref
            raise DescriptorError(f"descriptor reference {ref!r} cannot be followed")
        if isinstance(data, Mapping):
            self.inline_services[fallback_name] = self.service(fallback_name, data)
            return fallback_name
        raise DescriptorError(f"descriptor service must be an object, got {data!r}")

    def items(self, data: Any, owner: str) -> ItemsInfo:
        data = data if isinstance(data, Mapping) else {}
        pp = data.get("pathParameter")
        return ItemsInfo(
            path_parameter=self.parameter(pp) if pp is not None else None,
            verbs=self.verbs(data),
            actions=tuple(self.action(a) for a in _list(data.get("actions"))),
            subresources=self.subresources(data.get("subresources"), f"{owner}/items"),
        )

    def subresources(self, data: Any, owner: str) -> dict[str, str]:
        if not isinstance(data, Mapping):
            return {}
        return {
            str(path): self.service_ref(target, f"{owner}{path}") for path, target in data.items()
        }

    def service(self, name: str, data: Any) -> ServiceInfo:
        if not isinstance(data, Mapping):
            raise DescriptorError(f"descriptor service {name!r} must be an object, got {data!r}")
        schema = data.get("resourceSchema")
        items = data.get("items")
        return ServiceInfo(
            name=name,
            description=_str(data.get("description")),
            mvcc_supported=bool(data.get("mvccSupported", False)),
            resource_schema=schema if isinstance(schema, Mapping) else None,
            verbs=self.verbs(data),
            queries=tuple(self.query(q) for q in _list(data.get("queries"))),
            actions=tuple(self.action(a) for a in _list(data.get("actions"))),
            items=self.items(items, name) if items is not None else None,
            parameters=self.parameters(data.get("parameters")),
            subresources=self.subresources(data.get("subresources"), name),
        )


def _raw(value: _Json | ApiDescriptor) -> Any:
    if isinstance(value, ApiDescriptor):
        return {
            "id": value.id,
            "errors": {
                k: {"code": e.code, "description": e.description} for k, e in value.errors.items()
            },
            "definitions": value.definitions,
        }
    return value


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise DescriptorError(f"descriptor: expected a JSON array, got {value!r}")


def parse_descriptor(
    data: _Json | str | bytes, *, registry: Iterable[_Json | ApiDescriptor] = ()
) -> ApiDescriptor:
    """Parse a ``?_crestapi`` descriptor (a mapping or JSON text).

    ``registry`` holds other descriptors (raw or parsed) that ``$ref`` links may name by
    their ``id``, such as the shared ``frapi:common`` error list. Raises :class:`DescriptorError`
    (a ``ValueError``) when the document is not a descriptor.
    """
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise DescriptorError(f"descriptor is not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise DescriptorError(f"descriptor must be a JSON object, got {type(data).__name__}")
    reg: dict[str, _Json | ApiDescriptor] = {}
    for entry in registry:
        entry_id = entry.id if isinstance(entry, ApiDescriptor) else entry.get("id")
        if not isinstance(entry_id, str):
            raise DescriptorError("every registry descriptor needs a string 'id'")
        reg[entry_id] = entry
    reader = _Reader(data, reg)

    raw_errors = data.get("errors", {})
    if not isinstance(raw_errors, Mapping):
        raise DescriptorError("descriptor 'errors' must be an object")
    errors = {str(k): reader.error(v) for k, v in raw_errors.items()}

    raw_services = data.get("services", {})
    if not isinstance(raw_services, Mapping):
        raise DescriptorError("descriptor 'services' must be an object")
    services = {str(k): reader.service(str(k), v) for k, v in raw_services.items()}

    raw_paths = data.get("paths", {})
    if not isinstance(raw_paths, Mapping):
        raise DescriptorError("descriptor 'paths' must be an object")
    paths: dict[str, dict[str, str]] = {}
    for path, versions in raw_paths.items():
        if not isinstance(versions, Mapping):
            raise DescriptorError(f"descriptor path {path!r} must map versions to services")
        paths[str(path)] = {
            str(ver): reader.service_ref(target, f"{path}:{ver}")
            for ver, target in versions.items()
        }
    services.update(reader.inline_services)
    referenced = [name for versions in paths.values() for name in versions.values()]
    for service in services.values():
        referenced.extend(service.subresources.values())
        if service.items is not None:
            referenced.extend(service.items.subresources.values())
    missing = sorted(set(referenced) - set(services))
    if missing:
        raise DescriptorError(f"descriptor refers to unknown service(s): {', '.join(missing)}")

    definitions = data.get("definitions") or {}
    return ApiDescriptor(
        id=_str(data.get("id")),
        version=_str(data.get("version")),
        description=_str(data.get("description")),
        services=services,
        paths=paths,
        errors=errors,
        definitions=definitions if isinstance(definitions, Mapping) else {},
    )
