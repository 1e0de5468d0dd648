"""Pagination: one abstraction, several strategies, lazy in sync and async.

A paged operation returns a pager. Iterating it yields items across pages, fetching one
page at a time (memory stays bounded by one page); ``pages()`` gives page-level access;
``max_items`` caps the total; ``position`` is a resumable token that
:meth:`SyncPager.resume` accepts later. It points at the next *unread item*: an offset, a
cookie, or, when iteration stopped inside a page whose strategy cannot address single
items, a :class:`PagePosition` (that page's start and how many of its items were read).

Strategies:

- :class:`OffsetPaging`: ``limit``/``offset`` style (Airflow's ``limit``/``offset`` with
  ``total_entries``, Airbyte's ``pageSize``/``rowOffset`` in the JSON body). The offset
  advances by the number of items actually received, so a server that clamps the page size
  cannot silently truncate the results.
- :class:`CookiePaging`: an opaque cookie returned by each page (Common REST's
  ``pagedResultsCookie``), until the server returns none.
- :class:`NextLinkPaging`: each page names the URL of the next one.
"""

from __future__ import annotations

import logging
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import aclosing, closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from ._calls import PagingStrategy
from ._errors import InvalidArgumentError
from ._lazy import publish
from ._sentinels import NotGiven

if TYPE_CHECKING:
    from ._calls import Call, OperationInfo, PagedCall
    from ._response import APIResponse

__all__ = [
    "AsyncPager",
    "CookiePaging",
    "NextLinkPaging",
    "OffsetPaging",
    "Page",
    "PagePosition",
    "PagingStrategy",
    "SyncPager",
]

T = TypeVar("T")
_log = logging.getLogger("commonrest.pagination")


