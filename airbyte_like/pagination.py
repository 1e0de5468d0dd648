"""Paging of Airbyte's Configuration API list operations.

Listing endpoints that page take ``{"pagination": {"pageSize": n, "rowOffset": k}}`` inside
the JSON body and answer with a list but no total. :class:`PaginationBodyPaging` is the
core's :class:`~commonrest.pagination.OffsetPaging` (``location="json"``) with the two
values moved into that nested object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from commonrest.pagination import OffsetPaging

if TYPE_CHECKING:
    from commonrest.operations import Call, PagedCall

__all__ = ["PaginationBodyPaging"]


def _body(call: Call[Any]) -> dict[str, Any]:
    body = call.json
    if body is not None and hasattr(body, "model_dump"):
        body = body.model_dump(by_alias=True, exclude_unset=True)
    return dict(cast("Mapping[str, Any]", body or {}))


class PaginationBodyPaging(OffsetPaging):
    """``pageSize``/``rowOffset`` paging inside the body's ``pagination`` object."""

    def __init__(self, *, container: str = "pagination", page_size: int = 100) -> None:
        super().__init__(limit="pageSize", offset="rowOffset", location="json", page_size=page_size)
        self.container = container

    def _flat(self, call: Call[Any]) -> PagedCall[Any, Any]:
        """The call with the container's values lifted to the top of the body."""
        body = _body(call)
        inner = body.pop(self.container, None)
        if isinstance(inner, Mapping):
            body.update(inner)
        return cast("PagedCall[Any, Any]", call.replace(json=body))

    def _nest(self, call: Call[Any] | None) -> Call[Any] | None:
        """The call with the paging values moved back into the container."""
        if call is None:
            return None
        body = _body(call)
        inner = {k: body.pop(k) for k in (self.limit, self.offset) if k in body}
        body[self.container] = inner
        return call.replace(json=body)

    def start(self, call: PagedCall[Any, Any], position: Any) -> tuple[Call[Any], Any]:
        first, cursor = super().start(self._flat(call), position)
        nested = self._nest(first)
        assert nested is not None
        return nested, cursor

    def advance(
        self, call: PagedCall[Any, Any], cursor: Any, page: Any, items: Sequence[Any]
    ) -> tuple[Call[Any] | None, Any]:
        nxt, cursor = super().advance(self._flat(call), cursor, page, items)
        return self._nest(nxt), cursor
