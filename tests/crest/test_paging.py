"""Paging: cookies and offsets across many pages, max_items, resumable positions, totals."""

from __future__ import annotations

from typing import Any

import pytest

from commonrest import BadRequestError
from commonrest.crest import QueryResult, field, true
from commonrest.crest._wire import PagingMode
from commonrest.testing.crest_server import CrestServer

from .helpers import collect, collect_pages, open_client, resolve

pytestmark = pytest.mark.anyio

COUNT = 1000


@pytest.fixture(scope="module")
def big_server() -> CrestServer:
    """1,000 resources, created once for the module (the paging tests only read)."""
    server = CrestServer()
    server.add_collection("/things").seed([{"n": i, "even": i % 2 == 0} for i in range(COUNT)])
    return server


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["_id"] for item in items]


EXPECTED = [str(i) for i in range(1, COUNT + 1)]


@pytest.mark.parametrize("paging", ["cookie", "offset"])
def test_every_page_size_from_1_to_50_yields_each_resource_once_sync(
    big_server: CrestServer, paging: str
) -> None:
    with big_server.client() as client:
        things = client.resource("/things")
        for page_size in range(1, 51):
            big_server.requests.clear()
            seen = _ids(list(things.query(true(), page_size=page_size, paging=paging)))  # type: ignore[arg-type]
            assert seen == EXPECTED, page_size
            assert len(set(seen)) == COUNT
            # One request per page: no page fetched twice, none skipped. Without a total,
            # offset paging needs one more (empty) page to see the end after a full page.
            pages = -(-COUNT // page_size)
            extra = 1 if paging == "offset" and COUNT % page_size == 0 else 0
            assert len(big_server.requests) == pages + extra, page_size


@pytest.mark.parametrize("paging", ["cookie", "offset"])
async def test_every_page_size_from_1_to_50_yields_each_resource_once_async(
    big_server: CrestServer, paging: PagingMode
) -> None:
    async with open_client(big_server, "async") as client:
        things = client.resource("/things")
        for page_size in range(1, 51):
            big_server.requests.clear()
            seen = _ids(await collect(things.query(true(), page_size=page_size, paging=paging)))
            assert seen == EXPECTED, page_size
            assert len(set(seen)) == COUNT
            # The paging asked for is the paging used, every request of it.
            for request in big_server.requests[1:]:
                params = request.url.params
                if paging == "cookie":
                    assert "_pagedResultsCookie" in params and "_pagedResultsOffset" not in params
                else:
                    assert "_pagedResultsOffset" in params and "_pagedResultsCookie" not in params
            pages = -(-COUNT // page_size)
            extra = 1 if paging == "offset" and COUNT % page_size == 0 else 0
            assert len(big_server.requests) == pages + extra, page_size


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run each test with the sync and with the async client."""
    return str(request.param)


async def test_cookie_paging_follows_the_cookie_until_none(
    big_server: CrestServer, mode: str
) -> None:
    big_server.requests.clear()
    async with open_client(big_server, mode) as client:
        pages = await collect_pages(
            client.resource("/things").query(field("/n").lt(25), page_size=10)
        )
    sent = [r.url.params.get("_pagedResultsCookie") for r in big_server.requests]
    assert sent[0] is None
    assert sent[1:] == [p.data.paged_results_cookie for p in pages[:-1]]
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert pages[-1].data.paged_results_cookie is None
    assert pages[-1].position is None
    assert all(isinstance(p.data, QueryResult) for p in pages)


async def test_offset_paging_advances_the_offset(big_server: CrestServer, mode: str) -> None:
    big_server.requests.clear()
    async with open_client(big_server, mode) as client:
        items = await collect(
            client.resource("/things").query(
                field("/n").lt(25), page_size=10, paged_results_offset=5
            )
        )
    assert [i["n"] for i in items] == list(range(5, 25))
    offsets = [r.url.params["_pagedResultsOffset"] for r in big_server.requests]
    assert offsets[:2] == ["5", "15"]
    assert all("_pagedResultsCookie" not in r.url.params for r in big_server.requests)


async def test_max_items_stops_early(big_server: CrestServer, mode: str) -> None:
    big_server.requests.clear()
    async with open_client(big_server, mode) as client:
        things = client.resource("/things")
        items = await collect(things.query(true(), page_size=7, max_items=15))
        assert _ids(items) == EXPECTED[:15]
        assert len(big_server.requests) == 3  # 7 + 7 + 1 of the third page
        pager = things.query(true(), page_size=7)
        if mode == "sync":
            assert len(pager.to_list(max_items=3)) == 3
        else:
            assert len(await pager.to_list(max_items=3)) == 3


async def test_position_is_a_resumable_cookie(big_server: CrestServer, mode: str) -> None:
    async with open_client(big_server, mode) as client:
        things = client.resource("/things")
        pager = things.query(field("/even").eq(True), page_size=20)
        first = await resolve(pager.first_page())
        position = first.position
        assert isinstance(position, str) and position == first.data.paged_results_cookie
        rest = await collect(pager.resume(position))
        # The same position also works as an explicit starting cookie.
        again = await collect(
            things.query(field("/even").eq(True), page_size=20, paged_results_cookie=position)
        )
    assert [i["n"] for i in first.items] == list(range(0, 40, 2))
    assert [i["n"] for i in rest] == list(range(40, COUNT, 2))
    assert again == rest


async def test_offset_position_resumes_too(big_server: CrestServer, mode: str) -> None:
    async with open_client(big_server, mode) as client:
        pager = client.resource("/things").query(field("/n").lt(30), page_size=10, paging="offset")
        first = await resolve(pager.first_page())
        assert first.position == 10
        rest = await collect(pager.resume(first.position))
    assert [i["n"] for i in rest] == list(range(10, 30))


@pytest.mark.parametrize(
    ("policy", "total", "remaining"),
    [("NONE", -1, -1), ("EXACT", 30, 20), ("ESTIMATE", 30, 20), (None, -1, -1)],
)
async def test_total_paged_results_policy(
    big_server: CrestServer, mode: str, policy: str | None, total: int, remaining: int
) -> None:
    kwargs: dict[str, Any] = {} if policy is None else {"total_paged_results_policy": policy}
    async with open_client(big_server, mode) as client:
        pages = await collect_pages(
            client.resource("/things").query(field("/n").ge(970), page_size=10, **kwargs)
        )
    first = pages[0].data
    assert first.total_paged_results == total
    assert first.remaining_paged_results == remaining
    assert first.total_paged_results_policy == (policy or "NONE")
    assert sum(len(p.items) for p in pages) == 30


@pytest.mark.parametrize("policy", ["NONE", "EXACT"])
async def test_offset_paging_survives_a_server_that_clamps_the_page_size(
    mode: str, policy: str
) -> None:
    server = CrestServer(max_page_size=7)
    server.add_collection("/things").seed([{"n": i} for i in range(53)])
    async with open_client(server, mode) as client:
        items = await collect(
            client.resource("/things").query(
                true(), page_size=10, paging="offset", total_paged_results_policy=policy
            )
        )
    assert [i["n"] for i in items] == list(range(53))


async def test_without_a_page_size_everything_comes_in_one_page(
    big_server: CrestServer, mode: str
) -> None:
    big_server.requests.clear()
    async with open_client(big_server, mode) as client:
        items = await collect(client.resource("/things").query(field("/n").lt(100)))
    assert len(items) == 100
    assert len(big_server.requests) == 1
    assert "_pageSize" not in big_server.requests[0].url.params


async def test_a_cookie_from_another_query_is_refused(big_server: CrestServer, mode: str) -> None:
    async with open_client(big_server, mode) as client:
        things = client.resource("/things")
        page = await resolve(things.query_page(true(), page_size=5))
        assert page.paged_results_cookie is not None
        with pytest.raises(BadRequestError, match="different query"):
            await resolve(
                things.query_page(
                    field("/n").gt(3), page_size=5, paged_results_cookie=page.paged_results_cookie
                )
            )
        with pytest.raises(BadRequestError, match="invalid _pagedResultsCookie"):
            await resolve(things.query_page(true(), page_size=5, paged_results_cookie="@@"))


async def test_results_key_spelled_results_is_accepted(mode: str) -> None:
    server = CrestServer(results_key="results")
    server.add_collection("/things").seed([{"n": i} for i in range(12)])
    async with open_client(server, mode) as client:
        items = await collect(client.resource("/things").query(true(), page_size=5))
    assert [i["n"] for i in items] == list(range(12))
