"""A stateful, in-memory Common REST server for tests: no network, no sockets.

It plugs into httpx as a :class:`httpx.MockTransport`, so the real client (sync or async)
runs its whole pipeline against it::

    server = CrestServer()
    users = server.add_collection("/users", set_fields=["/roles"])
    client = CommonRestClient(base_url=server.base_url, transport=server.transport, auth=NoAuth())
    # or simply: client = server.client()

What it does, the way a Common REST server does:

- collections and singletons with create (``POST ?_action=create`` and ``PUT`` with
  ``If-None-Match: *``), read (``_fields``, ``_mimeType``, ``If-None-Match`` -> 304),
  update, delete and patch (with :func:`commonrest.crest.apply_patch`), and actions
  registered per collection;
- queries by ``_queryFilter`` (with the rules of :func:`commonrest.crest.evaluate`),
  by ``_queryId`` (stored queries registered per collection) or ``_queryExpression`` (a
  handler you supply), with ``_sortKeys``, ``_fields``, cookie and offset paging and each
  ``_totalPagedResultsPolicy``;
- revisions: every write bumps ``_rev``; ``If-Match`` mismatches give 412, and with
  ``require_revisions=True`` a write without ``If-Match`` gives 428. A write with any
  ``If-Match`` (``*`` included) on a missing resource gives 404: only a ``PUT`` with no
  ``If-Match`` (or with ``If-None-Match: *``) creates;
- errors as Common REST bodies ``{"code", "reason", "message", "detail"}``; any status can
  also be injected with :meth:`CrestServer.fail_next`.

Offsets (``_pagedResultsOffset``) are 0-based indexes of the first result. String
comparisons in filters and sorting ignore case unless ``case_sensitive=True``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import quote, unquote

import httpx

from ..crest._filters import ExtendedMatcher, FilterSyntaxError, Literal, compile_filter, parse
from ..crest._patch import OPERATIONS, PatchError, Transformer, apply_patch
from ..crest._pointers import JsonPointer

if TYPE_CHECKING:
    from ..crest._client import AsyncCommonRestClient, CommonRestClient

__all__ = [
    "ActionContext",
    "ActionHandler",
    "CrestError",
    "CrestServer",
    "ExpressionHandler",
    "MemoryCollection",
    "MemorySingleton",
    "QueryHandler",
]

Resource: TypeAlias = dict[str, Any]


class CrestError(Exception):
    """Raise from an action or query handler to answer with a Common REST error."""

    def __init__(self, status: int, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class ActionContext:
    """What an action handler receives."""

    server: CrestServer
    target: MemoryCollection | MemorySingleton
    id: str | None
    """The item id for an item action, ``None`` for a collection (or singleton) action."""
    params: Mapping[str, str]
    """Query parameters other than the reserved ``_``-prefixed ones."""
    body: Any
    """The parsed JSON body, or ``None``."""


#: ``handler(context) -> JSON value``; ``None`` answers 204 No Content.
ActionHandler: TypeAlias = Callable[[ActionContext], Any]
#: Stored query: ``handler(resources, params) -> matching resources``.
QueryHandler: TypeAlias = Callable[[list[Resource], Mapping[str, str]], Iterable[Resource]]
#: Query expression: ``handler(expression, resources) -> matching resources``.
ExpressionHandler: TypeAlias = Callable[[str, list[Resource]], Iterable[Resource]]


def _pointers(values: Iterable[str | JsonPointer]) -> frozenset[JsonPointer]:
    return frozenset(JsonPointer.parse(v) for v in values)


class _Target:
    """State and settings shared by collections and singletons."""

    def __init__(
        self,
        path: tuple[str, ...],
        *,
        set_fields: Iterable[str | JsonPointer],
        require_revisions: bool | None,
        actions: Mapping[str, ActionHandler] | None,
    ) -> None:
        self.segments = path
        self.set_fields = _pointers(set_fields)
        self.require_revisions = require_revisions
        self.actions: dict[str, ActionHandler] = dict(actions or {})

    @property
    def path(self) -> str:
        """The path this target is served at."""
        return "/" + "/".join(self.segments)


class MemoryCollection(_Target):
    """A collection of JSON resources kept in a dict, in creation order."""

    def __init__(
        self,
        path: tuple[str, ...],
        *,
        set_fields: Iterable[str | JsonPointer] = (),
        require_revisions: bool | None = None,
        actions: Mapping[str, ActionHandler] | None = None,
        queries: Mapping[str, QueryHandler] | None = None,
        expression_handler: ExpressionHandler | None = None,
    ) -> None:
        super().__init__(
            path, set_fields=set_fields, require_revisions=require_revisions, actions=actions
        )
        self.queries: dict[str, QueryHandler] = dict(queries or {})
        self.expression_handler = expression_handler
        self.resources: dict[str, Resource] = {}
        self._next_id = 1

    def new_id(self) -> str:
        """The next free server-assigned id."""
        while str(self._next_id) in self.resources:
            self._next_id += 1
        value = str(self._next_id)
        self._next_id += 1
        return value

    def add(self, content: Mapping[str, Any], *, id: str | None = None) -> Resource:
        """Store a resource directly (no request), assigning ``_id`` and ``_rev``."""
        rid = id if id is not None else content.get("_id")
        if rid is None:
            rid = self.new_id()
        rid = str(rid)
        if rid in self.resources:
            raise ValueError(f"{self.path}: a resource with id {rid!r} already exists")
        resource = _stored(content, rid, "1")
        self.resources[rid] = resource
        return copy.deepcopy(resource)

    def seed(self, contents: Iterable[Mapping[str, Any]]) -> list[Resource]:
        """Store several resources at once (see :meth:`add`)."""
        return [self.add(c) for c in contents]

    def get(self, id: str) -> Resource | None:
        """A copy of the stored resource, or ``None``."""
        found = self.resources.get(id)
        return copy.deepcopy(found) if found is not None else None

    def __len__(self) -> int:
        return len(self.resources)


class MemorySingleton(_Target):
    """One JSON resource served at a fixed path (read, update, patch, actions)."""

    def __init__(
        self,
        path: tuple[str, ...],
        content: Mapping[str, Any],
        *,
        set_fields: Iterable[str | JsonPointer] = (),
        require_revisions: bool | None = None,
        actions: Mapping[str, ActionHandler] | None = None,
    ) -> None:
        super().__init__(
            path, set_fields=set_fields, require_revisions=require_revisions, actions=actions
        )
        self.resource: Resource = _stored(content, path[-1] if path else "", "1")


def _stored(content: Mapping[str, Any], rid: str, rev: str) -> Resource:
    out = {k: copy.deepcopy(v) for k, v in content.items() if k not in ("_id", "_rev")}
    return {"_id": rid, "_rev": rev, **out}


def _next_rev(rev: Any) -> str:
    try:
        return str(int(rev) + 1)
    except (TypeError, ValueError):
        return "1"


def _split_path(path: str) -> tuple[str, ...]:
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"path must start with '/', got {path!r}")
    return tuple(p for p in path.split("/") if p)


@dataclass
class _Failure:
    status: int
    message: str | None
    detail: Any
    times: int
    method: str | None
    path: str | None
    headers: Mapping[str, str] = field(default_factory=dict)


def _tags(value: str | None) -> list[str] | None:
    if value is None:
        return None
    out = []
    for part in value.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if len(tag) >= 2 and tag[0] == tag[-1] == '"':
            tag = tag[1:-1]
        if tag:
            out.append(tag)
    return out


def _kind_rank(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        return 1
    if isinstance(value, str):
        return 2
    return 3


class CrestServer:
    """The in-memory server. ``base_url`` is where clients point (any host works, since
    nothing is sent over a network); its path is the server's root."""

    def __init__(
        self,
        base_url: str = "https://crest.test",
        *,
        require_revisions: bool = False,
        case_sensitive: bool = False,
        extended_operators: Mapping[str, ExtendedMatcher] | None = None,
        transform: Transformer | None = None,
        max_page_size: int | None = None,
        results_key: str = "result",
        descriptor: Mapping[str, Any] | None = None,
        openapi: Mapping[str, Any] | None = None,
    ) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        if max_page_size is not None and (
            isinstance(max_page_size, bool) or not isinstance(max_page_size, int)
            or max_page_size < 1
        ):  # fmt: skip
            raise ValueError(f"max_page_size must be an integer >= 1, got {max_page_size!r}")
        if results_key not in ("result", "results"):
            raise ValueError(f"results_key must be 'result' or 'results', got {results_key!r}")
        self.base_url = base_url.rstrip("/")
        self._root = tuple(p for p in url.path.split("/") if p)
        self.require_revisions = require_revisions
        self.case_sensitive = case_sensitive
        self.extended_operators = dict(extended_operators or {})
        self.transform = transform
        self.max_page_size = max_page_size
        self.results_key = results_key
        self.descriptor = descriptor
        self.openapi = openapi
        self.collections: dict[str, MemoryCollection] = {}
        self.singletons: dict[str, MemorySingleton] = {}
        self.requests: list[httpx.Request] = []
        self._failures: list[_Failure] = []
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ set-up

    def add_collection(
        self,
        path: str,
        *,
        set_fields: Iterable[str | JsonPointer] = (),
        require_revisions: bool | None = None,
        actions: Mapping[str, ActionHandler] | None = None,
        queries: Mapping[str, QueryHandler] | None = None,
        expression_handler: ExpressionHandler | None = None,
    ) -> MemoryCollection:
        """Serve a collection at ``path`` (``"/users"``, ``"/users/bjensen/devices"``).

        ``set_fields`` names the array fields with set semantics for patches;
        ``require_revisions`` overrides the server-wide setting for this collection.
        """
        segments = _split_path(path)
        key = "/" + "/".join(segments)
        if key in self.collections or key in self.singletons:
            raise ValueError(f"{key} is already served")
        collection = MemoryCollection(
            segments,
            set_fields=set_fields,
            require_revisions=require_revisions,
            actions=actions,
            queries=queries,
            expression_handler=expression_handler,
        )
        self.collections[key] = collection
        return collection

    def add_singleton(
        self,
        path: str,
        content: Mapping[str, Any] | None = None,
        *,
        set_fields: Iterable[str | JsonPointer] = (),
        require_revisions: bool | None = None,
        actions: Mapping[str, ActionHandler] | None = None,
    ) -> MemorySingleton:
        """Serve one resource at ``path`` (``"/config/ui"``)."""
        segments = _split_path(path)
        key = "/" + "/".join(segments)
        if key in self.collections or key in self.singletons:
            raise ValueError(f"{key} is already served")
        singleton = MemorySingleton(
            segments,
            dict(content or {}),
            set_fields=set_fields,
            require_revisions=require_revisions,
            actions=actions,
        )
        self.singletons[key] = singleton
        return singleton

    def collection(self, path: str) -> MemoryCollection:
        """The collection served at ``path``."""
        return self.collections["/" + "/".join(_split_path(path))]

    def fail_next(
        self,
        status: int,
        *,
        message: str | None = None,
        detail: Any = None,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with an error of ``status``
        (matching ``method`` and/or ``path`` below the server root when given)."""
        if not 400 <= status <= 599:
            raise ValueError(f"status must be a 4xx or 5xx code, got {status!r}")
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times!r}")
        self._failures.append(
            _Failure(
                status, message, detail, times, method.upper() if method else None, path,
                dict(headers or {}),
            )
        )  # fmt: skip

    # ------------------------------------------------------------------ httpx glue

    @property
    def transport(self) -> httpx.MockTransport:
        """A transport for ``httpx.Client`` and ``httpx.AsyncClient`` alike."""
        return httpx.MockTransport(self.handle)

    def client(self, **kwargs: Any) -> CommonRestClient:
        """A :class:`~commonrest.crest.CommonRestClient` wired to this server; it sends no
        credentials unless given ``auth`` (this fake checks none)."""
        from .._auth import NoAuth
        from ..crest._client import CommonRestClient

        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("auth", NoAuth())
        return CommonRestClient(transport=self.transport, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncCommonRestClient:
        """An :class:`~commonrest.crest.AsyncCommonRestClient` wired to this server; it
        sends no credentials unless given ``auth``."""
        from .._auth import NoAuth
        from ..crest._client import AsyncCommonRestClient

        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("auth", NoAuth())
        return AsyncCommonRestClient(transport=self.transport, **kwargs)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (the ``httpx.MockTransport`` handler)."""
        with self._lock:
            self.requests.append(request)
            try:
                return self._dispatch(request)
            except CrestError as error:
                return _error(error.status, error.message, error.detail)

    # ------------------------------------------------------------------ routing

    def _injected(self, request: httpx.Request, rel: str) -> httpx.Response | None:
        for failure in self._failures:
            if failure.method is not None and failure.method != request.method:
                continue
            if failure.path is not None and failure.path.rstrip("/") != rel.rstrip("/"):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            message = failure.message or HTTPStatus(failure.status).phrase
            response = _error(failure.status, message, failure.detail)
            response.headers.update(failure.headers)
            return response
        return None

    def _dispatch(self, request: httpx.Request) -> httpx.Response:
        raw_path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        segments = tuple(unquote(p) for p in raw_path.split("/") if p)
        if segments[: len(self._root)] != self._root:
            raise CrestError(404, f"{raw_path} is outside this server")
        rel_segments = segments[len(self._root) :]
        rel = "/" + "/".join(rel_segments)
        injected = self._injected(request, rel)
        if injected is not None:
            return injected
        params = request.url.params
        if request.method == "GET" and ("_api" in params or "_crestapi" in params):
            return self._describe(rel, "_crestapi" in params)
        key = "/" + "/".join(rel_segments)
        if key in self.singletons:
            return self._singleton(self.singletons[key], request)
        if key in self.collections:
            return self._collection(self.collections[key], request)
        parent = "/" + "/".join(rel_segments[:-1])
        if rel_segments and parent in self.collections:
            return self._item(self.collections[parent], rel_segments[-1], request)
        raise CrestError(404, f"no resource at {rel}")

    # ------------------------------------------------------------------ helpers

    def _requires_rev(self, target: _Target) -> bool:
        if target.require_revisions is not None:
            return target.require_revisions
        return self.require_revisions

    def _body(self, request: httpx.Request, *, required: bool = True) -> Any:
        content = request.content
        if not content:
            if required:
                raise CrestError(400, "the request has no JSON body")
            return None
        ctype = request.headers.get("content-type", "")
        if "json" not in ctype.lower():
            raise CrestError(415, f"expected a JSON body, got content type {ctype!r}")
        try:
            return json.loads(content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CrestError(400, f"the body is not valid JSON: {exc}") from None

    def _object_body(self, request: httpx.Request) -> Resource:
        body = self._body(request)
        if not isinstance(body, dict):
            raise CrestError(400, "the body must be a JSON object")
        return body

    @staticmethod
    def _fields(params: httpx.QueryParams) -> list[JsonPointer] | None:
        raw = params.get("_fields")
        if raw is None or not raw.strip():
            return None
        try:
            return [JsonPointer.parse(p.strip()) for p in raw.split(",") if p.strip()]
        except ValueError as exc:
            raise CrestError(400, f"_fields: {exc}") from None

    def _respond(
        self,
        request: httpx.Request,
        resource: Resource,
        *,
        status: int = 200,
        location: str | None = None,
    ) -> httpx.Response:
        params = request.url.params
        body = _project(resource, self._fields(params))
        headers = {"ETag": f'"{resource.get("_rev", "")}"'}
        if location is not None:
            headers["Location"] = location
        return _json(status, body, params, headers)

    def _check_if_match(self, request: httpx.Request, target: _Target, current: Resource) -> None:
        tags = _tags(request.headers.get("if-match"))
        if tags is None:
            if self._requires_rev(target):
                raise CrestError(
                    428, f"{target.path}: this resource requires a revision (send If-Match)"
                )
            return
        if "*" in tags:
            return
        if str(current.get("_rev")) not in tags:
            raise CrestError(
                412,
                f"revision mismatch: the resource is at revision {current.get('_rev')!r}",
                detail={"revision": current.get("_rev")},
            )

    def _location(self, request: httpx.Request, collection: MemoryCollection, rid: str) -> str:
        path = "/" + "/".join(quote(s, safe="") for s in (*self._root, *collection.segments, rid))
        return str(request.url.copy_with(raw_path=path.encode("ascii")))

    # ------------------------------------------------------------------ collections

    def _collection(self, collection: MemoryCollection, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        method = request.method
        if method == "GET":
            return self._query(collection, request)
        if method == "POST":
            action = params.get("_action")
            if action is None:
                raise CrestError(400, "POST needs an _action parameter (such as create)")
            if action == "create":
                body = self._object_body(request)
                rid = body.get("_id")
                if rid is not None and not isinstance(rid, str):
                    raise CrestError(400, "_id must be a string")
                return self._create(collection, request, body, rid)
            return self._action(collection, None, action, request)
        raise CrestError(405, f"{method} is not allowed on the collection {collection.path}")

    def _create(
        self,
        collection: MemoryCollection,
        request: httpx.Request,
        body: Resource,
        rid: str | None,
    ) -> httpx.Response:
        if rid is None:
            rid = collection.new_id()
        elif rid in collection.resources:
            raise CrestError(412, f"a resource with id {rid!r} already exists")
        resource = _stored(body, rid, "1")
        collection.resources[rid] = resource
        return self._respond(
            request, resource, status=201, location=self._location(request, collection, rid)
        )

    def _item(
        self, collection: MemoryCollection, rid: str, request: httpx.Request
    ) -> httpx.Response:
        method = request.method
        current = collection.resources.get(rid)
        if method == "PUT":
            none_match = _tags(request.headers.get("if-none-match"))
            body = self._object_body(request)
            if none_match is not None:
                if none_match != ["*"]:
                    raise CrestError(400, "If-None-Match on a PUT must be '*'")
                return self._create(collection, request, body, rid)
            if current is None:
                if request.headers.get("if-match") is not None:
                    raise CrestError(404, f"no resource {rid!r} in {collection.path}")
                return self._create(collection, request, body, rid)
            self._check_if_match(request, collection, current)
            updated = _stored(body, rid, _next_rev(current.get("_rev")))
            collection.resources[rid] = updated
            return self._respond(request, updated)
        if method == "POST":
            action = request.url.params.get("_action")
            if action is None:
                raise CrestError(400, "POST needs an _action parameter")
            if current is None:
                raise CrestError(404, f"no resource {rid!r} in {collection.path}")
            return self._action(collection, rid, action, request)
        if current is None:
            if method in ("GET", "DELETE", "PATCH"):
                raise CrestError(404, f"no resource {rid!r} in {collection.path}")
            raise CrestError(405, f"{method} is not allowed on {collection.path}/{rid}")
        if method == "GET":
            return self._read(request, current)
        if method == "DELETE":
            self._check_if_match(request, collection, current)
            del collection.resources[rid]
            return self._respond(request, current)
        if method == "PATCH":
            self._check_if_match(request, collection, current)
            patched = self._patched(request, collection, current)
            collection.resources[rid] = patched
            return self._respond(request, patched)
        raise CrestError(405, f"{method} is not allowed on {collection.path}/{rid}")

    def _read(self, request: httpx.Request, current: Resource) -> httpx.Response:
        params = request.url.params
        tags = _tags(request.headers.get("if-none-match"))
        if tags is not None and ("*" in tags or str(current.get("_rev")) in tags):
            return httpx.Response(304, headers={"ETag": f'"{current.get("_rev", "")}"'})
        mime = params.get("_mimeType")
        if mime is not None:
            return self._content(current, mime, self._fields(params))
        return self._respond(request, current)

    @staticmethod
    def _content(current: Resource, mime: str, fields: list[JsonPointer] | None) -> httpx.Response:
        if not fields or len(fields) != 1:
            raise CrestError(400, "_mimeType needs exactly one field in _fields")
        found, value = fields[0].resolve(current)
        if not found or value is None:
            raise CrestError(404, f"the field {fields[0]} has no content")
        if not isinstance(value, str):
            raise CrestError(400, f"the field {fields[0]} does not hold content")
        try:
            content = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            content = value.encode("utf-8")
        return httpx.Response(200, content=content, headers={"Content-Type": mime})

    def _patched(self, request: httpx.Request, target: _Target, current: Resource) -> Resource:
        body = self._body(request)
        if not isinstance(body, list):
            raise CrestError(400, "a PATCH body must be a JSON array of operations")
        try:
            result = apply_patch(
                current, body, set_fields=target.set_fields, transform=self.transform
            )
        except PatchError as exc:
            raise CrestError(exc.status, str(exc)) from None
        except ValueError as exc:
            raise CrestError(400, f"invalid patch: {exc}") from None
        return _stored(result, str(current["_id"]), _next_rev(current.get("_rev")))

    def _action(
        self,
        target: MemoryCollection | MemorySingleton,
        rid: str | None,
        name: str,
        request: httpx.Request,
    ) -> httpx.Response:
        handler = target.actions.get(name)
        if handler is None:
            known = ", ".join(sorted(target.actions)) or "none"
            raise CrestError(501, f"action {name!r} is not supported here (known: {known})")
        params = {k: v for k, v in request.url.params.items() if not k.startswith("_")}
        context = ActionContext(self, target, rid, params, self._body(request, required=False))
        result = handler(context)
        if result is None:
            return httpx.Response(204)
        return _json(200, result, request.url.params, {})

    # ------------------------------------------------------------------ singletons

    def _singleton(self, singleton: MemorySingleton, request: httpx.Request) -> httpx.Response:
        method = request.method
        current = singleton.resource
        if method == "GET":
            return self._read(request, current)
        if method == "PUT":
            body = self._object_body(request)
            self._check_if_match(request, singleton, current)
            singleton.resource = _stored(body, str(current["_id"]), _next_rev(current["_rev"]))
            return self._respond(request, singleton.resource)
        if method == "PATCH":
            self._check_if_match(request, singleton, current)
            singleton.resource = self._patched(request, singleton, current)
            return self._respond(request, singleton.resource)
        if method == "POST":
            action = request.url.params.get("_action")
            if action is None or action == "create":
                raise CrestError(400, f"{singleton.path} is a singleton: POST needs an action")
            return self._action(singleton, None, action, request)
        raise CrestError(405, f"{method} is not allowed on {singleton.path}")

    # ------------------------------------------------------------------ queries

    def _query(self, collection: MemoryCollection, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        kinds = [k for k in ("_queryFilter", "_queryId", "_queryExpression") if k in params]
        if len(kinds) != 1:
            raise CrestError(
                400,
                "a query needs exactly one of _queryFilter, _queryId and _queryExpression"
                + (f" (got {', '.join(kinds)})" if kinds else ""),
            )
        kind = kinds[0]
        # Filters and sorting only read the stored resources; copies are made for handlers
        # (which may change what they get) and for the page that is sent.
        resources = list(collection.resources.values())
        extra = {k: v for k, v in params.items() if not k.startswith("_")}
        if kind == "_queryFilter":
            text = params["_queryFilter"]
            try:
                tree = parse(text)
                predicate = compile_filter(
                    tree, case_sensitive=self.case_sensitive, extended=self.extended_operators
                )
                if isinstance(tree, Literal):
                    matched = resources if tree.value else []
                else:
                    matched = [r for r in resources if predicate(r)]
            except FilterSyntaxError as exc:
                raise CrestError(400, f"invalid _queryFilter: {exc.reason}") from None
            except ValueError as exc:
                raise CrestError(400, f"invalid _queryFilter: {exc}") from None
        elif kind == "_queryId":
            query_id = params["_queryId"]
            handler = collection.queries.get(query_id)
            if handler is None:
                known = ", ".join(sorted(collection.queries)) or "none"
                raise CrestError(400, f"unknown _queryId {query_id!r} (known: {known})")
            matched = list(handler(copy.deepcopy(resources), extra))
        else:
            if collection.expression_handler is None:
                raise CrestError(501, "_queryExpression is not supported by this collection")
            matched = list(
                collection.expression_handler(params["_queryExpression"], copy.deepcopy(resources))
            )

        sort_raw = params.get("_sortKeys")
        if sort_raw is not None:
            if kind == "_queryId":
                raise CrestError(400, "_sortKeys is not supported with _queryId")
            matched = self._sorted(matched, sort_raw)

        page_size = _int_param(params, "_pageSize", minimum=0)
        offset = _int_param(params, "_pagedResultsOffset", minimum=0)
        cookie = params.get("_pagedResultsCookie")
        if cookie is not None and offset is not None:
            raise CrestError(
                400, "_pagedResultsCookie and _pagedResultsOffset are mutually exclusive"
            )
        policy = (params.get("_totalPagedResultsPolicy") or "NONE").upper()
        if policy not in ("NONE", "EXACT", "ESTIMATE"):
            raise CrestError(400, "_totalPagedResultsPolicy must be NONE, EXACT or ESTIMATE")
        signature = hashlib.sha256(
            json.dumps([kind, params.get(kind), sort_raw, sorted(extra.items())]).encode()
        ).hexdigest()[:12]

        total = len(matched)
        next_cookie = None
        if page_size:
            start = _read_cookie(cookie, signature) if cookie is not None else (offset or 0)
            size = min(page_size, self.max_page_size or page_size)
            page = matched[start : start + size]
            end = start + len(page)
            if end < total:
                next_cookie = _make_cookie(end, signature)
            counted = policy != "NONE"
            total_paged = total if counted else -1
            remaining = max(total - end, 0) if counted else -1
        else:
            if cookie is not None:
                raise CrestError(400, "_pagedResultsCookie needs a non-zero _pageSize")
            page = matched
            total_paged = -1
            remaining = -1
            policy = "NONE"
        fields = self._fields(params)
        body = {
            self.results_key: [_project(r, fields) for r in page],
            "resultCount": len(page),
            "pagedResultsCookie": next_cookie,
            "totalPagedResultsPolicy": policy,
            "totalPagedResults": total_paged,
            "remainingPagedResults": remaining,
        }
        return _json(200, body, params, {})

    def _sorted(self, resources: list[Resource], raw: str) -> list[Resource]:
        keys: list[tuple[JsonPointer, bool]] = []
        for part in raw.split(","):
            if part != part.strip():
                raise CrestError(
                    400,
                    f"sort key {part!r} has white space (was a '+' sent without encoding "
                    "it as %2B?)",
                )
            if not part:
                raise CrestError(400, "_sortKeys has an empty key")
            ascending = part[0] != "-"
            name = part[1:] if part[0] in "+-" else part
            try:
                keys.append((JsonPointer.parse(name), ascending))
            except ValueError as exc:
                raise CrestError(400, f"_sortKeys: {exc}") from None

        def first_value(resource: Resource, pointer: JsonPointer) -> tuple[bool, Any]:
            found, value = pointer.resolve(resource)
            if isinstance(value, list):
                present = [v for v in value if v is not None]
                if not present:
                    return False, None
                value = min(present, key=functools.cmp_to_key(self._compare))
            return (found and value is not None), value

        def compare(a: Resource, b: Resource) -> int:
            for pointer, ascending in keys:
                has_a, va = first_value(a, pointer)
                has_b, vb = first_value(b, pointer)
                if not has_a or not has_b:
                    if has_a != has_b:
                        return -1 if has_a else 1  # missing values sort last
                    continue
                c = self._compare(va, vb)
                if c:
                    return c if ascending else -c
            return 0

        return sorted(resources, key=functools.cmp_to_key(compare))

    def _compare(self, a: Any, b: Any) -> int:
        ka, kb = _kind_rank(a), _kind_rank(b)
        if ka != kb:
            return -1 if ka < kb else 1
        if ka == 3:
            a, b = json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True)
        elif ka == 2 and not self.case_sensitive:
            a, b = a.casefold(), b.casefold()
        return int(a > b) - int(a < b)

    # ------------------------------------------------------------------ descriptors

    def _describe(self, rel: str, crest: bool) -> httpx.Response:
        if crest and self.descriptor is not None:
            return httpx.Response(200, json=self.descriptor)
        if not crest and self.openapi is not None:
            return httpx.Response(200, json=self.openapi)
        prefix = rel.rstrip("/")
        collections = {
            p: c for p, c in self.collections.items() if p == prefix or p.startswith(prefix + "/")
        }
        singletons = {
            p: s for p, s in self.singletons.items() if p == prefix or p.startswith(prefix + "/")
        }
        if not collections and not singletons:
            raise CrestError(404, f"no resource at {rel}")
        if crest:
            return httpx.Response(200, json=_crest_descriptor(collections, singletons))
        return httpx.Response(200, json=_openapi(collections, singletons))


# ---------------------------------------------------------------------- free helpers


def _int_param(params: httpx.QueryParams, name: str, *, minimum: int) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise CrestError(400, f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise CrestError(400, f"{name} must be >= {minimum}, got {value}")
    return value


def _make_cookie(offset: int, signature: str) -> str:
    return base64.urlsafe_b64encode(f"{offset}:{signature}".encode()).decode().rstrip("=")


def _read_cookie(cookie: str, signature: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4)).decode()
        offset_text, sig = text.split(":", 1)
        offset = int(offset_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise CrestError(400, f"invalid _pagedResultsCookie {cookie!r}") from None
    if sig != signature or offset < 0:
        raise CrestError(400, "this _pagedResultsCookie belongs to a different query")
    return offset


def _project(resource: Resource, fields: Sequence[JsonPointer] | None) -> Resource:
    """The resource limited to ``fields`` (plus ``_id``/``_rev``), for serialising at once."""
    if fields is None:
        return resource
    out: Resource = {"_id": resource.get("_id"), "_rev": resource.get("_rev")}
    for pointer in fields:
        if not pointer.tokens:
            return resource
        found, value = pointer.resolve(resource)
        if not found:
            continue
        node = out
        for token in pointer.tokens[:-1]:
            child = node.get(token)
            if not isinstance(child, dict):
                child = {}
                node[token] = child
            node = child
        node[pointer.tokens[-1]] = copy.deepcopy(value)
    return out


def _json(
    status: int, body: Any, params: httpx.QueryParams, headers: Mapping[str, str]
) -> httpx.Response:
    pretty = params.get("_prettyPrint", "").lower() == "true"
    content = json.dumps(body, indent=2 if pretty else None, ensure_ascii=False).encode()
    return httpx.Response(
        status,
        content=content,
        headers={**headers, "Content-Type": "application/json; charset=UTF-8"},
    )


def _error(status: int, message: str, detail: Any = None) -> httpx.Response:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    body: dict[str, Any] = {"code": status, "reason": reason, "message": message}
    if detail is not None:
        body["detail"] = detail
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )


_ERRORS = [{"$ref": "#/errors/badRequest"}, {"$ref": "#/errors/notFound"}]
#: What ``apply_patch`` accepts, for collection items and singletons alike.
_PATCH_OPERATIONS = tuple(sorted(op.upper() for op in OPERATIONS))


def _crest_descriptor(
    collections: Mapping[str, MemoryCollection], singletons: Mapping[str, MemorySingleton]
) -> dict[str, Any]:
    services: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for path, c in collections.items():
        name = f"{path.strip('/').replace('/', '.')}:1.0"
        queries: list[dict[str, Any]] = [
            {
                "type": "FILTER",
                "pagingModes": ["COOKIE", "OFFSET"],
                "countPolicies": ["NONE", "EXACT", "ESTIMATE"],
                "errors": _ERRORS,
            }
        ]
        queries.extend({"type": "ID", "queryId": q} for q in sorted(c.queries))
        if c.expression_handler is not None:
            queries.append({"type": "EXPRESSION"})
        services[name] = {
            "mvccSupported": True,
            "create": {"mode": "ID_FROM_SERVER", "singleton": False, "errors": _ERRORS},
            "queries": queries,
            "actions": [{"name": a} for a in sorted(c.actions)],
            "items": {
                "pathParameter": {"name": "id", "type": "string", "source": "PATH",
                                  "required": True},
                "create": {"mode": "ID_FROM_CLIENT", "singleton": False},
                "read": {},
                "update": {},
                "delete": {},
                "patch": {"operations": list(_PATCH_OPERATIONS)},
                "actions": [{"name": a} for a in sorted(c.actions)],
            },
        }  # fmt: skip
        paths[path] = {"1.0": {"$ref": f"#/services/{name}"}}
    for path, s in singletons.items():
        name = f"{path.strip('/').replace('/', '.')}:1.0"
        services[name] = {
            "mvccSupported": True,
            "read": {},
            "update": {},
            "patch": {"operations": list(_PATCH_OPERATIONS)},
            "actions": [{"name": a} for a in sorted(s.actions)],
        }
        paths[path] = {"1.0": {"$ref": f"#/services/{name}"}}
    return {
        "id": "commonrest:in-memory",
        "version": "1.0",
        "description": "In-memory Common REST test server",
        "errors": {
            "badRequest": {"code": 400, "description": "The request is malformed."},
            "notFound": {"code": 404, "description": "No such resource."},
        },
        "services": services,
        "paths": paths,
    }


def _openapi(
    collections: Mapping[str, MemoryCollection], singletons: Mapping[str, MemorySingleton]
) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path in collections:
        paths[path] = {"get": {"operationId": f"query{path}"}, "post": {}}
        paths[path + "/{id}"] = {"get": {}, "put": {}, "patch": {}, "delete": {}, "post": {}}
    for path in singletons:
        paths[path] = {"get": {}, "put": {}, "patch": {}, "post": {}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "In-memory Common REST test server", "version": "1.0"},
        "paths": paths,
    }
