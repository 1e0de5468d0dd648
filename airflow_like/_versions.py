"""Which Airflow API a client speaks, and how a version-neutral call becomes a call of that
version.

- The version comes from ``api_version`` (or ``AIRFLOW_API_VERSION``), from a base URL
  ending in ``/api/v1`` or ``/api/v2``, or else from the server: the first neutral call
  asks ``GET /api/v2/monitor/health`` and, on a 404, ``GET /api/v1/health`` (both answer
  without credentials), once per client and its copies.
- A neutral operation (``client.dags.list``) is a :class:`VersionedCall`: for each version
  the generated operation it stands for (:class:`Target`, by name, so only the version in
  use is imported) and its arguments. The client resolves it just before sending: the
  generated declaration (path, parameters and their checks) with the neutral result model
  and the neutral name (errors say ``dags.list``).
- An operation only one version has raises :class:`AirflowVersionError` naming the version
  it needs, before anything is sent.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import httpx

from commonrest._calls import Call, OperationInfo, PagedCall
from commonrest._errors import (
    AuthenticationError,
    CommonRestError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
)
from commonrest._lazy import publish
from commonrest._pagination import OffsetPaging
from commonrest._plans import Plan, Send

__all__ = [
    "AirflowVersionError",
    "Target",
    "VersionState",
    "VersionedCall",
    "VersionedPagedCall",
    "configured_version",
    "detection_plan",
    "neutral",
    "neutral_paged",
    "probes",
    "split_base_url",
]

R = TypeVar("R")
ItemT = TypeVar("ItemT")

#: Which Airflow major release speaks each API version (for messages).
AIRFLOW_RELEASE = {1: "Airflow 2", 2: "Airflow 3"}


class AirflowVersionError(CommonRestError):
    """An operation the server's API version does not have (``needed`` is the version it
    needs, ``actual`` the server's), or a server that speaks neither version."""

    def __init__(self, message: str, *, needed: int | None = None, actual: int | None = None):
        super().__init__(message)
        self.needed = needed
        self.actual = actual


def split_base_url(url: str | None) -> tuple[str | None, Literal[1, 2] | None]:
    """A base URL as the Airflow docs write it (``http://host:8080/api/v1``) -> the root
    the client appends its paths to, and the version the URL names (or ``None``)."""
    if url is None:
        return None, None
    stripped = url.rstrip("/")
    for version in (1, 2):
        suffix = f"/api/v{version}"
        if stripped.endswith(suffix):
            return stripped[: -len(suffix)] or "/", version
    return url, None


def configured_version(given: object, url_version: Literal[1, 2] | None) -> Literal[1, 2] | None:
    """The version a client is told, or ``None`` to ask the server. Refuses a value other
    than 1 or 2, and a base URL naming the other version."""
    source = "api_version"
    if given is None:
        env = os.environ.get("AIRFLOW_API_VERSION") or None
        if env is not None:
            source = "AIRFLOW_API_VERSION"
            given = {"1": 1, "2": 2, "v1": 1, "v2": 2}.get(env.strip().lower(), env)
    if given is not None and (isinstance(given, bool) or given not in (1, 2)):
        raise ConfigurationError(
            f"{source} must be 1 or 2 (or unset to ask the server), got {given!r}"
        )
    if given is not None and url_version is not None and given != url_version:
        raise ConfigurationError(
            f"base_url ends in /api/v{url_version} but {source} is {given}: give one version "
            "(or leave api_version unset)"
        )
    if given == 1 or given == 2:
        return 1 if given == 1 else 2
    return url_version


class VersionState:
    """The API version of a client and its copies (shared: detected once for all)."""

    __slots__ = ("configured", "version")

    def __init__(self, version: Literal[1, 2] | None) -> None:
        self.configured = version is not None
        self.version: Literal[1, 2] | None = version


def probes() -> list[tuple[Literal[1, 2], OperationInfo, Call[Any]]]:
    """The requests that tell the versions apart, in order: the health endpoint of each API,
    sent without credentials."""
    from ._generated.v1.monitoring import Monitoring
    from ._generated.v2.monitor import Monitor

    out: list[tuple[Literal[1, 2], OperationInfo, Call[Any]]] = []
    for version, op in ((2, Monitor.get_health), (1, Monitoring.get_health)):
        info = dataclasses.replace(
            op.info, credential="anonymous", python_name="detect the API version"
        )
        out.append((version, info, Call(dict[str, Any])))  # type: ignore[arg-type]
    return out


def detection_plan(
    state: VersionState, send: Callable[[OperationInfo, Call[Any]], Any], base_url: str
) -> Plan[Literal[1, 2]]:
    """The steps of ``detect_version``: the known version, or the :func:`probes` sent with
    ``send`` (the client's own send, under the version resolution) until one is there."""
    if state.version is not None:
        return state.version
    for version, info, call in probes():
        try:
            yield Send(send, info, call)
        except NotFoundError:
            continue
        except (AuthenticationError, PermissionDeniedError):
            pass  # the API is there and wants credentials
        # Anything else (a 5xx after the retries, a proxy's 429, no connection) proves
        # nothing: it propagates and the version stays unknown, to be asked again.
        state.version = version
        return version
    raise AirflowVersionError(
        f"no Airflow API at {base_url}: GET /api/v2/monitor/health and /api/v1/health both "
        "answered 404 (check base_url, or pass api_version=1 or 2)"
    )


