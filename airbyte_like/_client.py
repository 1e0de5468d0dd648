"""Airbyte clients for the Configuration API (see :mod:`._setup` for the service and
the credentials)."""

from __future__ import annotations

from typing import Any, cast

from typing_extensions import Unpack

from commonrest._calls import Call, OperationInfo
from commonrest._client import AsyncClient, SyncClient
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._settings import expand_settings

from ._generated.client_mixin import AirbyteResources
from ._resources import AirbyteHelpers
from ._setup import SERVICES, AsyncAirbyteSettings, SyncAirbyteSettings, _AirbyteSetup, marked

__all__ = ["SERVICES", "AirbyteClient", "AsyncAirbyteClient"]


class AirbyteClient(_AirbyteSetup, SyncClient, AirbyteHelpers[Sync]):
    """Blocking client for the Airbyte Configuration API. The other settings are every
    client's (timeouts, retries, ``base_url``, ...)."""

    @expand_settings
    def __init__(self, **settings: Unpack[SyncAirbyteSettings]) -> None:
        self._open(settings)

    def _execute(self, info: OperationInfo, call: Call[Any]) -> Any:
        return super()._execute(info, marked(info, call))

    @property
    def with_raw_response(self) -> AirbyteResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirbyteResources[SyncRaw]", self._raw_copy())


class AsyncAirbyteClient(_AirbyteSetup, AsyncClient, AirbyteHelpers[Async]):
    """Asynchronous twin of :class:`AirbyteClient`."""

    @expand_settings
    def __init__(self, **settings: Unpack[AsyncAirbyteSettings]) -> None:
        self._open(settings)

    async def _execute(self, info: OperationInfo, call: Call[Any]) -> Any:
        return await super()._execute(info, marked(info, call))

    @property
    def with_raw_response(self) -> AirbyteResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirbyteResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
