"""Clients for any Common REST endpoint, and typed handles on its resources.

::

    from commonrest import BasicAuth
    from commonrest.crest import CommonRestClient, Patch, field

    with CommonRestClient(base_url="https://idm.example.com/openidm", auth=BasicAuth(u, p)) as c:
        users = c.resource("/managed/user", model=User)    # or no model: plain dicts
        created = users.create({"userName": "bjensen"})    # POST ?_action=create
        user = users.read(created.id)
        users.patch(created.id, Patch().replace("/mail", "b@example.com"), revision=user.rev)
        for u in users.query(field("/userName").sw("b"), page_size=50):
            ...

Transport, authentication, retries, timeouts and the mapping of statuses to exceptions are
the core's (:mod:`commonrest._client`); this module only says what each verb sends.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeAlias, TypeVar, cast, overload

import pydantic
from typing_extensions import Self, Unpack

from .._client import AsyncClient, BaseClient, SyncClient
from .._errors import PreconditionFailedError
from .._operations import (
    Async,
    AsyncRaw,
    Call,
    M,
    OperationInfo,
    PagedCall,
    Resource,
    Sync,
    SyncRaw,
    dynamic_operation,
    dynamic_paged_operation,
)
from .._options import WithOptions
from .._response import APIResponse
from .._sentinels import NOT_GIVEN, NotGiven
from .._settings import expand_changes
from ._descriptor import ApiDescriptor
from ._errors import InvalidArgumentError, MissingRevisionError
from ._filters import Filter
from ._models import CreateResult, QueryResult, revision_of
from ._patch import Patch, PatchOperation
from ._setup import _CommonRestSetup
from ._wire import (
    SERVICE,
    Fields,
    PagingMode,
    Policy,
    ResourcePath,
    Revision,
    SortKeys,
    action_call,
    create_call,
    crest_api_call,
    delete_call,
    descriptor_call,
    patch_call,
    query_call,
    query_page_call,
    read_call,
    read_content_call,
    update_call,
)

__all__ = [
    "AsyncCommonRestClient",
    "AsyncResourceHandle",
    "CommonRestClient",
    "CommonRestResources",
    "ResourceHandle",
]

T = TypeVar("T")
R = TypeVar("R")

PatchLike: TypeAlias = Patch | Sequence[PatchOperation | Mapping[str, Any]]


def _check_model(model: object) -> None:
    if model is not None and not (
        isinstance(model, type) and issubclass(model, pydantic.BaseModel)
    ):
        raise InvalidArgumentError(f"model must be a pydantic model class or None, got {model!r}")


def _check_attempts(max_attempts: object) -> int:
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
        raise InvalidArgumentError(f"max_attempts must be an integer >= 1, got {max_attempts!r}")
    return max_attempts


def _editable_copy(resource: Any) -> Any:
    if isinstance(resource, pydantic.BaseModel):
        return resource.model_copy(deep=True)
    return copy.deepcopy(resource)


class ResourceHandle(Resource[M], Generic[M, T]):
    """A collection (``/users``) or singleton (``/config/ui``) path on a client.

    One class serves both clients: on a :class:`CommonRestClient` (``ResourceHandle[Sync,
    T]``) the verbs block and return results; on an :class:`AsyncCommonRestClient`
    (``ResourceHandle[Async, T]``, see :class:`AsyncResourceHandle`) they return
    coroutines, and ``query()`` returns an :class:`~commonrest.AsyncPager` to
    ``async for`` over (it is not awaited).

    Methods taking an ``id`` address ``<path>/<id>``; pass ``None`` to address the
    handle's own path (a singleton, or an item reached with :meth:`child`).
    """

    __slots__ = ("_model", "_path")

    def __init__(self, client: BaseClient, path: ResourcePath, model: type[T] | None) -> None:
        super().__init__(client)
        self._path = path
        self._model = model

    @property
    def path(self) -> str:
        """The resource path this handle addresses (``/users``)."""
        return str(self._path)

    @property
    def model(self) -> type[T] | None:
        """The model results are parsed into (``None``: plain dicts)."""
        return self._model

    @property
    def _response(self) -> Any:
        return self._model if self._model is not None else dict[str, Any]

    @property
    def _base(self) -> BaseClient:
        client = self._client
        assert isinstance(client, BaseClient)
        return client

    def __repr__(self) -> str:
        model = self._model.__name__ if self._model is not None else "dict"
        return f"<{type(self).__name__} {self.path} -> {model}>"

    def child(self, *segments: str | int) -> Self:
        """A handle on a path below this one, each segment taken whole (``"a/b"`` stays
        one segment): ``users.child(user_id, "devices")``."""
        return type(self)(self._base, self._path.child(*segments), self._model)

    @expand_changes
    def with_options(self, **changes: Unpack[WithOptions]) -> Self:
        """The same handle on a copy of the client with changed options (those of the
        client's ``with_options``); the connection pool is shared."""
        return type(self)(self._base.with_options(**changes), self._path, self._model)

    # ----------------------------------------------------------------------- verbs

    @dynamic_operation
    def create(
        self,
        body: T | Mapping[str, Any],
        *,
        id: str | NotGiven = NOT_GIVEN,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
    ) -> tuple[OperationInfo, Call[CreateResult[T]]]:
        """Create a resource. Without ``id`` the server picks it (``POST ?_action=create``);
        with ``id`` it is ``PUT <path>/<id>`` with ``If-None-Match: *``, which fails with
        :class:`~commonrest.PreconditionFailedError` when the id is taken."""
        return create_call(
            self._path, body, id=id, fields=fields, pretty_print=pretty_print,
            response=self._response,
        )  # fmt: skip

    @dynamic_operation
    def read(
        self,
        id: str | None = None,
        *,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        cached: T | None = None,
    ) -> tuple[OperationInfo, Call[T]]:
        """Read a resource. With ``cached`` (a copy read earlier), the request carries
        ``If-None-Match: <its _rev>`` and a ``304 Not Modified`` returns ``cached``."""
        pair = None
        if cached is not None:
            rev = revision_of(cached)
            if rev is None:
                raise InvalidArgumentError("cached must carry a _rev to make a conditional read")
            pair = (rev, cached)
        return read_call(
            self._path, id, fields=fields, pretty_print=pretty_print,
            response=self._response, cached=pair,
        )  # fmt: skip

    @dynamic_operation
    def read_if_changed(
        self,
        id: str | None,
        revision: str,
        *,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
    ) -> tuple[OperationInfo, Call[T | None]]:
        """Read only when the revision differs from ``revision``; ``None`` on 304."""
        return read_call(
            self._path, id, fields=fields, pretty_print=pretty_print,
            response=self._response, cached=(revision, None),
        )  # fmt: skip

    @dynamic_operation
    def read_content(
        self,
        id: str | None,
        field: str,
        *,
        mime_type: str,
    ) -> tuple[OperationInfo, Call[bytes]]:
        """Read one field as binary content of type ``mime_type`` (``_mimeType``)."""
        return read_content_call(self._path, id, field, mime_type=mime_type)

    @dynamic_operation
    def update(
        self,
        id: str | None,
        body: T | Mapping[str, Any],
        *,
        revision: Revision = NOT_GIVEN,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
    ) -> tuple[OperationInfo, Call[T]]:
        """Replace a resource (``PUT`` with ``If-Match``). ``revision`` defaults to the
        body's ``_rev``, and to ``"*"`` (:data:`~commonrest.crest.ANY_REVISION`) when the
        body has none, so an update never creates a missing resource (404 instead).
        :data:`~commonrest.crest.UNCONDITIONAL` sends no ``If-Match`` at all."""
        return update_call(
            self._path, id, body, revision=revision, fields=fields,
            pretty_print=pretty_print, response=self._response,
        )  # fmt: skip

    @dynamic_operation
    def delete(
        self,
        id: str | None,
        *,
        revision: Revision = NOT_GIVEN,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
    ) -> tuple[OperationInfo, Call[T]]:
        """Delete a resource (``If-Match``: ``revision``, else ``*``); returns it."""
        return delete_call(
            self._path, id, revision=revision, fields=fields, pretty_print=pretty_print,
            response=self._response,
        )  # fmt: skip

    @dynamic_operation
    def patch(
        self,
        id: str | None,
        patch: PatchLike,
        *,
        revision: Revision = NOT_GIVEN,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
    ) -> tuple[OperationInfo, Call[T]]:
        """Apply patch operations (a :class:`~commonrest.crest.Patch` or its JSON form) with
        ``If-Match``: ``revision``, else ``*``."""
        return patch_call(
            self._path, id, patch, revision=revision, fields=fields,
            pretty_print=pretty_print, response=self._response,
        )  # fmt: skip

    # The result type follows ``response`` (a per-call type), which a descriptor cannot
    # carry; so ``action`` is typed by overloads on the handle's mode (plain and raw), with
    # one body.
    @overload
    def action(
        self: ResourceHandle[Sync, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: None = None,
    ) -> Any: ...
    @overload
    def action(
        self: ResourceHandle[Sync, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: type[R],
    ) -> R: ...
    @overload
    def action(
        self: ResourceHandle[Async, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: None = None,
    ) -> Coroutine[Any, Any, Any]: ...
    @overload
    def action(
        self: ResourceHandle[Async, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: type[R],
    ) -> Coroutine[Any, Any, R]: ...
    @overload
    def action(
        self: ResourceHandle[SyncRaw, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: None = None,
    ) -> APIResponse[Any]: ...
    @overload
    def action(
        self: ResourceHandle[SyncRaw, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: type[R],
    ) -> APIResponse[R]: ...
    @overload
    def action(
        self: ResourceHandle[AsyncRaw, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: None = None,
    ) -> Coroutine[Any, Any, APIResponse[Any]]: ...
    @overload
    def action(
        self: ResourceHandle[AsyncRaw, Any],
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: type[R],
    ) -> Coroutine[Any, Any, APIResponse[R]]: ...
    def action(
        self,
        name: str,
        *,
        id: str | None = None,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        read_only: bool = False,
        response: Any = None,
    ) -> Any:
        """Run an action: ``POST <path>[/<id>]?_action=<name>`` with ``params`` in the query
        string and ``body`` as JSON. The JSON answer is returned (parsed into ``response``
        when given; ``None`` for 204). ``read_only=True`` lets the call be retried."""
        info, call = action_call(
            self._path, id, name, body=body, params=params, fields=fields,
            pretty_print=pretty_print, response=Any if response is None else response,
            read_only=read_only,
        )  # fmt: skip
        return self._client._execute(info, call)

    @dynamic_paged_operation
    def query(
        self,
        filter: Filter | str | NotGiven = NOT_GIVEN,
        *,
        query_id: str | NotGiven = NOT_GIVEN,
        query_expression: str | NotGiven = NOT_GIVEN,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        sort_keys: SortKeys | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        paged_results_cookie: str | NotGiven = NOT_GIVEN,
        paged_results_offset: int | NotGiven = NOT_GIVEN,
        total_paged_results_policy: Policy | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
        paging: PagingMode | None = None,
        max_items: int | None = None,
    ) -> tuple[OperationInfo, PagedCall[Any, T]]:
        """Query the collection lazily: iterate the pager for every result across pages.

        Exactly one of ``filter`` (a :class:`~commonrest.crest.Filter` or a string,
        checked before sending), ``query_id`` (with its ``params``) or ``query_expression``.
        Pages follow ``pagedResultsCookie`` (``paging="cookie"``) or advance
        ``_pagedResultsOffset`` (``paging="offset"``); ``pager.pages()`` gives each
        :class:`~commonrest.crest.QueryResult` with its totals, ``pager.position`` is the
        cookie (or offset) to :meth:`~commonrest.SyncPager.resume` from later.
        """
        return query_call(
            self._path, item_type=self._response, paging=paging, max_items=max_items,
            filter=filter, query_id=query_id, query_expression=query_expression,
            params=params, fields=fields, sort_keys=sort_keys, page_size=page_size,
            paged_results_cookie=paged_results_cookie,
            paged_results_offset=paged_results_offset,
            total_paged_results_policy=total_paged_results_policy, pretty_print=pretty_print,
        )  # fmt: skip

    @dynamic_operation
    def query_page(
        self,
        filter: Filter | str | NotGiven = NOT_GIVEN,
        *,
        query_id: str | NotGiven = NOT_GIVEN,
        query_expression: str | NotGiven = NOT_GIVEN,
        params: Mapping[str, Any] | None = None,
        fields: Fields | NotGiven = NOT_GIVEN,
        sort_keys: SortKeys | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        paged_results_cookie: str | NotGiven = NOT_GIVEN,
        paged_results_offset: int | NotGiven = NOT_GIVEN,
        total_paged_results_policy: Policy | NotGiven = NOT_GIVEN,
        pretty_print: bool | NotGiven = NOT_GIVEN,
    ) -> tuple[OperationInfo, Call[QueryResult[T]]]:
        """Send exactly one query request and return that page as it came."""
        return query_page_call(
            self._path, item_type=self._response,
            filter=filter, query_id=query_id, query_expression=query_expression,
            params=params, fields=fields, sort_keys=sort_keys, page_size=page_size,
            paged_results_cookie=paged_results_cookie,
            paged_results_offset=paged_results_offset,
            total_paged_results_policy=total_paged_results_policy, pretty_print=pretty_print,
        )  # fmt: skip

    # ----------------------------------------------------------------- descriptors

    @dynamic_operation
    def openapi(self) -> tuple[OperationInfo, Call[dict[str, Any]]]:
        """This path's OpenAPI descriptor (``?_api``)."""
        return descriptor_call(self._base.environment_urls[SERVICE], self._path, "_api")

    @dynamic_operation
    def crest_api(
        self, *, registry: Iterable[Mapping[str, Any] | ApiDescriptor] = ()
    ) -> tuple[OperationInfo, Call[ApiDescriptor]]:
        """This path's Common REST descriptor (``?_crestapi``), parsed.

        ``registry`` holds other descriptors its ``$ref`` links may name.
        """
        return crest_api_call(self._base.environment_urls[SERVICE], self._path, registry=registry)

    # ------------------------------------------------------------------- revisions

    @overload
    def modify(
        self: ResourceHandle[Sync, T],
        id: str | None,
        change: Callable[[T], T | Mapping[str, Any] | None],
        *,
        max_attempts: int = 3,
    ) -> T: ...
    @overload
    def modify(
        self: ResourceHandle[Async, T],
        id: str | None,
        change: Callable[
            [T], T | Mapping[str, Any] | Awaitable[T | Mapping[str, Any] | None] | None
        ],
        *,
        max_attempts: int = 3,
    ) -> Coroutine[Any, Any, T]: ...
    @overload
    def modify(
        self: ResourceHandle[SyncRaw, T],
        id: str | None,
        change: Callable[[T], T | Mapping[str, Any] | None],
        *,
        max_attempts: int = 3,
    ) -> APIResponse[T]: ...
    @overload
    def modify(
        self: ResourceHandle[AsyncRaw, T],
        id: str | None,
        change: Callable[
            [T], T | Mapping[str, Any] | Awaitable[T | Mapping[str, Any] | None] | None
        ],
        *,
        max_attempts: int = 3,
    ) -> Coroutine[Any, Any, APIResponse[T]]: ...
    def modify(self, id: str | None, change: Any, *, max_attempts: int = 3) -> Any:
        """Read, apply ``change``, and update with the revision that was read.

        ``change`` gets an editable copy and returns the new resource (or ``None`` after
        editing the copy in place); on an async handle it may also be a coroutine function.
        When someone else changed the resource in between (412), the loop re-reads and
        re-applies, up to ``max_attempts`` times in all; the last
        :class:`~commonrest.PreconditionFailedError` is raised when they run out.
        Through ``with_raw_response`` the result is the
        :class:`~commonrest.APIResponse` of the update that succeeded.
        """
        attempts = _check_attempts(max_attempts)
        if not callable(change):
            raise InvalidArgumentError(f"change must be callable, got {change!r}")
        if isinstance(self._client, AsyncClient):
            return self._amodify(id, change, attempts)
        return self._modify(id, change, attempts)

    def _draft(self, id: str | None, current: Any) -> tuple[str, Any]:
        """The revision read and an editable copy of ``current`` (shared by both loops)."""
        if isinstance(current, APIResponse):  # read through a raw client
            current = current.parse()
        rev = revision_of(current)
        if rev is None:
            raise MissingRevisionError(  # a server fault, not a bad argument
                f"{self.path}/{id}: the server sent no _rev, so a safe update is impossible"
            )
        return rev, _editable_copy(current)

    def _modify(self, id: str | None, change: Callable[[Any], Any], attempts: int) -> Any:
        execute = self._client._execute
        last: PreconditionFailedError | None = None
        for _ in range(attempts):
            rev, draft = self._draft(id, execute(*self._read_request(id)))
            changed = change(draft)
            try:
                return execute(*self._update_request(id, draft, changed, rev))
            except PreconditionFailedError as error:
                last = error
        assert last is not None
        raise last

    async def _amodify(self, id: str | None, change: Callable[[Any], Any], attempts: int) -> Any:
        execute = self._client._execute
        last: PreconditionFailedError | None = None
        for _ in range(attempts):
            rev, draft = self._draft(id, await execute(*self._read_request(id)))
            changed = change(draft)
            if inspect.isawaitable(changed):
                changed = await changed
            try:
                return await execute(*self._update_request(id, draft, changed, rev))
            except PreconditionFailedError as error:
                last = error
        assert last is not None
        raise last

    def _read_request(self, id: str | None) -> tuple[OperationInfo, Call[Any]]:
        return read_call(
            self._path, id, fields=NOT_GIVEN, pretty_print=NOT_GIVEN, response=self._response
        )

    def _update_request(
        self, id: str | None, draft: Any, changed: Any, rev: str
    ) -> tuple[OperationInfo, Call[Any]]:
        new = draft if changed is None else changed
        return update_call(
            self._path, id, new, revision=rev, fields=NOT_GIVEN, pretty_print=NOT_GIVEN,
            response=self._response,
        )  # fmt: skip


class AsyncResourceHandle(ResourceHandle[Async, T]):
    """The handle :class:`AsyncCommonRestClient` hands out: a :class:`ResourceHandle` in
    async mode, whose verbs return coroutines (``query()`` returns an async pager)."""

    __slots__ = ()


class CommonRestResources(Generic[M]):
    """What both clients share: :meth:`resource`, typed by the client's mode ``M``.

    ``client.with_raw_response`` is a ``CommonRestResources[SyncRaw]`` (or ``[AsyncRaw]``):
    its handles' verbs return :class:`~commonrest.APIResponse` instead of the
    parsed result. Common REST paths are only known at call time, so there is no
    ``catalog()`` of operations as vendor packages have.
    """

    __slots__ = ()

    @overload
    def resource(
        self, path: str, *segments: str | int, model: None = None
    ) -> ResourceHandle[M, dict[str, Any]]: ...
    @overload
    def resource(self, path: str, *segments: str | int, model: type[T]) -> ResourceHandle[M, T]: ...
    def resource(self, path: str, *segments: str | int, model: Any = None) -> Any:
        """A handle on a collection or singleton: ``client.resource("/users")``.

        ``path`` is split on ``/``; each further argument is one whole segment (an id
        with a ``/`` in it stays one segment). With ``model`` (a pydantic model class)
        results are parsed into it; without, they are plain dicts.
        """
        _check_model(model)
        client = cast(BaseClient, self)
        kind = AsyncResourceHandle if isinstance(client, AsyncClient) else ResourceHandle
        return kind(client, ResourcePath.parse(path, *segments), model)

    @property
    def base_url(self) -> str:
        """The server's base URL."""
        return cast(BaseClient, self).environment_urls[SERVICE]


class CommonRestClient(_CommonRestSetup, SyncClient, CommonRestResources[Sync]):
    """A blocking client for one Common REST server (``base_url`` and ``auth`` required
    as for any client of the core; ``COMMONREST_BASE_URL`` is read when no URL is given).

    Every keyword of :class:`~commonrest.SyncClient` applies (``timeout``,
    ``deadline``, ``max_retries``, ``transport``...). Errors are the core's classes,
    enriched with the Common REST error body (see :func:`~commonrest.crest.crest_error_of`).
    """

    @property
    def with_raw_response(self) -> CommonRestResources[SyncRaw]:
        """The same handles, whose verbs return :class:`~commonrest.APIResponse`
        (status, headers, attempts) around the parsed result:
        ``client.with_raw_response.resource("/users").read("bjensen").headers``."""
        return cast("CommonRestResources[SyncRaw]", self._raw_copy())

    def openapi(self, path: str = "/") -> dict[str, Any]:
        """The OpenAPI descriptor the server publishes for ``path`` (``?_api``)."""
        return self.resource(path).openapi()

    def crest_api(
        self, path: str = "/", *, registry: Iterable[Mapping[str, Any] | ApiDescriptor] = ()
    ) -> ApiDescriptor:
        """The Common REST descriptor for ``path`` (``?_crestapi``), parsed.

        ``registry`` holds other descriptors its ``$ref`` links may name.
        """
        return self.resource(path).crest_api(registry=registry)


class AsyncCommonRestClient(_CommonRestSetup, AsyncClient, CommonRestResources[Async]):
    """The async twin of :class:`CommonRestClient`; its handles are
    :class:`AsyncResourceHandle`."""

    @property
    def with_raw_response(self) -> CommonRestResources[AsyncRaw]:
        """See :attr:`CommonRestClient.with_raw_response`; verbs return coroutines of
        :class:`~commonrest.APIResponse`."""
        return cast("CommonRestResources[AsyncRaw]", self._raw_copy())

    async def openapi(self, path: str = "/") -> dict[str, Any]:
        """See :meth:`CommonRestClient.openapi`."""
        return await self.resource(path).openapi()

    async def crest_api(
        self, path: str = "/", *, registry: Iterable[Mapping[str, Any] | ApiDescriptor] = ()
    ) -> ApiDescriptor:
        """See :meth:`CommonRestClient.crest_api`."""
        return await self.resource(path).crest_api(registry=registry)
