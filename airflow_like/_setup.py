"""What both Airflow clients are built from: the stable REST API v1 (Airflow 2), API v2
(Airflow 3) and the simple auth manager's token endpoints, on one client.

- ``client.dags``, ``client.dag_runs``, ...: the version-neutral surface (:mod:`._neutral`),
  sent to the server's API version (:mod:`._versions`: ``api_version``, a base URL ending
  in ``/api/v1`` or ``/api/v2``, or asked of the server once);
- ``client.v1.<resource>``: ``/api/v1``, HTTP basic auth (``username``/``password``);
- ``client.v2.<resource>``: ``/api/v2`` (paths in the spec already carry it), bearer JWT,
  either given (``token``) or fetched with ``username`` and ``password`` by the spec's
  ``auth.create_token`` (``POST /auth/token`` on the ``auth`` service, so
  ``base_urls={"auth": ...}`` moves it) and refreshed shortly before its ``exp``, on a
  401, and on Airflow 3's 403 ``Invalid JWT token``;
- ``client.auth.<operation>``: the token endpoints themselves, sent without credentials.

Each API signs with its own scheme, whatever ``api_version`` says: ``username`` and
``password`` are basic auth on v1 and a fetched JWT on v2, so a client of an Airflow 2
server never asks for a token. A ``token`` (or ``auth=...``) signs both; a ``token`` given
with ``username`` and ``password`` signs v2 until the server refuses it or it expires, then
is replaced by a fetched one (v1 keeps basic auth). When no
credential is passed, ``AIRFLOW_TOKEN`` or ``AIRFLOW_USERNAME``/``AIRFLOW_PASSWORD`` are
read; the base URL comes from ``base_url`` or ``AIRFLOW_BASE_URL``, the version from
``api_version`` or ``AIRFLOW_API_VERSION``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

import httpx
from typing_extensions import TypedDict

from commonrest._auth import BasicAuth, BearerAuth, NoAuth, TokenEndpoint, from_environment
from commonrest._calls import Call, OperationInfo
from commonrest._client import AsyncClientOptions, BaseClient, SyncClientOptions
from commonrest._errors import ConfigurationError, ErrorParser
from commonrest._pipeline import Prepared
from commonrest._services import Service
from commonrest._settings import Setting

from ._connection_secrets import CONNECTION_WRITES, connection_secrets
from ._errors import parse_airflow_error
from ._versions import VersionState, configured_version, split_base_url

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


def _token_refused(response: httpx.Response) -> bool:
    """Airflow 3's answer to a token signed with a secret it no longer has (an API server
    restarted with a new ``jwt_secret``): 403 ``{"detail": "Invalid JWT token"}``. Any
    other 403 (a viewer's write) is a real refusal and is not repeated."""
    if response.status_code != 403:
        return False
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return False
    return isinstance(detail, str) and "jwt" in detail.lower() and "invalid" in detail.lower()


def _route(
    *,
    base_url: str | None,
    username: str | None,
    password: str | None,
    token: str | None,
    api_version: Literal[1, 2] | None,
    auth: httpx.Auth | None,
    credentials: Mapping[str, httpx.Auth] | None,
    **core: Any,
) -> dict[str, Any]:
    creds = dict(credentials or {})
    creds.setdefault("anonymous", NoAuth())
    if base_url is None:
        base_url = os.environ.get("AIRFLOW_BASE_URL") or None
    base_url, url_version = split_base_url(base_url)
    version = configured_version(api_version, url_version)
    if auth is None and "default" not in creds:
        given = from_environment(
            "AIRFLOW", {"token": token, "username": username, "password": password}
        )
        token, username, password = given["token"], given["username"], given["password"]
        if token is None and username is None and password is not None:
            raise ConfigurationError("password was given without a username")
        if token is not None and username is None:
            auth = BearerAuth(token)
        elif username is not None:
            basic = BasicAuth(username, password or "")
            # The spec's own token operation, on the auth service: base_urls["auth"]
            # moves it, and errors name it.
            from ._generated.auth.auth import Auth

            # A token given with them is used first, and replaced when refused or expired.
            jwt = BearerAuth(
                token,
                token_endpoint=TokenEndpoint.from_operation(
                    Auth.create_token.info,
                    json={"username": username, "password": password or ""},
                    name="auth.create_token",
                    rejects=_token_refused,
                    not_found_hint=(
                        "an Airflow 2 server has no /auth/token: it speaks API v1 with basic "
                        "auth (api_version=1, or leave api_version unset to detect it)"
                    ),
                ),
            )
            creds.setdefault("v1", basic)  # Airflow 2 takes no JWT of Airflow 3's making
            creds.setdefault("v2", jwt)
            auth = basic if version == 1 else jwt
    if auth is not None:
        creds["default"] = auth
    if "default" in creds:
        creds.setdefault("v1", creds["default"])
        creds.setdefault("v2", creds["default"])
    return {
        **core,
        "auth": None,
        "credentials": creds,
        "base_url": base_url,
        "api_version": version,
    }


class AirflowSettings(TypedDict, total=False):
    """The Airflow clients' own keywords (besides every client's, see
    :class:`~commonrest.ClientOptions`): ``token`` (a bearer JWT), or ``username``
    and ``password`` (basic auth on API v1, a fetched and refreshed JWT on v2); when none
    is passed, ``AIRFLOW_TOKEN`` or ``AIRFLOW_USERNAME``/``AIRFLOW_PASSWORD`` are read.
    ``api_version`` (1 for Airflow 2, 2 for Airflow 3; else ``AIRFLOW_API_VERSION``, the
    base URL's ``/api/vN``, or asked of the server on first use) is the API the neutral
    surface (``client.dags``, ...) speaks."""

    username: str | None
    password: str | None
    token: str | None
    api_version: Annotated[Literal[1, 2] | None, Setting(None)]


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
    error_parsers: ClassVar[tuple[ErrorParser, ...]] = (parse_airflow_error,)

    _versions: VersionState

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        resolved = _route(**settings)
        self._versions = VersionState(resolved.pop("api_version"))
        return resolved

    @property
    def api_version(self) -> Literal[1, 2] | None:
        """The API version the neutral surface speaks: 1 (Airflow 2) or 2 (Airflow 3), or
        ``None`` while it has not been configured or asked of the server yet."""
        return self._versions.version

    def _prepare(self, info: OperationInfo, call: Call[Any]) -> Prepared:
        # Each API signs with its own scheme (basic on v1, JWT on v2): see the module doc.
        if info.credential == "default" and info.api in ("v1", "v2"):
            info = dataclasses.replace(info, credential=info.api)
        if info.operation_id in CONNECTION_WRITES and call.json is not None:
            call.secrets = (*call.secrets, *connection_secrets(call.json))
        return super()._prepare(info, call)
