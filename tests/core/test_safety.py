"""Audit fixes: credentials across redirect chains and in exception chains, single-use
idempotency keys, token endpoint secrets, decode error bodies, and header redaction."""

from __future__ import annotations

import pickle
import traceback
from typing import Any

import anyio
import httpx
import pytest
import respx

from airbyte_like import AirbyteClient
from airflow_like import AirflowClient
from amentum_like import AmentumClient, AsyncAmentumClient
from commonrest import (
    APIConnectionError,
    APIDecodeError,
    APIKeyAuth,
    APIStatusError,
    BasicAuth,
    BearerAuth,
    RateLimiter,
    TokenEndpoint,
)

from .api import PetClient
from .helpers import PETS, SECRET, Clock, Factory, pet, resolve, sent

pytestmark = pytest.mark.anyio

EVIL = "https://evil.example.net"


# ------------------------------------------------------------------------- redirect chains


@pytest.mark.parametrize(
    ("auth", "header"),
    [(APIKeyAuth(SECRET), "x-api-key"), (BasicAuth("alice", SECRET), "authorization")],
)
async def test_a_second_hop_on_a_foreign_origin_gets_no_credential(
    make: Factory, router: respx.MockRouter, auth: APIKeyAuth | BasicAuth, header: str
) -> None:
    router.get(f"{PETS}/pets/rex").respond(302, headers={"Location": f"{EVIL}/step1"})
    router.get(f"{EVIL}/step1").respond(302, headers={"Location": "/step2"})
    step2 = router.get(f"{EVIL}/step2").respond(200, json=pet())
    client = make(auth=auth, headers={"X-Session-Token": "session-0123456789"})

    assert (await resolve(client.pets.get("rex"))).pet_id == "rex"

    followed = step2.calls[0].request
    assert header not in followed.headers
    assert "x-session-token" not in followed.headers
    assert SECRET not in repr(followed.headers.raw)


async def test_once_dropped_the_credential_stays_off_even_back_on_the_api(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(302, headers={"Location": f"{EVIL}/bounce"})
    router.get(f"{EVIL}/bounce").respond(302, headers={"Location": f"{PETS}/pets/rex-2"})
    back = router.get(f"{PETS}/pets/rex-2").respond(200, json=pet("rex-2"))
    client = make(auth=APIKeyAuth(SECRET))

    await resolve(client.pets.get("rex"))

    assert "x-api-key" not in back.calls[0].request.headers


async def test_same_origin_hops_keep_the_credential(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(302, headers={"Location": "/api/v2/pets/a"})
    router.get(f"{PETS}/pets/a").respond(302, headers={"Location": "/api/v2/pets/b"})
    final = router.get(f"{PETS}/pets/b").respond(200, json=pet("b"))
    client = make(auth=APIKeyAuth(SECRET))

    await resolve(client.pets.get("rex"))

    assert final.calls[0].request.headers["x-api-key"] == SECRET


# ------------------------------------------------------------------------- exception chains


async def test_a_transport_error_keeps_no_httpx_exception_in_its_chain(
    make: Factory, router: respx.MockRouter
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset by peer", request=request)

    router.get(f"{PETS}/pets/rex").mock(side_effect=fail)
    client = make(auth=BasicAuth("alice", SECRET), max_retries=0)

    with pytest.raises(APIConnectionError) as info:
        await resolve(client.pets.get("rex"))

    error = info.value
    assert error.__cause__ is None
    assert error.__context__ is None
    assert "ReadError: connection reset by peer" in str(error)
    printed = "".join(traceback.format_exception(error))
    assert SECRET not in printed
    assert "Basic " not in printed
    assert SECRET.encode() not in pickle.dumps(error)


# ------------------------------------------------------------------------- idempotency keys


async def test_a_client_level_key_serves_one_create_only(
    make: Factory, router: respx.MockRouter
) -> None:
    router.post(f"{PETS}/pets").respond(200, json=pet())
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make()
    keyed = client.with_options(idempotency_key="K1")

    await resolve(keyed.pets.create({"name": "a"}))
    with pytest.raises(ValueError, match="idempotency_key 'K1' was already used"):
        await resolve(keyed.pets.create({"name": "b"}))
    with pytest.raises(ValueError, match="idempotency_key"):
        await resolve(keyed.with_options(timeout=5).pets.create({"name": "b"}))
    await resolve(keyed.pets.get("rex"))  # reads are not creates: no refusal

    posts = [r for r in sent(router) if r.method == "POST"]
    assert len(posts) == 1
    assert posts[0].headers["idempotency-key"] == "K1"


async def test_a_key_per_call_still_works(make: Factory, router: respx.MockRouter) -> None:
    router.post(f"{PETS}/pets").respond(200, json=pet())
    client = make()

    await resolve(client.with_options(idempotency_key="K1").pets.create({"name": "a"}))
    await resolve(client.with_options(idempotency_key="K2").pets.create({"name": "b"}))
    await resolve(client.with_options(idempotency_key="K1").pets.create({"name": "a"}))

    assert [r.headers["idempotency-key"] for r in sent(router)] == ["K1", "K2", "K1"]


# ------------------------------------------------------------------------- token endpoint


def test_every_token_request_value_is_secret_but_the_plain_fields() -> None:
    endpoint = TokenEndpoint(
        "https://auth.example.com/token",
        form={
            "grant_type": "refresh_token",
            "refresh_token": "RT-abcdef123456",
            "client_id": "my-client",
            "scope": "pets:read",
            "assertion": "eyJhbGciOi.payload.sig",
        },
    )
    secrets = endpoint.secrets()
    assert "RT-abcdef123456" in secrets
    assert "eyJhbGciOi.payload.sig" in secrets
    assert "refresh_token" not in secrets
    assert "my-client" not in secrets
    assert "pets:read" not in secrets


async def test_a_refresh_token_never_reaches_an_error(
    make: Factory, router: respx.MockRouter
) -> None:
    def token(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"error": "invalid_grant", "error_description": request.content.decode()}
        )

    router.post("https://auth.example.com/token").mock(side_effect=token)
    endpoint = TokenEndpoint(
        "https://auth.example.com/token",
        form={"grant_type": "refresh_token", "refresh_token": "RT-abcdef123456"},
    )
    client = make(auth=BearerAuth(token_endpoint=endpoint), max_retries=0)

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.get("rex"))

    error = info.value
    assert "RT-abcdef123456" not in " ".join([str(error), error.text, repr(error.body)])


async def test_a_rotated_refresh_token_is_redacted_too(
    make: Factory, router: respx.MockRouter
) -> None:
    router.post("https://auth.example.com/token").respond(
        200, json={"access_token": "AT-0123456789", "refresh_token": "RT-rotated-987654"}
    )
    router.get(f"{PETS}/pets/rex").respond(
        400, json={"message": "your refresh token RT-rotated-987654 is odd"}
    )
    endpoint = TokenEndpoint(
        "https://auth.example.com/token",
        json={"grant_type": "refresh_token", "refresh_token": "RT-first-123456"},
    )
    client = make(auth=BearerAuth(token_endpoint=endpoint), max_retries=0)

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.get("rex"))

    error = info.value
    assert "RT-rotated-987654" not in " ".join([str(error), error.text, repr(error.body)])


