"""A small example API with a body of every kind: JSON, text, binary and NDJSON streams."""

from __future__ import annotations

from typing import Any, ClassVar

from commonrest import AsyncClient, Model, Service, StreamCall, SyncClient, stream_operation
from commonrest.declare import Async, AsyncRaw, Call, M, Resource, Sync, SyncRaw, operation

SERVICES = {"feeds": Service(name="Feeds", urls={"test": "http://feeds.test"})}


class Event(Model):
    seq: int
    state: str | None = None


class Feeds(Resource[M]):
    resource_path = "feeds"

    @operation("GET", "/status", operation_id="getStatus", api="feeds")
    def status(self) -> Call[dict[str, Any]]:
        return Call(dict[str, Any])

    @operation("GET", "/readme", operation_id="getReadme", api="feeds", accept="text/plain")
    def readme(self) -> Call[str]:
        return Call(str)

    @operation(
        "GET", "/logo", operation_id="getLogo", api="feeds", accept="application/octet-stream"
    )
    def logo(self) -> Call[bytes]:
        return Call(bytes)

    @stream_operation("GET", "/events", operation_id="streamEvents", api="feeds")
    def events(self) -> StreamCall[Event]:
        return StreamCall(Event)

    @stream_operation("POST", "/events/raw", operation_id="streamRaw", api="feeds")
    def raw_events(self, *, topic: str) -> StreamCall[dict[str, Any]]:
        return StreamCall(dict[str, Any], json={"topic": topic})


class FeedClient(SyncClient):
    services: ClassVar[dict[str, Service]] = SERVICES

    @property
    def feeds(self) -> Feeds[Sync]:
        return Feeds(self)

    @property
    def raw_feeds(self) -> Feeds[SyncRaw]:
        return Feeds(self._raw_copy())


class AsyncFeedClient(AsyncClient):
    services: ClassVar[dict[str, Service]] = SERVICES

    @property
    def feeds(self) -> Feeds[Async]:
        return Feeds(self)

    @property
    def raw_feeds(self) -> Feeds[AsyncRaw]:
        return Feeds(self._raw_copy())
