"""Airbyte clients for the Configuration API (``POST /api/v1/{family}/{method}``).

Reads travel as POSTs too; operations whose name says they only read are declared
``read_only`` (see ``codegen/spec.py``), so the core retries them like GETs. Self-hosted
Airbyte uses basic auth (``username``/``password``; a stock install ships
``airbyte``/``password``, which you pass yourself); Airbyte Cloud a bearer ``token``. When
no credential is passed, ``AIRBYTE_TOKEN`` or ``AIRBYTE_USERNAME``/``AIRBYTE_PASSWORD`` are
read. The base URL comes from ``base_url``, ``AIRBYTE_BASE_URL`` or the environment
(``"local"``: ``http://localhost:8000/api``; ``"cloud"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import httpx
from typing_extensions import Unpack

from commonrest._auth import BasicAuth, BearerAuth, from_environment
from commonrest._client import AsyncClient, AsyncClientOptions, SyncClient, SyncClientOptions
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._services import Service

from ._generated.client_mixin import AirbyteResources

__all__ = ["SERVICES", "AirbyteClient", "AsyncAirbyteClient"]

#: Service key (the ``api`` of each operation) -> hosts; the spec's paths start at /v1.
SERVICES: Mapping[str, Service] = {
    "config": Service(
        name="config",
        urls={"local": "http://localhost:8000/api", "cloud": "https://cloud.airbyte.com/api"},
    ),
}


#: How a caller supplies a credential (what a client without one says).
_CREDENTIALS: Mapping[str, str] = {
    "default": (
        "pass token=... or set AIRBYTE_TOKEN (Airbyte Cloud), or username=... and "
        "password=... or set AIRBYTE_USERNAME and AIRBYTE_PASSWORD (self-hosted; a stock "
        "install uses basic auth), or auth=..."
    ),
}


def _auth(
    username: str | None, password: str | None, token: str | None, auth: httpx.Auth | None
) -> httpx.Auth | None:
    if auth is not None:
        return auth
    given = from_environment(
        "AIRBYTE", {"token": token, "username": username, "password": password}
    )
    if given["token"] is not None:
        return BearerAuth(given["token"])
    if given["username"] is not None or given["password"] is not None:
        return BasicAuth(given["username"] or "", given["password"] or "")
    return None


class AirbyteClient(SyncClient, AirbyteResources[Sync]):
    """Blocking client for the Airbyte Configuration API. Other keyword arguments are those
    of :class:`commonrest.SyncClient`."""

    services = SERVICES
    default_environment = "local"
    env_prefix = "AIRBYTE"
    logger_name = "airbyte_like"
    credential_sources = _CREDENTIALS

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        environment: str | None = None,
        **options: Unpack[SyncClientOptions],
    ) -> None:
        options["auth"] = _auth(username, password, token, options.get("auth"))
        super().__init__(environment=environment, **options)

    @property
    def with_raw_response(self) -> AirbyteResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirbyteResources[SyncRaw]", self._raw_copy())


class AsyncAirbyteClient(AsyncClient, AirbyteResources[Async]):
    """Asynchronous twin of :class:`AirbyteClient`."""

    services = SERVICES
    default_environment = "local"
    env_prefix = "AIRBYTE"
    logger_name = "airbyte_like"
    credential_sources = _CREDENTIALS

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        environment: str | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        options["auth"] = _auth(username, password, token, options.get("auth"))
        super().__init__(environment=environment, **options)

    @property
    def with_raw_response(self) -> AirbyteResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirbyteResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
