"""Safe updates: read the object, apply the caller's changes, send it whole.

Airbyte's updates of sources, destinations, operations and builder projects replace the
whole object (a field left out is erased); those of connections and workspaces keep a
top-level field left out but replace a nested value whole. A safe update reads the object
first, builds the update body from what it read, applies the changes (keyword fields, and
then an optional function), and sends the whole body; when the read fails, nothing is sent.

The lost-update guard: just before writing, the object is read again and compared (as the
update body it would make) with the first read; a difference raises
:class:`~airbyte_like.ConcurrentUpdateError` and nothing is written. The API has no ETag
nor version to make the write conditional, so a change landing between that second read
and the write is still overwritten: the guard narrows the window to one round trip, it
cannot close it. Secrets come back masked from every read, so a change of a secret value
alone is not seen by the comparison.

Every family is one row of :data:`FAMILIES`: which operations read and update, which
fields identify the object, how the update body is made from the read body, and where the
keyword changes go.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from commonrest._errors import InvalidArgumentError
from commonrest._plans import Plan, Send

from ._errors import ConcurrentUpdateError

if TYPE_CHECKING:
    from commonrest._operations import Resource

__all__ = ["FAMILIES", "Change", "Family", "safe_update_plan"]

#: What a function given to ``safe_update`` receives and returns: the update body (wire
#: names, a copy to edit in place), and ``None`` (the edited copy is sent) or a new body.
Change = Callable[[dict[str, Any]], "Mapping[str, Any] | None"]


def _fields(model: str) -> list[tuple[str, str]]:
    """(Python name, wire name) of each field of ``model``."""
    from . import types

    cls = getattr(types, model)
    return [(name, info.alias or name) for name, info in cls.model_fields.items()]


def _carried(
    read: Mapping[str, Any], update_model: str, left_out: frozenset[str]
) -> dict[str, Any]:
    """The fields of the update model that the read has, except ``left_out``."""
    wire = {w for _, w in _fields(update_model)}
    return {k: v for k, v in read.items() if k in wire and k not in left_out}


@dataclass(frozen=True)
class Family:
    """One updatable resource family."""

    resource: str
    noun: str
    read: str
    update: str
    #: The fields of the read body (the first is what a plain string id stands for).
    key: tuple[str, ...]
    #: The model whose fields the keyword changes name.
    changes_model: str
    #: read body (wire names), read request -> update body.
    build: Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]
    #: Where in the update body the keyword changes go (``()``: at its top).
    changes_at: tuple[str, ...] = ()

    def read_body(self, key: str | Mapping[str, Any]) -> dict[str, Any]:
        if isinstance(key, str) and len(self.key) == 1:
            if not key:
                raise InvalidArgumentError(
                    f"{self.resource}.safe_update: the {self.noun} id must not be empty",
                    parameter=self.key[0],
                )
            return {self.key[0]: key}
        if isinstance(key, Mapping):
            missing = [k for k in self.key if not key.get(k)]
            if not missing:
                return {k: key[k] for k in self.key}
        wanted = ", ".join(f"{k!r}: ..." for k in self.key)
        raise InvalidArgumentError(
            f"{self.resource}.safe_update: expected the {self.noun}'s "
            + (f"id (a string) or {{{wanted}}}" if len(self.key) == 1 else f"{{{wanted}}}")
            + f", got {type(key).__name__}",
            parameter="key",
        )

    def changes(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword changes under their wire names (Python or wire names accepted)."""
        pairs = _fields(self.changes_model)
        known = {n: w for p, w in pairs for n in (p, w)}
        out: dict[str, Any] = {}
        for name, value in fields.items():
            wire = known.get(name)
            if wire is None or wire in self.key:
                allowed = ", ".join(sorted(p for p, w in pairs if w not in self.key))
                what = "identifies the object and cannot change" if wire else "is not a field"
                raise InvalidArgumentError(
                    f"{self.resource}.safe_update: {name!r} {what} of {self.changes_model} "
                    f"(fields: {allowed})",
                    parameter=name,
                )
            out[wire] = value
        return out


