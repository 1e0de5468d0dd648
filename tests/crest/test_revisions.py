"""Optimistic concurrency: the read-change-update helper and its retries on 412."""

from __future__ import annotations

from typing import Any

import pytest

from commonrest import PreconditionFailedError, ServiceUnavailableError
from commonrest.crest import CrestModel, MissingRevisionError, id_of, revision_of
from commonrest.testing.crest_server import CrestServer

from .helpers import open_client, resolve

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run each test with the sync and with the async client."""
    return str(request.param)


@pytest.fixture
def server() -> CrestServer:
    """A server holding one counter resource."""
    srv = CrestServer()
    srv.add_collection("/counters").add({"value": 0, "history": []}, id="c")
    return srv


def _someone_else_writes(server: CrestServer) -> None:
    stored = server.collection("/counters").resources["c"]
    stored["value"] += 100
    stored["_rev"] = str(int(stored["_rev"]) + 1)


async def test_modify_updates_with_the_revision_it_read(server: CrestServer, mode: str) -> None:
    async with open_client(server, mode) as client:
        counters = client.resource("/counters")

        def bump(doc: dict[str, Any]) -> None:
            doc["value"] += 1

        result = await resolve(counters.modify("c", bump))
    assert result["value"] == 1 and result["_rev"] == "2"
    put = server.requests[-1]
    assert put.method == "PUT" and put.headers["if-match"] == "1"


async def test_modify_rereads_and_reapplies_after_a_conflict(
    server: CrestServer, mode: str
) -> None:
    seen: list[int] = []

    def bump(doc: dict[str, Any]) -> dict[str, Any]:
        seen.append(doc["value"])
        if len(seen) == 1:
            _someone_else_writes(server)  # lands between our read and our update
        return {**doc, "value": doc["value"] + 1, "history": [*doc["history"], "bump"]}

    async with open_client(server, mode) as client:
        result = await resolve(client.resource("/counters").modify("c", bump))
    assert seen == [0, 100]  # the change ran again on the fresh copy
    assert result["value"] == 101 and result["history"] == ["bump"]
    methods = [(r.method, r.headers.get("if-match")) for r in server.requests]
    assert methods == [("GET", None), ("PUT", "1"), ("GET", None), ("PUT", "2")]


async def test_modify_gives_up_after_max_attempts(server: CrestServer, mode: str) -> None:
    calls = 0

    def always_raced(doc: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        _someone_else_writes(server)
        doc["value"] = -1

    async with open_client(server, mode) as client:
        with pytest.raises(PreconditionFailedError):
            await resolve(client.resource("/counters").modify("c", always_raced, max_attempts=4))
    assert calls == 4
    assert sum(r.method == "PUT" for r in server.requests) == 4
    assert server.collection("/counters").resources["c"]["value"] == 400


async def test_modify_accepts_in_place_edits(server: CrestServer, mode: str) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["history"].append("x")

    async with open_client(server, mode) as client:
        result = await resolve(client.resource("/counters").modify("c", edit))
    assert result["history"] == ["x"]
    assert server.collection("/counters").resources["c"]["history"] == ["x"]


async def test_modify_argument_checks(server: CrestServer, mode: str) -> None:
    server.add_collection("/plain")
    async with open_client(server, mode) as client:
        counters = client.resource("/counters")
        with pytest.raises(ValueError, match="max_attempts"):
            await resolve(counters.modify("c", lambda d: None, max_attempts=0))
        with pytest.raises(ValueError, match="change must be callable"):
            await resolve(counters.modify("c", "nope"))
    assert server.requests == []


async def test_modify_needs_a_revision_from_the_server(mode: str) -> None:
    server = CrestServer()
    server.add_singleton("/settings", {"a": 1}).resource.pop("_rev")
    async with open_client(server, mode) as client:
        with pytest.raises(MissingRevisionError, match="no _rev"):
            await resolve(client.resource("/settings").modify(None, lambda d: None))


async def test_async_modify_accepts_a_coroutine_function(server: CrestServer) -> None:
    async def bump(doc: dict[str, Any]) -> dict[str, Any]:
        return {**doc, "value": 7}

    async with open_client(server, "async") as client:
        result = await client.resource("/counters").modify("c", bump)
    assert result["value"] == 7


class Counter(CrestModel):
    value: int
    history: list[str] = []


async def test_modify_with_a_bound_model(server: CrestServer, mode: str) -> None:
    def bump(counter: Counter) -> Counter:
        counter.value += 5
        return counter

    async with open_client(server, mode) as client:
        result = await resolve(client.resource("/counters", model=Counter).modify("c", bump))
    assert isinstance(result, Counter)
    assert (result.value, result.rev, result.id) == (5, "2", "c")
    assert (revision_of(result), id_of(result)) == ("2", "c")


def test_revision_and_id_helpers() -> None:
    from commonrest import Model

    class Loose(Model):
        name: str = ""

    loose = Loose.model_validate({"_id": "x", "_rev": 3, "name": "n"})
    assert (id_of(loose), revision_of(loose)) == ("x", "3")
    assert (id_of({"_id": "y"}), revision_of({"_id": "y"})) == ("y", None)
    assert revision_of(object()) is None


async def test_a_write_tied_to_one_revision_is_not_repeated_after_a_lost_answer(
    server: CrestServer, mode: str
) -> None:
    # Repeating a conditional write whose first attempt may have succeeded would report a
    # 412 conflict that never happened, so only a failure before sending is retried.
    async with open_client(server, mode) as client:
        counters = client.resource("/counters")
        server.fail_next(503, method="PUT")
        with pytest.raises(ServiceUnavailableError):
            await resolve(counters.update("c", {"value": 5}, revision="1"))
        assert [r.method for r in server.requests].count("PUT") == 1

        server.fail_next(503, method="PUT")
        with pytest.raises(ServiceUnavailableError):
            await resolve(counters.create({"value": 1}, id="fresh"))
        assert [r.method for r in server.requests].count("PUT") == 2

        server.fail_next(503, method="PUT")
        result = await resolve(counters.update("c", {"value": 7}, revision="*"))
    assert result["value"] == 7
    assert [r.method for r in server.requests].count("PUT") == 4
