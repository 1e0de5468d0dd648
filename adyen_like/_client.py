"""Adyen clients: every generated operation, routed to its service, version and credential.

Each Adyen API is a :class:`~commonrest.Service` with its own hosts and its own
version suffix, so a version override (``versions={"payment": "67"}``) changes exactly
that service's URL. Live classic URLs need the merchant's prefix
(``live_url_prefix="1797a841fbb37ca7-AdyenDemo"``); without it, a live client fails at
construction. The Payout API uses two credentials: store-detail and submit operations use
the default one, confirm and decline the ``reviewer`` one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import httpx
from typing_extensions import Unpack

from commonrest._auth import APIKeyAuth, BasicAuth, from_environment
from commonrest._client import AsyncClient, AsyncClientOptions, SyncClient, SyncClientOptions
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._services import Service

from ._errors import parse_adyen_error
from ._generated.client_mixin import AdyenResources

__all__ = ["SERVICES", "AdyenClient", "AsyncAdyenClient"]

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


def _settings(
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
) -> dict[str, Any]:
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
    return {"credentials": creds, "url_variables": variables}


class AdyenClient(SyncClient, AdyenResources[Sync]):
    """Blocking client for Adyen's Payment, Payout, Recurring, Notification Configuration,
    Terminal Management and Transfers APIs.

    ``api_key`` signs requests with ``X-API-Key``; ``username`` and ``password`` use basic
    auth instead. ``reviewer_api_key`` (or reviewer username and password) signs the Payout
    review operations. When a credential is not passed, ``ADYEN_API_KEY`` (or
    ``ADYEN_USERNAME``/``ADYEN_PASSWORD``) and ``ADYEN_REVIEWER_API_KEY`` (or
    ``ADYEN_REVIEWER_USERNAME``/``ADYEN_REVIEWER_PASSWORD``) are read. Other keyword
    arguments are those of :class:`commonrest.SyncClient` (timeouts, retries,
    ``versions``, ``auth``, ``credentials``, ...).
    """

    services = SERVICES
    error_parsers = (parse_adyen_error,)
    default_environment = "test"
    env_prefix = "ADYEN"
    logger_name = "adyen_like"
    credential_sources = _CREDENTIALS

    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        reviewer_api_key: str | None = None,
        reviewer_username: str | None = None,
        reviewer_password: str | None = None,
        environment: str | None = None,
        live_url_prefix: str | None = None,
        **options: Unpack[SyncClientOptions],
    ) -> None:
        super().__init__(
            environment=environment,
            **_settings(
                api_key=api_key,
                username=username,
                password=password,
                reviewer_api_key=reviewer_api_key,
                reviewer_username=reviewer_username,
                reviewer_password=reviewer_password,
                live_url_prefix=live_url_prefix,
                auth=options.pop("auth", None),
                credentials=options.pop("credentials", None),
                url_variables=options.pop("url_variables", None),
            ),
            **options,
        )

    @property
    def with_raw_response(self) -> AdyenResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AdyenResources[SyncRaw]", self._raw_copy())


class AsyncAdyenClient(AsyncClient, AdyenResources[Async]):
    """Asynchronous twin of :class:`AdyenClient` (same arguments, awaitable operations)."""

    services = SERVICES
    error_parsers = (parse_adyen_error,)
    default_environment = "test"
    env_prefix = "ADYEN"
    logger_name = "adyen_like"
    credential_sources = _CREDENTIALS

    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        reviewer_api_key: str | None = None,
        reviewer_username: str | None = None,
        reviewer_password: str | None = None,
        environment: str | None = None,
        live_url_prefix: str | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        super().__init__(
            environment=environment,
            **_settings(
                api_key=api_key,
                username=username,
                password=password,
                reviewer_api_key=reviewer_api_key,
                reviewer_username=reviewer_username,
                reviewer_password=reviewer_password,
                live_url_prefix=live_url_prefix,
                auth=options.pop("auth", None),
                credentials=options.pop("credentials", None),
                url_variables=options.pop("url_variables", None),
            ),
            **options,
        )

    @property
    def with_raw_response(self) -> AdyenResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AdyenResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