@dataclass(frozen=True)
class PagePosition:
    """A resumable position inside a page: where the page starts (``None`` for the first
    page) and how many of its items were already read. Resuming fetches that page again and
    skips those items, so nothing is lost and nothing is yielded twice."""

    page: Any
    skip: int


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page: its items, the parsed page object, and the raw response."""

    items: Sequence[T]
    data: Any
    response: APIResponse[Any]
    position: Any
    """Where the *next* page starts (``None`` when this was the last page)."""
    start: Any = None
    """Where this page starts (the position it was fetched with)."""
    skipped: int = 0
    """Items of this page left out because a resumed position had read them already."""

    def position_after(self, count: int) -> Any:
        """The resumable position once ``count`` of :attr:`items` have been read."""
        if count >= len(self.items):
            return self.position
        read = self.skipped + count
        if isinstance(self.start, _OffsetStart):
            return self.start.offset + read
        return PagePosition(self.start, read) if read else self.start


@dataclass(frozen=True)
class _OffsetStart:
    offset: int


def _body_of(call: Call[Any]) -> dict[str, Any]:
    """The JSON body as a dict with wire names (a model body is dumped by alias)."""
    body = call.json
    if body is not None and hasattr(body, "model_dump"):
        body = body.model_dump(by_alias=True, exclude_unset=True)
    return dict(body) if isinstance(body, Mapping) else {}


def _read(call: PagedCall[Any, Any], location: str, name: str, container: str | None) -> Any:
    source: Any = call.query if location == "query" else _body_of(call)
    if container is not None and isinstance(source, Mapping):
        source = source.get(container)
    if isinstance(source, Mapping):
        value = source.get(name)
        return None if isinstance(value, NotGiven) else value
    return None


def _with(
    call: PagedCall[Any, Any], location: str, values: Mapping[str, Any], container: str | None
) -> Call[Any]:
    if location == "query":
        return call.replace(query={**dict(call.query or {}), **values})
    body = _body_of(call)
    if container is None:
        body.update(values)
    else:
        inner = body.get(container)
        body[container] = {**(dict(inner) if isinstance(inner, Mapping) else {}), **values}
    return call.replace(json=body)


@dataclass
class _OffsetCursor:
    offset: int
    limit: int
    largest: int = 0
    pages: int = 0
    #: (got, asked, total) of the last page when the server sent fewer items than asked but the
    #: total says more follow; the pager logs it, naming the operation.
    short: tuple[int, int, int] | None = None


def _whole(name: str, value: Any) -> int:
    """``value`` as an int (a numeric string too: a stored position may be text), or an
    :class:`InvalidArgumentError` naming ``name``; never a bool."""
    if not isinstance(value, bool) and not (isinstance(value, float) and not value.is_integer()):
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            pass
    raise InvalidArgumentError(f"{name} must be a whole number, got {value!r}", parameter=name)


class OffsetPaging(PagingStrategy):
    """``limit``/``offset`` paging. ``total`` reads the total count from a page when the API
    reports one; ``location`` says whether the two parameters travel in the query string or
    the JSON body, and ``container`` names a nested body object that holds them (Airbyte's
    ``{"pagination": {"pageSize": n, "rowOffset": k}}``); ``page_size`` is used when the
    caller did not choose a limit."""

    def __init__(
        self,
        *,
        limit: str = "limit",
        offset: str = "offset",
        total: Callable[[Any], int | None] | None = None,
        location: Literal["query", "json"] = "query",
        container: str | None = None,
        page_size: int = 100,
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be >= 1, got {page_size!r}")
        self.limit = limit
        self.offset = offset
        self.total = total
        self.location = location
        self.container = container
        self.page_size = page_size

    def start(self, call: PagedCall[Any, Any], position: Any) -> tuple[Call[Any], Any]:
        limit = _read(call, self.location, self.limit, self.container) or self.page_size
        if position is not None:
            offset = _whole("position", position)
        else:
            offset = _whole(
                self.offset, _read(call, self.location, self.offset, self.container) or 0
            )
        if offset < 0:
            raise InvalidArgumentError(
                f"{self.offset} must be >= 0, got {offset}", parameter=self.offset
            )
        cursor = _OffsetCursor(offset=offset, limit=_whole(self.limit, limit))
        values = {self.limit: cursor.limit, self.offset: offset}
        return _with(call, self.location, values, self.container), cursor

    def advance(
        self, call: PagedCall[Any, Any], cursor: Any, page: Any, items: Sequence[Any]
    ) -> tuple[Call[Any] | None, Any]:
        assert isinstance(cursor, _OffsetCursor)
        got = len(items)
        cursor.pages += 1
        if got == 0:
            return None, None
        cursor.offset += got
        total = self.total(page) if self.total is not None else None
        if total is not None:
            if cursor.offset >= total:
                return None, None
            cursor.short = (got, cursor.limit, total) if got < cursor.limit else None
        elif cursor.largest and got < min(cursor.limit, cursor.largest):
            # A short page after full pages ends the list. A short *first* page may be
            # the server clamping the size: that one is not trusted, the next page tells.
            return None, None
        cursor.largest = max(cursor.largest, got)
        values = {self.limit: cursor.limit, self.offset: cursor.offset}
        next_call = _with(call, self.location, values, self.container)
        return next_call, cursor

    @staticmethod
    def position_of(cursor: Any) -> Any:
        """The resumable position of a cursor."""
        return cursor.offset if isinstance(cursor, _OffsetCursor) else None


class CookiePaging(PagingStrategy):
    """Cookie paging: each page returns a cookie to send back for the next one."""

    def __init__(
        self,
        *,
        cookie: str = "_pagedResultsCookie",
        next_cookie: Callable[[Any], str | None],
        location: Literal["query", "json"] = "query",
    ) -> None:
        self.cookie = cookie
        self.next_cookie = next_cookie
        self.location = location

    def start(self, call: PagedCall[Any, Any], position: Any) -> tuple[Call[Any], Any]:
        if position is None:
            return call.replace(), None
        return _with(call, self.location, {self.cookie: position}, None), position

    def advance(
        self, call: PagedCall[Any, Any], cursor: Any, page: Any, items: Sequence[Any]
    ) -> tuple[Call[Any] | None, Any]:
        cookie = self.next_cookie(page)
        if not cookie or (not items and cookie == cursor):
            return None, None
        return _with(call, self.location, {self.cookie: cookie}, None), cookie


class NextLinkPaging(PagingStrategy):
    """Each page carries the URL (or query string) of the next page."""

    def __init__(self, *, next_link: Callable[[Any], str | None]) -> None:
        self.next_link = next_link

    def start(self, call: PagedCall[Any, Any], position: Any) -> tuple[Call[Any], Any]:
        first = call.replace()
        if position is not None:
            first.url = str(position)
        return first, position

    def advance(
        self, call: PagedCall[Any, Any], cursor: Any, page: Any, items: Sequence[Any]
    ) -> tuple[Call[Any] | None, Any]:
        link = self.next_link(page)
        if not link or not items or link == cursor:  # a page linking to itself would loop
            return None, None
        nxt = call.replace()
        nxt.url = link
        return nxt, link


class _Walk:
    """The pager's cursor logic, shared by the sync and async pagers."""

    __slots__ = ("call", "cursor", "info", "next_call", "position", "skip")

    def __init__(self, info: OperationInfo, call: PagedCall[Any, Any], position: Any) -> None:
        self.info = info
        self.call = call
        self.skip = 0
        if isinstance(position, PagePosition):
            if position.skip < 0:
                raise InvalidArgumentError(
                    f"PagePosition.skip must be >= 0, got {position.skip}", parameter="position"
                )
            position, self.skip = position.page, position.skip
        if self.skip and isinstance(call.paging, OffsetPaging):
            position, self.skip = _whole("position", position or 0) + self.skip, 0
        first, self.cursor = call.paging.start(call, position)
        self.next_call: Call[Any] | None = first
        self.position = position

    def accept(self, data: Any, response: APIResponse[Any]) -> Page[Any]:
        items = list(self.call.items(data) or ())
        start: Any = self.position
        if isinstance(self.cursor, _OffsetCursor):
            start = _OffsetStart(self.cursor.offset)
        nxt, self.cursor = self.call.paging.advance(self.call, self.cursor, data, items)
        self.next_call = nxt
        cursor = self.cursor
        if isinstance(cursor, _OffsetCursor) and cursor.short is not None:
            info = self.info
            _log.info(
                "%s: server returned %d items where %d were asked; continuing at offset %d of %d",
                info.label,
                cursor.short[0],
                cursor.short[1],
                cursor.offset,
                cursor.short[2],
                extra=info.log_extra(),
            )
            cursor.short = None
        if isinstance(self.call.paging, OffsetPaging):
            self.position = OffsetPaging.position_of(self.cursor) if nxt else None
        else:
            self.position = self.cursor if nxt else None
        skipped, self.skip = min(self.skip, len(items)), 0
        return Page(
            items=items[skipped:],
            data=data,
            response=response,
            position=self.position,
            start=start,
            skipped=skipped,
        )


