"""Operation declarations: one per API operation, serving sync and async clients alike.

An operation is a method on a :class:`Resource` decorated with :func:`operation`. Its body
maps the Python arguments to the parts of an HTTP request and returns a :class:`Call`; the
client it is bound to decides whether the call runs synchronously, asynchronously, or
returns the raw response. Static types follow through::

    class Dags(Resource[M]):
        @operation("GET", "/dags/{dag_id}", operation_id="get_dag", api="v1", version="1")
        def get(self, dag_id: str) -> Call[DAG]:
            return Call(DAG, path={"dag_id": dag_id})

    client.dags.get("x")                       # -> DAG           (sync client)
    await aclient.dags.get("x")                # -> DAG           (async client)
    client.with_raw_response.dags.get("x")     # -> APIResponse[DAG]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Concatenate,
    Generic,
    ParamSpec,
    TypeVar,
    overload,
)

from typing_extensions import Required, Self, TypedDict, Unpack

from ._arguments import ArgumentChecks, Parameter
from ._errors import CommonRestError, InvalidArgumentError

if TYPE_CHECKING:
    import httpx

    from ._pagination import AsyncPager, PagingStrategy, SyncPager
    from ._response import APIResponse

__all__ = [
    "Async",
    "AsyncRaw",
    "Call",
    "CatalogEntry",
    "Declaration",
    "DynamicOperation",
    "DynamicPagedOperation",
    "Executor",
    "Mode",
    "Operation",
    "OperationInfo",
    "PagedCall",
    "PagedOperation",
    "Resource",
    "Sync",
    "SyncRaw",
    "build_catalog",
    "dynamic_operation",
    "dynamic_paged_operation",
    "operation",
    "paged_operation",
]

P = ParamSpec("P")
R = TypeVar("R")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")
X = TypeVar("X")


class Mode:
    """Static marker: how a resource's operations run. Never instantiated."""


class Sync(Mode):
    """Operations block and return the parsed result."""


class Async(Mode):
    """Operations return coroutines of the parsed result."""


class SyncRaw(Mode):
    """Operations block and return an :class:`~commonrest._response.APIResponse`."""


class AsyncRaw(Mode):
    """Operations return coroutines of an :class:`~commonrest._response.APIResponse`."""


M = TypeVar("M", bound=Mode)
S = TypeVar("S", bound="Resource[Any]")

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


class Executor:
    """What a resource needs from its client: run a call, or page through one."""

    def _execute(self, info: OperationInfo, call: Call[Any]) -> Any:
        raise NotImplementedError

    def _paginate(self, info: OperationInfo, call: PagedCall[Any, Any]) -> Any:
        raise NotImplementedError

    def _stream(self, info: OperationInfo, call: Call[Any]) -> Any:
        raise NotImplementedError


class Resource(Generic[M]):
    """A group of operations (``client.dags``, ``client.payments``) bound to one client.

    ``resource_path`` is how a caller reaches the resource from a client (``"payments"``,
    ``"v1.dags"``); an operation's ``python_name`` is that path plus the method name
    (``payments.authorise``), and errors and log lines show it.
    """

    __slots__ = ("_client",)
    resource_path: ClassVar[str] = ""

    def __init__(self, client: Executor) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"


@dataclass(frozen=True)
class OperationInfo:
    """The static facts of one operation, as the spec gives them."""

    method: str
    path: str
    operation_id: str
    api: str
    version: str
    python_name: str = ""
    deprecated: bool = False
    read_only: bool = False
    credential: str = "default"
    tags: tuple[str, ...] = ()
    accept: str = ""
    """The ``Accept`` header the operation sends (the media types it declares for its
    success bodies); empty for the client's default, ``application/json``."""

    @property
    def label(self) -> str:
        """How errors and log lines name the operation: its Python name, else its id."""
        return self.python_name or self.operation_id

    def log_extra(self) -> dict[str, str | None]:
        """The operation as attributes of a log record (``record.operation``,
        ``record.operation_id``)."""
        return {"operation": self.python_name or None, "operation_id": self.operation_id or None}

    #: The declared path, query and header parameters, checked before every call.
    params: tuple[Parameter, ...] = field(default=(), repr=False, compare=False)

    @property
    def retry_safe(self) -> bool:
        """True when repeating the request cannot duplicate a side effect on its own."""
        return self.read_only or self.method in _SAFE_METHODS


