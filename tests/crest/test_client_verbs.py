"""Every verb of the client against the in-memory server, sync and async alike.

Each test runs twice (``mode`` = sync / async) through the same code: calls go through
:func:`resolve`, which awaits only when the client is async.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from commonrest import (
    NOT_GIVEN,
    Model,
    NotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
    ServerNotImplementedError,
)
from commonrest.crest import (
    ANY_REVISION,
    UNCONDITIONAL,
    CrestModel,
    FilterSyntaxError,
    Patch,
    crest_error_of,
    field,
    true,
)
from commonrest.testing.crest_server import ActionContext, CrestServer

from .helpers import collect, open_client, resolve

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run each test with the sync and with the async client."""
    return str(request.param)


@pytest.fixture
def server() -> CrestServer:
    """A server with a /users collection, rooted below a path as real deployments are."""
    srv = CrestServer("https://idm.test/openidm")
    srv.add_collection("/users", set_fields=["/roles"])
    return srv


def last(server: CrestServer) -> httpx.Request:
    return server.requests[-1]


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


class User(CrestModel):
    user_name: str = ""
    mail: str | None = None
    roles: list[str] = []

    model_config = {"alias_generator": lambda name: "userName" if name == "user_name" else name}


# ---------------------------------------------------------------------- create


async def test_create_with_server_chosen_id(server: CrestServer, mode: str) -> None:
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        created = await resolve(users.create({"userName": "bjensen", "mail": "b@example.com"}))
    request = last(server)
    assert request.method == "POST"
    assert request.url.path == "/openidm/users"
    assert dict(request.url.params) == {"_action": "create"}
    assert body_of(request) == {"userName": "bjensen", "mail": "b@example.com"}
    assert request.headers["content-type"] == "application/json"
    stored = server.collection("/users").get(created.id)
    assert stored is not None and stored["userName"] == "bjensen"
    assert created.status_code == 201
    assert created.revision == stored["_rev"]
    assert created.location == f"https://idm.test/openidm/users/{created.id}"
    assert created.resource == stored


async def test_create_with_client_id_uses_put_if_none_match(server: CrestServer, mode: str) -> None:
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        created = await resolve(users.create({"userName": "bjensen"}, id="bjensen"))
        request = last(server)
        assert request.method == "PUT"
        assert request.url.path == "/openidm/users/bjensen"
        assert request.headers["if-none-match"] == "*"
        assert "if-match" not in request.headers
        assert (created.id, created.revision) == ("bjensen", "1")
        assert created.location == "https://idm.test/openidm/users/bjensen"

        with pytest.raises(PreconditionFailedError) as info:
            await resolve(users.create({"userName": "impostor"}, id="bjensen"))
    assert info.value.status_code == 412
    assert server.collection("/users").get("bjensen") == created.resource


async def test_ids_stay_one_path_segment(server: CrestServer, mode: str) -> None:
    odd = "a/b c?d#e%f"
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        await resolve(users.create({"userName": "odd"}, id=odd))
        assert (await resolve(users.read(odd)))["userName"] == "odd"
        with pytest.raises(ValueError, match=r"must not be empty, '\.' or '\.\.'"):
            await resolve(users.read(".."))
    assert last(server).url.raw_path == b"/openidm/users/a%2Fb%20c%3Fd%23e%25f"
    assert list(server.collection("/users").resources) == [odd]


async def test_create_returns_only_requested_fields_and_pretty_prints(
    server: CrestServer, mode: str
) -> None:
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        created = await resolve(
            users.create(
                {"userName": "x", "mail": "m", "address": {"city": "Paris", "zip": "75001"}},
                fields=["mail", "/address/city"],
                pretty_print=True,
            )
        )
    request = last(server)
    assert request.url.params["_fields"] == "/mail,/address/city"
    assert request.url.params["_prettyPrint"] == "true"
    assert created.resource == {
        "_id": created.id,
        "_rev": "1",
        "mail": "m",
        "address": {"city": "Paris"},
    }


# ------------------------------------------------------------------------ read