_classes: dict[str, Any] = {}


@dataclass(frozen=True)
class Target:
    """One version's operation for a neutral call: the generated operation
    (``"v1.dags.Dags.list"``), its keyword arguments, and, when the neutral result model
    does not fit that version's answer, the type to parse and a ``finish`` to convert it."""

    operation: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    response: Any = None
    finish: Callable[[Any, httpx.Response], Any] | None = None

    def descriptor(self) -> Any:
        module, cls, name = self.operation.rsplit(".", 2)
        found = _classes.get(self.operation)
        if found is None:
            owner = getattr(importlib.import_module(f"airflow_like._generated.{module}"), cls)
            found = _classes[self.operation] = owner.__dict__[name]
        return found


class VersionedCall(Call[R]):
    """A neutral call: what to send on each API version (``None``: not on that one)."""

    __slots__ = ("label", "overrides", "targets")

    def __init__(
        self,
        label: str,
        response: Any,
        targets: Mapping[int, Target | None],
        *,
        query: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(response, query=query)
        self.label = label
        self.targets = targets
        self.overrides = overrides

    def resolve(self, version: int, owner: object) -> tuple[OperationInfo, Call[Any]]:
        """The generated declaration and call for ``version``; its arguments checked."""
        target = self.targets.get(version)
        if target is None:
            needed = next(v for v, t in self.targets.items() if t is not None)
            raise AirflowVersionError(
                f"{self.label} needs Airflow API v{needed} ({AIRFLOW_RELEASE[needed]}); this "
                f"server speaks API v{version} ({AIRFLOW_RELEASE[version]}); nothing was sent",
                needed=needed,
                actual=version,
            )
        descriptor = target.descriptor()
        declared: OperationInfo = descriptor.info
        info = dataclasses.replace(declared, python_name=self.label)
        try:
            call: Call[Any] = descriptor.fn(None, **target.arguments)
            if self.overrides:
                call = call.replace(query={**dict(call.query or {}), **self.overrides})
            elif isinstance(call, PagedCall):
                call = call.replace()
            call.response = target.response if target.response is not None else self.response
            call.finish = target.finish
            if descriptor.checks is not None:
                descriptor.checks.check(call, info, owner)
        except CommonRestError as error:
            error._name_operation(self.label, declared.operation_id)
            raise
        return info, call


#: Every neutral list pages the same way on both versions: ``limit``/``offset`` with a
#: ``total_entries`` the pager checks its count against.
_PAGING = OffsetPaging(limit="limit", offset="offset", total=lambda page: page.total_entries)


class VersionedPagedCall(PagedCall[R, ItemT]):
    """A neutral list: each page becomes a :class:`VersionedCall` with its offset."""

    __slots__ = ("label", "targets")

    def __init__(
        self,
        label: str,
        response: Any,
        items: Callable[[Any], Sequence[ItemT] | None],
        targets: Mapping[int, Target | None],
        *,
        limit: Any,
        offset: Any,
    ) -> None:
        super().__init__(
            response, items=items, paging=_PAGING, query={"limit": limit, "offset": offset}
        )
        self.label = label
        self.targets = targets

    def replace(self, *, query: Mapping[str, Any] | None = None, json: Any = None) -> Call[R]:
        return VersionedCall(self.label, self.response, self.targets, overrides=query)


#: The declaration a neutral operation shows before it is resolved (what ``help()`` and a
#: pager hold); the call that is sent is the generated one of the server's version.
def _placeholder(label: str, method: str) -> OperationInfo:
    return OperationInfo(
        method=method, path="/", operation_id=label, api="v2", version="", python_name=label
    )


def neutral(
    label: str,
    response: Any,
    *,
    v1: Target | None,
    v2: Target | None,
    method: str = "GET",
) -> tuple[OperationInfo, Call[Any]]:
    """A neutral operation's ``(info, call)``, as a dynamic operation's body returns it."""
    return _placeholder(label, method), VersionedCall(label, response, {1: v1, 2: v2})


def neutral_paged(
    label: str,
    response: Any,
    items: Callable[[Any], Sequence[Any] | None],
    *,
    limit: Any,
    offset: Any,
    v1: Target | None,
    v2: Target | None,
) -> tuple[OperationInfo, PagedCall[Any, Any]]:
    """A neutral list's ``(info, call)``, as a dynamic paged operation's body returns it."""
    call: VersionedPagedCall[Any, Any] = VersionedPagedCall(
        label, response, items, {1: v1, 2: v2}, limit=limit, offset=offset
    )
    return _placeholder(label, "GET"), call


publish(__name__, globals())