class Call(Generic[R]):
    """The per-call part of a request, built by an operation's body.

    ``response`` is the type the success body is parsed into: a pydantic model, any type
    pydantic understands (``list[Model]``, ``dict[str, Any]``), ``bytes`` for raw content,
    ``str`` for text, or ``None`` for an empty body. ``path``, ``query`` and ``headers`` are
    maps of wire names to values; :data:`~commonrest._sentinels.NOT_GIVEN` values are left
    out. ``json`` is the body (a model, a mapping or a list); when ``body_model`` is given, a
    mapping body is validated against it before anything is sent. ``cached`` is an
    ``(etag, value)`` pair for a conditional request: ``If-None-Match`` is sent and a
    ``304 Not Modified`` returns ``value``. ``retry_safe`` overrides the operation's retry
    safety for this call: ``False`` for a conditional write (``If-Match``, ``If-None-Match:
    *``) whose repeat after a lost response would report a conflict that never happened.
    ``finish`` post-processes a decoded result with the response it came from (its status
    and headers): the call's result is then what ``finish`` returns, and ``response`` only
    says how the body is parsed. It is not applied to a ``cached`` value, which is already
    a result.
    """

    __slots__ = (
        "body_model",
        "cached",
        "content",
        "finish",
        "headers",
        "json",
        "path",
        "query",
        "response",
        "retry_safe",
        "url",
    )
    #: True for a call whose success body is read as a stream (:mod:`.streaming`): the
    #: client then leaves the body unread for the caller to iterate.
    streamed: ClassVar[bool] = False

    @overload
    def __init__(
        self,
        response: type[R] | Any,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        body_model: type[Any] | None = None,
        content: bytes | None = None,
        cached: tuple[str, R] | None = None,
        retry_safe: bool | None = None,
        finish: None = None,
    ) -> None: ...
    @overload
    def __init__(
        self,
        response: type[X] | Any,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        body_model: type[Any] | None = None,
        content: bytes | None = None,
        cached: tuple[str, R] | None = None,
        retry_safe: bool | None = None,
        finish: Callable[[X, httpx.Response], R],
    ) -> None: ...
    def __init__(
        self,
        response: Any,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        body_model: type[Any] | None = None,
        content: bytes | None = None,
        cached: tuple[str, R] | None = None,
        retry_safe: bool | None = None,
        finish: Callable[[Any, httpx.Response], R] | None = None,
    ) -> None:
        self.response = response
        self.finish = finish
        self.path = path
        self.query = query
        self.headers = headers
        self.json = json
        self.body_model = body_model
        self.content = content
        self.cached = cached
        self.retry_safe = retry_safe
        self.url: str | None = None

    def replace(
        self,
        *,
        query: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Call[R]:
        """A copy with ``query`` and/or ``json`` replaced (used by pagination)."""
        new = Call.__new__(Call)
        new.response = self.response
        new.path = self.path
        new.query = self.query if query is None else query
        new.headers = self.headers
        new.json = self.json if json is None else json
        new.body_model = self.body_model
        new.content = self.content
        new.cached = self.cached
        new.retry_safe = self.retry_safe
        new.finish = self.finish
        new.url = self.url
        return new


class PagedCall(Call[PageT], Generic[PageT, ItemT]):
    """A :class:`Call` whose result is one page of a longer list.

    ``items`` picks the items out of a parsed page; ``paging`` says how to ask for the next
    page (see :mod:`commonrest._pagination`).
    """

    __slots__ = ("items", "max_items", "paging")

    def __init__(
        self,
        response: type[PageT] | Any,
        *,
        items: Callable[[PageT], Sequence[ItemT] | None],
        paging: PagingStrategy,
        max_items: int | None = None,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        body_model: type[Any] | None = None,
    ) -> None:
        super().__init__(
            response, path=path, query=query, headers=headers, json=json, body_model=body_model
        )
        self.items = items
        self.paging = paging
        if max_items is not None and max_items < 0:
            raise InvalidArgumentError(
                f"max_items must be a non-negative integer, got {max_items!r}",
                parameter="max_items",
            )
        self.max_items = max_items

    def replace(self, *, query: Mapping[str, Any] | None = None, json: Any = None) -> Call[PageT]:
        """A plain :class:`Call` for one page, with ``query``/``json`` replaced."""
        return Call(
            self.response,
            path=self.path,
            query=self.query if query is None else query,
            headers=self.headers,
            json=self.json if json is None else json,
            body_model=self.body_model,
            retry_safe=self.retry_safe,
        )


def _warn_deprecated(info: OperationInfo) -> None:
    warnings.warn(
        f"{info.python_name or info.operation_id} ({info.method} {info.path}) is deprecated "
        "by the API vendor",
        DeprecationWarning,
        stacklevel=3,
    )


class _Descriptor:
    """What every operation descriptor shares: binding to a resource's client.

    A subclass says how a call's ``(info, call)`` pair is obtained (:meth:`_request`) and
    which client method runs it (``_runner``: execute, page through, or stream).
    """

    __slots__ = ("_signature", "fn")
    _runner: ClassVar[str] = "_execute"

    fn: Callable[..., Any]
    _signature: Any

    def _public_signature(self, client: Any) -> Any:
        """The declared parameters without ``self`` and the return type the client's mode
        gives (what ``help()``, IDEs and Jupyter show for a bound operation), computed once
        per declaration and mode (see :mod:`._signatures`)."""
        mode = (type(client), getattr(client, "_raw", False))
        try:
            return self._signature[mode]
        except AttributeError:
            self._signature = {}
        except KeyError:
            pass
        from ._signatures import public_signature

        sig = public_signature(self.fn, self._runner, client=client)
        self._signature[mode] = sig
        return sig

    def _request(
        self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[OperationInfo, Call[Any]]:
        raise NotImplementedError

    def _static_info(self) -> OperationInfo | None:
        return None

    def _checks(self) -> ArgumentChecks | None:
        return None

    def _bind(self, obj: Any) -> Callable[..., Any]:
        client = obj._client
        run = getattr(client, self._runner)
        request = self._request
        fn = self.fn
        checks = self._checks()

        static = self._static_info()

        def bound(*args: Any, **kwargs: Any) -> Any:
            try:
                info, call = request(obj, args, kwargs)
                if checks is not None:
                    checks.check(call, info, obj)
            except CommonRestError as error:
                # An argument refused while building the request names its call too.
                if static is not None:
                    error._name_operation(static.python_name, static.operation_id)
                raise
            if info.deprecated:
                _warn_deprecated(info)
            return run(info, call)

        bound.__name__ = fn.__name__
        bound.__qualname__ = getattr(fn, "__qualname__", fn.__name__)
        bound.__doc__ = fn.__doc__
        bound.__module__ = fn.__module__
        bound.__signature__ = self._public_signature(client)  # type: ignore[attr-defined]
        if static is not None:
            bound.__commonrest_operation__ = static  # type: ignore[attr-defined]
        return bound


class _Executed(_Descriptor, Generic[S, P, R]):
    """An operation whose calls return the parsed result (or a coroutine, or a raw
    response, per the client's mode)."""

    __slots__ = ()

    @overload
    def __get__(self, obj: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, obj: Resource[Sync], owner: Any) -> Callable[P, R]: ...
    @overload
    def __get__(self, obj: Resource[Async], owner: Any) -> Callable[P, Coroutine[Any, Any, R]]: ...
    @overload
    def __get__(self, obj: Resource[SyncRaw], owner: Any) -> Callable[P, APIResponse[R]]: ...
    @overload
    def __get__(
        self, obj: Resource[AsyncRaw], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, APIResponse[R]]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        return self if obj is None else self._bind(obj)


class _Paged(_Descriptor, Generic[S, P, ItemT]):
    """An operation whose calls return lazy pagers."""

    __slots__ = ()
    _runner: ClassVar[str] = "_paginate"

    @overload
    def __get__(self, obj: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, obj: Resource[Sync], owner: Any) -> Callable[P, SyncPager[ItemT]]: ...
    @overload
    def __get__(self, obj: Resource[Async], owner: Any) -> Callable[P, AsyncPager[ItemT]]: ...
    @overload
    def __get__(self, obj: Resource[SyncRaw], owner: Any) -> Callable[P, SyncPager[ItemT]]: ...
    @overload
    def __get__(self, obj: Resource[AsyncRaw], owner: Any) -> Callable[P, AsyncPager[ItemT]]: ...
    def __get__(self, obj: Any, owner: Any) -> Any:
        return self if obj is None else self._bind(obj)


def _name(info: OperationInfo, owner: type[Any], name: str) -> None:
    if not info.python_name:
        prefix = getattr(owner, "resource_path", "")
        object.__setattr__(info, "python_name", f"{prefix}.{name}" if prefix else name)


class Operation(_Executed[S, P, R]):
    """Descriptor made by :func:`operation`; see the module docstring."""

    __slots__ = ("checks", "info")

    def __init__(self, fn: Callable[Concatenate[S, P], Call[R]], info: OperationInfo) -> None:
        self.fn = fn
        self.info = info
        self.checks = ArgumentChecks.of(info.params)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        _name(self.info, owner, name)

    def _static_info(self) -> OperationInfo:
        return self.info

    def _checks(self) -> ArgumentChecks | None:
        return self.checks

    def _request(
        self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[OperationInfo, Call[Any]]:
        return self.info, self.fn(obj, *args, **kwargs)


class PagedOperation(_Paged[S, P, ItemT]):
    """Descriptor made by :func:`paged_operation`: calls return lazy pagers."""

    __slots__ = ("checks", "info")

    def __init__(
        self, fn: Callable[Concatenate[S, P], PagedCall[Any, ItemT]], info: OperationInfo
    ) -> None:
        self.fn = fn
        self.info = info
        self.checks = ArgumentChecks.of(info.params)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        _name(self.info, owner, name)

    def _static_info(self) -> OperationInfo:
        return self.info

    def _checks(self) -> ArgumentChecks | None:
        return self.checks

    def _request(
        self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[OperationInfo, Call[Any]]:
        return self.info, self.fn(obj, *args, **kwargs)


class DynamicOperation(_Executed[S, P, R]):
    """Descriptor made by :func:`dynamic_operation`: the body builds the
    :class:`OperationInfo` too (its path known only at call time)."""

    __slots__ = ()

    def __init__(self, fn: Callable[Concatenate[S, P], tuple[OperationInfo, Call[R]]]) -> None:
        self.fn = fn

    def _request(
        self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[OperationInfo, Call[Any]]:
        info, call = self.fn(obj, *args, **kwargs)
        return info, call


class DynamicPagedOperation(_Paged[S, P, ItemT]):
    """Descriptor made by :func:`dynamic_paged_operation`: lazy pagers over a call whose
    :class:`OperationInfo` the body builds."""

    __slots__ = ()

    def __init__(
        self, fn: Callable[Concatenate[S, P], tuple[OperationInfo, PagedCall[Any, ItemT]]]
    ) -> None:
        self.fn = fn

    def _request(
        self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[OperationInfo, Call[Any]]:
        info, call = self.fn(obj, *args, **kwargs)
        return info, call


def dynamic_operation(
    fn: Callable[Concatenate[S, P], tuple[OperationInfo, Call[R]]],
) -> DynamicOperation[S, P, R]:
    """Declare an operation whose method and path are only known at call time.

    The body returns ``(info, call)``; otherwise it is like :func:`operation`: one
    declaration serves sync, async and raw clients. Such operations are not listed by
    :func:`build_catalog` (they have no static path)::

        class Items(Resource[M]):
            @dynamic_operation
            def get(self, item_id: str) -> tuple[OperationInfo, Call[Item]]:
                return OperationInfo("GET", f"{self.base}/{{id}}", ...), Call(Item, ...)
    """
    return DynamicOperation(fn)


def dynamic_paged_operation(
    fn: Callable[Concatenate[S, P], tuple[OperationInfo, PagedCall[Any, ItemT]]],
) -> DynamicPagedOperation[S, P, ItemT]:
    """The paged twin of :func:`dynamic_operation`: calls return lazy pagers."""
    return DynamicPagedOperation(fn)


class Declaration(TypedDict, total=False):
    """What an operation decorator takes besides the HTTP method and path template (one
    list for :func:`operation`, :func:`paged_operation` and ``stream_operation``).

    ``api`` names the service (base URL and version suffix) the client routes it to;
    ``read_only`` marks a POST that only reads, so it may be retried like a GET;
    ``credential`` names which of the client's credentials signs it; ``accept`` is the
    ``Accept`` header it sends (by default the client's, ``application/json``); ``params``
    declares its path, query and header parameters (see :mod:`commonrest._arguments`), each
    call's arguments are checked against them before anything is sent.
    """

    operation_id: Required[str]
    api: str
    version: str
    deprecated: bool
    read_only: bool
    credential: str
    tags: Sequence[str]
    accept: str
    params: Sequence[Parameter]


def _info(method: str, path: str, declared: Declaration) -> OperationInfo:
    method = method.upper()
    if not path.startswith("/"):
        raise ValueError(f"operation path must start with '/', got {path!r}")
    return OperationInfo(
        method=method,
        path=path,
        operation_id=declared["operation_id"],
        api=declared.get("api", "default"),
        version=declared.get("version", ""),
        deprecated=declared.get("deprecated", False),
        read_only=declared.get("read_only", False),
        credential=declared.get("credential", "default"),
        tags=tuple(declared.get("tags", ())),
        accept=declared.get("accept", ""),
        params=tuple(declared.get("params", ())),
    )


def operation(
    method: str, path: str, **declared: Unpack[Declaration]
) -> Callable[[Callable[Concatenate[S, P], Call[R]]], Operation[S, P, R]]:
    """Declare an operation (the keywords are those of :class:`Declaration`)."""
    info = _info(method, path, declared)

    def decorate(fn: Callable[Concatenate[S, P], Call[R]]) -> Operation[S, P, R]:
        return Operation(fn, info)

    return decorate


def paged_operation(
    method: str, path: str, **declared: Unpack[Declaration]
) -> Callable[[Callable[Concatenate[S, P], PagedCall[Any, ItemT]]], PagedOperation[S, P, ItemT]]:
    """Declare an operation whose results come in pages; calls return lazy pagers."""
    info = _info(method, path, declared)

    def decorate(
        fn: Callable[Concatenate[S, P], PagedCall[Any, ItemT]],
    ) -> PagedOperation[S, P, ItemT]:
        return PagedOperation(fn, info)

    return decorate


@dataclass(frozen=True)
class CatalogEntry:
    """One operation as listed by a vendor package's ``catalog()``."""

    operation_id: str
    method: str
    path: str
    version: str
    api: str
    python_name: str
    deprecated: bool = False
    paged: bool = False
    tags: tuple[str, ...] = field(default=())
    streamed: bool = False
    accept: str = ""


def build_catalog(resources: Iterable[tuple[str, type[Resource[Any]]]]) -> list[CatalogEntry]:
    """List the operations of resource classes, given as ``(attribute path, class)`` pairs.

    The attribute path is how a user reaches the resource from a client (``"dags"``,
    ``"v1.dags"``); each entry's ``python_name`` is that path plus the method name.
    """
    entries: list[CatalogEntry] = []
    for prefix, cls in resources:
        for klass in reversed(cls.__mro__):
            for name, attr in vars(klass).items():
                # every descriptor with a static declaration: plain, paged and streamed
                info = attr._static_info() if isinstance(attr, _Descriptor) else None
                if info is not None:
                    entries.append(
                        CatalogEntry(
                            operation_id=info.operation_id,
                            method=info.method,
                            path=info.path,
                            version=info.version,
                            api=info.api,
                            python_name=f"{prefix}.{name}" if prefix else name,
                            deprecated=info.deprecated,
                            paged=attr._runner == "_paginate",
                            tags=info.tags,
                            streamed=attr._runner == "_stream",
                            accept=info.accept,
                        )
                    )
    return entries