async def test_read_with_fields_and_not_found(server: CrestServer, mode: str) -> None:
    server.collection("/users").add(
        {"userName": "bjensen", "parent": {"child": "value", "other": 1}}, id="bjensen"
    )
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        full = await resolve(users.read("bjensen"))
        assert full["parent"] == {"child": "value", "other": 1}
        partial = await resolve(users.read("bjensen", fields="parent/child"))
        assert last(server).url.params["_fields"] == "/parent/child"
        assert partial == {"_id": "bjensen", "_rev": "1", "parent": {"child": "value"}}
        with pytest.raises(NotFoundError) as info:
            await resolve(users.read("nobody"))
    body = crest_error_of(info.value)
    assert body is not None
    assert body.code == 404
    assert body.reason == "Not Found"
    assert body.message is not None and "nobody" in body.message


async def test_conditional_read_gives_back_the_cached_copy(server: CrestServer, mode: str) -> None:
    server.collection("/users").add({"userName": "a"}, id="a")
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        first = await resolve(users.read("a"))
        again = await resolve(users.read("a", cached=first))
        assert again is first
        assert last(server).headers["if-none-match"] == first["_rev"]
        server.collection("/users").resources["a"]["_rev"] = "7"
        server.collection("/users").resources["a"]["userName"] = "changed"
        fresh = await resolve(users.read("a", cached=first))
        assert fresh is not first and fresh["userName"] == "changed"

        assert await resolve(users.read_if_changed("a", "7")) is None
        assert (await resolve(users.read_if_changed("a", "6")))["_rev"] == "7"
        with pytest.raises(ValueError, match="must carry a _rev"):
            await resolve(users.read("a", cached={"userName": "no rev"}))


async def test_read_content_of_a_field(server: CrestServer, mode: str) -> None:
    png = b"\x89PNG\r\n\x1a\n-binary-"
    server.collection("/users").add({"photo": base64.b64encode(png).decode()}, id="a")
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        content = await resolve(users.read_content("a", "photo", mime_type="image/png"))
        request = last(server)
        with pytest.raises(ValueError, match="mime_type"):
            await resolve(users.read_content("a", "photo", mime_type="png"))
    assert content == png
    assert dict(request.url.params) == {"_fields": "/photo", "_mimeType": "image/png"}
    assert request.headers["accept"] == "*/*"
    assert len(server.requests) == 1


# ---------------------------------------------------------------------- update


async def test_update_sends_the_revision_it_read(server: CrestServer, mode: str) -> None:
    server.collection("/users").add({"userName": "a", "mail": "old", "phone": "1"}, id="a")
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        current = await resolve(users.read("a"))
        updated = await resolve(users.update("a", {**current, "mail": "new"} | {"phone": None}))
        assert last(server).method == "PUT"
        assert last(server).headers["if-match"] == current["_rev"]
        assert "if-none-match" not in last(server).headers
        assert updated["_rev"] == "2" and updated["mail"] == "new"

        # The whole resource is replaced: what is left out is gone.
        replaced = await resolve(users.update("a", {"userName": "a"}, revision="2"))
        assert "mail" not in replaced
        assert last(server).headers["if-match"] == "2"

        # A stale revision fails; "*" does not care.
        with pytest.raises(PreconditionFailedError):
            await resolve(users.update("a", {"userName": "late"}, revision="1"))
        forced = await resolve(users.update("a", {"userName": "forced"}, revision=ANY_REVISION))
        assert last(server).headers["if-match"] == "*"
        assert forced["userName"] == "forced" and forced["_rev"] == "4"

        # None is "not given" (a model's rev may be None): the body's _rev, else "*".
        await resolve(users.update("a", {"userName": "plain"}, revision=None))
        assert last(server).headers["if-match"] == "*"
        # UNCONDITIONAL sends no If-Match at all.
        await resolve(users.update("a", {"userName": "bare"}, revision=UNCONDITIONAL))
        assert "if-match" not in last(server).headers


@pytest.mark.parametrize("revision", [NOT_GIVEN, None, ANY_REVISION])
async def test_update_never_creates_a_missing_resource(
    server: CrestServer, mode: str, revision: Any
) -> None:
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        with pytest.raises(NotFoundError):
            await resolve(users.update("ghost", {"userName": "ghost"}, revision=revision))
        assert last(server).method == "PUT"
        assert last(server).headers["if-match"] == "*"
        assert "if-none-match" not in last(server).headers
    assert server.collection("/users").get("ghost") is None


