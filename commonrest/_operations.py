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
from collections.abc import Callable, Coroutine, Iterable, Sequence
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

from ._arguments import ArgumentChecks
from ._calls import _SAFE_METHODS, Call, OperationInfo, PagedCall, Parameter
from ._errors import CommonRestError
from ._lazy import publish

if TYPE_CHECKING:
    from ._pagination import AsyncPager, SyncPager
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
    "bound_once",
    "build_catalog",
    "dynamic_operation",
    "dynamic_paged_operation",
    "named_like",
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
    """Operations block and return an :class:`~commonrest.APIResponse`."""


class AsyncRaw(Mode):
    """Operations return coroutines of an :class:`~commonrest.APIResponse`."""


M = TypeVar("M", bound=Mode)
S = TypeVar("S", bound="Resource[Any]")


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

    __slots__ = ("_bound", "_client")
    resource_path: ClassVar[str] = ""

    def __init__(self, client: Executor) -> None:
        self._client = client
        #: Operation or helper descriptor -> its function bound to this resource (made
        #: once, see :func:`bound_once`).
        self._bound: dict[object, Callable[..., Any]] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"


def bound_once(
    obj: Any, descriptor: object, bind: Callable[[], Callable[..., Any]]
) -> Callable[..., Any]:
    """``descriptor``'s function bound to the resource ``obj``: made by ``bind`` on first
    use and kept on the resource (``client.payments.authorise`` is looked up on every
    call). An object that keeps none gets a new one each time."""
    cache: dict[object, Callable[..., Any]] | None = getattr(obj, "_bound", None)
    if cache is None:
        return bind()
    found = cache.get(descriptor)
    if found is None:
        found = cache[descriptor] = bind()
    return found


def named_like(bound: Callable[..., Any], fn: Callable[..., Any], signature: Any) -> None:
    """Make ``bound`` (a resource's function) show as ``fn`` does, with the public
    ``signature`` (what ``help()``, IDEs and Jupyter show)."""
    bound.__name__ = fn.__name__
    bound.__qualname__ = getattr(fn, "__qualname__", fn.__name__)
    bound.__doc__ = fn.__doc__
    bound.__module__ = fn.__module__
    bound.__signature__ = signature  # type: ignore[attr-defined]


def _warn_deprecated(info: OperationInfo) -> None:
    warnings.warn(
        f"{info.python_name or info.operation_id} ({info.method} {info.path}) is deprecated "
        "by the API vendor",
        DeprecationWarning,
        stacklevel=3,
    )


class _Descriptor:
    """The one implementation of every operation descriptor: plain, paged, streamed, each
    declared statically or dynamically.

    A static declaration holds its :class:`OperationInfo` (``info``) and the body returns
    the :class:`Call`; a dynamic one (``info`` is ``None``) has a body that returns
    ``(info, call)``, its path known only at call time. ``_runner`` names the client
    method that runs the call (execute, page through, or stream); subclasses add only the
    ``__get__`` overloads that type what each client mode returns.
    """

    __slots__ = ("_signature", "checks", "fn", "info")
    _runner: ClassVar[str] = "_execute"

    fn: Callable[..., Any]
    info: OperationInfo | None
    _signature: Any

    def __init__(self, fn: Callable[..., Any], info: OperationInfo | None = None) -> None:
        self.fn = fn
        self.info = info
        self.checks = None if info is None else ArgumentChecks.of(info.params)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if self.info is not None and not self.info.python_name:
            prefix = getattr(owner, "resource_path", "")
            object.__setattr__(self.info, "python_name", f"{prefix}.{name}" if prefix else name)

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

    def _static_info(self) -> OperationInfo | None:
        return self.info

    def _bound_to(self, obj: Any) -> Callable[..., Any]:
        return bound_once(obj, self, lambda: self._bind(obj))

    def _bind(self, obj: Any) -> Callable[..., Any]:
        client = obj._client
        run = getattr(client, self._runner)
        fn = self.fn
        checks = self.checks
        static = self.info

        def bound(*args: Any, **kwargs: Any) -> Any:
            try:
                if static is None:
                    info, call = fn(obj, *args, **kwargs)
                else:
                    info, call = static, fn(obj, *args, **kwargs)
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

        named_like(bound, fn, self._public_signature(client))
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
        return self if obj is None else self._bound_to(obj)


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
        return self if obj is None else self._bound_to(obj)


class Operation(_Executed[S, P, R]):
    """Descriptor made by :func:`operation`; see the module docstring."""

    __slots__ = ()
    info: OperationInfo


class PagedOperation(_Paged[S, P, ItemT]):
    """Descriptor made by :func:`paged_operation`: calls return lazy pagers."""

    __slots__ = ()
    info: OperationInfo


class DynamicOperation(_Executed[S, P, R]):
    """Descriptor made by :func:`dynamic_operation`: the body builds the
    :class:`OperationInfo` too (its path known only at call time)."""

    __slots__ = ()


class DynamicPagedOperation(_Paged[S, P, ItemT]):
    """Descriptor made by :func:`dynamic_paged_operation`: lazy pagers over a call whose
    :class:`OperationInfo` the body builds."""

    __slots__ = ()


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
    return DynamicOperation(fn, None)


def dynamic_paged_operation(
    fn: Callable[Concatenate[S, P], tuple[OperationInfo, PagedCall[Any, ItemT]]],
) -> DynamicPagedOperation[S, P, ItemT]:
    """The paged twin of :func:`dynamic_operation`: calls return lazy pagers."""
    return DynamicPagedOperation(fn, None)


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
    read_only: bool = False
    """A POST or PATCH that its declaration marks as only reading (retried like a GET)."""

    @property
    def retry_safe(self) -> bool:
        """True when repeating the request cannot duplicate a side effect on its own: a
        method that is idempotent by HTTP semantics, or a read-only declaration. Whether a
        POST is retried with an idempotency key depends on the API's service instead."""
        return self.read_only or self.method in _SAFE_METHODS


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
                            read_only=info.read_only,
                        )
                    )
    return entries


publish(__name__, globals())
