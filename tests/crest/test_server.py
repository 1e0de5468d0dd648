"""The in-memory server on its own, driven with plain httpx (what a user's test would do)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from commonrest.crest import parse_descriptor
from commonrest.testing.crest_server import ActionContext, CrestError, CrestServer


@pytest.fixture
def server() -> CrestServer:
    """A server with a seeded /users collection."""
    srv = CrestServer("https://crest.test/api")
    users = srv.add_collection("/users", set_fields=["/roles"])
    users.seed(
        [
            {"userName": "alice", "age": 31, "roles": ["a"]},
            {"userName": "Bob", "age": 25},
            {"userName": "carol", "age": 40},
        ]
    )
    return srv


@pytest.fixture
def http(server: CrestServer) -> Iterator[httpx.Client]:
    """A bare httpx client on the server's transport."""
    with httpx.Client(base_url=server.base_url, transport=server.transport) as client:
        yield client


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) >= {"code", "reason", "message"}
    assert body["code"] == response.status_code
    return dict(body)


# ---------------------------------------------------------------------- queries


def test_filters_are_evaluated_on_the_server(http: httpx.Client) -> None:
    response = http.get("/users", params={"_queryFilter": '/age gt 30 and !(/userName eq "carol")'})
    assert response.status_code == 200
    body = response.json()
    assert [r["userName"] for r in body["result"]] == ["alice"]
    assert body["resultCount"] == 1
    assert body["pagedResultsCookie"] is None
    assert body["totalPagedResults"] == -1


def test_strings_ignore_case_unless_asked(server: CrestServer) -> None:
    params = {"_queryFilter": '/userName eq "bob"'}
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        assert http.get("/users", params=params).json()["resultCount"] == 1
    strict = CrestServer(case_sensitive=True)
    strict.add_collection("/users").add({"userName": "Bob"})
    with httpx.Client(base_url=strict.base_url, transport=strict.transport) as http:
        assert http.get("/users", params=params).json()["resultCount"] == 0


def test_extended_operators(server: CrestServer) -> None:
    server.extended_operators["regex"] = lambda value, pattern: bool(
        isinstance(value, str) and re.fullmatch(str(pattern), value)
    )
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        ok = http.get("/users", params={"_queryFilter": '/userName regex "[a-c].*l.*"'})
        assert [r["userName"] for r in ok.json()["result"]] == ["alice", "carol"]
        unknown = http.get("/users", params={"_queryFilter": '/userName near "x"'})
    assert unknown.status_code == 400
    assert "unsupported extended filter operator" in error_of(unknown)["message"]


@pytest.mark.parametrize(
    ("query", "status", "fragment"),
    [
        ("_queryFilter=/age+gt", 400, "invalid _queryFilter"),
        ("_queryFilter=true&_queryId=x", 400, "exactly one"),
        ("_pageSize=2", 400, "exactly one"),
        ("_queryId=nope", 400, "unknown _queryId"),
        ("_queryExpression=select", 501, "not supported"),
        ("_queryFilter=true&_sortKeys=+age", 400, "sent without encoding"),
        ("_queryFilter=true&_sortKeys=age,,x", 400, "empty key"),
        ("_queryFilter=true&_pageSize=x", 400, "must be an integer"),
        ("_queryFilter=true&_pageSize=-1", 400, "must be >= 0"),
        ("_queryFilter=true&_pageSize=2&_pagedResultsOffset=1&_pagedResultsCookie=x", 400,
         "mutually exclusive"),
        ("_queryFilter=true&_pagedResultsCookie=abc", 400, "needs a non-zero _pageSize"),
        ("_queryFilter=true&_pageSize=2&_totalPagedResultsPolicy=ALL", 400, "NONE, EXACT"),
        ("_queryFilter=true&_fields=a~9", 400, "_fields"),
    ],
)  # fmt: skip
def test_bad_queries(http: httpx.Client, query: str, status: int, fragment: str) -> None:
    response = http.get("/users?" + query)
    assert response.status_code == status
    assert fragment in error_of(response)["message"]