@pytest.mark.parametrize("revision", [NOT_GIVEN, None])
async def test_delete_and_patch_default_to_if_match_any(
    server: CrestServer, mode: str, revision: Any
) -> None:
    server.collection("/users").add({"userName": "a", "n": 1}, id="a")
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        patched = await resolve(users.patch("a", Patch().increment("/n", 1), revision=revision))
        assert last(server).headers["if-match"] == "*" and patched["n"] == 2
        with pytest.raises(NotFoundError):
            await resolve(users.patch("ghost", Patch().replace("/n", 1), revision=revision))
        assert last(server).headers["if-match"] == "*"
        await resolve(users.delete("a", revision=revision))
        assert last(server).headers["if-match"] == "*"
        with pytest.raises(NotFoundError):
            await resolve(users.delete("a", revision=revision))
        assert last(server).headers["if-match"] == "*"
    assert len(server.collection("/users")) == 0


async def test_only_an_unconditional_put_creates(server: CrestServer, mode: str) -> None:
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        made = await resolve(users.update("new", {"userName": "n"}, revision=UNCONDITIONAL))
        assert "if-match" not in last(server).headers
        assert made["_id"] == "new" and made["_rev"] == "1"
        with pytest.raises(NotFoundError):
            await resolve(users.update("other", {"userName": "o"}, revision="1"))


async def test_server_requiring_revisions_answers_428(mode: str) -> None:
    server = CrestServer(require_revisions=True)
    server.add_collection("/users").add({"userName": "a"}, id="a")
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        with pytest.raises(PreconditionRequiredError) as info:
            await resolve(users.update("a", {"userName": "b"}, revision=UNCONDITIONAL))
        assert info.value.status_code == 428
        with pytest.raises(PreconditionRequiredError):
            await resolve(users.delete("a", revision=UNCONDITIONAL))
        with pytest.raises(PreconditionRequiredError):
            await resolve(
                users.patch("a", Patch().replace("/userName", "b"), revision=UNCONDITIONAL)
            )
        ok = await resolve(users.update("a", {"userName": "b"}, revision="1"))
        assert ok["userName"] == "b"
        # The default, If-Match: *, is a condition too.
        ok = await resolve(users.update("a", {"userName": "c"}))
        assert last(server).headers["if-match"] == "*" and ok["_rev"] == "3"


# ---------------------------------------------------------------------- delete


async def test_delete_with_if_match(server: CrestServer, mode: str) -> None:
    server.collection("/users").add({"userName": "a"}, id="a")
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        with pytest.raises(PreconditionFailedError):
            await resolve(users.delete("a", revision="9"))
        assert last(server).headers["if-match"] == "9"
        deleted = await resolve(users.delete("a", revision="1"))
        assert deleted["userName"] == "a"
        assert last(server).method == "DELETE"
        with pytest.raises(NotFoundError):
            await resolve(users.read("a"))
    assert len(server.collection("/users")) == 0


# ----------------------------------------------------------------------- patch


async def test_patch_sends_the_operations_array(server: CrestServer, mode: str) -> None:
    server.collection("/users").add(
        {"userName": "a", "roles": ["x"], "logins": 1, "surname": "Jensen"}, id="a"
    )
    patch = (
        Patch()
        .add("/roles", ["x", "y"])
        .increment("/logins", 1)
        .move(from_="/surname", to="/lastName")
        .copy(from_="/lastName", to="/sn")
    )
    async with open_client(server, mode) as client:
        patched = await resolve(client.resource("/users").patch("a", patch, revision="1"))
    request = last(server)
    assert request.method == "PATCH"
    assert request.headers["if-match"] == "1"
    assert body_of(request) == patch.to_json()
    assert patched == {
        "_id": "a",
        "_rev": "2",
        "userName": "a",
        "roles": ["x", "y"],  # /roles has set semantics on this server
        "logins": 2,
        "lastName": "Jensen",
        "sn": "Jensen",
    }


async def test_patch_accepts_the_json_form_and_refuses_empty(
    server: CrestServer, mode: str
) -> None:
    server.collection("/users").add({"fruits": ["orange", "apple"]}, id="a")
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        patched = await resolve(
            users.patch("a", [{"operation": "add", "field": "/fruits/-", "value": "pineapple"}])
        )
        assert patched["fruits"] == ["orange", "apple", "pineapple"]
        sent = len(server.requests)
        with pytest.raises(ValueError, match="at least one operation"):
            await resolve(users.patch("a", Patch()))
        with pytest.raises(ValueError, match="operation must be one of"):
            await resolve(users.patch("a", [{"operation": "merge", "field": "/a"}]))
        assert len(server.requests) == sent


