"""Base URLs per environment, version suffixes, and path parameters that stay in their
segment."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest
import respx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from commonrest import ConfigurationError
from commonrest._paths import encode_segment

from .api import PetClient
from .helpers import PETS, SHOP, Factory, pet, resolve, sent

pytestmark = pytest.mark.anyio


# ------------------------------------------------------------------------- base URLs


def test_the_default_environment_is_test() -> None:
    with PetClient() as client:
        assert client.environment_urls == {"pets": PETS, "shop": SHOP}


def test_the_live_environment_fills_the_prefix() -> None:
    with PetClient(environment="live", url_variables={"prefix": "acme-1"}) as client:
        assert client.environment_urls["pets"] == "https://acme-1-pets.example.com/api/v2"


def test_a_live_url_without_its_prefix_is_refused_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="live_url_prefix") as info:
        PetClient(environment="live")
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("prefix", ["evil.com/x", "a b", "x?y", "x@y", ""])
def test_a_prefix_that_would_change_the_host_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="live_url_prefix"):
        PetClient(environment="live", url_variables={"prefix": prefix})


def test_an_unknown_environment_is_refused_naming_the_setting() -> None:
    with pytest.raises(ValueError, match="environment 'staging'"):
        PetClient(environment="staging")


async def test_a_custom_base_url_replaces_the_host_and_keeps_the_version_path(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.get("http://localhost:8080/api/v2/pets/rex").respond(200, json=pet())
    client = make(base_url="http://localhost:8080/")

    await resolve(client.pets.get("rex"))

    assert route.called
    assert client.environment_urls["shop"] == "http://localhost:8080/shop/v1"


def test_the_base_url_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PETS_BASE_URL", "http://127.0.0.1:9000")
    with PetClient() as client:
        assert client.environment_urls["pets"] == "http://127.0.0.1:9000/api/v2"
    with PetClient(base_url="https://given.example.com") as client:
        assert client.environment_urls["pets"] == "https://given.example.com/api/v2"


def test_one_service_can_be_moved_alone() -> None:
    with PetClient(base_urls={"shop": "https://shop.local"}) as client:
        assert client.environment_urls == {"pets": PETS, "shop": "https://shop.local/shop/v1"}


async def test_the_version_is_overridable_per_client(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.get("https://pets-test.example.com/api/v3/pets/rex").respond(200, json=pet())
    client = make(versions={"pets": "3"})

    await resolve(client.pets.get("rex"))

    assert route.called
    assert client.environment_urls["shop"] == SHOP  # other services keep theirs


@pytest.mark.parametrize(
    ("kwargs", "setting"),
    [
        ({"base_url": "ftp://example.com"}, "base_url"),
        ({"base_url": "example.com/api"}, "base_url"),
        ({"base_url": "https://"}, "base_url"),
        ({"base_url": "https://example.com?x=1"}, "base_url"),
        ({"base_url": "https://user:pw@example.com"}, "base_url"),
        ({"base_url": ""}, "base_url"),
        ({"base_urls": {"nope": "https://example.com"}}, "nope"),
        ({"versions": {"pets": "2/../../admin"}}, "version"),
        ({"environment": 3}, "environment"),
    ],
)
def test_malformed_url_settings_are_refused_naming_the_setting(
    kwargs: dict[str, object], setting: str
) -> None:
    with pytest.raises(ValueError, match=setting):
        PetClient(**kwargs)  # type: ignore[arg-type]


def test_credentials_in_the_base_url_are_not_echoed() -> None:
    with pytest.raises(ValueError) as info:
        PetClient(base_url="https://user:hunter2-secret@example.com")
    assert "hunter2-secret" not in str(info.value)


# ------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("rex", "rex"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("%2e%2e", "%252e%252e"),
        ("x?y=1", "x%3Fy=1"),
        ("x#frag", "x%23frag"),
        ("with space", "with%20space"),
        ("émile", "%C3%A9mile"),
        ("a:b@c", "a:b@c"),
        ("...", "..."),
    ],
)
async def test_path_parameters_are_encoded_as_one_segment(
    make: Factory, router: respx.MockRouter, value: str, segment: str
) -> None:
    router.get(url__startswith=PETS).respond(200, json=pet())
    client = make()

    await resolve(client.pets.get(value))

    assert sent(router)[0].url.raw_path == f"/api/v2/pets/{segment}".encode()


@pytest.mark.parametrize("value", ["", ".", ".."])
async def test_dot_segments_and_empty_values_are_refused_before_sending(
    make: Factory, router: respx.MockRouter, value: str
) -> None:
    route = router.get(url__startswith=PETS).respond(200, json=pet())
    client = make()

    with pytest.raises(ValueError, match="pet_id"):
        await resolve(client.pets.get(value))
    assert not route.called


@pytest.mark.parametrize("value", [None, ["a"], {"a": 1}, b"raw"])
def test_path_parameters_must_be_text_or_numbers(value: object) -> None:
    with pytest.raises(ValueError, match="pet_id"):
        encode_segment(value, name="pet_id")


segments = st.text().filter(lambda s: s not in ("", ".", ".."))


@given(segments)
@example("a/b")
@example("?")
@example("#")
@example("%")
@example("%2F")
@example("..%2F")
@example(" ")
@example("\x00")
@example("\u2028")
@example("日本")
def test_no_text_escapes_its_segment(value: str) -> None:
    encoded = encode_segment(value)
    assert "/" not in encoded
    assert "?" not in encoded
    assert "#" not in encoded
    assert unquote(encoded, errors="strict") == value


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(segments)
@example("a/b")
@example("..%2F..")
@example("%")
@example("x?y#z")
@example("[::1]")
@example("\\")
def test_httpx_sends_exactly_the_encoded_segment(value: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pet())

    with PetClient(transport=httpx.MockTransport(handler)) as client:
        client.pets.get(value)

    raw_path = seen[0].url.raw_path.decode("ascii")
    assert raw_path == "/api/v2/pets/" + encode_segment(value)
    assert unquote(raw_path.rsplit("/", 1)[1]) == value
    assert seen[0].url.query == b""


def test_a_path_template_with_a_missing_parameter_is_refused() -> None:
    from commonrest._paths import expand_path

    with pytest.raises(ValueError, match="pet_id"):
        expand_path("/pets/{pet_id}", {})


# ------------------------------------------------------------------------- request URLs


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    segment=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12).filter(
        lambda s: s not in ("", ".", "..")
    ),
    # (a call's query never repeats a key out of order: a list value's items come together)
    query=st.dictionaries(st.sampled_from(["a", "b c", "é"]), st.text(max_size=6)).map(
        lambda d: list(d.items())
    ),
)
@example(segment="%2F..", query=[])
def test_request_urls_are_the_ones_httpx_builds_every_time(
    segment: str, query: list[tuple[str, str]]
) -> None:
    # Built once per base and path and then reused: the second URL (and one past the bound
    # on what is kept) must still be httpx's, query and all.
    from commonrest import _request

    base = "https://api.test/v%41/a"
    path = "/pets/" + encode_segment(segment)
    expected = httpx.URL(base + path, params=query or None)
    for _ in range(2):
        assert str(_request.request_url(base, path, query)) == str(expected)
    assert len(_request._URLS) <= _request._MAX_URLS
    for i in range(_request._MAX_URLS + 1):
        _request.request_url(base, f"/n/{i}", [])
    assert len(_request._URLS) <= _request._MAX_URLS
    assert str(_request.request_url(base, path, [])) == str(httpx.URL(base + path))