# ------------------------------------------------------------------------- decode errors


async def test_a_body_that_does_not_match_the_model_is_kept_scrubbed(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json={"id": 7, "echo": f"key {SECRET}"})
    client = make(auth=APIKeyAuth(SECRET))

    with pytest.raises(APIDecodeError) as info:
        await resolve(client.pets.get("rex"))

    body: Any = info.value.body
    assert body["id"] == 7
    assert SECRET not in repr(body)
    assert body["echo"].startswith("key ")
    assert info.value.__context__ is None


# ------------------------------------------------------------------------- user headers


async def test_secret_headers_given_by_the_user_are_redacted(
    make: Factory, router: respx.MockRouter
) -> None:
    token = "ut-0123456789abcdef"
    router.get(f"{PETS}/pets/rex").respond(
        400, json={"message": f"bad token {token}"}, headers={"X-Echo": token}
    )
    client = make(headers={"Authorization": f"Bearer {token}", "X-Team": "pets"}, max_retries=0)

    shown = repr(client.options) + repr(client._config)
    assert token not in shown
    assert "X-Team" in shown

    with pytest.raises(APIStatusError) as info:
        await resolve(client.pets.get("rex"))
    error = info.value
    assert token not in " ".join([str(error), error.text, repr(dict(error.headers))])


async def test_secret_headers_given_per_copy_are_redacted(
    make: Factory, router: respx.MockRouter
) -> None:
    secret = "ck-0123456789abcdef"
    router.get(f"{PETS}/pets/rex").respond(400, json={"message": f"bad cookie {secret}"})
    client = make(max_retries=0)
    copy = client.with_options(headers={"Cookie": f"sid={secret}", "X-Api-Secret": secret})

    assert secret not in repr(copy.options)
    with pytest.raises(APIStatusError) as info:
        await resolve(copy.pets.get("rex"))
    assert secret not in str(info.value) + info.value.text


# ------------------------------------------------------------------------- vendor credentials


@pytest.mark.parametrize(
    ("build", "setting", "env"),
    [
        (lambda: AmentumClient(api_key=""), "api_key", "AMENTUM_API_KEY"),
        (lambda: AsyncAmentumClient(api_key=""), "api_key", "AMENTUM_API_KEY"),
        (lambda: AirflowClient(token=""), "token", "AIRFLOW_TOKEN"),
        (lambda: AirbyteClient(token=""), "token", "AIRBYTE_TOKEN"),
        (lambda: AirbyteClient(username="", password="pw"), "username", "AIRBYTE_USERNAME"),
    ],
)
def test_an_empty_credential_is_refused_not_replaced(
    monkeypatch: pytest.MonkeyPatch, build: Any, setting: str, env: str
) -> None:
    monkeypatch.setenv(env, "from-the-environment")
    with pytest.raises(ValueError, match=setting):
        build()


# ------------------------------------------------------------------------- async limiter


async def test_an_async_limiter_pause_sleeps_with_anyio(clock: Clock) -> None:
    limiter = RateLimiter(10, max_wait=5)
    limiter.pause(0.4)
    with anyio.fail_after(5):
        await limiter.acquire_async()
    assert clock.sleeps and 0.2 < clock.sleeps[0] <= 0.4
    limiter.close()


def test_options_repr_hides_header_values() -> None:
    with PetClient(headers={"X-Custom": "value-123456", "Accept": "text/plain"}) as client:
        text = repr(client.options)
    assert "value-123456" not in text
    assert "'X-Custom': '***'" in text
    assert "text/plain" in text
