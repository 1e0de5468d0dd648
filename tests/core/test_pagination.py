"""Pagination: every strategy, sync and async, lazy and bounded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from commonrest._pagination import AsyncPager, PagePosition, SyncPager

from .api import Pet
from .helpers import PETS, AnyPetClient, Factory, collect, pet, take

pytestmark = pytest.mark.anyio


def names(pets: list[Pet]) -> list[str]:
    return [p.pet_id for p in pets]


def expected(count: int, start: int = 0) -> list[str]:
    return [f"p{n:03d}" for n in range(start, count)]


class OffsetServer:
    """``GET /pets?limit&offset`` over ``count`` pets; may clamp the limit and hide the
    total, as real servers do."""

    def __init__(self, count: int, *, clamp: int | None = None, total: bool = True) -> None:
        self.count = count
        self.clamp = clamp
        self.total = total
        self.asked: list[tuple[int, int]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params["limit"])
        offset = int(request.url.params["offset"])
        self.asked.append((limit, offset))
        size = min(limit, self.clamp) if self.clamp else limit
        items = [pet(f"p{n:03d}") for n in range(offset, min(offset + size, self.count))]
        body: dict[str, Any] = {"pets": items}
        if self.total:
            body["total_entries"] = self.count
        return httpx.Response(200, json=body)


def serve(router: respx.MockRouter, server: OffsetServer) -> None:
    router.get(f"{PETS}/pets").mock(side_effect=server)


# ------------------------------------------------------------------------- offset


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 45, 60])
async def test_offset_paging_with_total_returns_everything(
    make: Factory, router: respx.MockRouter, count: int
) -> None:
    server = OffsetServer(count)
    serve(router, server)
    client = make()

    assert names(await collect(client.pets.list())) == expected(count)
    assert len(server.asked) == max(1, -(-count // 20))
    assert all(limit == 20 for limit, _ in server.asked)


@pytest.mark.parametrize("total", [True, False], ids=["with-total", "without-total"])
@pytest.mark.parametrize("count", [5, 10, 45, 50])
async def test_a_server_that_clamps_the_page_size_cannot_truncate(
    make: Factory, router: respx.MockRouter, count: int, total: bool
) -> None:
    server = OffsetServer(count, clamp=10, total=total)
    serve(router, server)
    client = make()

    assert names(await collect(client.pets.list(limit=25))) == expected(count)
    assert [offset for _, offset in server.asked][: -(-count // 10)] == list(range(0, count, 10))


@pytest.mark.parametrize("count", [0, 7, 20, 40, 45])
async def test_offset_paging_without_total_stops_at_a_short_page(
    make: Factory, router: respx.MockRouter, count: int
) -> None:
    server = OffsetServer(count, total=False)
    serve(router, server)
    client = make()

    assert names(await collect(client.pets.list())) == expected(count)
    # full pages, then one short (or empty) page; a short first page is checked once more
    assert len(server.asked) <= count // 20 + 2


async def test_max_items_stops_early_without_fetching_more_pages(
    make: Factory, router: respx.MockRouter
) -> None:
    server = OffsetServer(1000)
    serve(router, server)
    client = make()

    assert names(await collect(client.pets.list(), max_items=25)) == expected(25)
    assert len(server.asked) == 2  # pages are fetched one at a time, only as needed

    server.asked.clear()
    assert names(await collect(client.pets.list(limit=5), max_items=5)) == expected(5)
    assert server.asked == [(5, 0)]

    server.asked.clear()
    assert await collect(client.pets.list(), max_items=0) == []
    assert server.asked == []


async def test_iteration_is_lazy(make: Factory, router: respx.MockRouter) -> None:
    server = OffsetServer(100)
    serve(router, server)
    client = make()

    pager = client.pets.list()
    assert server.asked == []  # nothing is fetched before iterating
    await take(pager, 21)
    assert len(server.asked) == 2


async def test_pages_give_page_level_access_and_a_resumable_position(
    make: Factory, router: respx.MockRouter
) -> None:
    server = OffsetServer(45)
    serve(router, server)
    client = make()

    pager = client.pets.list()
    if isinstance(pager, AsyncPager):
        first = await pager.first_page()
    else:
        first = pager.first_page()

    assert names(list(first.items)) == expected(20)
    assert first.position == 20
    assert pager.position == 20
    assert first.response.status_code == 200
    assert first.data.total_entries == 45

    rest = pager.resume(pager.position)
    assert names(await collect(rest)) == expected(45, start=20)
    assert rest.position is None  # nothing left to read
    assert server.asked[-1] == (20, 40)


async def test_a_caller_offset_is_the_start(make: Factory, router: respx.MockRouter) -> None:
    server = OffsetServer(30)
    serve(router, server)
    client = make()
    assert names(await collect(client.pets.list(offset=25))) == expected(30, start=25)


async def test_a_failing_page_raises_and_keeps_the_position(
    make: Factory, router: respx.MockRouter
) -> None:
    server = OffsetServer(100)

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.params["offset"] == "40":
            return httpx.Response(404, json={"message": "gone"})
        return server(request)

    router.get(f"{PETS}/pets").mock(side_effect=flaky)
    client = make()
    pager = client.pets.list()
    seen: list[Pet] = []

    from commonrest import NotFoundError

    with pytest.raises(NotFoundError):
        if isinstance(pager, AsyncPager):
            async for item in pager:
                seen.append(item)
        else:
            for item in pager:
                seen.append(item)

    assert len(seen) == 40
    assert pager.position == 40


# ------------------------------------------------------------------------- cookie


def cookie_server(count: int) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        size = int(request.url.params["_pageSize"])
        start = int(request.url.params.get("_pagedResultsCookie", "0") or 0)
        items = [pet(f"p{n:03d}") for n in range(start, min(start + size, count))]
        end = start + size
        cookie = str(end) if end < count else None
        return httpx.Response(200, json={"result": items, "pagedResultsCookie": cookie})

    return answer


@pytest.mark.parametrize("count", [0, 1, 4, 5])
async def test_cookie_paging_follows_cookies_until_none(
    make: Factory, router: respx.MockRouter, count: int
) -> None:
    route = router.get(f"{PETS}/cookie-pets").mock(side_effect=cookie_server(count))
    client = make()

    assert names(await collect(client.pets.list_by_cookie(page_size=2))) == expected(count)
    cookies = [c.request.url.params.get("_pagedResultsCookie") for c in route.calls]
    assert cookies[0] is None
    assert cookies[1:] == [str(n) for n in range(2, count, 2)]


async def test_cookie_paging_resumes_from_a_cookie(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/cookie-pets").mock(side_effect=cookie_server(7))
    client = make()

    pager = client.pets.list_by_cookie(page_size=3)
    if isinstance(pager, AsyncPager):
        page = await pager.first_page()
    else:
        page = pager.first_page()
    assert page.position == "3"

    assert names(await collect(pager.resume(page.position))) == expected(7, start=3)


async def test_cookie_paging_stops_on_a_repeated_cookie_with_no_items(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.get(f"{PETS}/cookie-pets").respond(
        200, json={"result": [], "pagedResultsCookie": "same"}
    )
    client = make()
    pager = client.pets.list_by_cookie()
    if isinstance(pager, AsyncPager):
        pages = [p async for p in pager.pages()]
    else:
        pages = list(pager.pages())
    assert len(pages) <= 2
    assert route.call_count <= 2


# ------------------------------------------------------------------------- next link


async def test_next_link_paging_follows_same_origin_links(
    make: Factory, router: respx.MockRouter
) -> None:
    pages = {
        None: {"data": [pet("p000"), pet("p001")], "next": f"{PETS}/linked-pets?page=2"},
        "2": {"data": [pet("p002")], "next": "/api/v2/linked-pets?page=3"},
        "3": {"data": [pet("p003")], "next": None},
    }
    route = router.get(f"{PETS}/linked-pets").mock(
        side_effect=lambda request: httpx.Response(200, json=pages[request.url.params.get("page")])
    )
    client = make()

    assert names(await collect(client.pets.list_linked())) == expected(4)
    assert route.call_count == 3


async def test_next_link_paging_stops_when_a_page_links_to_itself(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.get(f"{PETS}/linked-pets").respond(
        200, json={"data": [pet("p000")], "next": f"{PETS}/linked-pets?page=2"}
    )
    client = make()

    assert names(await collect(client.pets.list_linked())) == ["p000", "p000"]
    assert route.call_count == 2


async def test_next_link_paging_refuses_another_origin(
    make: Factory, router: respx.MockRouter
) -> None:
    from commonrest import APIKeyAuth

    router.get(f"{PETS}/linked-pets").respond(
        200, json={"data": [pet("p000")], "next": "https://evil.example.com/steal?page=2"}
    )
    evil = router.get(url__startswith="https://evil.example.com").respond(200, json={"data": []})
    client = make(auth=APIKeyAuth("key-123456"))

    with pytest.raises(ValueError, match="another origin"):
        await collect(client.pets.list_linked())
    assert not evil.called


# ------------------------------------------------------------------------- typing


async def test_sync_and_async_clients_give_their_pager(make: Factory) -> None:
    client: AnyPetClient = make()
    pager = client.pets.list()
    assert isinstance(pager, (SyncPager, AsyncPager))
    assert isinstance(pager, AsyncPager) == (type(client).__name__ == "AsyncPetClient")


async def test_stopping_early_closes_the_page_walk_at_once(
    make: Factory, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(router, OffsetServer(100))
    closed: list[bool] = []
    original_sync, original_async = SyncPager.pages, AsyncPager.pages

    def sync_pages(self: SyncPager[Any]) -> Any:
        try:
            yield from original_sync(self)
        finally:
            closed.append(True)

    async def async_pages(self: AsyncPager[Any]) -> Any:
        try:
            async for page in original_async(self):
                yield page
        finally:
            closed.append(True)

    monkeypatch.setattr(SyncPager, "pages", sync_pages)
    monkeypatch.setattr(AsyncPager, "pages", async_pages)
    client = make()

    assert len(await collect(client.pets.list(), max_items=3)) == 3
    assert closed == [True]  # closed before the call returned, not whenever GC runs

    pager = client.pets.list()
    if isinstance(pager, AsyncPager):
        await pager.first_page()
    else:
        pager.first_page()
    assert closed == [True, True]


# ------------------------------------------------------------------------- resume inside a page


async def test_stopping_inside_a_page_resumes_at_the_next_unread_item(
    make: Factory, router: respx.MockRouter
) -> None:
    server = OffsetServer(45)
    serve(router, server)
    client = make()

    pager = client.pets.list()
    assert names(await collect(pager, max_items=15)) == expected(15)
    assert pager.position == 15  # inside the first page of 20: offsets address single items

    rest = pager.resume(pager.position)
    assert names(await collect(rest, max_items=10)) == expected(25, start=15)
    assert rest.position == 25
    assert names(await collect(rest.resume(rest.position))) == expected(45, start=25)


async def test_breaking_out_of_a_loop_keeps_the_position_of_the_next_item(
    make: Factory, router: respx.MockRouter
) -> None:
    serve(router, OffsetServer(30))
    client = make()
    pager = client.pets.list()
    seen = await take(pager, 7)
    assert pager.position == 7
    assert names(seen + await collect(pager.resume(pager.position))) == expected(30)


@pytest.mark.parametrize("stop", [1, 2, 3, 4, 5, 6])
async def test_cookie_paging_resumes_inside_a_page_without_loss_or_repeats(
    make: Factory, router: respx.MockRouter, stop: int
) -> None:
    router.get(f"{PETS}/cookie-pets").mock(side_effect=cookie_server(7))
    client = make()

    pager = client.pets.list_by_cookie(page_size=3)
    first = await collect(pager, max_items=stop)
    position = pager.position
    if stop % 3:  # inside a page: that page's cookie and how many of its items were read
        page_start = None if stop < 3 else str(stop - stop % 3)
        assert position == PagePosition(page_start, stop % 3)
    else:
        assert position == str(stop)
    assert names(first + await collect(pager.resume(position))) == expected(7)


async def test_a_negative_skip_is_refused(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/cookie-pets").mock(side_effect=cookie_server(7))
    client = make()
    with pytest.raises(ValueError, match="skip"):
        await collect(client.pets.list_by_cookie(page_size=3).resume(PagePosition("3", -1)))
    assert not router.calls
