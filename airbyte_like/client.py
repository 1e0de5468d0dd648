"""Airbyte clients for the Configuration API (``POST /api/v1/{family}/{method}``).

Reads travel as POSTs too; operations whose name says they only read are declared
``read_only`` (see ``codegen/spec.py``), so the core retries them like GETs. Self-hosted
Airbyte uses basic auth (``username``/``password``, by default ``airbyte``/``password``);
Airbyte Cloud a bearer ``token``. The base URL comes from ``base_url``, ``AIRBYTE_BASE_URL``
or the environment (``"local"``: ``http://localhost:8000/api``; ``"cloud"``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import cast

import httpx
from typing_extensions import Unpack

from commonrest.auth import BasicAuth, BearerAuth
from commonrest.client import AsyncClient, AsyncClientOptions, SyncClient, SyncClientOptions
from commonrest.operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest.services import Service

from ._generated.client_mixin import AirbyteResources

__all__ = ["SERVICES", "AirbyteClient", "AsyncAirbyteClient"]

#: Service key (the ``api`` of each operation) -> hosts; the spec's paths start at /v1.
SERVICES: Mapping[str, Service] = {
    "config": Service(
        name="config",
        urls={"local": "http://localhost:8000/api", "cloud": "https://cloud.airbyte.com/api"},
    ),
}


def _auth(
    username: str | None, password: str | None, token: str | None, auth: httpx.Auth | None
) -> httpx.Auth | None:
    if auth is not None:
        return auth
    # Values given in code are used as given (an empty one is refused, not replaced).
    if token is None:
        token = os.environ.get("AIRBYTE_TOKEN") or None
    if token is not None:
        return BearerAuth(token)
    if username is None:
        username = os.environ.get("AIRBYTE_USERNAME") or None
    if username is not None:
        if password is None:
            password = os.environ.get("AIRBYTE_PASSWORD") or ""
        return BasicAuth(username, password)
    return None


class AirbyteClient(SyncClient, AirbyteResources[Sync]):
    """Blocking client for the Airbyte Configuration API. Other keyword arguments are those
    of :class:`commonrest.client.SyncClient`."""

    services = SERVICES
    default_environment = "local"
    env_prefix = "AIRBYTE"
    logger_name = "airbyte_like"

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        environment: str | None = None,
        **options: Unpack[SyncClientOptions],
    ) -> None:
        super().__init__(
            auth=_auth(username, password, token, auth), environment=environment, **options
        )

    @property
    def with_raw_response(self) -> AirbyteResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.response.APIResponse`."""
        return cast("AirbyteResources[SyncRaw]", self._raw_copy())


class AsyncAirbyteClient(AsyncClient, AirbyteResources[Async]):
    """Asynchronous twin of :class:`AirbyteClient`."""

    services = SERVICES
    default_environment = "local"
    env_prefix = "AIRBYTE"
    logger_name = "airbyte_like"

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        environment: str | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        super().__init__(
            auth=_auth(username, password, token, auth), environment=environment, **options
        )

    @property
    def with_raw_response(self) -> AirbyteResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.response.APIResponse`."""
        return cast("AirbyteResources[AsyncRaw]", self._raw_copy())
