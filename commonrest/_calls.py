"""What a call is made of: the static facts of an operation and the parts of one request.

:class:`OperationInfo` (with its declared :class:`Parameter` list) is what a declaration
says once; :class:`Call` and :class:`PagedCall` are what an operation's body builds for each
call, and a :class:`PagingStrategy` turns a paged call into the request for its next page.
Everything above (operation declarations, argument checks, pagers, the pipeline) reads
these; this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, overload

from ._errors import InvalidArgumentError

if TYPE_CHECKING:
    import httpx

__all__ = ["Call", "Number", "OperationInfo", "PagedCall", "PagingStrategy", "Parameter"]

R = TypeVar("R")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")
X = TypeVar("X")

#: A bound of a numeric parameter.
Number = int | float

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


@dataclass(frozen=True)
class Parameter:
    """What the spec declares about one path, query or header parameter.

    ``name`` is the Python name, ``wire`` the name in the request (``None``: the same).
    ``type`` is the JSON schema type (``None``: nothing is checked but what the location
    requires); ``items`` describes the items of an ``array``. ``secret`` hides the value
    from messages.
    """

    name: str
    location: Literal["path", "query", "header"] = "query"
    wire: str | None = None
    required: bool = False
    type: Literal["string", "integer", "number", "boolean", "array"] | None = None
    format: str | None = None
    minimum: Number | None = None
    maximum: Number | None = None
    exclusive_minimum: Number | None = None
    exclusive_maximum: Number | None = None
    enum: tuple[Any, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    items: Parameter | None = None
    nullable: bool = False
    secret: bool = False

    @property
    def wire_name(self) -> str:
        """The parameter's name in the request."""
        return self.wire or self.name


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
    maps of wire names to values; :data:`~commonrest.NOT_GIVEN` values are left
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

    ``secrets`` and ``private`` serve bodies holding secrets that the client's credentials
    do not cover (connector configurations; a vendor's setup sets them per operation):
    ``secrets`` are values scrubbed from every error of the call as credentials are, and
    a ``private`` call's success body is never kept by an error (a decode error of it
    keeps neither body nor text).
    """

    __slots__ = (
        "body_model",
        "cached",
        "content",
        "finish",
        "headers",
        "json",
        "path",
        "private",
        "query",
        "response",
        "retry_safe",
        "secrets",
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
        self.secrets: tuple[str, ...] = ()
        self.private = False

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
        new.secrets = self.secrets
        new.private = self.private
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
        page: Call[PageT] = Call(
            self.response,
            path=self.path,
            query=self.query if query is None else query,
            headers=self.headers,
            json=self.json if json is None else json,
            body_model=self.body_model,
            retry_safe=self.retry_safe,
        )
        page.secrets = self.secrets
        page.private = self.private
        return page


class PagingStrategy:
    """How to ask for the next page. Subclasses keep no per-iteration state of their own:
    the cursor lives in the pager, so one strategy serves every call."""

    def start(self, call: PagedCall[Any, Any], position: Any) -> tuple[Call[Any], Any]:
        """The request for the first page and the initial cursor."""
        raise NotImplementedError

    def advance(
        self, call: PagedCall[Any, Any], cursor: Any, page: Any, items: Sequence[Any]
    ) -> tuple[Call[Any] | None, Any]:
        """The request for the next page (``None`` when done) and the new cursor."""
        raise NotImplementedError
