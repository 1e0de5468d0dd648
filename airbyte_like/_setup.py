"""What both Airbyte clients are built from: the service of the Configuration API
(``POST /api/v1/{family}/{method}``) and its credentials.

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
from typing import Any

import httpx
from typing_extensions import TypedDict

from commonrest._auth import BasicAuth, BearerAuth, from_environment
from commonrest._client import AsyncClientOptions, BaseClient, SyncClientOptions
from commonrest._services import Service

__all__ = ["SERVICES", "AirbyteSettings", "AsyncAirbyteSettings", "SyncAirbyteSettings"]

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


def _route(
    *, username: str | None, password: str | None, token: str | None, **core: Any
) -> dict[str, Any]:
    return {**core, "auth": _auth(username, password, token, core["auth"])}


class AirbyteSettings(TypedDict, total=False):
    """The Airbyte clients' own keywords (besides every client's, see
    :class:`~commonrest.ClientOptions`): ``token`` (Airbyte Cloud, bearer) or
    ``username`` and ``password`` (self-hosted, basic auth); when none is passed,
    ``AIRBYTE_TOKEN`` or ``AIRBYTE_USERNAME``/``AIRBYTE_PASSWORD`` are read."""

    username: str | None
    password: str | None
    token: str | None


class SyncAirbyteSettings(AirbyteSettings, SyncClientOptions, total=False):
    """What :class:`~airbyte_like.AirbyteClient` takes."""


class AsyncAirbyteSettings(AirbyteSettings, AsyncClientOptions, total=False):
    """What :class:`~airbyte_like.AsyncAirbyteClient` takes."""


class _AirbyteSetup(BaseClient):
    """The setup both Airbyte clients share."""

    services = SERVICES
    default_environment = "local"
    env_prefix = "AIRBYTE"
    logger_name = "airbyte_like"
    credential_sources = _CREDENTIALS

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        return _route(**settings)
