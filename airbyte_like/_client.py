"""Airbyte clients for the Configuration API (see :mod:`._setup` for the service and
the credentials)."""

from __future__ import annotations

from typing import cast

from typing_extensions import Unpack

from commonrest._client import AsyncClient, SyncClient
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._settings import expand_settings

from ._generated.client_mixin import AirbyteResources
from ._setup import SERVICES, AsyncAirbyteSettings, SyncAirbyteSettings, _AirbyteSetup

__all__ = ["SERVICES", "AirbyteClient", "AsyncAirbyteClient"]


class AirbyteClient(_AirbyteSetup, SyncClient, AirbyteResources[Sync]):
    """Blocking client for the Airbyte Configuration API. The other settings are every
    client's (timeouts, retries, ``base_url``, ...)."""

    @expand_settings
    def __init__(self, **settings: Unpack[SyncAirbyteSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AirbyteResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirbyteResources[SyncRaw]", self._raw_copy())


class AsyncAirbyteClient(_AirbyteSetup, AsyncClient, AirbyteResources[Async]):
    """Asynchronous twin of :class:`AirbyteClient`."""

    @expand_settings
    def __init__(self, **settings: Unpack[AsyncAirbyteSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AirbyteResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirbyteResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