# ---------------------------------------------------------------------- action


async def test_actions_on_collection_and_item(mode: str) -> None:
    server = CrestServer()
    seen: list[ActionContext] = []

    def reset(ctx: ActionContext) -> Any:
        seen.append(ctx)
        return {"generatedPassword": "s3cret", "for": ctx.id, "notify": ctx.params.get("notify")}

    def purge(ctx: ActionContext) -> Any:
        seen.append(ctx)
        return None

    users = server.add_collection("/users", actions={"resetPassword": reset, "purge": purge})
    users.add({"userName": "a"}, id="a")

    class Reset(Model):
        generatedPassword: str

    async with open_client(server, mode) as client:
        handle = client.resource("/users")
        answer = await resolve(
            handle.action("resetPassword", id="a", params={"notify": True}, body={"why": "lost"})
        )
        request = last(server)
        assert request.method == "POST"
        assert request.url.path == "/users/a"
        assert dict(request.url.params) == {"_action": "resetPassword", "notify": "true"}
        assert body_of(request) == {"why": "lost"}
        assert answer == {"generatedPassword": "s3cret", "for": "a", "notify": "true"}
        assert seen[-1].body == {"why": "lost"}

        typed = await resolve(handle.action("resetPassword", id="a", response=Reset))
        assert isinstance(typed, Reset) and typed.generatedPassword == "s3cret"

        assert await resolve(handle.action("purge")) is None  # 204 No Content
        assert last(server).url.path == "/users"
        assert seen[-1].id is None and seen[-1].body is None

        with pytest.raises(ServerNotImplementedError) as info:
            await resolve(handle.action("explode"))
        assert info.value.status_code == 501
        with pytest.raises(ValueError, match="must not set '_action'"):
            await resolve(handle.action("purge", params={"_action": "create"}))
        with pytest.raises(ValueError, match="action name"):
            await resolve(handle.action("two words"))


# ----------------------------------------------------------------------- query


async def test_query_with_a_filter_builder(server: CrestServer, mode: str) -> None:
    server.collection("/users").seed(
        [
            {"userName": "alice", "age": 31, "mail": "a@x"},
            {"userName": "bob", "age": 25},
            {"userName": "anna", "age": 40, "mail": None},
        ]
    )
    node = field("/userName").sw("a") & field("/mail").pr()
    async with open_client(server, mode) as client:
        found = await collect(client.resource("/users").query(node, fields=["userName"]))
    request = last(server)
    assert request.url.params["_queryFilter"] == '/userName sw "a" and /mail pr'
    assert request.url.params["_fields"] == "/userName"
    assert found == [{"_id": "1", "_rev": "1", "userName": "alice"}]


async def test_query_string_filters_are_checked_then_normalised(
    server: CrestServer, mode: str
) -> None:
    server.collection("/users").seed([{"userName": "x\\y"}, {"userName": "z"}])
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        found = await collect(users.query("userName EQ 'x\\\\y'"))
        assert [u["userName"] for u in found] == ["x\\y"]
        assert last(server).url.params["_queryFilter"] == '/userName eq "x\\\\y"'
        sent = len(server.requests)
        with pytest.raises(FilterSyntaxError, match="position 11"):
            users.query("userName eq")
        assert len(server.requests) == sent


