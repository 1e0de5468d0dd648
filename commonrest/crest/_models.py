"""Result types of the Common REST client: query pages, create results, error bodies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, Literal, TypeVar

import pydantic
from pydantic import AliasChoices, Field

from .._models import Model, StrEnum
from .._sentinels import Sentinel

__all__ = [
    "ANY_REVISION",
    "UNCONDITIONAL",
    "CreateResult",
    "CrestErrorBody",
    "CrestModel",
    "QueryResult",
    "TotalPagedResultsPolicy",
    "Unconditional",
    "id_of",
    "revision_of",
]

T = TypeVar("T")

#: Pass as ``revision`` to say "whatever the current revision is" (``If-Match: *``).
#: It is also what a write sends when neither ``revision`` nor the body's ``_rev`` says
#: otherwise, so an update, patch or delete never reaches a resource that is not there.
ANY_REVISION: Literal["*"] = "*"


class Unconditional(Sentinel, name="UNCONDITIONAL"):
    """Type of :data:`UNCONDITIONAL`; there is one instance."""

    __slots__ = ()


#: Pass as ``revision`` to send a write with no ``If-Match`` header at all. Rarely what
#: you want: a ``PUT`` without a condition may *create* the resource when it is missing.
#: (``revision=None`` does not do this: it means "not given", like leaving it out, so a
#: model's ``rev`` that happens to be ``None`` still gives ``If-Match: *``.)
UNCONDITIONAL: Final = Unconditional()


class TotalPagedResultsPolicy(StrEnum):
    """How the server counts ``totalPagedResults``: not at all, exactly, or roughly."""

    NONE = "NONE"
    EXACT = "EXACT"
    ESTIMATE = "ESTIMATE"


class CrestModel(Model):
    """Convenient base for resource models: ``_id`` and ``_rev`` as ``id`` and ``rev``.

    Pydantic treats names starting with ``_`` as private, so the wire names are aliases.
    Any model works with the client; this one just saves declaring the two fields.
    """

    id: str | None = Field(default=None, alias="_id")
    rev: str | None = Field(default=None, alias="_rev")


class QueryResult(Model, Generic[T]):
    """One page of query results with the paging facts the server reported.

    ``total_paged_results`` and ``remaining_paged_results`` are ``-1`` (or absent) when
    the server did not count (``_totalPagedResultsPolicy=NONE``); ``paged_results_cookie``
    is ``None`` on the last page.
    """

    result: list[T] = Field(
        default_factory=list,
        validation_alias=AliasChoices("result", "results"),
        serialization_alias="result",
    )
    result_count: int | None = Field(default=None, alias="resultCount")
    paged_results_cookie: str | None = Field(default=None, alias="pagedResultsCookie")
    total_paged_results_policy: str | None = Field(default=None, alias="totalPagedResultsPolicy")
    total_paged_results: int | None = Field(default=None, alias="totalPagedResults")
    remaining_paged_results: int | None = Field(default=None, alias="remainingPagedResults")

    @property
    def total(self) -> int | None:
        """``total_paged_results`` when the server counted, else ``None``."""
        value = self.total_paged_results
        return value if value is not None and value >= 0 else None

    @property
    def remaining(self) -> int | None:
        """``remaining_paged_results`` when the server counted, else ``None``."""
        value = self.remaining_paged_results
        return value if value is not None and value >= 0 else None


class CrestErrorBody(Model):
    """The JSON body of a Common REST error: status ``code``, ``reason``, ``message``,
    and an optional ``detail`` object."""

    code: int | None = None
    reason: str | None = None
    message: str | None = None
    detail: Any = None


@dataclass(frozen=True)
class CreateResult(Generic[T]):
    """What a create returned: the resource, its ``_id``/``_rev`` and ``Location``."""

    resource: T
    id: str | None
    revision: str | None
    location: str | None
    status_code: int


def _field(resource: Any, wire_name: str) -> Any:
    if isinstance(resource, Mapping):
        return resource.get(wire_name)
    if isinstance(resource, pydantic.BaseModel):
        for name, info in type(resource).model_fields.items():
            if info.alias == wire_name or name == wire_name:
                return getattr(resource, name)
        extra = resource.model_extra or {}
        return extra.get(wire_name)
    return getattr(resource, wire_name, None)


def revision_of(resource: Any) -> str | None:
    """The ``_rev`` of a resource (a mapping or a model), or ``None``."""
    value = _field(resource, "_rev")
    return None if value is None else str(value)


def id_of(resource: Any) -> str | None:
    """The ``_id`` of a resource (a mapping or a model), or ``None``."""
    value = _field(resource, "_id")
    return None if value is None else str(value)
