"""What both Airbyte clients are built from: the service of the Configuration API
(``POST /api/v1/{family}/{method}``) and its credentials.

Reads travel as POSTs too; operations whose name says they only read are declared
``read_only`` (see ``codegen/spec.py``), so the core retries them like GETs. Self-hosted
Airbyte uses basic auth (``username``/``password``; a stock install ships
``airbyte``/``password``, which you pass yourself); Airbyte Cloud a bearer ``token``. When
no credential is passed, ``AIRBYTE_TOKEN`` or ``AIRBYTE_USERNAME``/``AIRBYTE_PASSWORD`` are
read. The base URL comes from ``base_url``, ``AIRBYTE_BASE_URL`` or the environment
(``"local"``: ``http://localhost:8000/api``; ``"cloud"``); one given with the API's
``/v1`` at its end (``http://host:8000/api/v1``) is used without it, since every path
starts with ``/v1``.

Calls of the resources that carry connector configurations (see :mod:`._secrets`) are
marked private before they run, and specifications the client fetches teach it which
configuration fields are secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from typing_extensions import TypedDict

from commonrest._auth import BasicAuth, BearerAuth, from_environment
from commonrest._calls import Call, OperationInfo, PagedCall
from commonrest._client import AsyncClientOptions, BaseClient, SyncClientOptions
from commonrest._services import Service

from ._errors import parse_airbyte_error
from ._secrets import SECRET_RESOURCES, SPECIFICATION_OPERATIONS, body_secrets, learn_secret_fields

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


_C = TypeVar("_C", bound=Call[Any])
_API_VERSION_SUFFIX = re.compile(r"/v1/*$")


def _base_url(given: str | None) -> str | None:
    """The base URL without a trailing ``/v1`` (the operations' paths carry it)."""
    if given is None:
        given = os.environ.get("AIRBYTE_BASE_URL") or None
    if isinstance(given, str):
        return _API_VERSION_SUFFIX.sub("", given)
    return given  # anything else is refused, naming the setting, by the core's check


def _route(
    *, username: str | None, password: str | None, token: str | None, **core: Any
) -> dict[str, Any]:
    return {
        **core,
        "auth": _auth(username, password, token, core["auth"]),
        "base_url": _base_url(core["base_url"]),
    }


def _learn(spec: Any, response: Any) -> Any:
    learn_secret_fields(spec)
    return spec


def marked(info: OperationInfo, call: _C) -> _C:
    """``call`` made private when its operation may carry connector secrets."""
    if info.python_name.partition(".")[0] in SECRET_RESOURCES:
        call.private = True
        call.secrets = body_secrets(call.json)
    if info.operation_id in SPECIFICATION_OPERATIONS and call.finish is None:
        call.finish = _learn
    return call


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
    error_parsers = (parse_airbyte_error,)

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        return _route(**settings)

    # How a call runs, marked first; ``_execute`` is in each client class, as the core
    # tells a client's mode by whether it is a coroutine function.
    def _paginate(self, info: OperationInfo, call: PagedCall[Any, Any]) -> Any:
        return super()._paginate(info, marked(info, call))

    def _stream(self, info: OperationInfo, call: Call[Any]) -> Any:
        return super()._stream(info, marked(info, call))
