"""Every vendor client is configured the same way: learn one, know the others."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from adyen_like import AdyenClient, AsyncAdyenClient
from airbyte_like import AirbyteClient, AsyncAirbyteClient
from airflow_like import AirflowClient, AsyncAirflowClient
from amentum_like import AmentumClient, AsyncAmentumClient
from commonrest.client import AsyncClient, ClientOptions, SyncClient
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
    (CommonRestClient, {"base_url": "http://idm.local/openidm"}),
    (AsyncCommonRestClient, {"base_url": "http://idm.local/openidm"}),
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