def _plain(update_model: str, *, left_out: frozenset[str] = frozenset()) -> Callable[..., Any]:
    def build(read: Mapping[str, Any], key: Mapping[str, Any]) -> dict[str, Any]:
        return _carried(read, update_model, left_out)

    return build


def _builder_project(read: Mapping[str, Any], key: Mapping[str, Any]) -> dict[str, Any]:
    details = read.get("builderProject") or {}
    manifest = read.get("declarativeManifest") or {}
    project: dict[str, Any] = {"name": details.get("name")}
    # Only a draft is carried: the published manifest sent back would become a new draft.
    if manifest.get("isDraft") and manifest.get("manifest") is not None:
        project["draftManifest"] = manifest["manifest"]
    return {
        "workspaceId": key["workspaceId"],
        "builderProjectId": details.get("builderProjectId") or key["builderProjectId"],
        "builderProject": project,
    }


#: resource name -> how it is updated safely.
FAMILIES: Mapping[str, Family] = {
    f.resource: f
    for f in (
        Family("sources", "source", "get", "update", ("sourceId",), "SourceUpdate",
               _plain("SourceUpdate")),
        Family("destinations", "destination", "get", "update", ("destinationId",),
               "DestinationUpdate", _plain("DestinationUpdate")),
        Family("connections", "connection", "get", "update", ("connectionId",),
               "ConnectionUpdate", _plain("ConnectionUpdate")),
        # Webhook configurations read back without their auth tokens: not carried (the
        # update keeps what it is not sent).
        Family("workspaces", "workspace", "get", "update", ("workspaceId",), "WorkspaceUpdate",
               _plain("WorkspaceUpdate", left_out=frozenset({"webhookConfigs"}))),
        Family("operations", "operation", "get", "update", ("operationId",), "OperationUpdate",
               _plain("OperationUpdate")),
        Family("connector_builder_projects", "builder project", "get_with_manifest", "update",
               ("builderProjectId", "workspaceId"), "ConnectorBuilderProjectDetails",
               _builder_project, changes_at=("builderProject",)),
    )
}  # fmt: skip


def _changed(before: Mapping[str, Any], now: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in {*before, *now} if before.get(k) != now.get(k)))


def safe_update_plan(
    resource: Resource[Any],
    key: str | Mapping[str, Any],
    change: Change | None,
    guard: bool,
    fields: Mapping[str, Any],
) -> Plan[Any]:
    """The steps of ``<resource>.safe_update``; every argument is checked before the
    first read is sent."""
    family = FAMILIES[type(resource).resource_path]
    request = family.read_body(key)
    changes = family.changes(fields)
    if change is not None and not callable(change):
        raise InvalidArgumentError(
            f"{family.resource}.safe_update: change must be a function of the update body, "
            f"got {type(change).__name__}",
            parameter="change",
        )
    if not isinstance(guard, bool):
        raise InvalidArgumentError(
            f"{family.resource}.safe_update: guard must be True or False, got {guard!r}",
            parameter="guard",
        )
    read = getattr(resource, family.read)
    first = yield Send(read, request)
    original = family.build(first.to_dict(), request)
    body = copy.deepcopy(original)
    target = body
    for part in family.changes_at:
        target = target.setdefault(part, {})
    target.update(changes)
    if change is not None:
        returned = change(body)
        if returned is not None:
            if not isinstance(returned, Mapping):
                raise InvalidArgumentError(
                    f"{family.resource}.safe_update: change returned "
                    f"{type(returned).__name__}; return None (the edited body is sent) or a "
                    "mapping",
                    parameter="change",
                )
            body = dict(returned)
    if guard:
        again = yield Send(read, request)
        changed = _changed(original, family.build(again.to_dict(), request))
        if changed:
            op = getattr(type(resource), family.update).info
            base = resource._client._config.base_urls[op.api]  # type: ignore[attr-defined]
            error = ConcurrentUpdateError(
                f"the {family.noun} changed since it was read (fields: {', '.join(changed)}); "
                "nothing was written: read it again and reapply your change",
                method=op.method,
                url=base + op.path,
                changed=changed,
            )
            error._name_operation(f"{family.resource}.safe_update", op.operation_id)
            raise error
    result = yield Send(getattr(resource, family.update), body)
    return result
