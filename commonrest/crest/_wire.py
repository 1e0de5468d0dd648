"""How each Common REST verb looks on the wire, as pure functions.

Every function here checks its arguments (raising
:class:`~commonrest.InvalidArgumentError`, a ``ValueError``, naming the
parameter before anything is sent) and returns the core's ``(OperationInfo, Call)`` pair; the sync
and async handles in :mod:`.client` only execute them. Paths are given as
:class:`ResourcePath` and every segment is percent-encoded on its own, so an ``_id`` such
as ``a/b`` or ``..`` can never address another resource.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypeVar
from urllib.parse import unquote

import pydantic

from .._operations import Call, OperationInfo, PagedCall
from .._pagination import CookiePaging, OffsetPaging
from .._paths import encode_segment
from .._response import Created
from .._sentinels import NOT_GIVEN, NotGiven, is_given
from ._descriptor import ApiDescriptor, parse_descriptor
from ._errors import InvalidArgumentError
from ._filters import Filter, as_filter
from ._models import (
    ANY_REVISION,
    CreateResult,
    QueryResult,
    TotalPagedResultsPolicy,
    Unconditional,
    id_of,
    revision_of,
)
from ._patch import Patch, PatchOperation
from ._pointers import JsonPointer

if TYPE_CHECKING:
    import httpx

__all__ = [
    "SERVICE",
    "Fields",
    "PagingMode",
    "Policy",
    "ResourcePath",
    "Revision",
    "SortKeys",
    "action_call",
    "create_call",
    "created_result",
    "crest_api_call",
    "delete_call",
    "descriptor_call",
    "encode_fields",
    "encode_sort_keys",
    "patch_call",
    "query_call",
    "query_page_call",
    "read_call",
    "read_content_call",
    "update_call",
]

R = TypeVar("R")

#: The core service key the Common REST client routes every call to.
SERVICE: Final = "crest"

#: ``_fields``: JSON pointers, as a list or one comma-separated string.
Fields: TypeAlias = Sequence[str] | str
#: ``_sortKeys``: ``"+name"``, ``"-age"`` or ``"name"``, as a list or comma-separated.
SortKeys: TypeAlias = Sequence[str] | str
PagingMode: TypeAlias = Literal["cookie", "offset"]
#: ``revision`` of a write: a ``_rev`` (or ``"*"``), ``None``/not given for "the body's
#: ``_rev``, else ``*``", or :data:`~commonrest.crest.UNCONDITIONAL` for no ``If-Match``.
Revision: TypeAlias = str | Unconditional | NotGiven | None
Policy: TypeAlias = TotalPagedResultsPolicy | Literal["NONE", "EXACT", "ESTIMATE"] | str

_RESERVED_ACTION_PARAMS: Final = frozenset({"_action", "_fields", "_prettyPrint"})
_RESERVED_QUERY_PARAMS: Final = frozenset(
    {
        "_queryFilter",
        "_queryId",
        "_queryExpression",
        "_fields",
        "_prettyPrint",
        "_sortKeys",
        "_pageSize",
        "_pagedResultsCookie",
        "_pagedResultsOffset",
        "_totalPagedResultsPolicy",
        "_action",
        "_mimeType",
    }
)


# ---------------------------------------------------------------------------- paths


@dataclass(frozen=True)
class ResourcePath:
    """A resource path as raw segments (``("users", "bjensen")``)."""

    segments: tuple[str, ...] = ()

    @classmethod
    def parse(cls, path: str, *segments: str | int) -> ResourcePath:
        """``path`` split on ``/`` (empty parts ignored), then each of ``segments`` as one
        whole segment, however many slashes it holds."""
        if not isinstance(path, str):
            raise InvalidArgumentError(f"path must be a string such as '/users', got {path!r}")
        parts = [p for p in path.split("/") if p]
        for part in parts:
            _check_segment(part, "path")
        base = cls(tuple(parts))
        return base.child(*segments) if segments else base

    def child(self, *segments: str | int) -> ResourcePath:
        """This path with more segments appended, each taken whole."""
        out = list(self.segments)
        for seg in segments:
            out.append(_check_segment(seg, "segment"))
        return ResourcePath(tuple(out))

    @property
    def encoded(self) -> str:
        """The percent-encoded path, ``""`` for the root."""
        return "".join("/" + encode_segment(s, name="path segment") for s in self.segments)

    def __str__(self) -> str:
        return "/" + "/".join(self.segments)


def _check_segment(value: object, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidArgumentError(
            f"{name} must be a string, got {type(value).__name__} ({value!r})"
        )
    text = str(value)
    encode_segment(text, name=name)  # refuses '', '.' and '..'
    return text


def _id_segment(resource_id: object) -> str:
    return _check_segment(resource_id, "id")


def _info(method: str, path: str, op: str, *, read_only: bool = False) -> OperationInfo:
    return OperationInfo(
        method=method,
        path=path,
        operation_id=f"crest.{op}",
        api=SERVICE,
        version="",
        python_name=op,
        read_only=read_only,
    )


# ---------------------------------------------------------------------- parameters


def _split(value: Sequence[str] | str, name: str) -> list[str]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")] if value.strip() else []
    elif isinstance(value, Sequence):
        items = list(value)
    else:
        raise InvalidArgumentError(f"{name} must be a list of strings or a comma-separated string")
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise InvalidArgumentError(f"{name} entries must be non-empty strings, got {item!r}")
        if "," in item:
            raise InvalidArgumentError(f"{name} entry {item!r} must not contain ','")
    return items


def encode_fields(fields: Fields | NotGiven) -> str | NotGiven:
    """``_fields`` on the wire: canonical JSON pointers joined by commas."""
    if not is_given(fields):
        return NOT_GIVEN
    assert not isinstance(fields, NotGiven)
    out = []
    for item in _split(fields, "fields"):
        try:
            out.append(str(JsonPointer.parse(item.strip())))
        except ValueError as exc:
            raise InvalidArgumentError(f"fields: {exc}") from None
    return ",".join(out)


def encode_sort_keys(keys: SortKeys) -> str:
    """``_sortKeys`` on the wire: ``+``/``-`` prefixed JSON pointers joined by commas.

    The ``+`` is kept when given; the HTTP layer sends it as ``%2B``.
    """
    out = []
    for item in _split(keys, "sort_keys"):
        key = item.strip()
        sign = ""
        if key[0] in "+-":
            sign, key = key[0], key[1:].strip()
        if not key:
            raise InvalidArgumentError(f"sort_keys entry {item!r} has no field")
        try:
            out.append(sign + str(JsonPointer.parse(key)))
        except ValueError as exc:
            raise InvalidArgumentError(f"sort_keys: {exc}") from None
    if not out:
        raise InvalidArgumentError("sort_keys must name at least one field")
    return ",".join(out)


def _check_bool(value: bool | NotGiven, name: str) -> bool | NotGiven:
    if is_given(value) and not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False, got {value!r}")
    return value


def _check_revision(value: object, name: str = "revision") -> str:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError(f"{name} must be a non-empty string (or '*'), got {value!r}")
    if any(ch in value for ch in "\r\n"):
        raise InvalidArgumentError(f"{name} must not contain line breaks")
    return value


def _check_positive(value: object, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgumentError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


def _check_body(body: object, name: str = "body") -> Any:
    if isinstance(body, (pydantic.BaseModel, Mapping)):
        return body
    raise InvalidArgumentError(
        f"{name} must be a mapping or a pydantic model, got {type(body).__name__} ({body!r})"
    )


def _check_params(
    params: Mapping[str, Any] | None, reserved: frozenset[str], what: str
) -> dict[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise InvalidArgumentError(f"params must be a mapping of names to values, got {params!r}")
    out: dict[str, Any] = {}
    for key, value in params.items():
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError(f"params names must be non-empty strings, got {key!r}")
        if key in reserved:
            raise InvalidArgumentError(
                f"params must not set {key!r}: {what} sets it from its own argument"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidArgumentError(f"params[{key!r}] must be finite, got {value!r}")
        if value is not None and not isinstance(value, (str, int, float, bool, list, tuple)):
            raise InvalidArgumentError(
                f"params[{key!r}] must be a string, number, boolean or list, "
                f"got {type(value).__name__}"
            )
        out[key] = value
    return out


def _common(fields: Fields | NotGiven, pretty_print: bool | NotGiven) -> dict[str, Any]:
    return {
        "_fields": encode_fields(fields),
        "_prettyPrint": _check_bool(pretty_print, "pretty_print"),
    }


# --------------------------------------------------------------------------- verbs


def _etag_revision(etag: str | None) -> str | None:
    """The revision an ``ETag`` header carries: ``"3"`` and ``W/"3"`` both give ``3``."""
    if etag is None:
        return None
    value = etag.strip()
    if value.startswith(("W/", "w/")):
        value = value[2:].lstrip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value or None


#: The header a Common REST server names a created resource's global identifier in.
GLOBAL_IDENTIFIER_HEADER: Final = "X-Global-Identifier"


def with_global_identifier(created: Created, response: httpx.Response) -> Created:
    """A ``finish`` hook for a create answered ``201`` without a body: the core's
    :class:`~commonrest.Created` with the global identifier a Common REST server sends."""
    return dataclasses.replace(
        created, global_identifier=response.headers.get(GLOBAL_IDENTIFIER_HEADER)
    )


def created_result(resource: Any, response: httpx.Response) -> CreateResult[Any]:
    """A create's :class:`CreateResult`: the resource as returned, its id (from the body or
    else the ``Location`` header's last segment), revision (from the body's ``_rev`` or else
    the ``ETag`` header, unquoted), ``Location`` and status."""
    location = response.headers.get("location")
    rid = id_of(resource) if resource is not None else None
    if rid is None and location:
        last = location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        rid = unquote(last) or None
    rev = revision_of(resource) if resource is not None else None
    if rev is None:
        rev = _etag_revision(response.headers.get("etag"))
    return CreateResult(
        resource=resource,
        id=rid,
        revision=rev,
        location=location,
        status_code=response.status_code,
    )


def create_call(
    path: ResourcePath,
    body: Any,
    *,
    id: str | NotGiven,
    fields: Fields | NotGiven,
    pretty_print: bool | NotGiven,
    response: Any,
) -> tuple[OperationInfo, Call[CreateResult[Any]]]:
    """``POST ?_action=create`` (server picks the id) or ``PUT .../id`` with
    ``If-None-Match: *`` (fails when the id is taken). The call's result is a
    :class:`CreateResult` built by :func:`created_result`."""
    _check_body(body)
    query = _common(fields, pretty_print)
    if is_given(id):
        target = path.child(_id_segment(id))
        # Not repeated after a lost response: the repeat would answer 412 for our own create.
        call = Call(
            response,
            query=query,
            headers={"If-None-Match": "*"},
            json=body,
            retry_safe=False,
            finish=created_result,
        )
        return _info("PUT", target.encoded, "create"), call
    query = {"_action": "create", **query}
    call = Call(response, query=query, json=body, finish=created_result)
    return _info("POST", path.encoded, "create"), call


def _item(path: ResourcePath, resource_id: str | None) -> ResourcePath:
    return path if resource_id is None else path.child(_id_segment(resource_id))


def read_call(
    path: ResourcePath,
    resource_id: str | None,
    *,
    fields: Fields | NotGiven,
    pretty_print: bool | NotGiven,
    response: Any,
    cached: tuple[str, Any] | None = None,
) -> tuple[OperationInfo, Call[Any]]:
    """``GET .../id``; with ``cached``, ``If-None-Match: <rev>`` and 304 gives it back."""
    if cached is not None:
        cached = (_check_revision(cached[0], "if_none_match"), cached[1])
    call = Call(response, query=_common(fields, pretty_print), cached=cached)
    return _info("GET", _item(path, resource_id).encoded, "read"), call


def read_content_call(
    path: ResourcePath, resource_id: str | None, field: str, *, mime_type: str
) -> tuple[OperationInfo, Call[bytes]]:
    """``GET .../id?_fields=<field>&_mimeType=<type>``: one field as binary content."""
    if not isinstance(mime_type, str) or "/" not in mime_type or any(c in mime_type for c in ","):
        raise InvalidArgumentError(f"mime_type must look like 'image/png', got {mime_type!r}")
    encoded = encode_fields([field])
    # The server picks the content type from _mimeType, not from Accept.
    call: Call[bytes] = Call(
        bytes,
        query={"_fields": encoded, "_mimeType": mime_type},
        headers={"Accept": "*/*"},
    )
    return _info("GET", _item(path, resource_id).encoded, "read"), call


def _if_match(revision: Revision, body: Any | None) -> dict[str, str]:
    """The condition of a write. Not given (or ``None``): the body's ``_rev``, else ``*``,
    so the write needs the resource to exist and never creates it. ``UNCONDITIONAL``: no
    header at all."""
    if isinstance(revision, Unconditional):
        return {}
    if revision is None or isinstance(revision, NotGiven):
        found = revision_of(body) if body is not None else None
        if not found:
            return {"If-Match": ANY_REVISION}
        return {"If-Match": _check_revision(found, "the body's _rev")}
    return {"If-Match": _check_revision(revision)}


def _repeatable(headers: Mapping[str, str]) -> bool | None:
    """``False`` for a write conditioned on one revision: once it has succeeded, a repeat
    fails with 412, reporting a conflict that never happened. ``None`` keeps the default."""
    match = headers.get("If-Match")
    return False if match is not None and match != "*" else None


def update_call(
    path: ResourcePath,
    resource_id: str | None,
    body: Any,
    *,
    revision: Revision,
    fields: Fields | NotGiven,
    pretty_print: bool | NotGiven,
    response: Any,
) -> tuple[OperationInfo, Call[Any]]:
    """``PUT .../id`` with ``If-Match: <rev>`` (``*`` for any): replaces the resource.

    ``revision`` not given (or ``None``) means "the ``_rev`` in the body, else ``*``": an
    update never creates a missing resource (the server answers 404).
    :data:`~commonrest.crest.UNCONDITIONAL` sends no ``If-Match``; the server then creates
    or replaces, or answers 428.
    """
    _check_body(body)
    headers = _if_match(revision, body)
    call = Call(
        response,
        query=_common(fields, pretty_print),
        headers=headers,
        json=body,
        retry_safe=_repeatable(headers),
    )
    return _info("PUT", _item(path, resource_id).encoded, "update"), call


def delete_call(
    path: ResourcePath,
    resource_id: str | None,
    *,
    revision: Revision,
    fields: Fields | NotGiven,
    pretty_print: bool | NotGiven,
    response: Any,
) -> tuple[OperationInfo, Call[Any]]:
    """``DELETE .../id`` with ``If-Match``: the revision given, else ``*``."""
    headers = _if_match(revision, None)
    call = Call(
        response,
        query=_common(fields, pretty_print),
        headers=headers,
        retry_safe=_repeatable(headers),
    )
    return _info("DELETE", _item(path, resource_id).encoded, "delete"), call


def patch_call(
    path: ResourcePath,
    resource_id: str | None,
    patch: Patch | Sequence[PatchOperation | Mapping[str, Any]],
    *,
    revision: Revision,
    fields: Fields | NotGiven,
    pretty_print: bool | NotGiven,
    response: Any,
) -> tuple[OperationInfo, Call[Any]]:
    """``PATCH .../id`` with the operations as a JSON array and ``If-Match``: the revision
    given, else ``*``."""
    if not isinstance(patch, Patch):
        if isinstance(patch, (str, bytes)) or not isinstance(patch, Sequence):
            raise InvalidArgumentError(
                f"patch must be a Patch or a list of operations, got {patch!r}"
            )
        patch = Patch(
            op if isinstance(op, PatchOperation) else PatchOperation.from_json(op) for op in patch
        )
    if not patch:
        raise InvalidArgumentError("patch must contain at least one operation")
    call = Call(
        response,
        query=_common(fields, pretty_print),
        headers=_if_match(revision, None),
        json=patch.to_json(),
    )
    return _info("PATCH", _item(path, resource_id).encoded, "patch"), call


def action_call(
    path: ResourcePath,
    resource_id: str | None,
    name: str,
    *,
    body: Any,
    params: Mapping[str, Any] | None,
    fields: Fields | NotGiven,
    pretty_print: bool | NotGiven,
    response: Any,
    read_only: bool,
) -> tuple[OperationInfo, Call[Any]]:
    """``POST ...?_action=<name>`` with extra parameters and an optional JSON body."""
    if not isinstance(name, str) or not name or any(c.isspace() or c in "&=#" for c in name):
        raise InvalidArgumentError(f"action name must be a non-empty word, got {name!r}")
    if body is not None and not isinstance(body, (list, str, int, float, bool)):
        _check_body(body)
    query = {
        "_action": name,
        **_common(fields, pretty_print),
        **_check_params(params, _RESERVED_ACTION_PARAMS, "action()"),
    }
    info = _info("POST", _item(path, resource_id).encoded, "action", read_only=read_only)
    return info, Call(response, query=query, json=body)


# --------------------------------------------------------------------------- query


def _query_params(
    *,
    filter: Filter | str | NotGiven,
    query_id: str | NotGiven,
    query_expression: str | NotGiven,
    params: Mapping[str, Any] | None,
    fields: Fields | NotGiven,
    sort_keys: SortKeys | NotGiven,
    page_size: int | NotGiven,
    paged_results_cookie: str | NotGiven,
    paged_results_offset: int | NotGiven,
    total_paged_results_policy: Policy | NotGiven,
    pretty_print: bool | NotGiven,
) -> dict[str, Any]:
    chosen = [
        name
        for name, value in (
            ("_queryFilter", filter),
            ("_queryId", query_id),
            ("_queryExpression", query_expression),
        )
        if is_given(value)
    ]
    if len(chosen) != 1:
        got = ", ".join(chosen) if chosen else "none"
        raise InvalidArgumentError(
            "a query needs exactly one of filter (_queryFilter), query_id (_queryId) or "
            f"query_expression (_queryExpression); got {got}. Use filter=true() to match "
            "every resource."
        )
    query: dict[str, Any] = {}
    if is_given(filter):
        assert not isinstance(filter, NotGiven)
        query["_queryFilter"] = as_filter(filter).render()
    if is_given(query_id):
        if not isinstance(query_id, str) or not query_id:
            raise InvalidArgumentError(f"query_id must be a non-empty string, got {query_id!r}")
        query["_queryId"] = query_id
    if is_given(query_expression):
        if not isinstance(query_expression, str) or not query_expression.strip():
            raise InvalidArgumentError(
                f"query_expression must be a non-empty string, got {query_expression!r}"
            )
        query["_queryExpression"] = query_expression
    query.update(_common(fields, pretty_print))
    if is_given(sort_keys):
        if is_given(query_id):
            raise InvalidArgumentError(
                "sort_keys cannot be used with query_id: predefined queries sort"
            )
        assert not isinstance(sort_keys, NotGiven)
        query["_sortKeys"] = encode_sort_keys(sort_keys)
    if is_given(page_size):
        query["_pageSize"] = _check_positive(page_size, "page_size", minimum=1)
    if is_given(paged_results_cookie) and is_given(paged_results_offset):
        raise InvalidArgumentError(
            "paged_results_cookie and paged_results_offset are mutually exclusive: give one"
        )
    if is_given(paged_results_cookie):
        if not isinstance(paged_results_cookie, str) or not paged_results_cookie:
            raise InvalidArgumentError(
                f"paged_results_cookie must be a non-empty string, got {paged_results_cookie!r}"
            )
        if not is_given(page_size):
            raise InvalidArgumentError(
                "paged_results_cookie needs page_size (a non-zero _pageSize)"
            )
        query["_pagedResultsCookie"] = paged_results_cookie
    if is_given(paged_results_offset):
        if not is_given(page_size):
            raise InvalidArgumentError(
                "paged_results_offset needs page_size (a non-zero _pageSize)"
            )
        query["_pagedResultsOffset"] = _check_positive(
            paged_results_offset, "paged_results_offset", minimum=0
        )
    if is_given(total_paged_results_policy):
        policy = total_paged_results_policy
        text = str(policy.value if isinstance(policy, TotalPagedResultsPolicy) else policy)
        try:
            query["_totalPagedResultsPolicy"] = TotalPagedResultsPolicy(text.upper()).value
        except ValueError:
            raise InvalidArgumentError(
                "total_paged_results_policy must be NONE, EXACT or ESTIMATE, "
                f"got {total_paged_results_policy!r}"
            ) from None
    query.update(_check_params(params, _RESERVED_QUERY_PARAMS, "query()"))
    return query


def query_page_call(
    path: ResourcePath, *, item_type: Any, **kwargs: Any
) -> tuple[OperationInfo, Call[QueryResult[Any]]]:
    """One query request (``GET`` with ``_queryFilter``/``_queryId``/``_queryExpression``)."""
    query = _query_params(**kwargs)
    page_type = QueryResult[item_type]
    return _info("GET", path.encoded, "query"), Call(page_type, query=query)


def _next_cookie(page: QueryResult[Any]) -> str | None:
    return page.paged_results_cookie


def _items(page: QueryResult[Any]) -> list[Any]:
    return page.result


def query_call(
    path: ResourcePath,
    *,
    item_type: Any,
    paging: PagingMode | None,
    max_items: int | None,
    **kwargs: Any,
) -> tuple[OperationInfo, PagedCall[QueryResult[Any], Any]]:
    """A paged query: follow ``pagedResultsCookie`` until the server returns none
    (``paging="cookie"``, the default), or advance ``_pagedResultsOffset`` by the number of
    results received (``paging="offset"``, the default when an offset is given)."""
    query = _query_params(**kwargs)
    if paging is None:
        paging = "offset" if "_pagedResultsOffset" in query else "cookie"
    if paging not in ("cookie", "offset"):
        raise InvalidArgumentError(f"paging must be 'cookie' or 'offset', got {paging!r}")
    if max_items is not None:
        _check_positive(max_items, "max_items", minimum=0)
    strategy: CookiePaging | OffsetPaging
    if paging == "cookie":
        if "_pagedResultsOffset" in query:
            raise InvalidArgumentError("paging='cookie' cannot start from paged_results_offset")
        strategy = CookiePaging(cookie="_pagedResultsCookie", next_cookie=_next_cookie)
    else:
        if "_pagedResultsCookie" in query:
            raise InvalidArgumentError("paging='offset' cannot start from paged_results_cookie")
        if "_pageSize" not in query:
            raise InvalidArgumentError("paging='offset' needs page_size")
        total: Callable[[Any], int | None] = _total
        strategy = OffsetPaging(
            limit="_pageSize", offset="_pagedResultsOffset", total=total, page_size=1
        )
    page_type = QueryResult[item_type]
    call: PagedCall[QueryResult[Any], Any] = PagedCall(
        page_type, items=_items, paging=strategy, max_items=max_items, query=query
    )
    return _info("GET", path.encoded, "query"), call


def _total(page: QueryResult[Any]) -> int | None:
    return page.total


# ---------------------------------------------------------------------- descriptors


def _descriptor(
    base_url: str, path: ResourcePath, which: Literal["_api", "_crestapi"], call: Call[R]
) -> tuple[OperationInfo, Call[R]]:
    # The parameter is sent bare (``?_api``), as servers expect: hence a whole URL.
    call.url = f"{base_url}{path.encoded}?{which}"
    return _info("GET", path.encoded, which.lstrip("_")), call


def descriptor_call(
    base_url: str, path: ResourcePath, which: Literal["_api", "_crestapi"]
) -> tuple[OperationInfo, Call[dict[str, Any]]]:
    """``GET <path>?_api`` or ``?_crestapi``: the descriptor as a plain mapping."""
    return _descriptor(base_url, path, which, Call(dict[str, Any]))


def crest_api_call(
    base_url: str, path: ResourcePath, *, registry: Iterable[Mapping[str, Any] | ApiDescriptor]
) -> tuple[OperationInfo, Call[ApiDescriptor]]:
    """``GET <path>?_crestapi``, parsed into an :class:`ApiDescriptor` (``registry`` holds
    other descriptors its ``$ref`` links may name)."""

    def parse(data: dict[str, Any], response: httpx.Response) -> ApiDescriptor:
        return parse_descriptor(data, registry=registry)

    return _descriptor(base_url, path, "_crestapi", Call(dict[str, Any], finish=parse))
