"""Every vendor client is configured the same way: learn one, know the others."""

from __future__ import annotations

import inspect
import typing
from typing import Any

import pytest

from adyen_like import AdyenClient, AsyncAdyenClient
from airbyte_like import AirbyteClient, AsyncAirbyteClient
from airflow_like import AirflowClient, AsyncAirflowClient
from amentum_like import AmentumClient, AsyncAmentumClient
from commonrest import BasicAuth, BearerAuth, ConfigurationError
from commonrest._client import (
    AsyncClient,
    AsyncClientOptions,
    ClientOptions,
    SyncClient,
    SyncClientOptions,
)
from commonrest.crest import AsyncCommonRestClient, CommonRestClient

CLIENTS: list[tuple[type[Any], dict[str, Any]]] = [
    (AdyenClient, {"api_key": "secret-key-123"}),
    (AsyncAdyenClient, {"api_key": "secret-key-123"}),
    (AirflowClient, {"base_url": "http://airflow.local", "token": "secret-key-123"}),
    (AsyncAirflowClient, {"base_url": "http://airflow.local", "token": "secret-key-123"}),
    (AirbyteClient, {"base_url": "http://airbyte.local/api", "token": "secret-key-123"}),
    (AsyncAirbyteClient, {"base_url": "http://airbyte.local/api", "token": "secret-key-123"}),
    (AmentumClient, {"api_key": "secret-key-123"}),
    (AsyncAmentumClient, {"api_key": "secret-key-123"}),
    (
        CommonRestClient,
        {"base_url": "http://idm.local/openidm", "auth": BasicAuth("u", "secret-key-123")},
    ),
    (
        AsyncCommonRestClient,
        {"base_url": "http://idm.local/openidm", "auth": BasicAuth("u", "secret-key-123")},
    ),
]


@pytest.mark.parametrize(("cls", "identity"), CLIENTS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_client_takes_the_shared_options(cls: type[Any], identity: dict[str, Any]) -> None:
    params = inspect.signature(cls.__init__).parameters
    assert "environment" in params or cls in (CommonRestClient, AsyncCommonRestClient)
    client = cls(
        **identity,
        timeout="20 seconds",
        deadline=60,
        max_retries=0,
        headers={"X-Team": "payments"},
        auto_idempotency_keys=False,
    )
    assert isinstance(client, (SyncClient, AsyncClient))
    assert client.options.timeout.read == 20
    assert client.options.deadline == 60
    assert client.options.retry is not None and client.options.retry.max_attempts == 1
    assert client.options.headers["X-Team"] == "payments"
    assert "secret-key-123" not in repr(client)


@pytest.mark.parametrize(("cls", "identity"), CLIENTS, ids=lambda v: getattr(v, "__name__", ""))
def test_a_misspelt_option_is_refused(cls: type[Any], identity: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        cls(**identity, time_out=5)


def test_the_shared_options_are_one_typed_list() -> None:
    assert {"timeout", "deadline", "max_retries", "retry", "headers", "rate_limit"} <= set(
        ClientOptions.__annotations__
    )


@pytest.mark.parametrize(("cls", "identity"), CLIENTS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_client_takes_auth_and_named_credentials(
    cls: type[Any], identity: dict[str, Any]
) -> None:
    identity = {k: v for k, v in identity.items() if k == "base_url"}
    mine, second = BearerAuth("mine-token-1"), BearerAuth("second-token-2")
    client = cls(**identity, auth=mine, credentials={"second": second})
    assert client._config.credentials["default"] is mine
    assert client._config.credentials["second"] is second


def test_the_options_resolve_at_run_time_for_tools_that_read_hints() -> None:
    # Sphinx autodoc and pydantic's validate_call read annotations with get_type_hints
    for hinted in (SyncClientOptions, AsyncClientOptions, SyncClient.__init__):
        assert "rate_limit" in typing.get_type_hints(hinted)


ENV_VARS = [
    f"{prefix}_{name}"
    for prefix in ("ADYEN", "ADYEN_REVIEWER", "AIRFLOW", "AIRBYTE", "AMENTUM")
    for name in ("API_KEY", "TOKEN", "USERNAME", "PASSWORD", "BASE_URL")
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _default(client: Any) -> Any:
    return client._config.credentials["default"]


@pytest.mark.parametrize(
    ("cls", "prefix"),
    [(AirflowClient, "AIRFLOW"), (AirbyteClient, "AIRBYTE")],
    ids=["airflow", "airbyte"],
)
def test_credentials_in_code_win_over_the_environment_as_a_whole(
    clean_env: pytest.MonkeyPatch, cls: type[Any], prefix: str
) -> None:
    clean_env.setenv(f"{prefix}_TOKEN", "env-token-1")
    kwargs: dict[str, Any] = {"base_url": "http://127.0.0.1:9/api"}
    if cls is AirflowClient:
        kwargs["api_version"] = 1
    client = cls(**kwargs, username="admin", password="pw-from-code")
    assert isinstance(_default(client), BasicAuth)  # the env token did not replace them

    from_env = cls(**kwargs)
    assert isinstance(_default(from_env), BearerAuth)  # nothing in code: the env is read


@pytest.mark.parametrize(
    ("cls", "prefix"),
    [(AirflowClient, "AIRFLOW"), (AirbyteClient, "AIRBYTE")],
    ids=["airflow", "airbyte"],
)
def test_username_and_password_come_from_the_environment_together(
    clean_env: pytest.MonkeyPatch, cls: type[Any], prefix: str
) -> None:
    clean_env.setenv(f"{prefix}_USERNAME", "admin")
    clean_env.setenv(f"{prefix}_PASSWORD", "pw-from-env")
    kwargs: dict[str, Any] = {"base_url": "http://127.0.0.1:9/api"}
    if cls is AirflowClient:
        kwargs["api_version"] = 1
    assert isinstance(_default(cls(**kwargs)), BasicAuth)
    # a username given in code does not pick up a password from the environment
    with pytest.raises(ConfigurationError, match="password"):
        cls(**kwargs, username="someone-else")


def test_adyen_reads_both_credentials_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ADYEN_API_KEY", "env-key-123")
    clean_env.setenv("ADYEN_REVIEWER_API_KEY", "env-reviewer-456")
    client = AdyenClient()
    assert set(client._config.credentials) >= {"default", "reviewer"}
    assert "env-key-123" not in repr(client) and "env-reviewer-456" not in repr(client)

    mine = AdyenClient(username="ws@Company.Shop", password="pw-from-code")
    assert isinstance(_default(mine), BasicAuth)  # the env key did not replace them


def test_an_empty_credential_in_code_is_refused_not_replaced_from_the_environment(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("AMENTUM_API_KEY", "env-key-123")
    clean_env.setenv("AIRFLOW_TOKEN", "env-token-1")
    with pytest.raises(ConfigurationError, match="api_key"):
        AmentumClient(api_key="")
    with pytest.raises(ConfigurationError):
        AirflowClient(base_url="http://127.0.0.1:9", token="")