async def test_query_by_id_and_by_expression(mode: str) -> None:
    server = CrestServer()

    def by_city(resources: list[dict[str, Any]], params: Any) -> list[dict[str, Any]]:
        return [r for r in resources if r.get("city") == params["city"]]

    def expression(text: str, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in resources if text in json.dumps(r)]

    users = server.add_collection(
        "/users", queries={"by-city": by_city}, expression_handler=expression
    )
    users.seed([{"n": 1, "city": "Oslo"}, {"n": 2, "city": "Rome"}, {"n": 3, "city": "Oslo"}])
    async with open_client(server, mode) as client:
        handle = client.resource("/users")
        by_id = await collect(handle.query(query_id="by-city", params={"city": "Oslo"}))
        assert [r["n"] for r in by_id] == [1, 3]
        assert dict(last(server).url.params) == {"_queryId": "by-city", "city": "Oslo"}
        by_expr = await collect(handle.query(query_expression="Rome"))
        assert [r["n"] for r in by_expr] == [2]
        assert dict(last(server).url.params) == {"_queryExpression": "Rome"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of filter"),
        ({"filter": true(), "query_id": "x"}, "got _queryFilter, _queryId"),
        ({"filter": "true", "query_expression": "x"}, "got _queryFilter, _queryExpression"),
        ({"query_id": "x", "query_expression": "y"}, "got _queryId, _queryExpression"),
        (
            {"filter": "true", "page_size": 5, "paged_results_cookie": "c",
             "paged_results_offset": 5},
            "mutually exclusive",
        ),
        ({"filter": "true", "paged_results_cookie": "c"}, "needs page_size"),
        ({"filter": "true", "paged_results_offset": 3}, "needs page_size"),
        ({"filter": "true", "page_size": 0}, "page_size must be an integer >= 1"),
        ({"filter": "true", "page_size": 5, "paged_results_offset": -1}, ">= 0"),
        ({"query_id": "x", "sort_keys": "name"}, "sort_keys cannot be used with query_id"),
        ({"filter": "true", "total_paged_results_policy": "SOME"}, "NONE, EXACT or ESTIMATE"),
        ({"filter": "true", "params": {"_pageSize": 3}}, "must not set '_pageSize'"),
        ({"filter": "true", "sort_keys": "+"}, "has no field"),
        ({"filter": "true", "sort_keys": ["a,b"]}, "must not contain ','"),
        ({"filter": "true", "fields": [""]}, "non-empty strings"),
        ({"filter": "true", "pretty_print": "yes"}, "pretty_print must be True or False"),
        ({"filter": "true", "paging": "offset"}, "needs page_size"),
        ({"filter": "true", "paging": "pages", "page_size": 2}, "paging must be"),
        ({"filter": "true", "max_items": -1}, "max_items"),
        (
            {"filter": "true", "paging": "cookie", "page_size": 2, "paged_results_offset": 1},
            "cannot start from paged_results_offset",
        ),
        (
            {"filter": "true", "paging": "offset", "page_size": 2, "paged_results_cookie": "c"},
            "cannot start from paged_results_cookie",
        ),
    ],
)  # fmt: skip
async def test_bad_query_arguments_are_refused_before_sending(
    server: CrestServer, mode: str, kwargs: dict[str, Any], message: str
) -> None:
    async with open_client(server, mode) as client:
        with pytest.raises(ValueError, match=message):
            client.resource("/users").query(**kwargs)
        if not {"paging", "max_items"} & set(kwargs):  # query_page has no such options
            with pytest.raises(ValueError, match=message):
                await resolve(client.resource("/users").query_page(**kwargs))
    assert server.requests == []


async def test_query_sorting_with_plus_and_minus(server: CrestServer, mode: str) -> None:
    server.collection("/users").seed(
        [
            {"name": {"given": "b"}, "age": 3},
            {"name": {"given": "a"}, "age": 3},
            {"name": {"given": "c"}, "age": 1},
            {"age": 2},
        ]
    )
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        ordered = await collect(users.query(true(), sort_keys=["-age", "+name/given"]))
        assert last(server).url.params["_sortKeys"] == "-/age,+/name/given"
        assert b"_sortKeys=-%2Fage%2C%2B%2Fname%2Fgiven" in last(server).url.query
        assert [(u.get("age"), u.get("name", {}).get("given")) for u in ordered] == [
            (3, "a"),
            (3, "b"),
            (2, None),
            (1, "c"),
        ]
        by_name = await collect(users.query(true(), sort_keys="name/given"))
        # Resources without the sort field come last.
        assert [u.get("name", {}).get("given") for u in by_name] == ["a", "b", "c", None]


