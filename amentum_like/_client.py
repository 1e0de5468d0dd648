"""Amentum clients: aviation radiation, gravity, space radiation, atmosphere, geomagnetism
and ocean APIs, each on its own host, all signed with an ``API-Key`` header.

The ocean spec names no host; ``https://ocean.amentum.io`` is assumed and can be replaced
with ``base_urls={"ocean": "https://..."}`` (any service can be moved that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import httpx
from typing_extensions import Unpack

from commonrest._auth import APIKeyAuth, from_environment
from commonrest._client import AsyncClient, AsyncClientOptions, SyncClient, SyncClientOptions
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._services import Service

from ._generated.client_mixin import AmentumResources

__all__ = ["OCEAN_HOST", "SERVICES", "AmentumClient", "AsyncAmentumClient"]

#: Default host of the ocean API (its spec leaves the server as a template).
OCEAN_HOST = "https://ocean.amentum.io"


def _service(name: str, host: str, path: str = "") -> Service:
    return Service(name=name, urls={"live": host}, path=path)


#: Service key (the ``api`` of each operation) -> host and path prefix.
SERVICES: Mapping[str, Service] = {
    "aviation_radiation": _service("aviation_radiation", "https://avrad.amentum.io"),
    "gravity": _service("gravity", "https://gravity.amentum.io"),
    "space_radiation": _service("space_radiation", "https://spacerad.amentum.io"),
    "atmosphere": _service("atmosphere", "https://atmosphere.amentum.io"),
    "geomag": _service("geomag", "https://geomag.amentum.io", "/wmm"),
    "ocean": _service("ocean", OCEAN_HOST),
}


#: How a caller supplies the API key (what a client without it says).
_CREDENTIALS: Mapping[str, str] = {
    "default": "pass api_key=... or set AMENTUM_API_KEY (or pass auth=...)",
}


def _auth(api_key: str | None, auth: httpx.Auth | None) -> httpx.Auth | None:
    if auth is not None:
        return auth
    key = from_environment("AMENTUM", {"api_key": api_key})["api_key"]
    return None if key is None else APIKeyAuth(key, header="API-Key", setting="api_key")


class AmentumClient(SyncClient, AmentumResources[Sync]):
    """Blocking client for the Amentum APIs; ``api_key`` or ``AMENTUM_API_KEY``. Other
    keyword arguments are those of :class:`commonrest.SyncClient`."""

    services = SERVICES
    default_environment = "live"
    env_prefix = "AMENTUM"
    logger_name = "amentum_like"
    credential_sources = _CREDENTIALS

    def __init__(
        self,
        *,
        api_key: str | None = None,
        environment: str | None = None,
        **options: Unpack[SyncClientOptions],
    ) -> None:
        options["auth"] = _auth(api_key, options.get("auth"))
        super().__init__(environment=environment, **options)

    @property
    def with_raw_response(self) -> AmentumResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AmentumResources[SyncRaw]", self._raw_copy())


class AsyncAmentumClient(AsyncClient, AmentumResources[Async]):
    """Asynchronous twin of :class:`AmentumClient`."""

    services = SERVICES
    default_environment = "live"
    env_prefix = "AMENTUM"
    logger_name = "amentum_like"
    credential_sources = _CREDENTIALS

    def __init__(
        self,
        *,
        api_key: str | None = None,
        environment: str | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        options["auth"] = _auth(api_key, options.get("auth"))
        super().__init__(environment=environment, **options)

    @property
    def with_raw_response(self) -> AmentumResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AmentumResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
