"""The exact wire form, checked against respx mocks rather than our own server."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonrest import BasicAuth, ConfigurationError, NoAuth, PreconditionFailedError
from commonrest.crest import UNCONDITIONAL, CommonRestClient, Patch, field, to_query_param
from commonrest.crest._filters import FilterValue

BASE = "https://idm.example.com/openidm"


@pytest.fixture
def client() -> Iterator[CommonRestClient]:
    """A client with basic auth and no retries."""
    with CommonRestClient(base_url=BASE, auth=BasicAuth("admin", "pw"), max_retries=0) as c:
        yield c


@respx.mock(base_url=BASE, assert_all_called=True)
def test_query_filter_on_the_wire_is_exactly_to_query_param(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    route = respx_mock.get("/managed/user").respond(json={"result": [], "resultCount": 0})
    node = (field("/_id").eq("test\\") | ~field("/mail").co('a "b" (c)!+')) & field("/n").ge(1.5)
    list(client.resource("/managed/user").query(node))
    query = route.calls.last.request.url.query
    assert query == b"_queryFilter=" + to_query_param(node).encode()
    assert b"%5C%5C" in query  # the JSON-escaped backslash, percent-encoded
    for raw in (b" ", b'"', b"(", b")", b"!", b"\\"):
        assert raw not in query


@given(value=st.one_of(st.text(max_size=30), st.integers(), st.booleans()))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_value_reaches_the_server_intact(value: FilterValue) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["_queryFilter"])
        return httpx.Response(200, json={"result": []})

    with CommonRestClient(
        base_url=BASE, transport=httpx.MockTransport(handler), auth=NoAuth()
    ) as c:
        list(c.resource("/things").query(field("/v").eq(value)))
    assert seen == [field("/v").eq(value).render()]


@respx.mock(base_url=BASE)
def test_sort_keys_plus_is_sent_as_percent_2b(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    route = respx_mock.get("/users").respond(json={"result": []})
    list(client.resource("/users").query("true", sort_keys="+name/givenName,-age"))
    query = route.calls.last.request.url.query
    assert query == b"_queryFilter=true&_sortKeys=%2B%2Fname%2FgivenName%2C-%2Fage"


@respx.mock(base_url=BASE)
def test_create_surfaces_location_even_without_an_id_in_the_body(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    respx_mock.post("/users", params={"_action": "create"}).respond(
        201, json={"userName": "x"}, headers={"Location": f"{BASE}/users/a%20b"}
    )
    created = client.resource("/users").create({"userName": "x"})
    assert created.id == "a b"
    assert created.revision is None
    assert created.location == f"{BASE}/users/a%20b"
    request = respx_mock.calls.last.request
    expected = "Basic " + base64.b64encode(b"admin:pw").decode()
    assert request.headers["authorization"] == expected
    assert request.headers["accept"] == "application/json"


@respx.mock(base_url=BASE)
def test_update_delete_patch_headers(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    respx_mock.put("/users/u1").respond(json={"_id": "u1", "_rev": "5"})
    respx_mock.delete("/users/u1").respond(json={"_id": "u1", "_rev": "5"})
    respx_mock.patch("/users/u1").respond(
        412, json={"code": 412, "reason": "Precondition Failed", "message": "rev is 6"}
    )
    users = client.resource("/users")
    users.update("u1", {"_id": "u1", "_rev": "4", "a": 1})
    put = respx_mock.calls.last.request
    assert put.headers["if-match"] == "4"
    assert json.loads(put.content) == {"_id": "u1", "_rev": "4", "a": 1}
    users.delete("u1", revision="5", fields="a", pretty_print=False)
    delete = respx_mock.calls.last.request
    assert delete.headers["if-match"] == "5"
    assert delete.url.query == b"_fields=%2Fa&_prettyPrint=false"
    assert delete.content == b""
    with pytest.raises(PreconditionFailedError, match="rev is 6"):
        users.patch("u1", Patch().remove("/a"), revision="5")
    patch = respx_mock.calls.last.request
    assert patch.headers["if-match"] == "5"
    assert patch.headers["content-type"] == "application/json"
    assert json.loads(patch.content) == [{"operation": "remove", "field": "/a"}]


@respx.mock(base_url=BASE)
def test_conditional_read_on_the_wire(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    route = respx_mock.get("/users/u1")
    route.side_effect = [
        httpx.Response(200, json={"_id": "u1", "_rev": "3", "a": 1}),
        httpx.Response(304),
    ]
    users = client.resource("/users")
    first = users.read("u1")
    assert "if-none-match" not in route.calls[0].request.headers
    assert users.read("u1", cached=first) is first
    assert route.calls[1].request.headers["if-none-match"] == "3"


@respx.mock(base_url=BASE)
def test_descriptors_send_the_bare_parameter(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    respx_mock.get("/", params={"_api": ""}).respond(json={"openapi": "3.0.0"})
    crest = respx_mock.get("/users").respond(
        json={"id": "x", "paths": {"/users": {"1.0": {"read": {}}}}}
    )
    assert client.openapi() == {"openapi": "3.0.0"}
    assert str(respx_mock.calls[0].request.url) == f"{BASE}?_api"
    api = client.resource("/users").crest_api()
    assert str(crest.calls.last.request.url) == f"{BASE}/users?_crestapi"
    assert api.endpoint("/users").verbs == ("read",)


@respx.mock(base_url=BASE)
def test_action_params_and_body(respx_mock: respx.MockRouter, client: CommonRestClient) -> None:
    route = respx_mock.post("/audit/access").respond(json={"rotated": True})
    answer = client.resource("/audit").action(
        "rotate", id="access", params={"handler": "csv", "n": 2}, body={"x": [1]}
    )
    assert answer == {"rotated": True}
    request = route.calls.last.request
    assert request.url.query == b"_action=rotate&handler=csv&n=2"
    assert json.loads(request.content) == {"x": [1]}


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONREST_BASE_URL", "https://env.example.com/openidm/")
    with CommonRestClient(auth=NoAuth()) as client:
        assert client.base_url == "https://env.example.com/openidm"
    monkeypatch.delenv("COMMONREST_BASE_URL")
    with pytest.raises(ConfigurationError, match="base_url"):
        CommonRestClient()


# ------------------------------------------------------------- per-verb parameters


def _capture() -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "GET" and "_queryFilter" in request.url.params:
            return httpx.Response(200, json={"result": [{"_id": "u1"}], "resultCount": 1})
        status = 201 if request.url.params.get("_action") == "create" else 200
        return httpx.Response(status, json={"_id": "u1", "_rev": "1"})

    return seen, httpx.MockTransport(handler)


VERBS: dict[str, Callable[..., Any]] = {
    "create": lambda users, **kw: users.create({"a": 1}, **kw),
    "create-with-id": lambda users, **kw: users.create({"a": 1}, id="u1", **kw),
    "read": lambda users, **kw: users.read("u1", **kw),
    "update": lambda users, **kw: users.update("u1", {"a": 1}, **kw),
    "delete": lambda users, **kw: users.delete("u1", **kw),
    "patch": lambda users, **kw: users.patch("u1", Patch().replace("/a", 2), **kw),
    "action": lambda users, **kw: users.action("rotate", id="u1", **kw),
    "query": lambda users, **kw: list(users.query(field("/a").pr(), **kw)),
    "query_page": lambda users, **kw: users.query_page(field("/a").pr(), **kw),
}


@pytest.mark.parametrize("verb", sorted(VERBS))
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, {}),
        ({"fields": ["a", "/b/c"]}, {"_fields": "/a,/b/c"}),
        ({"fields": "a, b"}, {"_fields": "/a,/b"}),
        ({"pretty_print": True}, {"_prettyPrint": "true"}),
        ({"pretty_print": False}, {"_prettyPrint": "false"}),
        (
            {"fields": "name", "pretty_print": True},
            {"_fields": "/name", "_prettyPrint": "true"},
        ),
    ],
    ids=["neither", "fields-list", "fields-string", "pretty", "not-pretty", "both"],
)
def test_every_verb_sends_fields_and_pretty_print_when_given(
    verb: str, given: dict[str, Any], expected: dict[str, str]
) -> None:
    seen, transport = _capture()
    with CommonRestClient(base_url=BASE, transport=transport, max_retries=0, auth=NoAuth()) as c:
        VERBS[verb](c.resource("/users"), **given)
    assert len(seen) == 1
    params = seen[0].url.params
    sent = {k: params[k] for k in ("_fields", "_prettyPrint") if k in params}
    assert sent == expected
    assert len(params.get_list("_fields")) <= 1 and len(params.get_list("_prettyPrint")) <= 1


@respx.mock(base_url=BASE)
def test_writes_without_a_revision_send_if_match_any(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    respx_mock.route(path="/users/u1").respond(json={"_id": "u1", "_rev": "2"})
    users = client.resource("/users")
    users.update("u1", {"a": 1})
    users.update("u1", {"a": 1, "_rev": None})
    users.update("u1", {"a": 1}, revision=None)
    users.patch("u1", Patch().remove("/a"))
    users.delete("u1")
    users.delete("u1", revision=None)
    for call in respx_mock.calls:
        assert call.request.headers["if-match"] == "*", call.request.method
        assert "if-none-match" not in call.request.headers
    users.update("u1", {"a": 1}, revision=UNCONDITIONAL)
    users.patch("u1", Patch().remove("/a"), revision=UNCONDITIONAL)
    users.delete("u1", revision=UNCONDITIONAL)
    for call in respx_mock.calls[-3:]:
        assert "if-match" not in call.request.headers
    with pytest.raises(ValueError, match="the body's _rev must not contain line breaks"):
        users.update("u1", {"a": 1, "_rev": "1\r\nX-Evil: 1"})


@pytest.mark.parametrize(
    ("etag", "expected"),
    [('"7"', "7"), ('W/"7"', "7"), ("7", "7"), ('""', None), (None, None)],
)
@respx.mock(base_url=BASE)
def test_create_revision_falls_back_to_the_etag(
    respx_mock: respx.MockRouter, client: CommonRestClient, etag: str | None, expected: str | None
) -> None:
    headers = {"ETag": etag} if etag is not None else {}
    respx_mock.post("/users", params={"_action": "create"}).respond(
        201, json={"_id": "u1", "userName": "x"}, headers=headers
    )
    assert client.resource("/users").create({"userName": "x"}).revision == expected


@respx.mock(base_url=BASE)
def test_create_revision_prefers_the_body_over_the_etag(
    respx_mock: respx.MockRouter, client: CommonRestClient
) -> None:
    respx_mock.put("/users/u1").respond(
        201, json={"_id": "u1", "_rev": "body"}, headers={"ETag": '"header"'}
    )
    assert client.resource("/users").create({"a": 1}, id="u1").revision == "body"
