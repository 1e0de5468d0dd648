"""What both Amentum clients are built from: the aviation radiation, gravity, space
radiation, atmosphere, geomagnetism and ocean APIs, each on its own host, all signed with
an ``API-Key`` header.

The ocean spec names no host; ``https://ocean.amentum.io`` is assumed and can be replaced
with ``base_urls={"ocean": "https://..."}`` (any service can be moved that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from typing_extensions import TypedDict

from commonrest._auth import APIKeyAuth, from_environment
from commonrest._calls import Call, OperationInfo
from commonrest._client import AsyncClientOptions, BaseClient, SyncClientOptions
from commonrest._errors import CommonRestError
from commonrest._pipeline import Prepared
from commonrest._services import Service

from ._rules import check_rules

__all__ = [
    "OCEAN_HOST",
    "SERVICES",
    "AmentumSettings",
    "AsyncAmentumSettings",
    "SyncAmentumSettings",
]

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


def _route(*, api_key: str | None, **core: Any) -> dict[str, Any]:
    return {**core, "auth": _auth(api_key, core["auth"])}


class AmentumSettings(TypedDict, total=False):
    """The Amentum clients' own keyword (besides every client's, see
    :class:`~commonrest.ClientOptions`): ``api_key``, sent as ``API-Key``; when it
    is not passed, ``AMENTUM_API_KEY`` is read."""

    api_key: str | None


class SyncAmentumSettings(AmentumSettings, SyncClientOptions, total=False):
    """What :class:`~amentum_like.AmentumClient` takes."""


class AsyncAmentumSettings(AmentumSettings, AsyncClientOptions, total=False):
    """What :class:`~amentum_like.AsyncAmentumClient` takes."""


class _AmentumSetup(BaseClient):
    """The setup both Amentum clients share."""

    services = SERVICES
    default_environment = "live"
    env_prefix = "AMENTUM"
    logger_name = "amentum_like"
    credential_sources = _CREDENTIALS

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        return _route(**settings)

    def _prepare(self, info: OperationInfo, call: Call[Any]) -> Prepared:
        # the rules across parameters (see ._rules), in the one step sync and async share
        try:
            check_rules(info, call)
        except CommonRestError as error:
            error._name_operation(info.python_name, info.operation_id)
            raise
        return super()._prepare(info, call)
