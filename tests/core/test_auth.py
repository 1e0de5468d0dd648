"""Credentials: how each kind is sent, refreshed, routed per operation, and never leaked."""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from collections.abc import Generator

import httpx
import pytest
import respx

from commonrest import (
    APIKeyAuth,
    APIStatusError,
    AuthenticationError,
    BasicAuth,
    BearerAuth,
    ConfigurationError,
    NoAuth,
    Token,
    TokenEndpoint,
)

from .api import AsyncPetClient, PetClient
from .helpers import PETS, SECRET, Factory, Kind, pet, resolve, sent

pytestmark = pytest.mark.anyio


# ------------------------------------------------------------------------- sending


@pytest.mark.parametrize("header", ["X-API-Key", "API-Key", "X-Pet-Token"])
async def test_api_key_goes_in_the_header_the_service_chose(
    make: Factory, router: respx.MockRouter, header: str
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(auth=APIKeyAuth(SECRET, header=header))

    await resolve(client.pets.get("rex"))

    request = sent(router)[0]
    assert request.headers[header] == SECRET
    assert "authorization" not in request.headers


async def test_basic_auth_sends_the_encoded_pair(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(auth=BasicAuth("alice", SECRET))

    await resolve(client.pets.get("rex"))

    expected = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    assert sent(router)[0].headers["authorization"] == f"Basic {expected}"


async def test_bearer_token_is_sent(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(auth=BearerAuth(SECRET))

    await resolve(client.pets.get("rex"))

    assert sent(router)[0].headers["authorization"] == f"Bearer {SECRET}"


@pytest.mark.parametrize("auth", [None, NoAuth()])
async def test_no_auth_sends_no_credential(
    make: Factory, router: respx.MockRouter, auth: NoAuth | None
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make(auth=auth)

    await resolve(client.pets.get("rex"))

    headers = sent(router)[0].headers
    assert "authorization" not in headers
    assert "x-api-key" not in headers


@pytest.mark.parametrize(
    ("make_auth", "setting"),
    [
        (lambda: APIKeyAuth(""), "api_key"),
        (lambda: APIKeyAuth("   "), "api_key"),
        (lambda: APIKeyAuth("a\r\nInjected: yes"), "api_key"),
        (lambda: BasicAuth("", "pw"), "username"),
        (lambda: BasicAuth("alice", ""), "password"),
        (lambda: BearerAuth(""), "token"),
        (lambda: BearerAuth(), "bearer"),
    ],
)
def test_malformed_credentials_are_refused_naming_the_setting(
    make_auth: object, setting: str
) -> None:
    assert callable(make_auth)
    with pytest.raises(ValueError, match=setting):
        make_auth()


def test_an_object_that_is_not_an_auth_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="adopter"):
        PetClient(credentials={"adopter": "just-a-string"})  # type: ignore[dict-item]


# ------------------------------------------------------------------------- refresh


def _expiring_server(router: respx.MockRouter, *, good: str) -> respx.Route:
    """A pets endpoint accepting only ``Bearer {good}``; anything else gets a 401."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") == f"Bearer {good}":
            return httpx.Response(200, json=pet())
        return httpx.Response(401, json={"message": "token expired"})

    return router.get(f"{PETS}/pets/rex").mock(side_effect=answer)


async def test_a_401_refreshes_the_token_once_and_repeats_the_request(
    make: Factory, router: respx.MockRouter
) -> None:
    route = _expiring_server(router, good="fresh-token-2")
    calls: list[int] = []

    def refresh() -> str:
        calls.append(1)
        return "fresh-token-2"

    client = make(auth=BearerAuth("stale-token-1", refresh=refresh))

    result = await resolve(client.pets.get("rex"))

    assert result.pet_id == "rex"
    assert len(calls) == 1
    assert [r.headers["authorization"] for r in sent(router)] == [
        "Bearer stale-token-1",
        "Bearer fresh-token-2",
    ]
    assert route.call_count == 2

    # the new token is kept for the following calls
    await resolve(client.pets.get("rex"))
    assert len(calls) == 1
    assert sent(router)[-1].headers["authorization"] == "Bearer fresh-token-2"


async def test_an_async_refresh_hook_serves_the_async_client(router: respx.MockRouter) -> None:
    _expiring_server(router, good="fresh-token-2")

    async def refresh() -> Token:
        return Token.lasting("fresh-token-2", 3600)

    async with AsyncPetClient(auth=BearerAuth("stale-token-1", refresh=refresh)) as client:
        assert (await client.pets.get("rex")).pet_id == "rex"


async def test_a_plain_refresh_hook_runs_off_the_event_loop(router: respx.MockRouter) -> None:
    _expiring_server(router, good="fresh-token-2")
    loop_thread = threading.get_ident()
    hook_threads: list[int] = []

    def refresh() -> str:  # blocking, as a hook that makes its own HTTP call would be
        hook_threads.append(threading.get_ident())
        time.sleep(0.01)
        return "fresh-token-2"

    async with AsyncPetClient(auth=BearerAuth("stale-token-1", refresh=refresh)) as client:
        assert (await client.pets.get("rex")).pet_id == "rex"
    assert len(hook_threads) == 1
    assert hook_threads[0] != loop_thread


async def test_an_object_with_an_async_call_is_awaited_on_the_loop(
    router: respx.MockRouter,
) -> None:
    _expiring_server(router, good="fresh-token-2")
    loop_thread = threading.get_ident()
    seen: list[int] = []

    class Refresher:
        async def __call__(self) -> str:
            seen.append(threading.get_ident())
            return "fresh-token-2"

    async with AsyncPetClient(auth=BearerAuth("stale-token-1", refresh=Refresher())) as client:
        assert (await client.pets.get("rex")).pet_id == "rex"
    assert seen == [loop_thread]


def test_an_async_refresh_hook_on_a_sync_client_is_a_configuration_error(
    router: respx.MockRouter,
) -> None:
    _expiring_server(router, good="fresh-token-2")

    async def refresh() -> str:
        return "fresh-token-2"

    with (
        PetClient(auth=BearerAuth("stale-token-1", refresh=refresh)) as client,
        pytest.raises(ConfigurationError, match="async"),
    ):
        client.pets.get("rex")


async def test_a_second_401_after_refreshing_is_raised(
    make: Factory, router: respx.MockRouter
) -> None:
    route = _expiring_server(router, good="never-valid")
    calls: list[int] = []

    def refresh() -> str:
        calls.append(1)
        return "also-rejected"

    client = make(auth=BearerAuth("stale-token-1", refresh=refresh))

    with pytest.raises(AuthenticationError) as info:
        await resolve(client.pets.get("rex"))

    assert info.value.status_code == 401
    assert len(calls) == 1
    assert route.call_count == 2


async def test_a_401_without_a_way_to_refresh_is_raised_at_once(
    make: Factory, router: respx.MockRouter
) -> None:
    route = _expiring_server(router, good="other")
    client = make(auth=BearerAuth("fixed-token"))

    with pytest.raises(AuthenticationError):
        await resolve(client.pets.get("rex"))
    assert route.call_count == 1


async def test_a_token_endpoint_provides_the_first_token_and_the_refresh(
    make: Factory, router: respx.MockRouter
) -> None:
    issued = iter(["token-from-endpoint-1", "token-from-endpoint-2"])

    def token(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": next(issued), "expires_in": 3600})

    endpoint = router.post("https://auth.example.com/auth/token").mock(side_effect=token)
    # the first token is accepted once, then "expires"
    answers = iter([200, 401, 200])

    def pets(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        return httpx.Response(status, json=pet() if status == 200 else {"message": "expired"})

    router.get(f"{PETS}/pets/rex").mock(side_effect=pets)
    auth = BearerAuth(
        token_endpoint=TokenEndpoint(
            "https://auth.example.com/auth/token", json={"username": "u", "password": SECRET}
        )
    )
    client = make(auth=auth)

    await resolve(client.pets.get("rex"))
    await resolve(client.pets.get("rex"))

    assert endpoint.call_count == 2
    assert endpoint.calls[0].request.content == (
        b'{"username":"u","password":"' + SECRET.encode() + b'"}'
    )
    pet_calls = [r for r in sent(router) if r.url.path.endswith("/rex")]
    assert [r.headers["authorization"] for r in pet_calls] == [
        "Bearer token-from-endpoint-1",
        "Bearer token-from-endpoint-1",
        "Bearer token-from-endpoint-2",
    ]


async def test_a_failing_token_endpoint_raises_a_typed_error_without_the_password(
    make: Factory, router: respx.MockRouter
) -> None:
    router.post("https://auth.example.com/auth/token").respond(
        403, json={"message": f"bad password {SECRET}"}
    )
    auth = BearerAuth(
        token_endpoint=TokenEndpoint(
            "https://auth.example.com/auth/token", form={"username": "u", "password": SECRET}
        )
    )
    client = make(auth=auth)

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.get("rex"))

    assert info.value.status_code == 403
    assert SECRET not in str(info.value)
    assert SECRET not in info.value.text


async def test_an_expired_token_is_refreshed_before_sending(
    make: Factory, router: respx.MockRouter
) -> None:
    route = _expiring_server(router, good="fresh-token-2")
    client = make(
        auth=BearerAuth(Token.lasting("old-token-1", 10), refresh=lambda: "fresh-token-2")
    )

    await resolve(client.pets.get("rex"))

    assert route.call_count == 1  # refreshed within the 30 s leeway, no 401 needed


# ------------------------------------------------------------------------- routing


async def test_each_operation_is_signed_by_its_declared_credential(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    router.post(f"{PETS}/pets/rex/adopt").respond(200, json=pet())
    client = make(
        auth=APIKeyAuth("main-key-12345"),
        credentials={"adopter": APIKeyAuth("adopter-key-678", header="X-Adopter-Key")},
    )

    await resolve(client.pets.get("rex"))
    await resolve(client.pets.adopt("rex"))

    read, adopt = sent(router)
    assert read.headers["x-api-key"] == "main-key-12345"
    assert "x-adopter-key" not in read.headers
    assert adopt.headers["x-adopter-key"] == "adopter-key-678"
    assert "x-api-key" not in adopt.headers


async def test_a_missing_credential_fails_before_sending(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.post(f"{PETS}/pets/rex/adopt").respond(200, json=pet())
    client = make(auth=APIKeyAuth("main-key-12345"))

    with pytest.raises(ConfigurationError, match="adopter"):
        await resolve(client.pets.adopt("rex"))
    assert not route.called


# ------------------------------------------------------------------------- secrecy


@pytest.mark.parametrize(
    "auth",
    [
        APIKeyAuth(SECRET),
        APIKeyAuth(SECRET, header="API-Key"),
        BasicAuth("alice", SECRET),
        BearerAuth(SECRET),
        BearerAuth(Token(SECRET, 5.0), refresh=lambda: "x"),
        BearerAuth(token_endpoint=TokenEndpoint("https://a.example.com/t", json={"pw": SECRET})),
    ],
    ids=["x-api-key", "api-key", "basic", "bearer", "bearer-refresh", "bearer-endpoint"],
)
def test_no_repr_or_str_shows_a_credential(auth: APIKeyAuth | BasicAuth | BearerAuth) -> None:
    encoded = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    client = PetClient(auth=auth, credentials={"adopter": auth})
    for text in (repr(auth), str(auth), repr(client), str(client), repr(client.pets)):
        assert SECRET not in text
        assert encoded not in text
    assert SECRET not in repr(Token(SECRET))
    assert SECRET not in repr(TokenEndpoint("https://a.example.com/t", form={"password": SECRET}))
    client.close()


@pytest.mark.parametrize(
    ("auth", "secret_header"),
    [
        (APIKeyAuth(SECRET), "X-API-Key"),
        (APIKeyAuth(SECRET, header="X-Pet-Token"), "X-Pet-Token"),
        (BasicAuth("alice", SECRET), "Authorization"),
        (BearerAuth(SECRET), "Authorization"),
    ],
)
async def test_an_error_echoing_the_credential_keeps_no_trace_of_it(
    make: Factory,
    router: respx.MockRouter,
    auth: APIKeyAuth | BasicAuth | BearerAuth,
    secret_header: str,
) -> None:
    encoded = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    echoed = {
        "message": f"credential {SECRET} ({encoded}) is not valid",
        "details": [{"field": secret_header, "value": SECRET}],
    }
    router.get(f"{PETS}/pets/rex").respond(
        403, json=echoed, headers={secret_header: SECRET, "X-Echo": f"got {SECRET}"}
    )
    client = make(auth=auth)

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.get("rex"))

    error = info.value
    kept = " ".join(
        [
            str(error),
            repr(error),
            repr(error.args),
            error.url,
            error.text,
            repr(error.body),
            repr(dict(error.headers)),
            repr(error.problem),
        ]
    )
    assert SECRET not in kept
    if isinstance(auth, BasicAuth):
        assert encoded not in kept
    assert "is not valid" in str(error)  # the message itself is kept


async def test_a_secret_in_the_query_string_is_redacted_from_errors(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/find").respond(404, json={"message": "no such pet"})
    client = make()

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.find("rex", access_token=SECRET))

    assert sent(router)[0].url.params["access_token"] == SECRET  # sent as asked
    assert SECRET not in str(info.value)
    assert SECRET not in info.value.url
    assert "name=rex" in info.value.url


# ------------------------------------------------------------------------- redirects


@pytest.mark.parametrize(
    ("auth", "header"),
    [
        (APIKeyAuth(SECRET), "x-api-key"),
        (APIKeyAuth(SECRET, header="X-Pet-Token"), "x-pet-token"),
        (BasicAuth("alice", SECRET), "authorization"),
        (BearerAuth(SECRET), "authorization"),
    ],
)
async def test_a_redirect_to_another_origin_does_not_carry_the_credential(
    make: Factory,
    router: respx.MockRouter,
    auth: APIKeyAuth | BasicAuth | BearerAuth,
    header: str,
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        302, headers={"Location": "https://cdn.example.net/pets/rex.json"}
    )
    foreign = router.get("https://cdn.example.net/pets/rex.json").respond(200, json=pet())
    client = make(auth=auth)

    assert (await resolve(client.pets.get("rex"))).pet_id == "rex"

    assert foreign.call_count == 1
    followed = foreign.calls[0].request
    assert header not in followed.headers
    assert SECRET not in repr(followed.headers.raw)


@pytest.mark.parametrize("kind_of_move", ["other port", "other scheme", "other host"])
async def test_every_change_of_origin_drops_the_credential(
    make: Factory, router: respx.MockRouter, kind_of_move: str
) -> None:
    target = {
        "other port": "https://pets-test.example.com:8443/api/v2/moved/rex",
        "other scheme": "http://pets-test.example.com/api/v2/moved/rex",
        "other host": "https://evil.example.com/api/v2/moved/rex",
    }[kind_of_move]
    router.get(f"{PETS}/pets/rex").respond(307, headers={"Location": target})
    foreign = router.get(target).respond(200, json=pet())
    client = make(auth=APIKeyAuth(SECRET))

    await resolve(client.pets.get("rex"))

    assert "x-api-key" not in foreign.calls[0].request.headers


async def test_a_same_origin_redirect_keeps_the_credential(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(301, headers={"Location": "/api/v2/pets/rex-2"})
    moved = router.get(f"{PETS}/pets/rex-2").respond(200, json=pet("rex-2"))
    client = make(auth=APIKeyAuth(SECRET))

    assert (await resolve(client.pets.get("rex"))).pet_id == "rex-2"
    assert moved.calls[0].request.headers["x-api-key"] == SECRET


async def test_a_post_is_not_turned_into_a_get_by_a_302(
    make: Factory, router: respx.MockRouter
) -> None:
    router.post(f"{PETS}/pets").respond(302, headers={"Location": f"{PETS}/pets/rex"})
    elsewhere = router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make()

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.create({"name": "Rex"}))
    assert info.value.status_code == 302
    assert not elsewhere.called


async def test_a_307_repeats_the_method_and_body(
    make: Factory, router: respx.MockRouter, kind: Kind
) -> None:
    router.post(f"{PETS}/pets").respond(307, headers={"Location": f"{PETS}/v2-pets"})
    moved = router.post(f"{PETS}/v2-pets").respond(200, json=pet())
    client = make(auth=APIKeyAuth(SECRET))

    await resolve(client.pets.create({"name": "Rex"}))

    request = moved.calls[0].request
    assert request.content == b'{"name":"Rex"}'
    assert request.headers["x-api-key"] == SECRET


async def test_a_refreshed_token_echoed_by_the_server_is_scrubbed(
    make: Factory, router: respx.MockRouter
) -> None:
    fresh = "refreshed-token-abcdef-123456"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == f"Bearer {fresh}":
            return httpx.Response(400, json={"message": f"token {fresh} lacks a scope"})
        return httpx.Response(401, json={"message": "expired"})

    router.get(f"{PETS}/pets/rex").mock(side_effect=answer)
    client = make(auth=BearerAuth("stale-token-1", refresh=lambda: fresh))

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.get("rex"))

    assert info.value.status_code == 400
    assert fresh not in str(info.value)
    assert fresh not in info.value.text
    assert fresh not in repr(info.value.body)


def test_threads_hitting_an_expired_token_refresh_it_once(router: respx.MockRouter) -> None:
    route = _expiring_server(router, good="fresh-token-1")
    refreshes: list[int] = []

    def refresh() -> str:  # slow, so that every thread sees the 401 before it ends
        refreshes.append(1)
        time.sleep(0.1)
        return f"fresh-token-{len(refreshes)}"

    with PetClient(auth=BearerAuth("stale-token-0", refresh=refresh)) as client:
        barrier = threading.Barrier(5)

        def work() -> None:
            barrier.wait()
            client.pets.get("rex")

        threads = [threading.Thread(target=work) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)

    assert len(refreshes) == 1
    assert route.call_count == 10  # each request: one 401, one repeat with the new token


async def test_tasks_hitting_an_expired_token_refresh_it_once(router: respx.MockRouter) -> None:
    route = _expiring_server(router, good="fresh-token-1")
    refreshes: list[int] = []

    async def refresh() -> str:
        refreshes.append(1)
        await asyncio.sleep(0.05)
        return f"fresh-token-{len(refreshes)}"

    async with AsyncPetClient(auth=BearerAuth("stale-token-0", refresh=refresh)) as client:
        await asyncio.gather(*(client.pets.get("rex") for _ in range(5)))

    assert len(refreshes) == 1
    assert route.call_count == 10


class _SignedHeader(httpx.Auth):
    """A user's own credential in a header our redaction policy has never heard of."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Custom-Signature"] = SECRET
        yield request


async def test_a_custom_credential_does_not_follow_a_redirect_to_another_origin(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        302, headers={"Location": "https://cdn.example.net/pets/rex.json"}
    )
    foreign = router.get("https://cdn.example.net/pets/rex.json").respond(200, json=pet())
    client = make(auth=_SignedHeader())

    await resolve(client.pets.get("rex"))

    first = router.calls[0].request
    assert first.headers["x-custom-signature"] == SECRET
    assert "x-custom-signature" not in foreign.calls[0].request.headers
