"""What both Airflow clients are built from: the stable REST API v1 (Airflow 2), API v2
(Airflow 3) and the simple auth manager's token endpoints, on one client.

- ``client.v1.<resource>``: ``/api/v1``, HTTP basic auth (``username``/``password``);
- ``client.v2.<resource>``: ``/api/v2`` (paths in the spec already carry it), bearer JWT,
  either given (``token``) or fetched with ``username`` and ``password`` by the spec's
  ``auth.create_token`` (``POST /auth/token`` on the ``auth`` service, so
  ``base_urls={"auth": ...}`` moves it) and refreshed on expiry or on a 401;
- ``client.auth.<operation>``: the token endpoints themselves, sent without credentials.

``api_version`` (default 2) chooses which of the two schemes ``username``/``password``
feed. When no credential is passed, ``AIRFLOW_TOKEN`` or ``AIRFLOW_USERNAME``/
``AIRFLOW_PASSWORD`` are read. The base URL comes from ``base_url`` or ``AIRFLOW_BASE_URL``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import httpx
from typing_extensions import TypedDict

from commonrest._auth import BasicAuth, BearerAuth, NoAuth, TokenEndpoint, from_environment
from commonrest._client import AsyncClientOptions, BaseClient, SyncClientOptions
from commonrest._errors import ConfigurationError
from commonrest._services import Service
from commonrest._settings import Setting

__all__ = ["SERVICES", "AirflowSettings", "AsyncAirflowSettings", "SyncAirflowSettings"]

_LOCAL = {"local": "http://localhost:8080"}

#: Service key (the ``api`` of each operation) -> hosts and path prefix.
SERVICES: Mapping[str, Service] = {
    "v1": Service(name="v1", urls=_LOCAL, path="/api/v{version}", version="1"),
    # the v2 and auth-manager specs write their full paths (/api/v2/..., /auth/token)
    "v2": Service(name="v2", urls=_LOCAL),
    "auth": Service(name="auth", urls=_LOCAL),
}


#: How a caller supplies a credential (what a client without one says).
_CREDENTIALS: Mapping[str, str] = {
    "default": (
        "pass token=... or set AIRFLOW_TOKEN, or username=... and password=... or set "
        "AIRFLOW_USERNAME and AIRFLOW_PASSWORD (or pass auth=...)"
    ),
}


def _route(
    *,
    base_url: str | None,
    username: str | None,
    password: str | None,
    token: str | None,
    api_version: Literal[1, 2],
    auth: httpx.Auth | None,
    credentials: Mapping[str, httpx.Auth] | None,
    **core: Any,
) -> dict[str, Any]:
    if api_version not in (1, 2):
        raise ConfigurationError(f"api_version must be 1 or 2, got {api_version!r}")
    creds = dict(credentials or {})
    creds.setdefault("anonymous", NoAuth())
    if base_url is None:
        base_url = os.environ.get("AIRFLOW_BASE_URL") or None
    if auth is None and "default" not in creds:
        given = from_environment(
            "AIRFLOW", {"token": token, "username": username, "password": password}
        )
        token, username, password = given["token"], given["username"], given["password"]
        if token is None and username is None and password is not None:
            raise ConfigurationError("password was given without a username")
        if token is not None:
            auth = BearerAuth(token)
        elif username is not None:
            if api_version == 1:
                auth = BasicAuth(username, password or "")
            else:
                # The spec's own token operation, on the auth service: base_urls["auth"]
                # moves it, and errors name it.
                from ._generated.auth.auth import Auth

                auth = BearerAuth(
                    token_endpoint=TokenEndpoint.from_operation(
                        Auth.create_token.info,
                        json={"username": username, "password": password or ""},
                        name="auth.create_token",
                    )
                )
    if auth is not None:
        creds["default"] = auth
    return {**core, "auth": None, "credentials": creds, "base_url": base_url}


class AirflowSettings(TypedDict, total=False):
    """The Airflow clients' own keywords (besides every client's, see
    :class:`~commonrest.ClientOptions`): ``token`` (a bearer JWT), or ``username``
    and ``password`` (basic auth on API v1, a fetched and refreshed JWT on v2); when none
    is passed, ``AIRFLOW_TOKEN`` or ``AIRFLOW_USERNAME``/``AIRFLOW_PASSWORD`` are read.
    ``api_version`` says which of the two schemes the username and password feed."""

    username: str | None
    password: str | None
    token: str | None
    api_version: Annotated[Literal[1, 2], Setting(2)]


class SyncAirflowSettings(AirflowSettings, SyncClientOptions, total=False):
    """What :class:`~airflow_like.AirflowClient` takes."""


class AsyncAirflowSettings(AirflowSettings, AsyncClientOptions, total=False):
    """What :class:`~airflow_like.AsyncAirflowClient` takes."""


class _AirflowSetup(BaseClient):
    """The setup both Airflow clients share."""

    services = SERVICES
    default_environment = "local"
    env_prefix = "AIRFLOW"
    logger_name = "airflow_like"
    credential_sources = _CREDENTIALS

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        return _route(**settings)