class SyncPager(Generic[T]):
    """Lazy, re-iterable access to every item of a paged operation (sync)."""

    def __init__(
        self,
        client: Any,
        info: OperationInfo,
        call: PagedCall[Any, T],
        *,
        position: Any = None,
    ) -> None:
        self._client = client
        self._info = info
        self._call = call
        self._start = position
        self.position: Any = position
        """Where the next unread item is; pass it to :meth:`resume` to continue later."""

    def __repr__(self) -> str:
        info = self._info
        return (
            f"<SyncPager {info.operation_id} "
            f"({info.method} {info.path}) position={self.position!r}>"
        )

    def resume(self, position: Any) -> SyncPager[T]:
        """A pager over the same call, starting at a ``position`` saved earlier."""
        return SyncPager(self._client, self._info, self._call, position=position)

    def pages(self) -> Generator[Page[T], None, None]:
        """Iterate page by page."""
        walk = _Walk(self._info, self._call, self._start)
        while walk.next_call is not None:
            data, response = self._client._run_page(self._info, walk.next_call)
            page = walk.accept(data, response)
            self.position = walk.position
            yield page

    def items(self, max_items: int | None = None) -> Iterator[T]:
        """Iterate items across pages, stopping after ``max_items`` when given."""
        limit = self._call.max_items if max_items is None else max_items
        if limit is not None and limit < 0:
            raise InvalidArgumentError(
                f"max_items must be >= 0, got {limit!r}", parameter="max_items"
            )
        if limit == 0:
            return
        count = 0
        with closing(self.pages()) as pages:
            for page in pages:
                self.position = page.position_after(0)
                for read, item in enumerate(page.items, 1):
                    # A yielded item is delivered: the position moves past it first, so a
                    # caller that stops here (break, max_items) resumes at the next one.
                    self.position = page.position_after(read)
                    yield item
                    count += 1
                    if limit is not None and count >= limit:
                        return

    def __iter__(self) -> Iterator[T]:
        return self.items()

    def first_page(self) -> Page[T]:
        """Fetch only the first page."""
        with closing(self.pages()) as pages:
            for page in pages:
                return page
        raise RuntimeError("pager produced no page")  # pragma: no cover - pages() yields once

    def to_list(self, max_items: int | None = None) -> list[T]:
        """All items (up to ``max_items``) in a list."""
        return list(self.items(max_items))


class AsyncPager(Generic[T]):
    """Lazy access to every item of a paged operation (async): ``async for item in pager``."""

    def __init__(
        self,
        client: Any,
        info: OperationInfo,
        call: PagedCall[Any, T],
        *,
        position: Any = None,
    ) -> None:
        self._client = client
        self._info = info
        self._call = call
        self._start = position
        self.position: Any = position

    def __repr__(self) -> str:
        info = self._info
        return (
            f"<AsyncPager {info.operation_id} "
            f"({info.method} {info.path}) position={self.position!r}>"
        )

    def resume(self, position: Any) -> AsyncPager[T]:
        """A pager over the same call, starting at a ``position`` saved earlier."""
        return AsyncPager(self._client, self._info, self._call, position=position)

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Iterate page by page."""
        walk = _Walk(self._info, self._call, self._start)
        while walk.next_call is not None:
            data, response = await self._client._run_page(self._info, walk.next_call)
            page = walk.accept(data, response)
            self.position = walk.position
            yield page

    async def items(self, max_items: int | None = None) -> AsyncIterator[T]:
        """Iterate items across pages, stopping after ``max_items`` when given."""
        limit = self._call.max_items if max_items is None else max_items
        if limit is not None and limit < 0:
            raise InvalidArgumentError(
                f"max_items must be >= 0, got {limit!r}", parameter="max_items"
            )
        if limit == 0:
            return
        count = 0
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                self.position = page.position_after(0)
                for read, item in enumerate(page.items, 1):
                    # A yielded item is delivered: the position moves past it first, so a
                    # caller that stops here (break, max_items) resumes at the next one.
                    self.position = page.position_after(read)
                    yield item
                    count += 1
                    if limit is not None and count >= limit:
                        return

    def __aiter__(self) -> AsyncIterator[T]:
        return self.items()

    async def first_page(self) -> Page[T]:
        """Fetch only the first page."""
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                return page
        raise RuntimeError("pager produced no page")  # pragma: no cover

    async def to_list(self, max_items: int | None = None) -> list[T]:
        """All items (up to ``max_items``) in a list."""
        return [item async for item in self.items(max_items)]


publish(__name__, globals())