def test_encoded_plus_sorts_ascending(http: httpx.Client) -> None:
    response = http.get("/users?_queryFilter=true&_sortKeys=%2BuserName")
    assert [r["userName"] for r in response.json()["result"]] == ["alice", "Bob", "carol"]
    response = http.get("/users?_queryFilter=true&_sortKeys=-age")
    assert [r["age"] for r in response.json()["result"]] == [40, 31, 25]


def test_stored_query_handlers_get_copies(server: CrestServer) -> None:
    def vandal(resources: list[dict[str, Any]], params: Any) -> list[dict[str, Any]]:
        for r in resources:
            r["userName"] = "changed"
        return resources

    server.collection("/users").queries["vandal"] = vandal
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        http.get("/users", params={"_queryId": "vandal"})
    assert server.collection("/users").resources["1"]["userName"] == "alice"


def test_pretty_print_and_etag(http: httpx.Client) -> None:
    pretty = http.get("/users/1", params={"_prettyPrint": "true"})
    assert pretty.text.startswith('{\n  "_id": "1"')
    assert pretty.headers["etag"] == '"1"'
    assert "\n" not in http.get("/users/1").text


# ------------------------------------------------------------------ CRUD details


def test_put_without_conditions_creates_then_replaces(http: httpx.Client) -> None:
    created = http.put("/users/dave", json={"userName": "dave"})
    assert created.status_code == 201
    assert created.headers["location"] == "https://crest.test/api/users/dave"
    replaced = http.put("/users/dave", json={"userName": "david"})
    assert replaced.status_code == 200
    assert replaced.json() == {"_id": "dave", "_rev": "2", "userName": "david"}


def test_conditional_headers(http: httpx.Client) -> None:
    bad = http.put("/users/1", json={}, headers={"If-None-Match": "3"})
    assert bad.status_code == 400 and "must be '*'" in error_of(bad)["message"]
    missing = http.put("/users/none", json={}, headers={"If-Match": "1"})
    assert missing.status_code == 404
    quoted = http.put("/users/1", json={"userName": "a2"}, headers={"If-Match": 'W/"1", "7"'})
    assert quoted.status_code == 200
    not_modified = http.get("/users/1", headers={"If-None-Match": '"2"'})
    assert not_modified.status_code == 304 and not_modified.content == b""
    stale = http.delete("/users/1", headers={"If-Match": "1"})
    assert stale.status_code == 412
    assert error_of(stale)["detail"] == {"revision": "2"}


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("tag", ["*", '"1"'])
def test_a_conditional_write_on_a_missing_resource_is_404(
    server: CrestServer, http: httpx.Client, method: str, tag: str
) -> None:
    body = [{"operation": "add", "field": "/a", "value": 1}] if method == "PATCH" else {"a": 1}
    response = http.request(
        method,
        "/users/ghost",
        headers={"If-Match": tag},
        json=None if method == "DELETE" else body,
    )
    assert response.status_code == 404
    assert error_of(response)["code"] == 404
    assert server.collection("/users").get("ghost") is None


