"""What both Adyen clients are built from: the services (each API's hosts and version
suffix), the two credentials and how they are supplied, the live URL prefix, and the
Adyen error body parser.

Each Adyen API is a :class:`~commonrest.Service` with its own hosts and its own version
suffix, so a version override (``versions={"payment": "67"}``) changes exactly that
service's URL. Live classic URLs need the merchant's prefix
(``live_url_prefix="1797a841fbb37ca7-AdyenDemo"``); without it, a live client fails at
construction. The Payout API uses two credentials: store-detail and submit operations use
the default one, confirm and decline the ``reviewer`` one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import httpx
from typing_extensions import TypedDict

from commonrest._auth import APIKeyAuth, BasicAuth, from_environment
from commonrest._client import AsyncClientOptions, BaseClient, SyncClientOptions
from commonrest._errors import ConfigurationError
from commonrest._services import Service

from ._card_fields import CARD_AND_BANK_FIELDS
from ._errors import parse_adyen_error

__all__ = ["SERVICES", "AdyenSettings", "AsyncAdyenSettings", "SyncAdyenSettings"]

_PAL_TEST = "https://pal-test.adyen.com"
_PAL_LIVE = "https://{prefix}-pal-live.adyenpayments.com"
_PREFIX = {"prefix": "live_url_prefix"}


def _pal(name: str, service: str) -> Service:
    return Service(
        name=name,
        urls={"test": _PAL_TEST, "live": _PAL_LIVE},
        path=f"/pal/servlet/{service}/v{{version}}",
        version="68",
        idempotency_header="Idempotency-Key",
        variable_settings=_PREFIX,
    )


def _transfers(name: str, version: str) -> Service:
    return Service(
        name=name,
        urls={
            "test": "https://balanceplatform-api-test.adyen.com",
            "live": "https://balanceplatform-api-live.adyen.com",
        },
        path="/btl/v{version}",
        version=version,
        idempotency_header="Idempotency-Key",
    )


#: Service key (the ``api`` of each operation) -> hosts and versioned path.
SERVICES: Mapping[str, Service] = {
    "payment": _pal("payment", "Payment"),
    "payout": _pal("payout", "Payout"),
    "recurring": _pal("recurring", "Recurring"),
    "notification_configuration": Service(
        name="notification_configuration",
        urls={"test": "https://cal-test.adyen.com", "live": "https://cal-live.adyen.com"},
        path="/cal/services/Notification/v{version}",
        version="6",
        idempotency_header="Idempotency-Key",
    ),
    "terminal_management": Service(
        name="terminal_management",
        urls={
            "test": "https://postfmapi-test.adyen.com",
            "live": "https://postfmapi-live.adyen.com",
        },
        path="/postfmapi/terminal/v{version}",
        version="1",
        idempotency_header="Idempotency-Key",
    ),
    "transfers": _transfers("transfers", "4"),
    "transfers_v3": _transfers("transfers_v3", "3"),
}


#: How a caller supplies each credential (what a client without it says).
_CREDENTIALS: Mapping[str, str] = {
    "default": (
        "pass api_key=... or set ADYEN_API_KEY, or username=... and password=... or set "
        "ADYEN_USERNAME and ADYEN_PASSWORD (or pass auth=...)"
    ),
    "reviewer": (
        "pass reviewer_api_key=... or set ADYEN_REVIEWER_API_KEY, or reviewer_username=... "
        "and reviewer_password=... or set ADYEN_REVIEWER_USERNAME and ADYEN_REVIEWER_PASSWORD"
    ),
}


def _credential(
    api_key: str | None, username: str | None, password: str | None, setting: str
) -> httpx.Auth | None:
    if api_key is not None:
        return APIKeyAuth(api_key, header="X-API-Key", setting=setting)
    if username is not None or password is not None:
        return BasicAuth(username or "", password or "")
    return None


#: The path every Adyen service adds to its host; a base URL already holding one would
#: be doubled (``.../pal/servlet/Payment/v68/pal/servlet/Payment/v68/authorise``).
_SERVICE_PATH = re.compile(r"/(?:pal/servlet|cal/services|postfmapi/terminal|btl)(?:/|$)")


def _host_only(url: object, setting: str) -> None:
    """Refuse a base URL that already holds a service's path: it names the host (and any
    proxy prefix) the service paths are added to."""
    if not isinstance(url, str):
        return  # the core reports a value that is not a URL
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return
    found = _SERVICE_PATH.search(parsed.path)
    if found is None:
        return
    host = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}{parsed.path[: found.start()]}"
    raise ConfigurationError(
        f"{setting} must be the host the Adyen service paths are added to ({host}), not a "
        f"service's own URL ({url}): the client adds each service's path and version "
        "itself (/pal/servlet/Payment/v68, /btl/v4, ...); choose a version with "
        "versions={'payment': '68'}"
    )


def _route(
    *,
    api_key: str | None,
    username: str | None,
    password: str | None,
    reviewer_api_key: str | None,
    reviewer_username: str | None,
    reviewer_password: str | None,
    live_url_prefix: str | None,
    auth: httpx.Auth | None,
    credentials: Mapping[str, httpx.Auth] | None,
    url_variables: Mapping[str, str] | None,
    **core: Any,
) -> dict[str, Any]:
    base_url = core.get("base_url")
    if base_url is None:
        env = os.environ.get("ADYEN_BASE_URL")
        if env:
            _host_only(env, "ADYEN_BASE_URL")
    else:
        _host_only(base_url, "base_url")
    for key, url in (core.get("base_urls") or {}).items():
        _host_only(url, f"base_urls[{key!r}]")
    creds = dict(credentials or {})
    if auth is not None:
        creds["default"] = auth
    if "default" not in creds:
        given = from_environment(
            "ADYEN", {"api_key": api_key, "username": username, "password": password}
        )
        default = _credential(given["api_key"], given["username"], given["password"], "api_key")
        if default is not None:
            creds["default"] = default
    if "reviewer" not in creds:
        given = from_environment(
            "ADYEN_REVIEWER",
            {
                "api_key": reviewer_api_key,
                "username": reviewer_username,
                "password": reviewer_password,
            },
        )
        reviewer = _credential(
            given["api_key"], given["username"], given["password"], "reviewer_api_key"
        )
        if reviewer is not None:
            creds["reviewer"] = reviewer
    variables = dict(url_variables or {})
    if live_url_prefix is not None:
        variables["prefix"] = live_url_prefix
    return {**core, "auth": None, "credentials": creds, "url_variables": variables}


class AdyenSettings(TypedDict, total=False):
    """The Adyen clients' own keywords (besides every client's, see
    :class:`~commonrest.ClientOptions`).

    ``api_key`` signs requests with ``X-API-Key``; ``username`` and ``password`` use basic
    auth instead; the ``reviewer_`` ones sign the Payout review operations. When none is
    passed, ``ADYEN_API_KEY`` (or ``ADYEN_USERNAME``/``ADYEN_PASSWORD``) and
    ``ADYEN_REVIEWER_API_KEY`` (or ``ADYEN_REVIEWER_USERNAME``/``ADYEN_REVIEWER_PASSWORD``)
    are read. ``live_url_prefix`` is the merchant's prefix of the live classic URLs.
    """

    api_key: str | None
    username: str | None
    password: str | None
    reviewer_api_key: str | None
    reviewer_username: str | None
    reviewer_password: str | None
    live_url_prefix: str | None


class SyncAdyenSettings(AdyenSettings, SyncClientOptions, total=False):
    """What :class:`~adyen_like.AdyenClient` takes."""


class AsyncAdyenSettings(AdyenSettings, AsyncClientOptions, total=False):
    """What :class:`~adyen_like.AsyncAdyenClient` takes."""


class _AdyenSetup(BaseClient):
    """The setup both Adyen clients share."""

    services = SERVICES
    error_parsers = (parse_adyen_error,)
    sensitive_fields = CARD_AND_BANK_FIELDS
    default_environment = "test"
    env_prefix = "ADYEN"
    logger_name = "adyen_like"
    credential_sources = _CREDENTIALS

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        return _route(**settings)
