"""Everything needed to declare an HTTP API of your own on the commonrest core.

The vendor packages are declared with these same pieces; a declaration serves the sync,
async and raw clients with full static types::

    from commonrest.declare import M, Call, Model, Resource, operation

    class Pet(Model):
        name: str

    class Pets(Resource[M]):
        resource_path = "pets"

        @operation("GET", "/pets/{pet_id}", operation_id="getPet", api="pets", version="2")
        def get(self, pet_id: str) -> Call[Pet]:
            return Call(Pet, path={"pet_id": pet_id})

``M`` is the mode a resource runs in (:class:`Sync`, :class:`Async`, :class:`SyncRaw` or
:class:`AsyncRaw`); the client picks it. Paging strategies (:class:`OffsetPaging`,
:class:`CookiePaging`, :class:`NextLinkPaging`) go in ``paged_operation(..., paging=...)``.
"""

from __future__ import annotations

from ._lazy import publish_names
from ._models import Model, OpenEnum, Secret, StrEnum
from ._operations import (
    Async,
    AsyncRaw,
    Call,
    CatalogEntry,
    M,
    Mode,
    OperationInfo,
    PagedCall,
    Resource,
    Sync,
    SyncRaw,
    build_catalog,
    dynamic_operation,
    dynamic_paged_operation,
    operation,
    paged_operation,
)
from ._pagination import CookiePaging, NextLinkPaging, OffsetPaging, Page, PagingStrategy
from ._response import Created
from ._services import Service
from ._streaming import StreamCall, stream_operation

__all__ = [
    "Async",
    "AsyncRaw",
    "Call",
    "CatalogEntry",
    "CookiePaging",
    "Created",
    "M",
    "Mode",
    "Model",
    "NextLinkPaging",
    "OffsetPaging",
    "OpenEnum",
    "OperationInfo",
    "Page",
    "PagedCall",
    "PagingStrategy",
    "Resource",
    "Secret",
    "Service",
    "StrEnum",
    "StreamCall",
    "Sync",
    "SyncRaw",
    "build_catalog",
    "dynamic_operation",
    "dynamic_paged_operation",
    "operation",
    "paged_operation",
    "stream_operation",
]

publish_names(__name__, globals(), __all__)
