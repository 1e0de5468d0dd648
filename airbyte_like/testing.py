"""A stateful, in-memory Airbyte for tests and offline demos: no network, no sockets.

It plugs into httpx as an :class:`httpx.MockTransport`, so the real clients (sync or async)
run their whole pipeline against it::

    from airbyte_like.testing import AirbyteFake

    fake = AirbyteFake()
    client = fake.client()  # an AirbyteClient wired to the fake, basic auth airbyte/password
    workspace = client.workspaces.create({"name": "demo"})

What it holds and does, the way the Configuration API does:

- workspaces, source and destination definitions (two of each seeded: a Postgres-like
  source and a warehouse-like destination, each with a specification marking its secret
  properties ``airbyte_secret``), sources, destinations, connections, operations, jobs;
- reads of sources and destinations show secret properties as ``**********``; an update
  that sends ``**********`` back keeps the stored secret. Source, destination and
  operation updates replace the object (a configuration property left out is erased);
  connection and workspace updates keep the top-level fields left out;
- ``connections.sync`` / ``connections.reset`` start a job (``pending``); every read of it
  (``jobs.get``, ``jobs.get_without_logs``, ``jobs.get_light``) moves it on: ``running``
  with one attempt whose record and byte counts grow, and after ``polls_to_finish`` reads
  ``succeeded``, or ``failed`` with a failure summary when :meth:`AirbyteFake.fail_syncs`
  asked for it. ``jobs.cancel`` cancels;
- ``sources.list_paginated``, ``destinations.list_paginated`` and ``jobs.list`` page by
  ``pagination.pageSize`` / ``rowOffset``; ``jobs.list`` filters by connection, config
  types and statuses and orders by creation time;
- errors are Airbyte bodies (``message``, ``exceptionClassName``, ``exceptionStack``;
  ``validationErrors`` naming the property for a configuration that misses a required
  one, 404 for an unknown id); any status can be injected with :meth:`AirbyteFake.fail_next`.

It checks no credentials. ``requests`` keeps every request received, so a test can look
at what went over the wire.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ._client import AirbyteClient, AsyncAirbyteClient

__all__ = ["AirbyteFake", "FakeError"]

Obj = dict[str, Any]
MASK = "**********"

_POSTGRES_SPEC: Obj = {
    "type": "object",
    "required": ["host", "port", "database", "username", "password"],
    "properties": {
        "host": {"type": "string"},
        "port": {"type": "integer"},
        "database": {"type": "string"},
        "username": {"type": "string"},
        "password": {"type": "string", "airbyte_secret": True},
        "tunnel_method": {
            "type": "object",
            "oneOf": [
                {
                    "properties": {
                        "tunnel_host": {"type": "string"},
                        "tunnel_user_password": {"type": "string", "airbyte_secret": True},
                    }
                }
            ],
        },
    },
}
_WAREHOUSE_SPEC: Obj = {
    "type": "object",
    "required": ["project_id", "dataset_id", "credentials"],
    "properties": {
        "project_id": {"type": "string"},
        "dataset_id": {"type": "string"},
        "credentials": {"type": "string", "airbyte_secret": True},
        "loading_method": {"type": "string"},
    },
}


class FakeError(Exception):
    """Raised inside the fake to answer with an Airbyte error body."""

    def __init__(self, status: int, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields


def _exception_name(status: int) -> str:
    return {
        404: "io.airbyte.commons.server.errors.IdNotFoundKnownException",
        409: "io.airbyte.commons.server.errors.ValueConflictKnownException",
        422: "io.airbyte.commons.server.errors.BadObjectSchemaKnownException",
    }.get(status, "io.airbyte.commons.server.errors.KnownException")


def _error_response(status: int, message: str, **fields: Any) -> httpx.Response:
    name = _exception_name(status)
    body: Obj = {
        "message": message,
        "exceptionClassName": name,
        "exceptionStack": [f"{name}: {message}", "\tat io.airbyte.server.Fake.handle(Fake.java:1)"],
        **fields,
    }
    return httpx.Response(status, json=body)


@dataclass
class _Failure:
    status: int
    path: str | None
    message: str | None
    times: int


@dataclass
class _Job:
    id: int
    config_type: str
    connection_id: str
    created_at: int
    status: str = "pending"
    polls: int = 0
    fail_reason: str | None = None
    records: int = 0
    attempt_status: str | None = None
    updated_at: int = 0
    ended_at: int | None = None


def _secret_names(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, list):
        for item in schema:
            found |= _secret_names(item)
    elif isinstance(schema, Mapping):
        for name, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, Mapping) and sub.get("airbyte_secret") is True:
                found.add(name)
            found |= _secret_names(sub)
        for key in ("oneOf", "anyOf", "allOf", "items"):
            if key in schema:
                found |= _secret_names(schema[key])
    return found


def _masked(value: Any, secrets: set[str]) -> Any:
    if isinstance(value, Mapping):
        return {k: MASK if k in secrets else _masked(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, secrets) for v in value]
    return value


def _merge_secrets(new: Any, old: Any) -> Any:
    """``new`` with every ``**********`` replaced by the stored value (as Airbyte does)."""
    if new == MASK:
        return old
    if isinstance(new, Mapping):
        previous = old if isinstance(old, Mapping) else {}
        return {k: _merge_secrets(v, previous.get(k)) for k, v in new.items()}
    return new


class AirbyteFake:
    """The in-memory Airbyte. ``base_url`` is where clients point (nothing is sent over a
    network); the API lives below it at ``/v1``."""

    def __init__(
        self,
        base_url: str = "http://airbyte.test/api",
        *,
        polls_to_finish: int = 3,
        records_per_poll: int = 1000,
        bytes_per_record: int = 120,
    ) -> None:
        if isinstance(polls_to_finish, bool) or not isinstance(polls_to_finish, int):
            raise ValueError(f"polls_to_finish must be an integer, got {polls_to_finish!r}")
        if polls_to_finish < 2:
            raise ValueError(f"polls_to_finish must be 2 or more, got {polls_to_finish}")
        self.base_url = base_url.rstrip("/")
        self._root = httpx.URL(self.base_url).path.rstrip("/")
        self.polls_to_finish = polls_to_finish
        self.records_per_poll = records_per_poll
        self.bytes_per_record = bytes_per_record
        self.workspaces: dict[str, Obj] = {}
        self.source_definitions: dict[str, Obj] = {}
        self.destination_definitions: dict[str, Obj] = {}
        self.sources: dict[str, Obj] = {}
        self.destinations: dict[str, Obj] = {}
        self.connections: dict[str, Obj] = {}
        self.operations: dict[str, Obj] = {}
        self.jobs: dict[int, _Job] = {}
        self.requests: list[httpx.Request] = []
        self._failures: list[_Failure] = []
        self._sync_failures: list[str] = []
        self._job_ids = itertools.count(1)
        self._clock = itertools.count(1_700_000_000)
        self._lock = threading.RLock()
        self.postgres_definition_id = self.add_source_definition("Postgres", _POSTGRES_SPEC)
        self.warehouse_definition_id = self.add_destination_definition("Warehouse", _WAREHOUSE_SPEC)
        self._routes: dict[str, Callable[[Obj], Any]] = {
            "/v1/workspaces/create": self._workspace_create,
            "/v1/workspaces/get": lambda b: self._get(self.workspaces, b, "workspaceId"),
            "/v1/workspaces/list": lambda b: {"workspaces": list(self.workspaces.values())},
            "/v1/workspaces/update": self._workspace_update,
            "/v1/source_definitions/list": lambda b: {
                "sourceDefinitions": list(self.source_definitions.values())
            },
            "/v1/source_definitions/get": lambda b: self._get(
                self.source_definitions, b, "sourceDefinitionId"
            ),
            "/v1/destination_definitions/list": lambda b: {
                "destinationDefinitions": list(self.destination_definitions.values())
            },
            "/v1/destination_definitions/get": lambda b: self._get(
                self.destination_definitions, b, "destinationDefinitionId"
            ),
            "/v1/source_definition_specifications/get": lambda b: self._spec("source", b),
            "/v1/destination_definition_specifications/get": lambda b: self._spec("destination", b),
            "/v1/connections/create": self._connection_create,
            "/v1/connections/get": lambda b: self._get(self.connections, b, "connectionId"),
            "/v1/connections/update": self._connection_update,
            "/v1/connections/list": lambda b: {
                "connections": [c for c in self.connections.values() if self._in_workspace(c, b)]
            },
            "/v1/connections/delete": lambda b: self._delete(self.connections, b, "connectionId"),
            "/v1/connections/sync": lambda b: self._start(b, "sync"),
            "/v1/connections/reset": lambda b: self._start(b, "reset_connection"),
            "/v1/operations/create": self._operation_create,
            "/v1/operations/get": lambda b: self._get(self.operations, b, "operationId"),
            "/v1/operations/update": self._operation_update,
            "/v1/jobs/get": lambda b: self._job_info(b, poll=True),
            "/v1/jobs/get_without_logs": lambda b: self._job_info(b, poll=True),
            "/v1/jobs/get_light": lambda b: self._job_info(b, poll=True, light=True),
            "/v1/jobs/cancel": self._job_cancel,
            "/v1/jobs/list": self._job_list,
        }
        for kind in ("source", "destination"):
            self._routes.update(
                {
                    f"/v1/{kind}s/create": functools.partial(self._actor_create, kind),
                    f"/v1/{kind}s/get": functools.partial(self._actor_read, kind),
                    f"/v1/{kind}s/update": functools.partial(self._actor_update, kind),
                    f"/v1/{kind}s/list": functools.partial(self._actor_list, kind),
                    f"/v1/{kind}s/list_paginated": functools.partial(
                        self._actor_list, kind, paged=True
                    ),
                    f"/v1/{kind}s/delete": functools.partial(self._actor_delete, kind),
                }
            )

    # ------------------------------------------------------------------ set-up

    def add_source_definition(self, name: str, specification: Mapping[str, Any]) -> str:
        """Add a source connector whose configuration ``specification`` describes; its id."""
        did = str(uuid.uuid4())
        self.source_definitions[did] = {
            "sourceDefinitionId": did,
            "name": name,
            "dockerRepository": f"airbyte/source-{name.lower()}",
            "dockerImageTag": "1.0.0",
            "_spec": copy.deepcopy(dict(specification)),
        }
        return did

    def add_destination_definition(self, name: str, specification: Mapping[str, Any]) -> str:
        """Add a destination connector; its id."""
        did = str(uuid.uuid4())
        self.destination_definitions[did] = {
            "destinationDefinitionId": did,
            "name": name,
            "dockerRepository": f"airbyte/destination-{name.lower()}",
            "dockerImageTag": "1.0.0",
            "_spec": copy.deepcopy(dict(specification)),
        }
        return did

    def fail_next(
        self, status: int, *, path: str | None = None, message: str | None = None, times: int = 1
    ) -> None:
        """Answer the next ``times`` requests (to ``path``, such as ``"/v1/sources/get"``,
        when given) with an Airbyte error of ``status``."""
        if not 400 <= status <= 599:
            raise ValueError(f"status must be a 4xx or 5xx code, got {status!r}")
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times!r}")
        self._failures.append(_Failure(status, path, message, times))

    def fail_syncs(
        self, reason: str = "Connection refused by the source", *, times: int = 1
    ) -> None:
        """Make the next ``times`` jobs started end ``failed`` with ``reason``."""
        self._sync_failures.extend([reason] * times)

    # ------------------------------------------------------------------ httpx glue

    @property
    def transport(self) -> httpx.MockTransport:
        """A transport for ``httpx.Client`` and ``httpx.AsyncClient`` alike."""
        return httpx.MockTransport(self.handle)

    def client(self, **kwargs: Any) -> AirbyteClient:
        """An :class:`~airbyte_like.AirbyteClient` wired to this fake (basic auth with the
        stock ``airbyte``/``password`` unless other credentials are given)."""
        from ._client import AirbyteClient

        return AirbyteClient(**self._client_settings(kwargs))

    def async_client(self, **kwargs: Any) -> AsyncAirbyteClient:
        """An :class:`~airbyte_like.AsyncAirbyteClient` wired to this fake."""
        from ._client import AsyncAirbyteClient

        return AsyncAirbyteClient(**self._client_settings(kwargs))

    def _client_settings(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs.setdefault("base_url", self.base_url)
        if not {"auth", "token", "username", "password"} & set(kwargs):
            kwargs.update(username="airbyte", password="password")
        return {"transport": self.transport, **kwargs}

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (the ``httpx.MockTransport`` handler)."""
        with self._lock:
            self.requests.append(request)
            path = request.url.path
            if not path.startswith(self._root + "/"):
                return _error_response(404, f"{path} is outside this server")
            rel = path[len(self._root) :]
            for failure in self._failures:
                if failure.path is None or failure.path == rel:
                    failure.times -= 1
                    if failure.times <= 0:
                        self._failures.remove(failure)
                    return _error_response(failure.status, failure.message or "injected failure")
            route = self._routes.get(rel)
            if route is None or request.method != "POST":
                return _error_response(404, f"no operation {request.method} {rel} in this fake")
            try:
                body = json.loads(request.content) if request.content else {}
                if not isinstance(body, dict):
                    raise FakeError(422, "the request body must be a JSON object")
                result = route(body)
            except FakeError as error:
                return _error_response(error.status, error.message, **error.fields)
            if result is None:
                return httpx.Response(204)
            return httpx.Response(200, json=result)

    # ------------------------------------------------------------------ helpers

    def _now(self) -> int:
        return next(self._clock)

    @staticmethod
    def _id(body: Obj, field: str) -> str:
        value = body.get(field)
        if not isinstance(value, str) or not value:
            raise FakeError(
                422,
                f"{field} is required",
                validationErrors=[{"propertyPath": field, "message": "is required"}],
            )
        return value

    def _get(self, store: Mapping[str, Obj], body: Obj, field: str) -> Obj:
        key = self._id(body, field)
        found = store.get(key)
        if found is None:
            raise FakeError(404, f"Could not find configuration for {field}: {key}.", id=key)
        return {k: v for k, v in found.items() if not k.startswith("_")}

    def _delete(self, store: dict[str, Obj], body: Obj, field: str) -> None:
        self._get(store, body, field)
        del store[body[field]]

    @staticmethod
    def _in_workspace(item: Obj, body: Obj) -> bool:
        wanted = body.get("workspaceId")
        return wanted is None or item.get("workspaceId") == wanted

    # ------------------------------------------------------------------ workspaces

    def _workspace_create(self, body: Obj) -> Obj:
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise FakeError(
                422,
                "name is required",
                validationErrors=[{"propertyPath": "name", "message": "is required"}],
            )
        wid = str(uuid.uuid4())
        self.workspaces[wid] = {
            "workspaceId": wid,
            "customerId": str(uuid.uuid4()),
            "name": name,
            "slug": name.lower().replace(" ", "-"),
            "initialSetupComplete": bool(body.get("initialSetupComplete", False)),
            "displaySetupWizard": bool(body.get("displaySetupWizard", True)),
            "anonymousDataCollection": bool(body.get("anonymousDataCollection", False)),
            "news": bool(body.get("news", False)),
            "securityUpdates": bool(body.get("securityUpdates", False)),
            "notifications": list(body.get("notifications") or []),
            "defaultGeography": body.get("defaultGeography", "auto"),
            **({"email": body["email"]} if body.get("email") else {}),
        }
        return self.workspaces[wid]

    def _workspace_update(self, body: Obj) -> Obj:
        current = self.workspaces.get(self._id(body, "workspaceId"))
        if current is None:
            raise FakeError(404, f"Could not find workspace {body['workspaceId']}.")
        for key, value in body.items():
            if value is not None and key not in ("workspaceId", "webhookConfigs"):
                current[key] = copy.deepcopy(value)
        return current

    # ------------------------------------------------------------------ definitions

    def _definition(self, kind: str, did: str) -> Obj:
        store = self.source_definitions if kind == "source" else self.destination_definitions
        found = store.get(did)
        if found is None:
            raise FakeError(404, f"Could not find {kind} definition {did}.", id=did)
        return found

    def _spec(self, kind: str, body: Obj) -> Obj:
        did = self._id(body, f"{kind}DefinitionId")
        definition = self._definition(kind, did)
        return {
            f"{kind}DefinitionId": did,
            "connectionSpecification": copy.deepcopy(definition["_spec"]),
            "jobInfo": {
                "id": str(uuid.uuid4()),
                "configType": "get_spec",
                "createdAt": self._now(),
                "endedAt": self._now(),
                "succeeded": True,
            },
        }

    # ------------------------------------------------------------------ sources, destinations

    def _actors(self, kind: str) -> dict[str, Obj]:
        return self.sources if kind == "source" else self.destinations

    def _check_config(self, kind: str, did: str, config: Any) -> set[str]:
        spec = self._definition(kind, did)["_spec"]
        if not isinstance(config, Mapping):
            raise FakeError(
                422,
                "The provided configuration does not fulfill the specification.",
                validationErrors=[
                    {"propertyPath": "connectionConfiguration", "message": "must be an object"}
                ],
            )
        missing = [p for p in spec.get("required", []) if config.get(p) in (None, "")]
        if missing:
            raise FakeError(
                422,
                "The provided configuration does not fulfill the specification.",
                validationErrors=[
                    {"propertyPath": f"$.{p}", "message": "is missing but it is required"}
                    for p in missing
                ],
            )
        return _secret_names(spec)

    def _shown(self, kind: str, stored: Obj) -> Obj:
        secrets = _secret_names(self._definition(kind, stored[f"{kind}DefinitionId"])["_spec"])
        out = {k: v for k, v in stored.items() if not k.startswith("_")}
        out["connectionConfiguration"] = _masked(stored["connectionConfiguration"], secrets)
        return out

    def _actor_create(self, kind: str, body: Obj) -> Obj:
        wid = self._id(body, "workspaceId")
        if wid not in self.workspaces:
            raise FakeError(404, f"Could not find workspace {wid}.", id=wid)
        did = self._id(body, f"{kind}DefinitionId")
        config = body.get("connectionConfiguration")
        self._check_config(kind, did, config)
        aid = str(uuid.uuid4())
        definition = self._definition(kind, did)
        self._actors(kind)[aid] = {
            f"{kind}DefinitionId": did,
            f"{kind}Id": aid,
            "workspaceId": wid,
            "name": body.get("name") or definition["name"],
            f"{kind}Name": definition["name"],
            "connectionConfiguration": copy.deepcopy(config),
        }
        return self._shown(kind, self._actors(kind)[aid])

    def _actor_read(self, kind: str, body: Obj) -> Obj:
        self._get(self._actors(kind), body, f"{kind}Id")
        return self._shown(kind, self._actors(kind)[body[f"{kind}Id"]])

    def _actor_update(self, kind: str, body: Obj) -> Obj:
        self._get(self._actors(kind), body, f"{kind}Id")
        stored = self._actors(kind)[body[f"{kind}Id"]]
        config = _merge_secrets(
            body.get("connectionConfiguration"), stored["connectionConfiguration"]
        )
        self._check_config(kind, stored[f"{kind}DefinitionId"], config)
        # A replacement: what the body leaves out of the configuration is gone.
        stored["connectionConfiguration"] = copy.deepcopy(config)
        stored["name"] = body.get("name") or stored["name"]
        return self._shown(kind, stored)

    def _actor_delete(self, kind: str, body: Obj) -> None:
        self._delete(self._actors(kind), body, f"{kind}Id")

    def _actor_list(self, kind: str, body: Obj, *, paged: bool = False) -> Obj:
        if paged:
            wanted = set(body.get("workspaceIds") or [])
            items = [a for a in self._actors(kind).values() if a["workspaceId"] in wanted]
            items = _page(items, body.get("pagination"))
        else:
            items = [a for a in self._actors(kind).values() if self._in_workspace(a, body)]
        return {f"{kind}s": [self._shown(kind, a) for a in items]}

    # ------------------------------------------------------------------ connections

    def _connection_create(self, body: Obj) -> Obj:
        source = self._get(self.sources, body, "sourceId")
        self._get(self.destinations, body, "destinationId")
        cid = str(uuid.uuid4())
        self.connections[cid] = {
            "connectionId": cid,
            "name": body.get("name") or f"{source['name']} -> destination",
            "namespaceDefinition": body.get("namespaceDefinition", "source"),
            "prefix": body.get("prefix", ""),
            "sourceId": body["sourceId"],
            "destinationId": body["destinationId"],
            "workspaceId": source["workspaceId"],
            "operationIds": list(body.get("operationIds") or []),
            "syncCatalog": copy.deepcopy(body.get("syncCatalog") or {"streams": []}),
            "scheduleType": body.get("scheduleType", "manual"),
            "status": body.get("status", "active"),
            "geography": body.get("geography", "auto"),
            "notifySchemaChanges": bool(body.get("notifySchemaChanges", False)),
            "nonBreakingChangesPreference": body.get("nonBreakingChangesPreference", "ignore"),
            "breakingChange": False,
            **({"scheduleData": body["scheduleData"]} if body.get("scheduleData") else {}),
        }
        return self.connections[cid]

    def _connection_update(self, body: Obj) -> Obj:
        self._get(self.connections, body, "connectionId")
        current = self.connections[body["connectionId"]]
        for key, value in body.items():
            if value is not None:
                current[key] = copy.deepcopy(value)
        return current

    # ------------------------------------------------------------------ operations

    def _operation_create(self, body: Obj) -> Obj:
        wid = self._id(body, "workspaceId")
        if wid not in self.workspaces:
            raise FakeError(404, f"Could not find workspace {wid}.", id=wid)
        oid = str(uuid.uuid4())
        self.operations[oid] = {
            "workspaceId": wid,
            "operationId": oid,
            "name": body.get("name"),
            "operatorConfiguration": copy.deepcopy(body.get("operatorConfiguration")),
        }
        return self.operations[oid]

    def _operation_update(self, body: Obj) -> Obj:
        self._get(self.operations, body, "operationId")
        current = self.operations[body["operationId"]]
        current["name"] = body.get("name")
        current["operatorConfiguration"] = copy.deepcopy(body.get("operatorConfiguration"))
        return current

    # ------------------------------------------------------------------ jobs

    def _start(self, body: Obj, config_type: str) -> Obj:
        connection = self._get(self.connections, body, "connectionId")
        now = self._now()
        job = _Job(
            id=next(self._job_ids),
            config_type=config_type,
            connection_id=connection["connectionId"],
            created_at=now,
            updated_at=now,
            fail_reason=self._sync_failures.pop(0) if self._sync_failures else None,
        )
        self.jobs[job.id] = job
        return self._job_json(job)

    def _find_job(self, body: Obj) -> _Job:
        job_id = body.get("id")
        if isinstance(job_id, bool) or not isinstance(job_id, int):
            raise FakeError(
                422,
                "id is required",
                validationErrors=[{"propertyPath": "id", "message": "is required"}],
            )
        job = self.jobs.get(job_id)
        if job is None:
            raise FakeError(404, f"Could not find job with id: {job_id}", id=str(job_id))
        return job

    def _advance(self, job: _Job) -> None:
        if job.status not in ("pending", "running"):
            return
        job.polls += 1
        job.updated_at = self._now()
        job.records += self.records_per_poll
        job.status = job.attempt_status = "running"
        if job.polls >= self.polls_to_finish:
            job.status = job.attempt_status = "failed" if job.fail_reason else "succeeded"
            job.ended_at = job.updated_at

    def _job_info(self, body: Obj, *, poll: bool, light: bool = False) -> Obj:
        job = self._find_job(body)
        if poll:
            self._advance(job)
        out = self._job_json(job)
        if light:
            out.pop("attempts")
        return out

    def _job_cancel(self, body: Obj) -> Obj:
        job = self._find_job(body)
        if job.status in ("pending", "running", "incomplete"):
            job.status = "cancelled"
            job.attempt_status = "failed" if job.attempt_status else None
            job.ended_at = job.updated_at = self._now()
        return self._job_json(job)

    def _attempt(self, job: _Job) -> Obj | None:
        if job.attempt_status is None:
            return None
        done = job.status == "succeeded"
        stats = {
            "recordsEmitted": job.records,
            "bytesEmitted": job.records * self.bytes_per_record,
            "recordsCommitted": job.records if done else job.records // 2,
            "bytesCommitted": (job.records if done else job.records // 2) * self.bytes_per_record,
        }
        attempt: Obj = {
            "id": 0,
            "status": job.attempt_status,
            "createdAt": job.created_at,
            "updatedAt": job.updated_at,
            "bytesSynced": stats["bytesCommitted"],
            "recordsSynced": stats["recordsCommitted"],
            "totalStats": stats,
            "streamStats": [],
        }
        if job.ended_at is not None:
            attempt["endedAt"] = job.ended_at
        if job.status == "failed":
            attempt["failureSummary"] = {
                "failures": [
                    {
                        "failureOrigin": "source",
                        "failureType": "config_error",
                        "externalMessage": job.fail_reason,
                        "internalMessage": f"io.airbyte.FakeSourceException: {job.fail_reason}",
                        "stacktrace": "io.airbyte.FakeSourceException\n\tat Fake.read(Fake.java:1)",
                        "retryable": False,
                        "timestamp": job.updated_at,
                    }
                ],
                "partialSuccess": False,
            }
        return attempt

    def _job_read(self, job: _Job) -> Obj:
        return {
            "id": job.id,
            "configType": job.config_type,
            "configId": job.connection_id,
            "createdAt": job.created_at,
            "updatedAt": job.updated_at,
            "status": job.status,
        }

    def _job_json(self, job: _Job) -> Obj:
        attempt = self._attempt(job)
        attempts = [] if attempt is None else [{"attempt": attempt, "logs": {"logLines": []}}]
        return {"job": self._job_read(job), "attempts": attempts}

    def _job_list(self, body: Obj) -> Obj:
        types = body.get("configTypes")
        if not isinstance(types, list):
            raise FakeError(
                422,
                "configTypes is required",
                validationErrors=[{"propertyPath": "configTypes", "message": "is required"}],
            )
        statuses = body.get("statuses")
        found = [
            j
            for j in self.jobs.values()
            if j.config_type in types
            and (body.get("configId") is None or j.connection_id == body["configId"])
            and (not statuses or j.status in statuses)
        ]
        field = "updated_at" if body.get("orderByField") == "updatedAt" else "created_at"
        found.sort(
            key=lambda j: (getattr(j, field), j.id), reverse=body.get("orderByMethod") != "ASC"
        )
        total = len(found)
        page = _page(found, body.get("pagination"))
        return {
            "jobs": [
                {"job": self._job_read(j), "attempts": [a] if (a := self._attempt(j)) else []}
                for j in page
            ],
            "totalJobCount": total,
        }


def _page(items: list[Any], pagination: Any) -> list[Any]:
    if not isinstance(pagination, Mapping):
        return items
    size = pagination.get("pageSize")
    offset = pagination.get("rowOffset") or 0
    if isinstance(size, int) and size > 0:
        return items[offset : offset + size]
    return items[offset:]
