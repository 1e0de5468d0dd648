"""Adyen clients: every generated operation, routed to its service, version and credential
(see :mod:`._setup` for the services and credentials)."""

from __future__ import annotations

from typing import cast

from typing_extensions import Unpack

from commonrest._client import AsyncClient, SyncClient
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._settings import expand_settings

from ._generated.client_mixin import AdyenResources
from ._setup import SERVICES, AsyncAdyenSettings, SyncAdyenSettings, _AdyenSetup

__all__ = ["SERVICES", "AdyenClient", "AsyncAdyenClient"]


class AdyenClient(_AdyenSetup, SyncClient, AdyenResources[Sync]):
    """Blocking client for Adyen's Payment, Payout, Recurring, Notification Configuration,
    Terminal Management and Transfers APIs.

    ``api_key`` signs requests with ``X-API-Key``; ``username`` and ``password`` use basic
    auth instead. ``reviewer_api_key`` (or reviewer username and password) signs the Payout
    review operations. When a credential is not passed, ``ADYEN_API_KEY`` (or
    ``ADYEN_USERNAME``/``ADYEN_PASSWORD``) and ``ADYEN_REVIEWER_API_KEY`` (or
    ``ADYEN_REVIEWER_USERNAME``/``ADYEN_REVIEWER_PASSWORD``) are read. The other settings
    are every client's (timeouts, retries, ``versions``, ``auth``, ``credentials``, ...).
    """

    @expand_settings
    def __init__(self, **settings: Unpack[SyncAdyenSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AdyenResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AdyenResources[SyncRaw]", self._raw_copy())


class AsyncAdyenClient(_AdyenSetup, AsyncClient, AdyenResources[Async]):
    """Asynchronous twin of :class:`AdyenClient` (same arguments, awaitable operations)."""

    @expand_settings
    def __init__(self, **settings: Unpack[AsyncAdyenSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AdyenResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AdyenResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
