"""Arguments refused before sending are SDK errors (``CommonRestError``) and still
``ValueError``; a client without a server URL says which setting is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonrest import CommonRestError, ConfigurationError, NoAuth
from commonrest.crest import (
    AsyncCommonRestClient,
    CommonRestClient,
    FilterSyntaxError,
    InvalidArgumentError,
    JsonPointer,
    Patch,
    PatchError,
    apply_patch,
    field,
    parse,
    parse_duration,
    validate_secret_id,
)
from commonrest.testing.crest_server import CrestServer


@pytest.fixture
def server() -> CrestServer:
    srv = CrestServer("https://idm.test/openidm")
    srv.add_collection("/users").seed([{"_id": "a", "userName": "a"}])
    return srv


def _calls(client: CommonRestClient) -> dict[str, Callable[[], Any]]:
    users = client.resource("/users")
    return {
        "path": lambda: client.resource(17),  # type: ignore[call-overload]
        "model": lambda: client.resource("/users", model=int),
        "fields": lambda: users.read("a", fields=["a,b"]),
        "page_size": lambda: users.query_page("true", page_size=-1),
        "two query kinds": lambda: users.query_page("true", query_id="all"),
        "filter string": lambda: users.query_page("/userName eq"),
        "empty patch": lambda: users.patch("a", []),
        "action name": lambda: users.action("not a word"),
        "params": lambda: users.action("x", params={"_action": "y"}),
        "mime type": lambda: users.read_content("a", "photo", mime_type="png"),
        "cached without _rev": lambda: users.read("a", cached={"_id": "a"}),
        "max_attempts": lambda: users.modify("a", lambda u: u, max_attempts=0),
        "change": lambda: users.modify("a", "not callable"),  # type: ignore[arg-type]
    }


def _helpers() -> dict[str, Callable[[], Any]]:
    return {
        "filter syntax": lambda: parse("/a eq"),
        "filter builder": lambda: field("/a").eq(float("nan")),
        "patch apply": lambda: apply_patch({"n": [1]}, Patch().increment("/n", 1)),
        "patch builder": lambda: Patch().increment("/a", "x"),
        "pointer": lambda: JsonPointer.parse("a~2"),
        "duration": lambda: parse_duration("ten minutes"),
        "secret id": lambda: validate_secret_id("not valid!"),
    }


def test_every_refused_call_argument_is_a_commonrest_error(server: CrestServer) -> None:
    with server.client() as client:
        for name, call in _calls(client).items():
            try:
                call()
            except CommonRestError as error:
                assert isinstance(error, InvalidArgumentError), name
                assert isinstance(error, ValueError), name
            else:  # pragma: no cover - a failing case
                pytest.fail(f"{name}: nothing raised")
    assert server.requests == []  # all refused before sending


def test_building_blocks_raise_commonrest_errors_too() -> None:
    for name, call in _helpers().items():
        with pytest.raises(CommonRestError) as info:
            call()
        assert isinstance(info.value, InvalidArgumentError), name
        assert isinstance(info.value, ValueError), name


def test_filter_and_patch_errors_keep_their_own_classes() -> None:
    assert issubclass(FilterSyntaxError, InvalidArgumentError)
    assert issubclass(PatchError, InvalidArgumentError)
    with pytest.raises(FilterSyntaxError) as syntax:
        parse("/a eq")
    assert syntax.value.position == 5
    with pytest.raises(PatchError) as patch:
        apply_patch({"n": [1]}, Patch().increment("/n", 1))
    assert patch.value.status == 400
    # Code written against ValueError keeps working.
    with pytest.raises(ValueError, match="invalid query filter"):
        parse("(")


@pytest.mark.parametrize("cls", [CommonRestClient, AsyncCommonRestClient])
def test_missing_base_url_names_the_setting(
    cls: type[CommonRestClient] | type[AsyncCommonRestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMMONREST_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError) as info:
        cls()
    message = str(info.value)
    assert "base_url" in message and "COMMONREST_BASE_URL" in message
    assert "environment 'test'" not in message
    with pytest.raises(ConfigurationError, match="needs base_url"):
        cls(environment="prod")


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONREST_BASE_URL", "https://idm.example.com/openidm")
    with CommonRestClient(auth=NoAuth()) as client:
        assert client.base_url == "https://idm.example.com/openidm"
    with CommonRestClient(base_urls={"crest": "https://other.example.com"}, auth=NoAuth()) as other:
        assert other.base_url.startswith("https://other.example.com")
