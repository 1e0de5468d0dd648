"""Every declared content type, over respx: the ``Accept`` an operation sends, text and
binary results, and NDJSON streams (parsing, errors before and inside the stream, raw mode),
sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx

from commonrest import (
    APIDecodeError,
    AsyncStream,
    NotFoundError,
    ServiceUnavailableError,
    SyncStream,
)

from .feeds import AsyncFeedClient, Event, FeedClient
from .helpers import resolve, sent

pytestmark = pytest.mark.anyio

HOST = "http://feeds.test"
AnyFeedClient = FeedClient | AsyncFeedClient


@pytest.fixture(params=["sync", "async"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[AnyFeedClient]:
    made: AnyFeedClient = FeedClient() if request.param == "sync" else AsyncFeedClient()
    yield made
    if isinstance(made, AsyncFeedClient):
        await made.close()
    else:
        made.close()


async def read_all(stream: SyncStream[Any] | AsyncStream[Any]) -> list[Any]:
    if isinstance(stream, AsyncStream):
        return [item async for item in stream]
    return list(stream)


async def open_stream(stream: SyncStream[Any] | AsyncStream[Any]) -> None:
    if isinstance(stream, AsyncStream):
        await stream.open()
    else:
        stream.open()


async def read_until_error(
    stream: SyncStream[Any] | AsyncStream[Any], seen: list[Any]
) -> BaseException:
    with pytest.raises(Exception) as info:
        if isinstance(stream, AsyncStream):
            async for item in stream:
                seen.append(item)
        else:
            for item in stream:
                seen.append(item)
    return info.value


def accept_of(request: httpx.Request) -> list[str]:
    return [v for k, v in request.headers.multi_items() if k.lower() == "accept"]


# ---------------------------------------------------------------------------- Accept


async def test_a_json_operation_sends_the_json_default(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    router.get(f"{HOST}/status").respond(200, json={"ok": True})
    assert await resolve(client.feeds.status()) == {"ok": True}
    assert accept_of(sent(router)[0]) == ["application/json"]


async def test_a_text_operation_asks_for_text_and_returns_str(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    router.get(f"{HOST}/readme").respond(200, text="hello\nworld", content_type="text/plain")
    result = await resolve(client.feeds.readme())
    assert result == "hello\nworld" and isinstance(result, str)
    # the operation's type replaces the client's JSON default: one Accept, not two
    assert accept_of(sent(router)[0]) == ["text/plain"]


async def test_a_binary_operation_asks_for_its_type_and_returns_bytes(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\xff"
    router.get(f"{HOST}/logo").respond(200, content=png, content_type="image/png")
    result = await resolve(client.feeds.logo())
    assert result == png and isinstance(result, bytes)
    assert accept_of(sent(router)[0]) == ["application/octet-stream"]


async def test_a_stream_asks_for_ndjson(client: AnyFeedClient, router: respx.MockRouter) -> None:
    router.get(f"{HOST}/events").respond(200, content=b'{"seq": 1}\n')
    assert [e.seq for e in await read_all(client.feeds.events())] == [1]
    assert accept_of(sent(router)[0]) == ["application/x-ndjson"]


@pytest.mark.parametrize("where", ["client", "with_options"])
async def test_the_callers_accept_header_wins_whatever_its_case(
    where: str, router: respx.MockRouter
) -> None:
    router.get(f"{HOST}/readme").respond(200, text="<p>hi</p>")
    headers = {"accept": "text/html"}
    sync = FeedClient(headers=headers) if where == "client" else FeedClient()
    if where == "with_options":
        sync = sync.with_options(headers=headers)
    with sync:
        assert sync.feeds.readme() == "<p>hi</p>"
    assert accept_of(sent(router)[0]) == ["text/html"]


# ---------------------------------------------------------------------------- streams


async def test_stream_lines_are_parsed_one_by_one(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    # no content type (as Airflow's wait sends it), a blank line, a CRLF, no final newline
    body = b'{"seq": 1, "state": "running"}\n\n  \n{"seq": 2, "extra": [1]}\r\n{"seq": 3}'
    router.get(f"{HOST}/events").respond(200, content=body)
    events = await read_all(client.feeds.events())
    assert [type(e) for e in events] == [Event, Event, Event]
    assert [(e.seq, e.state) for e in events] == [(1, "running"), (2, None), (3, None)]


async def test_a_bad_line_raises_a_decode_error_naming_its_line(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    body = b'{"seq": 1}\n\n{"seq": 2\n{"seq": 4}\n'
    router.get(f"{HOST}/events").respond(200, content=body)
    seen: list[Any] = []
    error = await read_until_error(client.feeds.events(), seen)
    assert isinstance(error, APIDecodeError)
    assert "line 3 is not valid JSON" in str(error)
    assert error.text == '{"seq": 2'
    assert [e.seq for e in seen] == [1]  # what came before the bad line was delivered


async def test_a_line_with_a_value_of_another_type_keeps_it_raw(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    # lines are read as leniently as whole bodies: one odd value does not lose the item
    router.get(f"{HOST}/events").respond(200, content=b'{"seq": 1, "state": 7}\n{"seq": 2}\n')
    stream = client.feeds.events()
    seen = [e async for e in stream] if isinstance(stream, AsyncStream) else list(stream)
    assert [(e.seq, e.state) for e in seen] == [(1, 7), (2, None)]


async def test_a_line_of_the_wrong_shape_names_its_line(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    router.post(f"{HOST}/events/raw").respond(200, content=b'{"a": 1}\n[1, 2]\n')
    seen: list[Any] = []
    error = await read_until_error(client.feeds.raw_events(topic="t"), seen)
    assert isinstance(error, APIDecodeError)
    assert "line 2 does not match" in str(error)
    assert seen == [{"a": 1}]


async def test_each_line_is_bounded_not_the_stream(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    many = b"".join(b'{"seq": %d}\n' % i for i in range(100))  # 1 KB, lines of 12 bytes
    router.get(f"{HOST}/events").respond(200, content=many + b'{"seq": 0, "state": "' + b"x" * 80)
    seen: list[Any] = []
    error = await read_until_error(client.with_options(max_response_size=64).feeds.events(), seen)
    assert isinstance(error, APIDecodeError)
    assert "line 101 is longer than 64 bytes" in str(error)
    assert len(seen) == 100


async def test_a_status_error_is_raised_when_the_stream_opens(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    router.get(f"{HOST}/events").respond(
        404, json={"title": "Not Found", "detail": "no such run"}, content_type="application/json"
    )
    stream = client.feeds.events()
    assert sent(router) == []  # nothing is sent before the stream is opened
    with pytest.raises(NotFoundError) as info:
        await open_stream(stream)
    assert info.value.status_code == 404


async def test_a_safe_stream_is_retried_before_its_first_byte(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    router.get(f"{HOST}/events").mock(
        side_effect=[httpx.Response(503), httpx.Response(200, content=b'{"seq": 1}\n')]
    )
    stream = client.feeds.events()
    assert [e.seq for e in await read_all(stream)] == [1]
    assert stream.attempts == 2 and len(sent(router)) == 2


async def test_an_unsafe_stream_is_not_retried(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    router.post(f"{HOST}/events/raw").respond(503)
    with pytest.raises(ServiceUnavailableError):
        await read_all(client.feeds.raw_events(topic="t"))
    assert len(sent(router)) == 1


async def test_raw_mode_returns_the_stream_with_its_http_facts(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    router.get(f"{HOST}/events").respond(200, content=b'{"seq": 7}\n', headers={"X-Run": "r1"})
    stream = client.raw_feeds.events()
    assert stream.status_code is None and stream.http_response is None
    assert isinstance(stream, (SyncStream, AsyncStream))
    await open_stream(stream)
    assert stream.status_code == 200
    assert stream.headers is not None and stream.headers["x-run"] == "r1"
    assert [e.seq for e in await read_all(stream)] == [7]


async def test_a_stream_closed_before_it_opens_sends_nothing(
    client: AnyFeedClient, router: respx.MockRouter
) -> None:
    stream = client.feeds.events()
    if isinstance(stream, AsyncStream):
        await stream.aclose()
    else:
        stream.close()
    assert await read_all(stream) == []
    assert sent(router) == []
