"""Airflow 3 token login through the pipeline: the spec's ``auth.create_token`` on the
``auth`` service, so ``base_urls={"auth": ...}`` moves it. An API server and an auth
server on 127.0.0.1 (two origins), sync and async."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from airflow_like import AirflowClient, AsyncAirflowClient
from commonrest import AuthenticationError, DeadlineExceededError, NotFoundError
from tests.core.recorder import Received, Reply, recording, reply

pytestmark = pytest.mark.anyio

PASSWORD = "airflow-pw-0123456789"
VERSION = {"version": "3.3.2", "git_version": None}


def _api(request: Received) -> Reply:
    if request.headers.get("authorization") == "Bearer jwt-1":
        return reply(200, VERSION)
    return reply(401, {"detail": "Not authenticated"})


def _tokens(request: Received) -> Reply:
    if request.path == "/auth/token" and json.loads(request.body)["password"] == PASSWORD:
        return reply(201, {"access_token": "jwt-1"})
    return reply(401, {"detail": "Invalid credentials"})


async def _version(sync: bool, **kwargs: Any) -> Any:
    if sync:
        with AirflowClient(**kwargs) as client:
            return client.v2.version.get()
    async with AsyncAirflowClient(**kwargs) as client:
        return await client.v2.version.get()


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_the_token_is_asked_of_the_auth_service(sync: bool) -> None:
    with recording(_tokens) as auth, recording(_api) as api:
        result = await _version(
            sync,
            base_url=api.url,
            base_urls={"auth": auth.url},
            username="admin",
            password=PASSWORD,
        )

    assert result.version == "3.3.2"
    (asked,) = auth.requests
    assert (asked.method, asked.path) == ("POST", "/auth/token")
    assert json.loads(asked.body) == {"username": "admin", "password": PASSWORD}
    assert [r.path for r in api.requests] == ["/api/v2/version"]
    assert api.requests[0].headers["authorization"] == "Bearer jwt-1"


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_a_refused_login_names_the_auth_url_and_operation(sync: bool) -> None:
    with recording(_tokens) as auth, recording(_api) as api:
        with pytest.raises(AuthenticationError) as info:
            await _version(
                sync,
                base_url=api.url,
                base_urls={"auth": auth.url},
                username="admin",
                password="no",
            )
        assert api.requests == []

    error = info.value
    assert error.url == f"{auth.url}/auth/token"
    assert "auth.create_token" in str(error)
    assert "Invalid credentials" in str(error)
    assert api.url not in str(error)


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_an_auth_server_without_token_login_is_a_not_found_naming_the_setting(
    sync: bool,
) -> None:
    with (
        recording(lambda r: reply(404, {"detail": "Not Found"})) as auth,
        recording(_api) as api,
        pytest.raises(NotFoundError) as info,
    ):
        await _version(
            sync, base_url=api.url, base_urls={"auth": auth.url}, username="a", password="b"
        )
    assert "base_urls['auth']" in str(info.value)
    assert info.value.url == f"{auth.url}/auth/token"


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_a_silent_auth_server_ends_at_the_deadline(sync: bool) -> None:
    with recording(lambda r: None) as auth, recording(_api) as api:
        started = time.perf_counter()
        with pytest.raises(DeadlineExceededError) as info:
            await _version(
                sync,
                base_url=api.url,
                base_urls={"auth": auth.url},
                username="admin",
                password=PASSWORD,
                timeout=30,
                deadline=1.0,
            )
        took = time.perf_counter() - started
        assert api.requests == []
    assert info.value.url == f"{auth.url}/auth/token"
    assert took < 1.0 + 1.5  # the 30 s read timeout would have held it


async def test_without_base_urls_the_token_comes_from_base_url() -> None:
    def both(request: Received) -> Reply:
        return _tokens(request) if request.path.startswith("/auth/") else _api(request)

    with recording(both) as server:
        result = await _version(True, base_url=server.url, username="admin", password=PASSWORD)
    assert result.version == "3.3.2"
    assert [r.path for r in server.requests] == ["/auth/token", "/api/v2/version"]
