"""``with_raw_response`` on the Common REST clients: every verb returns an
:class:`~commonrest._response.APIResponse` around the parsed result.

``assert_type`` is checked by ``mypy --strict tests``; the calls run against the in-memory
server at test time.
"""

from __future__ import annotations

from typing import Any

import pytest
from typing_extensions import assert_type

from commonrest import APIResponse, AsyncPager, SyncPager
from commonrest.crest import (
    AsyncResourceHandle,
    CommonRestResources,
    CreateResult,
    CrestModel,
    QueryResult,
    ResourceHandle,
)
from commonrest.declare import AsyncRaw, SyncRaw
from commonrest.testing.crest_server import ActionContext, CrestServer


class User(CrestModel):
    userName: str = ""
    mail: str | None = None


def reset(ctx: ActionContext) -> dict[str, Any]:
    return {"reset": ctx.id}


@pytest.fixture
def server() -> CrestServer:
    srv = CrestServer("https://idm.test/openidm")
    users = srv.add_collection("/users", actions={"reset": reset})
    users.seed([{"_id": "bjensen", "userName": "bjensen"}, {"_id": "scarter", "userName": "s"}])
    return srv


def test_sync_raw_verbs(server: CrestServer) -> None:
    with server.client() as client:
        raw = client.with_raw_response
        assert_type(raw, CommonRestResources[SyncRaw])
        users = raw.resource("/users")
        assert_type(users, ResourceHandle[SyncRaw, dict[str, Any]])
        assert raw.base_url == "https://idm.test/openidm"

        read = users.read("bjensen")
        assert_type(read, APIResponse[dict[str, Any]])
        assert isinstance(read, APIResponse)
        assert read.status_code == 200
        assert read.parse()["userName"] == "bjensen"
        assert read.headers["content-type"].startswith("application/json")

        typed = raw.resource("/users", model=User).read("bjensen")
        assert_type(typed, APIResponse[User])
        assert typed.parse().userName == "bjensen"

        created = users.create({"userName": "new"}, id="new")
        assert_type(created, APIResponse[CreateResult[dict[str, Any]]])
        assert created.status_code == 201 and created.parse().id == "new"

        page = users.query_page("true", page_size=1)
        assert_type(page, APIResponse[QueryResult[dict[str, Any]]])
        assert len(page.parse().result) == 1

        pager = users.query("true")
        assert_type(pager, SyncPager[dict[str, Any]])
        assert sorted(u["_id"] for u in pager) == ["bjensen", "new", "scarter"]

        action = users.action("reset", id="bjensen")
        assert_type(action, APIResponse[Any])
        assert action.parse() == {"reset": "bjensen"}

        def rename(user: dict[str, Any]) -> None:
            user["mail"] = "b@example.com"

        modified = users.modify("bjensen", rename)
        assert_type(modified, APIResponse[dict[str, Any]])
        assert modified.parse()["mail"] == "b@example.com"

        deleted = users.child("scarter").delete(None)
        assert_type(deleted, APIResponse[dict[str, Any]])
        assert deleted.parse()["_id"] == "scarter"

        # The raw view is a copy: the client itself still returns parsed results.
        assert client.resource("/users").read("bjensen")["mail"] == "b@example.com"


@pytest.mark.anyio
async def test_async_raw_verbs(server: CrestServer) -> None:
    async with server.async_client() as client:
        raw = client.with_raw_response
        assert_type(raw, CommonRestResources[AsyncRaw])
        users = raw.resource("/users", model=User)
        assert_type(users, ResourceHandle[AsyncRaw, User])
        assert isinstance(users, AsyncResourceHandle)

        read = await users.read("bjensen")
        assert_type(read, APIResponse[User])
        assert read.status_code == 200 and read.parse().userName == "bjensen"

        action = await users.action("reset", id="bjensen", response=dict[str, str])
        assert_type(action, APIResponse[dict[str, str]])
        assert action.parse() == {"reset": "bjensen"}

        def rename(user: User) -> User:
            return user.model_copy(update={"mail": "b@example.com"})

        modified = await users.modify("bjensen", rename)
        assert_type(modified, APIResponse[User])
        assert modified.parse().mail == "b@example.com"

        pager = users.query("true")
        assert_type(pager, AsyncPager[User])
        assert sorted([u.userName async for u in pager]) == ["bjensen", "s"]

        plain = await client.resource("/users", model=User).read("bjensen")
        assert_type(plain, User)
        assert plain.mail == "b@example.com"
