"""Airflow clients: API v1, API v2 and the auth manager's token endpoints on one client
(see :mod:`._setup` for the services and the credential choices)."""

from __future__ import annotations

from typing import cast

from typing_extensions import Unpack

from commonrest._client import AsyncClient, SyncClient
from commonrest._lazy import publish
from commonrest._operations import Async, AsyncRaw, Sync, SyncRaw
from commonrest._settings import expand_settings

from ._generated.client_mixin import AirflowResources
from ._setup import SERVICES, AsyncAirflowSettings, SyncAirflowSettings, _AirflowSetup

__all__ = ["SERVICES", "AirflowClient", "AsyncAirflowClient"]


class AirflowClient(_AirflowSetup, SyncClient, AirflowResources[Sync]):
    """Blocking Airflow client; see :mod:`airflow_like` for the auth choices. The other
    settings are every client's (timeouts, retries, ``base_url``, ...)."""

    @expand_settings
    def __init__(self, **settings: Unpack[SyncAirflowSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AirflowResources[SyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirflowResources[SyncRaw]", self._raw_copy())


class AsyncAirflowClient(_AirflowSetup, AsyncClient, AirflowResources[Async]):
    """Asynchronous twin of :class:`AirflowClient`."""

    @expand_settings
    def __init__(self, **settings: Unpack[AsyncAirflowSettings]) -> None:
        self._open(settings)

    @property
    def with_raw_response(self) -> AirflowResources[AsyncRaw]:
        """The same operations, returning :class:`~commonrest.APIResponse`."""
        return cast("AirflowResources[AsyncRaw]", self._raw_copy())


publish(__name__, globals())
