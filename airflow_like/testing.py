"""A stateful, in-memory Airflow for tests and the tour: no network, no sockets.

It plugs into httpx as a :class:`httpx.MockTransport`, so the real clients (sync or async)
run their whole pipeline against it::

    fake = AirflowFake(api_version=2, dags=["etl", "report"])
    with fake.client() as client:          # an AirflowClient signed in as admin
        client.dags.unpause("etl")
        client.dag_runs.trigger("etl", dag_run_id="r1")
        client.dag_runs.wait("etl", "r1")   # queued -> running -> success

What it does, the way Airflow does:

- API v1 (Airflow 2, basic auth) or API v2 (Airflow 3, a JWT from ``POST /auth/token``
  carrying an ``exp``); the health endpoint of the other version answers 404, so version
  detection works; a wrong password is a 401;
- DAGs listed with ``limit``/``offset`` and ``total_entries``, the page size clamped to
  ``page_limit`` (Airflow's ``maximum_page_limit``), filtered by ``paused``; read; paused
  and unpaused with ``update_mask=is_paused`` (another mask is a 400);
- DAG runs triggered (a duplicate ``dag_run_id`` is a 409), read and listed: a run of an
  unpaused DAG goes ``queued`` -> ``running`` -> ``success`` (or ``final_state``) one step
  per read, a run of a paused DAG stays ``queued``;
- task logs of a run that has started, in each version's shape (v1's text of
  ``(host, text)`` tuples, v2's structured records);
- errors in each version's format (RFC 7807 problems on v1, FastAPI ``detail`` on v2,
  a duplicate run on v2 as the database constraint it breaks).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx

if TYPE_CHECKING:
    from ._client import AirflowClient, AsyncAirflowClient

__all__ = ["AirflowFake"]


@dataclass
class _Run:
    dag_id: str
    dag_run_id: str
    conf: dict[str, Any]
    reads: int = 0
    state: str = "queued"


@dataclass
class AirflowFake:
    """An in-memory Airflow speaking ``api_version`` 1 or 2; see the module docstring."""

    api_version: int = 2
    dags: Iterable[str] = ("example_etl",)
    username: str = "admin"
    password: str = "admin"
    page_limit: int = 100
    final_state: str = "success"
    base_url: str = "http://airflow.fake:8080"
    requests: list[httpx.Request] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.api_version not in (1, 2):
            raise ValueError(f"api_version must be 1 or 2, got {self.api_version!r}")
        self._dags: dict[str, dict[str, Any]] = {
            dag_id: {"dag_id": dag_id, "is_paused": True, "tags": []} for dag_id in self.dags
        }
        self._runs: dict[tuple[str, str], _Run] = {}
        self._tokens: set[str] = set()
        self._lock = threading.Lock()
        self.transport = httpx.MockTransport(self.handle)

    def client(self, **settings: Any) -> AirflowClient:
        """An :class:`~airflow_like.AirflowClient` of this fake, signed in (``settings``
        are passed on)."""
        from ._client import AirflowClient

        return AirflowClient(**self._settings(settings))

    def async_client(self, **settings: Any) -> AsyncAirflowClient:
        """An :class:`~airflow_like.AsyncAirflowClient` of this fake, signed in."""
        from ._client import AsyncAirflowClient

        return AsyncAirflowClient(**self._settings(settings))

    def _settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "transport": self.transport,
            "username": self.username,
            "password": self.password,
            **settings,
        }

    # ------------------------------------------------------------------ dispatch

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (the ``httpx.MockTransport`` handler; also a respx side effect)."""
        with self._lock:
            self.requests.append(request)
            return self._route(request)

    def _route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        prefix = f"/api/v{self.api_version}"
        if self.api_version == 2 and path == "/auth/token" and request.method == "POST":
            return self._token(request)
        if not path.startswith(prefix + "/"):
            return self._error(404, "Not Found")
        parts = [unquote(p) for p in path[len(prefix) + 1 :].split("/")]
        if parts in (["health"], ["monitor", "health"]):
            if parts == (["health"] if self.api_version == 1 else ["monitor", "health"]):
                healthy = {"status": "healthy"}
                return self._json({"metadatabase": healthy, "scheduler": healthy})
            return self._error(404, "Not Found")
        if parts == ["version"]:
            return self._json({"version": "2.10.5" if self.api_version == 1 else "3.3.2"})
        if not self._signed_in(request):
            return self._error(401, "Not authenticated")
        if parts[0] != "dags":
            return self._error(404, "Not Found")
        if len(parts) == 1 and request.method == "GET":
            return self._list_dags(request)
        dag = self._dags.get(parts[1])
        if dag is None:
            return self._error(404, f"The DAG with dag_id: `{parts[1]}` was not found")
        if len(parts) == 2:
            if request.method == "PATCH":
                return self._patch_dag(request, dag)
            return self._json(dag)
        if parts[2] == "dagRuns":
            if len(parts) == 3:
                if request.method == "POST":
                    return self._trigger(request, dag)
                runs = [self._run_body(r) for r in self._runs.values() if r.dag_id == dag["dag_id"]]
                return self._json({"dag_runs": runs, "total_entries": len(runs)})
            run = self._runs.get((dag["dag_id"], parts[3]))
            if run is None:
                return self._error(404, f"DAGRun with DAG ID: '{dag['dag_id']}' not found")
            if len(parts) == 4:
                self._advance(run, dag)
                return self._json(self._run_body(run))
            if len(parts) == 8 and parts[4] == "taskInstances" and parts[6] == "logs":
                return self._log(run, parts[5], parts[7])
        return self._error(404, "Not Found")

    def _log(self, run: _Run, task_id: str, try_number: str) -> httpx.Response:
        if run.state not in ("running", "success", "failed"):
            return self._error(404, f"TaskInstance {task_id} of {run.dag_run_id} not found")
        lines = [f"{task_id} try {try_number} started", f"{task_id} finished: {run.state}"]
        if self.api_version == 1:
            # Airflow 2 sends the str() of a list of (host, text) tuples
            content: Any = str([("worker-1", "\n".join(lines))])
        else:
            stamp = "2026-01-01T00:00:00Z"
            content = [{"timestamp": stamp, "event": line, "level": "info"} for line in lines]
        return self._json({"content": content, "continuation_token": None})

    # ------------------------------------------------------------------ auth

    def _token(self, request: httpx.Request) -> httpx.Response:
        try:
            sent = json.loads(request.content)
        except ValueError:
            return self._error(422, "invalid body")
        if sent.get("username") != self.username or sent.get("password") != self.password:
            return self._error(401, "Invalid credentials")
        claims = {"sub": self.username, "exp": int(time.time()) + 3600, "n": len(self._tokens)}
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        token = f"eyJhbGciOiJIUzUxMiJ9.{payload}.ZmFrZQ"
        self._tokens.add(token)
        return self._json({"access_token": token}, 201)

    def _signed_in(self, request: httpx.Request) -> bool:
        sent: str = request.headers.get("authorization", "")
        if self.api_version == 2:
            return sent.startswith("Bearer ") and sent[7:] in self._tokens
        expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return sent == f"Basic {expected}"

    # ------------------------------------------------------------------ DAGs and runs

    def _list_dags(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        dags = list(self._dags.values())
        if "paused" in params:
            dags = [d for d in dags if d["is_paused"] == (params["paused"] == "true")]
        limit = min(int(params.get("limit", 100)), self.page_limit)
        offset = int(params.get("offset", 0))
        return self._json({"dags": dags[offset : offset + limit], "total_entries": len(dags)})

    def _patch_dag(self, request: httpx.Request, dag: dict[str, Any]) -> httpx.Response:
        mask = request.url.params.get_list("update_mask")
        body = json.loads(request.content or b"{}")
        if mask and mask != ["is_paused"]:
            return self._error(400, "Only `is_paused` field can be updated through the REST API")
        if not isinstance(body.get("is_paused"), bool):
            return self._error(400, "is_paused must be a boolean")
        dag["is_paused"] = body["is_paused"]
        return self._json(dag)

    def _trigger(self, request: httpx.Request, dag: dict[str, Any]) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        run_id = body.get("dag_run_id") or f"manual__{len(self._runs) + 1}"
        if (dag["dag_id"], run_id) in self._runs:
            message = f"DAGRun with DAG ID: '{dag['dag_id']}' and DAGRun ID: '{run_id}' exists"
            if self.api_version == 2:  # Airflow 3 reports the database constraint
                constraint = "UNIQUE constraint failed: dag_run.dag_id, dag_run.run_id"
                detail = {
                    "reason": "Unique constraint violation",
                    "statement": "INSERT INTO dag_run (...) VALUES (...)",
                    "orig_error": constraint,
                    "message": message,
                }
                return httpx.Response(409, json={"detail": detail})
            return self._error(409, message)
        run = _Run(dag["dag_id"], run_id, dict(body.get("conf") or {}))
        self._runs[(dag["dag_id"], run_id)] = run
        return self._json(self._run_body(run))

    def _advance(self, run: _Run, dag: dict[str, Any]) -> None:
        if dag["is_paused"] or run.state in ("success", "failed"):
            return
        run.reads += 1
        run.state = "running" if run.reads < 3 else self.final_state

    @staticmethod
    def _run_body(run: _Run) -> dict[str, Any]:
        finished = run.state in ("success", "failed")
        return {
            "dag_id": run.dag_id,
            "dag_run_id": run.dag_run_id,
            "state": run.state,
            "conf": run.conf,
            "run_type": "manual",
            "end_date": "2026-01-01T00:01:00Z" if finished else None,
        }

    # ------------------------------------------------------------------ answers

    @staticmethod
    def _json(body: Any, status: int = 200) -> httpx.Response:
        return httpx.Response(status, json=body)

    def _error(self, status: int, detail: str) -> httpx.Response:
        if self.api_version == 2:
            return httpx.Response(status, json={"detail": detail})
        title = httpx.codes.get_reason_phrase(status)
        problem = {"detail": detail, "status": status, "title": title, "type": "about:blank"}
        return httpx.Response(
            status, json=problem, headers={"Content-Type": "application/problem+json"}
        )
