"""The token request goes through the client's pipeline: a token server and an API server
on 127.0.0.1 (two origins), counting what each received. Sync and async."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest

from commonrest import BasicAuth, BearerAuth, RateLimiter, Token, TokenEndpoint, aiohttp_transport
from commonrest._errors import (
    APIConnectionError,
    APIDecodeError,
    AuthenticationError,
    ConfigurationError,
    DeadlineExceededError,
    ErrorDetail,
    ErrorParser,
    NotFoundError,
    PermissionDeniedError,
    RateLimitTimeoutError,
    ServiceUnavailableError,
)

from .api import AsyncPetClient, PetClient
from .helpers import Factory, Kind, pet, resolve
from .recorder import Received, Recorder, Reply, recording, reply
from .servers import refused_url

pytestmark = pytest.mark.anyio

PASSWORD = "pw-0123456789-secret"


def token_server(
    delay: float = 0.0, status: int = 200, body: Any = None
) -> Callable[[Received], Reply]:
    """Hands out ``tok-1``, ``tok-2``, ... (after ``delay`` seconds), or answers ``status``
    with ``body`` when that is not a success."""
    issued = [0]
    lock = threading.Lock()

    def answer(request: Received) -> Reply:
        if delay:
            time.sleep(delay)
        if status >= 300:
            return reply(status, body if body is not None else {"message": "no"})
        with lock:
            issued[0] += 1
            value = f"tok-{issued[0]}"
        return reply(status, {"access_token": value, "expires_in": 3600})

    return answer


def api_server(*valid: str) -> Callable[[Received], Reply]:
    """A pets API that accepts only ``Bearer <one of valid>``."""

    def answer(request: Received) -> Reply:
        if request.headers.get("authorization") in {f"Bearer {v}" for v in valid}:
            return reply(200, pet())
        return reply(401, {"message": "token not accepted"})

    return answer


def bearer(auth: Recorder, token: str | None = None, **kwargs: Any) -> BearerAuth:
    endpoint = TokenEndpoint(
        f"{auth.url}/oauth/token",
        form={"grant_type": "password", "username": "u", "password": PASSWORD},
        **kwargs,
    )
    return BearerAuth(token, token_endpoint=endpoint)


# ------------------------------------------------------------------------- basic shape


async def test_the_token_request_is_a_call_of_the_client(make: Factory) -> None:
    with recording(token_server()) as auth, recording(api_server("tok-1")) as api:
        client = make(
            base_url=api.url, auth=bearer(auth), headers={"X-Team": "team-value-123"}
        ).with_options(idempotency_key="create-key-1")
        assert (await resolve(client.pets.create({"name": "Rex"}))).pet_id == "rex"

    (asked,) = auth.requests
    assert asked.method == "POST"
    assert asked.path == "/oauth/token"
    assert asked.headers["content-type"] == "application/x-www-form-urlencoded"
    assert PASSWORD in asked.body.decode()
    # none of the caller's headers, no idempotency key, no credential of its own
    assert "x-team" not in asked.headers
    assert "idempotency-key" not in asked.headers
    assert "authorization" not in asked.headers
    assert asked.headers["user-agent"].startswith("commonrest/")
    (created,) = api.requests
    assert created.headers["authorization"] == "Bearer tok-1"
    assert created.headers["idempotency-key"] == "create-key-1"  # the call's, not the token's


async def test_the_token_request_is_logged_like_any_call(
    make: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    with recording(token_server()) as auth, recording(api_server("tok-1")) as api:
        client = make(base_url=api.url, auth=bearer(auth))
        with caplog.at_level(logging.DEBUG, logger="commonrest"):
            await resolve(client.pets.get("rex"))
    lines = [r.getMessage() for r in caplog.records]
    assert any(f": POST {auth.url}/oauth/token -> 200" in line for line in lines)
    assert not any(PASSWORD in line or "tok-1" in line for line in lines)


async def test_a_token_endpoint_on_a_service_follows_its_base_url(make: Factory) -> None:
    with recording(token_server()) as auth, recording(api_server("tok-1")) as api:
        endpoint = TokenEndpoint("/oauth/token", api="shop", json={"password": PASSWORD})
        client = make(
            base_url=api.url,
            base_urls={"shop": auth.url},
            auth=BearerAuth(token_endpoint=endpoint),
        ).with_options(idempotency_key="create-key-1")
        await resolve(client.pets.create({"name": "Rex"}))

    (asked,) = auth.requests
    assert asked.path == "/shop/v1/oauth/token"
    # The shop service dedupes by key, so its token POST gets a fresh one of its own,
    # never the key the caller gave for the create.
    assert asked.headers["idempotency-key"] not in ("", "create-key-1")
    assert api.requests[0].headers["idempotency-key"] == "create-key-1"


async def test_a_token_endpoint_may_be_signed_by_a_credential_of_its_own(make: Factory) -> None:
    client_secret = "client-secret-0123456789"
    with recording(token_server()) as auth, recording(api_server("tok-1")) as api:
        endpoint = TokenEndpoint(
            f"{auth.url}/oauth/token",
            form={"grant_type": "client_credentials"},
            credential="client",
        )
        client = make(
            base_url=api.url,
            auth=BearerAuth(token_endpoint=endpoint),
            credentials={"client": BasicAuth("my-client", client_secret)},
        )
        await resolve(client.pets.get("rex"))

    expected = base64.b64encode(f"my-client:{client_secret}".encode()).decode()
    assert auth.requests[0].headers["authorization"] == f"Basic {expected}"
    assert api.requests[0].headers["authorization"] == "Bearer tok-1"


# ------------------------------------------------------------------------- errors


async def test_a_refused_token_names_the_token_url_and_request(make: Factory) -> None:
    body = {"message": f"bad password {PASSWORD}"}
    with (
        recording(token_server(status=401, body=body)) as auth,
        recording(api_server()) as api,
    ):
        client = make(base_url=api.url, auth=bearer(auth, name="identity.token"))
        with pytest.raises(AuthenticationError) as info:
            await resolve(client.pets.get("rex"))
        assert api.requests == []  # the call itself never went out

    error = info.value
    assert error.url == f"{auth.url}/oauth/token"
    assert error.method == "POST"
    shown = str(error)
    assert "token request identity.token for pets.get failed" in shown
    assert error.operation == "pets.get"
    assert "bad password" in shown
    for kept in (shown, error.text, repr(error.body), repr(error.args)):
        assert PASSWORD not in kept
    assert PASSWORD.encode() not in pickle.dumps(error)


async def test_a_missing_token_endpoint_is_a_not_found_with_a_hint(make: Factory) -> None:
    with recording(token_server(status=404)) as auth, recording(api_server()) as api:
        client = make(base_url=api.url, auth=bearer(auth))
        with pytest.raises(NotFoundError) as info:
            await resolve(client.pets.get("rex"))
    assert "no token endpoint there" in str(info.value)
    assert info.value.url == f"{auth.url}/oauth/token"


def _locked_account(body: Any, headers: httpx.Headers) -> ErrorDetail | None:
    if isinstance(body, dict) and "errorCode" in body:
        return ErrorDetail(message=body.get("message"), code=body["errorCode"], data=body)
    return None


class VendorPetClient(PetClient):
    error_parsers: ClassVar[tuple[ErrorParser, ...]] = (_locked_account,)


class AsyncVendorPetClient(AsyncPetClient):
    error_parsers: ClassVar[tuple[ErrorParser, ...]] = (_locked_account,)


async def test_the_error_parsers_read_the_token_endpoint_error_body(kind: Kind) -> None:
    body = {"errorCode": "ACCOUNT_LOCKED", "message": "account locked until noon"}
    with recording(token_server(status=403, body=body)) as auth, recording(api_server()) as api:
        cls = VendorPetClient if kind == "sync" else AsyncVendorPetClient
        client = cls(base_url=api.url, auth=bearer(auth))
        with pytest.raises(PermissionDeniedError) as info:
            await resolve(client.pets.get("rex"))
        if isinstance(client, AsyncPetClient):
            await client.close()
        else:
            client.close()
    assert info.value.code == "ACCOUNT_LOCKED"
    assert "account locked until noon" in str(info.value)


async def test_an_rfc7807_token_error_keeps_its_problem(make: Factory) -> None:
    problem = {"type": "https://errors.example.com/expired", "title": "Password expired"}

    def answer(request: Received) -> Reply:
        return Reply(
            401, {"Content-Type": "application/problem+json"}, json.dumps(problem).encode()
        )

    with recording(answer) as auth, recording(api_server()) as api:
        client = make(base_url=api.url, auth=bearer(auth))
        with pytest.raises(AuthenticationError) as info:
            await resolve(client.pets.get("rex"))
    assert info.value.problem is not None
    assert info.value.problem.title == "Password expired"


async def test_an_answer_without_the_token_is_a_decode_error_keeping_no_body(
    make: Factory,
) -> None:
    leaked = "eyJhbGciOi.payload.signature-under-another-name"
    with (
        recording(lambda r: reply(200, {"token": leaked})) as auth,
        recording(api_server()) as api,
    ):
        client = make(base_url=api.url, auth=bearer(auth))
        with pytest.raises(APIDecodeError) as info:
            await resolve(client.pets.get("rex"))
    error = info.value
    assert "access_token" in str(error)
    assert error.body is None
    assert leaked not in str(error) + error.text + repr(error.args)
    assert leaked.encode() not in pickle.dumps(error)


# ------------------------------------------------------------------------- retries


async def test_a_token_post_that_was_sent_is_never_repeated(make: Factory) -> None:
    with recording(token_server(status=503)) as auth, recording(api_server()) as api:
        client = make(base_url=api.url, auth=bearer(auth), max_retries=3)
        with pytest.raises(ServiceUnavailableError) as info:
            await resolve(client.pets.get("rex"))  # a GET, retried itself; its token is not
        assert len(auth.requests) == 1
        assert api.requests == []
    assert info.value.url == f"{auth.url}/oauth/token"


async def test_a_token_request_that_never_left_is_retried(make: Factory) -> None:
    with recording(api_server()) as api:
        endpoint = TokenEndpoint(f"{refused_url()}/oauth/token", json={"password": PASSWORD})
        client = make(base_url=api.url, auth=BearerAuth(token_endpoint=endpoint), max_retries=2)
        with pytest.raises(APIConnectionError) as info:
            await resolve(client.pets.get("rex"))
    assert info.value.sent is False
    assert info.value.attempts == 3
    assert "token request token for pets.get failed" in str(info.value)


# ------------------------------------------------------------------------- deadline


async def test_the_deadline_bounds_the_token_request(make: Factory) -> None:
    with recording(lambda r: None) as auth, recording(api_server()) as api:  # never answers
        client = make(base_url=api.url, auth=bearer(auth), timeout=30, deadline=1.0)
        started = time.perf_counter()
        with pytest.raises(DeadlineExceededError) as info:
            await resolve(client.pets.get("rex"))
        took = time.perf_counter() - started
        assert api.requests == []
    assert info.value.url == f"{auth.url}/oauth/token"
    assert "what was left of the call's 1s deadline" in str(info.value)
    # Without the deadline the 30 s read timeout would hold the call.
    assert took < 1.0 + 1.5


async def test_the_deadline_bounds_the_token_request_over_aiohttp() -> None:
    with recording(lambda r: None) as auth, recording(api_server()) as api:
        async with AsyncPetClient(
            base_url=api.url,
            auth=bearer(auth),
            transport=aiohttp_transport(),
            timeout=30,
            deadline=1.0,
        ) as client:
            started = time.perf_counter()
            with pytest.raises(DeadlineExceededError) as info:
                await client.pets.get("rex")
            took = time.perf_counter() - started
        assert api.requests == []
    assert info.value.url == f"{auth.url}/oauth/token"
    assert took < 1.0 + 1.5


def test_threads_waiting_for_a_refresh_keep_their_own_deadline() -> None:
    with (
        recording(token_server(delay=3.0)) as auth,
        recording(api_server("tok-1")) as api,
        PetClient(base_url=api.url, auth=bearer(auth)) as client,
    ):
        slow = threading.Thread(target=lambda: client.pets.get("rex"))
        slow.start()
        assert auth.reached.wait(10)  # the first call is now fetching, holding the lock
        started = time.perf_counter()
        with pytest.raises(DeadlineExceededError, match="another request's token refresh"):
            client.with_options(deadline=0.5).pets.get("rex")
        took = time.perf_counter() - started
        slow.join(10)
    assert took < 0.5 + 1.5
    assert len(auth.requests) == 1


async def test_tasks_waiting_for_a_refresh_keep_their_own_deadline() -> None:
    with recording(token_server(delay=3.0)) as auth, recording(api_server("tok-1")) as api:
        async with AsyncPetClient(base_url=api.url, auth=bearer(auth)) as client:
            slow = asyncio.ensure_future(client.pets.get("rex"))
            assert await asyncio.to_thread(auth.reached.wait, 10)
            started = time.perf_counter()
            with pytest.raises(DeadlineExceededError, match="another request's token refresh"):
                await client.with_options(deadline=0.5).pets.get("rex")
            took = time.perf_counter() - started
            assert (await slow).pet_id == "rex"
    assert took < 0.5 + 1.5
    assert len(auth.requests) == 1


# ------------------------------------------------------------------------- rate limit


async def test_the_rate_limiter_counts_the_token_request(make: Factory) -> None:
    limiter = RateLimiter(2, per=60, max_wait=0)
    try:
        with recording(token_server()) as auth, recording(api_server("tok-1")) as api:
            client = make(base_url=api.url, auth=bearer(auth), rate_limit=limiter)
            await resolve(client.pets.get("rex"))  # two permits: the token and the call
            with pytest.raises(RateLimitTimeoutError):
                await resolve(client.pets.get("rex"))
            assert len(auth.requests) + len(api.requests) == 2
    finally:
        limiter.close()


# ------------------------------------------------------------------------- refresh


async def test_a_401_refreshes_once_and_repeats_once(make: Factory) -> None:
    with recording(token_server()) as auth, recording(api_server("tok-2")) as api:
        client = make(base_url=api.url, auth=bearer(auth))
        assert (await resolve(client.pets.get("rex"))).pet_id == "rex"
    assert len(auth.requests) == 2
    assert [r.headers["authorization"] for r in api.requests] == ["Bearer tok-1", "Bearer tok-2"]


async def test_a_second_401_is_raised_after_one_refresh(make: Factory) -> None:
    with recording(token_server()) as auth, recording(api_server()) as api:
        client = make(base_url=api.url, auth=bearer(auth), max_retries=2)
        with pytest.raises(AuthenticationError) as info:
            await resolve(client.pets.get("rex"))
    assert len(auth.requests) == 2
    assert len(api.requests) == 2
    assert info.value.url.startswith(api.url)


@pytest.mark.parametrize("start", ["no token", "stale token"])
def test_twenty_threads_share_one_token_request(start: str) -> None:
    initial = None if start == "no token" else "stale-0"
    with (
        recording(token_server(delay=0.3)) as auth,
        recording(api_server("tok-1")) as api,
        PetClient(base_url=api.url, auth=bearer(auth, initial)) as client,
    ):
        barrier = threading.Barrier(20)
        results: list[str] = []

        def work() -> None:
            barrier.wait()
            results.append(client.pets.get("rex").pet_id)

        threads = [threading.Thread(target=work) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    assert results == ["rex"] * 20
    assert len(auth.requests) == 1
    accepted = [r for r in api.requests if r.headers["authorization"] == "Bearer tok-1"]
    assert len(accepted) == 20


@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
@pytest.mark.parametrize("start", ["no token", "stale token"])
async def test_twenty_tasks_share_one_token_request(start: str, transport: str) -> None:
    initial = None if start == "no token" else "stale-0"
    sockets = aiohttp_transport() if transport == "aiohttp" else None
    with recording(token_server(delay=0.3)) as auth, recording(api_server("tok-1")) as api:
        async with AsyncPetClient(
            base_url=api.url, auth=bearer(auth, initial), transport=sockets
        ) as client:
            pets = await asyncio.gather(*(client.pets.get("rex") for _ in range(20)))

    assert [p.pet_id for p in pets] == ["rex"] * 20
    assert len(auth.requests) == 1
    accepted = [r for r in api.requests if r.headers["authorization"] == "Bearer tok-1"]
    assert len(accepted) == 20


async def test_a_token_that_expires_is_refreshed_before_sending(make: Factory) -> None:
    with recording(token_server()) as auth, recording(api_server("tok-1")) as api:
        auth_ = bearer(auth, None)
        client = make(base_url=api.url, auth=auth_)
        auth_._store(Token.lasting("old-token-0", 5))  # within the 30 s leeway: stale
        await resolve(client.pets.get("rex"))
    assert len(auth.requests) == 1
    assert [r.headers["authorization"] for r in api.requests] == ["Bearer tok-1"]


# ------------------------------------------------------------------------- configuration


def test_a_token_endpoint_on_an_unknown_service_is_refused() -> None:
    endpoint = TokenEndpoint("/oauth/token", api="identity", json={"password": PASSWORD})
    with pytest.raises(ConfigurationError, match="identity"):
        PetClient(auth=BearerAuth(token_endpoint=endpoint))


def test_a_token_endpoint_signed_by_an_unknown_credential_is_refused() -> None:
    endpoint = TokenEndpoint("https://a.example.com/t", credential="client", json={"x": "y"})
    with pytest.raises(ConfigurationError, match="client"):
        PetClient(auth=BearerAuth(token_endpoint=endpoint))


@pytest.mark.parametrize(
    ("url", "api"),
    [("/oauth/token", None), ("ftp://a.example.com/t", None), ("oauth/token", "pets")],
)
def test_a_malformed_token_url_is_refused(url: str, api: str | None) -> None:
    with pytest.raises(ConfigurationError, match="token endpoint url"):
        TokenEndpoint(url, api=api)