async def test_query_page_reports_totals(server: CrestServer, mode: str) -> None:
    server.collection("/users").seed([{"n": i} for i in range(7)])
    async with open_client(server, mode) as client:
        users = client.resource("/users")
        page = await resolve(
            users.query_page(true(), page_size=3, total_paged_results_policy="exact")
        )
        assert last(server).url.params["_totalPagedResultsPolicy"] == "EXACT"
        assert [r["n"] for r in page.result] == [0, 1, 2]
        assert page.result_count == 3
        assert (page.total_paged_results, page.remaining_paged_results) == (7, 4)
        assert (page.total, page.remaining) == (7, 4)
        assert page.total_paged_results_policy == "EXACT"
        assert page.paged_results_cookie is not None

        estimate = await resolve(
            users.query_page(true(), page_size=3, paged_results_offset=6,
                             total_paged_results_policy="ESTIMATE")
        )  # fmt: skip
        assert [r["n"] for r in estimate.result] == [6]
        assert estimate.total_paged_results == 7 and estimate.remaining_paged_results == 0
        assert estimate.paged_results_cookie is None

        uncounted = await resolve(users.query_page(true(), page_size=3))
        assert (uncounted.total_paged_results, uncounted.remaining_paged_results) == (-1, -1)
        assert (uncounted.total, uncounted.remaining) == (None, None)


# ------------------------------------------------------------------ models, paths


async def test_results_come_back_as_the_bound_model(server: CrestServer, mode: str) -> None:
    async with open_client(server, mode) as client:
        users = client.resource("/users", model=User)
        created = await resolve(users.create(User(user_name="bjensen", roles=["r"])))
        assert isinstance(created.resource, User)
        assert created.resource.id == created.id and created.resource.rev == "1"
        assert body_of(last(server)) == {"userName": "bjensen", "roles": ["r"]}
        user = await resolve(users.read(created.id))
        assert isinstance(user, User) and user.user_name == "bjensen"
        user.mail = "b@example.com"
        saved = await resolve(users.update(user.id, user))
        assert last(server).headers["if-match"] == "1"  # taken from the model's _rev
        assert isinstance(saved, User) and saved.rev == "2" and saved.mail == "b@example.com"
        listed = await collect(users.query(field("/userName").eq("BJENSEN")))
        assert [type(u) for u in listed] == [User]
        assert repr(users) == "<" + type(users).__name__ + " /users -> User>"
    with server.client() as plain, pytest.raises(ValueError, match="pydantic model class"):
        plain.resource("/users", model=dict)


async def test_singletons_and_child_paths(mode: str) -> None:
    server = CrestServer()
    server.add_singleton("/config/ui", {"theme": "dark", "langs": ["en"]})
    devices = server.add_collection("/users/alice/devices")
    async with open_client(server, mode) as client:
        ui = client.resource("/config/ui")
        config = await resolve(ui.read())
        assert config["theme"] == "dark" and last(server).url.path == "/config/ui"
        updated = await resolve(ui.update(None, {"theme": "light"}))
        assert updated == {"_id": "ui", "_rev": "2", "theme": "light"}
        patched = await resolve(ui.patch(None, Patch().add("/langs", ["fr"]), revision="2"))
        assert patched["langs"] == ["fr"] and patched["_rev"] == "3"

        users = client.resource("/users")
        mine = users.child("alice", "devices")
        assert mine.path == "/users/alice/devices"
        created = await resolve(mine.create({"name": "phone"}))
        assert devices.get(created.id) == created.resource
        same = client.resource("/users", "alice", "devices")
        assert (await resolve(same.read(created.id)))["name"] == "phone"


async def test_handle_with_options_keeps_path_and_model(server: CrestServer, mode: str) -> None:
    async with open_client(server, mode) as client:
        users = client.resource("/users", model=User).with_options(headers={"X-Trace": "t1"})
        assert users.path == "/users" and users.model is User
        await resolve(users.create({"userName": "x"}))
    assert last(server).headers["x-trace"] == "t1"


async def test_descriptors(server: CrestServer, mode: str) -> None:
    async with open_client(server, mode) as client:
        api = await resolve(client.crest_api())
        assert last(server).url.query == b"_crestapi"
        assert api.endpoint("/users").verbs == ("create",)
        assert api.endpoint("/users/{id}").verbs == ("create", "read", "update", "delete", "patch")
        openapi = await resolve(client.resource("/users").openapi())
        assert last(server).url.raw_path == b"/openidm/users?_api"
        assert "/users/{id}" in openapi["paths"]
        scoped = await resolve(client.resource("/users").crest_api())
        assert [e.path for e in scoped.endpoints()] == ["/users", "/users/{id}"]