def test_post_create_with_a_taken_id_fails(http: httpx.Client) -> None:
    taken = http.post("/users", params={"_action": "create"}, json={"_id": "1"})
    assert taken.status_code == 412
    fresh = http.post("/users", params={"_action": "create"}, json={"_id": "x", "_rev": "9"})
    assert fresh.status_code == 201
    assert fresh.json() == {"_id": "x", "_rev": "1"}  # the server owns _rev


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "fragment"),
    [
        ("POST", "/users", {"json": {}}, 400, "needs an _action"),
        ("POST", "/users?_action=create", {"content": b"x=1",
         "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415, "JSON body"),
        ("POST", "/users?_action=create", {"content": b"{oops",
         "headers": {"Content-Type": "application/json"}}, 400, "not valid JSON"),
        ("POST", "/users?_action=create", {"json": [1]}, 400, "JSON object"),
        ("POST", "/users?_action=create", {"json": {"_id": 5}}, 400, "_id must be a string"),
        ("PUT", "/users/1", {}, 400, "no JSON body"),
        ("DELETE", "/users", {}, 405, "not allowed"),
        ("HEAD", "/users/1", {}, 405, "not allowed"),
        ("OPTIONS", "/users/zzz", {}, 405, "not allowed"),
        ("PATCH", "/users/1", {"json": {"operation": "add"}}, 400, "JSON array"),
        ("PATCH", "/users/1", {"json": [{"operation": "add", "field": "/a"}]}, 400,
         "invalid patch"),
        ("PATCH", "/users/1", {"json": [{"operation": "increment", "field": "/userName",
                                         "value": 1}]}, 400, "not a number"),
        ("PATCH", "/users/1", {"json": [{"operation": "transform", "field": "/a",
                                         "value": {}}]}, 501, "not supported"),
        ("POST", "/users/1", {}, 400, "needs an _action"),
        ("POST", "/users/zzz?_action=x", {}, 404, "no resource"),
        ("GET", "/users/zzz", {}, 404, "no resource"),
        ("GET", "/elsewhere", {}, 404, "no resource"),
        ("GET", "https://crest.test/other", {}, 404, "outside this server"),
        ("GET", "/users/1?_mimeType=image/png", {}, 400, "exactly one field"),
        ("GET", "/users/1?_mimeType=image/png&_fields=photo", {}, 404, "no content"),
        ("GET", "/users/1?_mimeType=image/png&_fields=age", {}, 400, "does not hold content"),
    ],
)  # fmt: skip
def test_request_errors(
    http: httpx.Client, method: str, url: str, kwargs: dict[str, Any], status: int, fragment: str
) -> None:
    response = http.request(method, url, **kwargs)
    assert response.status_code == status
    if method != "HEAD":
        assert fragment in error_of(response)["message"]


def test_patch_keeps_id_and_bumps_revision(http: httpx.Client) -> None:
    response = http.patch(
        "/users/1",
        json=[
            {"operation": "replace", "field": "/_id", "value": "hijack"},
            {"operation": "add", "field": "/roles", "value": ["a", "b"]},
        ],
    )
    assert response.json() == {
        "_id": "1", "_rev": "2", "userName": "alice", "age": 31, "roles": ["a", "b"],
    }  # fmt: skip


def test_transform_hook(server: CrestServer) -> None:
    server.transform = lambda current, spec: str(current).upper() if spec == "upper" else current
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        response = http.patch(
            "/users/1", json=[{"operation": "transform", "field": "/userName", "value": "upper"}]
        )
    assert response.json()["userName"] == "ALICE"


def test_mime_type_returns_text_that_is_not_base64(server: CrestServer) -> None:
    server.collection("/users").add({"note": "hello, world!"}, id="n")
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        response = http.get("/users/n", params={"_fields": "note", "_mimeType": "text/plain"})
    assert response.content == b"hello, world!"
    assert response.headers["content-type"] == "text/plain"


def test_fields_left_blank_return_everything(http: httpx.Client) -> None:
    assert http.get("/users/1", params={"_fields": ""}).json()["age"] == 31
    assert http.get("/users/1", params={"_fields": "/"}).json()["age"] == 31
    assert http.get("/users/1", params={"_fields": "nope"}).json() == {"_id": "1", "_rev": "1"}


# ---------------------------------------------------------------- actions, setup


def test_action_handlers_and_crest_errors(server: CrestServer) -> None:
    def fail(ctx: ActionContext) -> Any:
        raise CrestError(409, "already running", detail={"job": ctx.params.get("job")})

    server.collection("/users").actions["start"] = fail
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        response = http.post("/users?_action=start&job=7")
    assert response.status_code == 409
    assert error_of(response) == {
        "code": 409, "reason": "Conflict", "message": "already running", "detail": {"job": "7"},
    }  # fmt: skip


def test_singleton_actions(server: CrestServer) -> None:
    singleton = server.add_singleton(
        "/health", {"up": True}, actions={"ping": lambda ctx: {"pong": ctx.body}}
    )
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        assert http.post("/health?_action=ping", json=[1]).json() == {"pong": [1]}
        assert http.post("/health?_action=create", json={}).status_code == 400
        assert http.put("/health", json={"up": False}).json()["_rev"] == "2"
    assert singleton.resource == {"_id": "health", "_rev": "2", "up": False}


def test_fail_next_matches_method_path_and_count(server: CrestServer) -> None:
    server.fail_next(503, times=2, method="get", path="/users/1")
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        assert http.get("/users/2").status_code == 200
        assert http.put("/users/1", json={"userName": "x"}).status_code == 200
        assert http.get("/users/1").status_code == 503
        assert http.get("/users/1/").status_code == 503
        assert http.get("/users/1").status_code == 200
    with pytest.raises(ValueError, match="4xx or 5xx"):
        server.fail_next(302)
    with pytest.raises(ValueError, match="times"):
        server.fail_next(500, times=0)


def test_generated_descriptors(server: CrestServer, http: httpx.Client) -> None:
    server.collection("/users").queries["by-age"] = lambda rs, ps: rs
    server.collection("/users").actions["reset"] = lambda ctx: None
    server.add_singleton("/config/ui", {})
    api = parse_descriptor(http.get("/?_crestapi").json())
    assert api.endpoint("/users").queries[1].query_id == "by-age"
    assert api.endpoint("/users/{id}").action_names == ("reset",)
    assert api.endpoint("/config/ui").verbs == ("read", "update", "patch")
    # A singleton is patched by the same applier as a collection item: all seven operations.
    raw = http.get("/?_crestapi").json()["services"]
    every = ["ADD", "COPY", "INCREMENT", "MOVE", "REMOVE", "REPLACE", "TRANSFORM"]
    assert raw["config.ui:1.0"]["patch"]["operations"] == every
    assert raw["users:1.0"]["items"]["patch"]["operations"] == every
    assert http.get("/users?_crestapi").json()["paths"].keys() == {"/users"}
    openapi = http.get("/users?_api").json()
    assert set(openapi["paths"]) == {"/users", "/users/{id}"}
    assert http.get("/nothing?_api").status_code == 404


def test_configured_descriptors_win(server: CrestServer) -> None:
    server.descriptor = {"id": "mine", "paths": {}}
    server.openapi = {"openapi": "3.1.0"}
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        assert http.get("/users?_crestapi").json() == {"id": "mine", "paths": {}}
        assert http.get("/?_api").json() == {"openapi": "3.1.0"}


def test_setup_is_validated(server: CrestServer) -> None:
    with pytest.raises(ValueError, match="already served"):
        server.add_collection("/users/")
    with pytest.raises(ValueError, match="already served"):
        server.add_singleton("/users")
    with pytest.raises(ValueError, match="must start with '/'"):
        server.add_collection("users")
    with pytest.raises(ValueError, match="already exists"):
        server.collection("/users").add({"_id": "1"})
    with pytest.raises(ValueError, match="absolute http"):
        CrestServer("crest.test")
    with pytest.raises(ValueError, match="max_page_size"):
        CrestServer(max_page_size=0)
    with pytest.raises(ValueError, match="results_key"):
        CrestServer(results_key="items")


def test_requests_are_recorded_and_collections_report_state(server: CrestServer) -> None:
    with httpx.Client(base_url=server.base_url, transport=server.transport) as http:
        http.post("/users?_action=create", json={"userName": "dave"})
    users = server.collection("/users")
    assert len(users) == 4
    assert users.get("4") == {"_id": "4", "_rev": "1", "userName": "dave"}
    assert users.get("nope") is None
    assert json.loads(server.requests[-1].content) == {"userName": "dave"}
    copy_ = users.get("4")
    assert copy_ is not None
    copy_["userName"] = "mutated"
    assert users.resources["4"]["userName"] == "dave"


@pytest.mark.anyio
async def test_the_transport_serves_async_clients(server: CrestServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, transport=server.transport) as http:
        response = await http.get("/users/2")
    assert response.json()["userName"] == "Bob"
