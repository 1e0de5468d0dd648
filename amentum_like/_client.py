"""Amentum clients: one per mode, on the services of :mod:`._setup`."""

from __future__ import annotations

from typing import cast

from typing_extensions import Unpack

from commonrest._client import AsyncClient, SyncClient
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._settings import expand_settings

from ._generated.client_mixin import AmentumResources
from ._setup import OCEAN_HOST, SERVICES, AsyncAmentumSettings, SyncAmentumSettings, _AmentumSetup

__all__ = ["OCEAN_HOST", "SERVICES", "AmentumClient", "AsyncAmentumClient"]


class AmentumClient(_AmentumSetup, SyncClient, AmentumResources[Sync]):
    """Blocking client for the Amentum APIs; ``api_key`` or ``AMENTUM_API_KEY``. The other
    settings are every client's (timeouts, retries, ``base_urls``, ...)."""

    @expand_settings
    def __init__(self, **settings: Unpack[SyncAmentumSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AmentumResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AmentumResources[SyncRaw]", self._raw_copy())


class AsyncAmentumClient(_AmentumSetup, AsyncClient, AmentumResources[Async]):
    """Asynchronous twin of :class:`AmentumClient`."""

    @expand_settings
    def __init__(self, **settings: Unpack[AsyncAmentumSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AmentumResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AmentumResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
