"""Every declared content type of the generated operations.

The ``Accept`` every operation sends is checked against the media types its spec declares
(read from ``specs/`` here, not from the generator); the operations with a text body or an
NDJSON stream are called through the public clients (respx, and a real socket on 127.0.0.1
for Airflow's streaming ``wait``), sync and async.
"""

from __future__ import annotations

import importlib
import json
import re
import socket
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from typing_extensions import assert_type

from airbyte_like import AirbyteClient, AsyncAirbyteClient
from airflow_like import AirflowClient, AsyncAirflowClient
from airflow_like.types.v2 import Config
from commonrest import AsyncStream, BearerAuth, NoAuth, SyncStream
from commonrest.declare import Call, OperationInfo

from ..core.servers import read_request, serve
from .helpers import SPECS, load_spec, resolve_ref

PACKAGES: dict[str, tuple[str, dict[str, Any]]] = {
    # package: (sync client, constructor arguments)
    "adyen_like": ("AdyenClient", {"api_key": "k"}),
    "airflow_like": ("AirflowClient", {"auth": NoAuth()}),
    "airbyte_like": ("AirbyteClient", {"auth": NoAuth()}),
    "amentum_like": ("AmentumClient", {"api_key": "k"}),
}
HOST = "http://vendor.test"
NDJSON = {"application/x-ndjson", "application/ndjson", "application/jsonl"}


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


@cache
def declared_types(file: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(operationId, METHOD, path) -> the media types of its success bodies (with their
    schemas), as the spec ``file`` declares them."""
    doc = load_spec(file)
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            content: dict[str, Any] = {}
            for status, response in op["responses"].items():
                if str(status).startswith("2"):
                    content.update(resolve_ref(doc, response).get("content") or {})
            out[(op.get("operationId", ""), method.upper(), path)] = content
    return out


def expected_first(content: dict[str, Any]) -> str:
    """The media type the SDK must prefer: JSON that has a schema, else NDJSON, else the
    first declared."""
    with_schema = [t for t in content if _is_json(t) and content[t].get("schema")]
    streams = [t for t in content if t in NDJSON]
    return (with_schema or streams or list(content))[0]


def parse_accept(value: str) -> list[tuple[str, float]]:
    out = []
    for part in value.split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            q = float(params.strip()[2:])
        out.append((media.strip(), q))
    return out


def _client(package: str, credentials: set[str]) -> Any:
    module = importlib.import_module(package)
    name, kwargs = PACKAGES[package]
    creds = {c: BearerAuth("t") for c in credentials if c != "default"}
    return getattr(module, name)(**kwargs, base_url=HOST, credentials=creds)


def _infos(package: str) -> list[tuple[OperationInfo, bool, str]]:
    """Every declared operation, whether it streams, and the spec file it came from (each
    generated resource class names it in its docstring)."""
    catalog = importlib.import_module(f"{package}._generated.catalog")
    out = []
    for _, cls in catalog.resource_classes():
        file = re.search(r"Spec: ``specs/([^`]+)``", cls.__doc__ or "")
        assert file is not None, cls
        for klass in cls.__mro__:
            for attr in vars(klass).values():
                info = getattr(attr, "info", None)
                if isinstance(info, OperationInfo):
                    streamed = getattr(attr, "_runner", "") == "_stream"
                    out.append((info, streamed, file.group(1)))
    return out


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_operation_accepts_what_its_spec_declares(package: str) -> None:
    infos = _infos(package)
    client = _client(package, {info.credential for info, _, _ in infos})
    checked = 0
    with respx.mock() as router, client:
        router.route().respond(204)
        for info, streamed, file in infos:
            content = declared_types(file)[(info.operation_id, info.method, info.path)]
            path = {part[1:-1]: "x" for part in Path(info.path).parts if part.startswith("{")}
            # the operation's own declaration, sent the way a call of it is sent
            client._execute(info, Call(None, path=path))
            sent = router.calls.last.request
            accepts = [v for k, v in sent.headers.multi_items() if k.lower() == "accept"]
            assert len(accepts) == 1, info.operation_id
            accept = parse_accept(accepts[0])
            if not content or list(content) == ["application/json"]:
                assert accept == [("application/json", 1.0)], info.operation_id
            else:
                assert {t for t, _ in accept} == set(content), info.operation_id
                preferred = [t for t, q in accept if q == 1.0]
                assert preferred == [expected_first(content)], info.operation_id
                assert all(q < 1.0 for _, q in accept[1:]), info.operation_id
            assert streamed == (expected_first(content) in NDJSON if content else False)
            checked += 1
    assert checked == len(importlib.import_module(package).catalog())


def test_some_operations_declare_more_than_json() -> None:
    """The check above is not vacuous: the specs do declare text and NDJSON bodies."""
    kinds = set()
    for file in SPECS.glob("*/*"):
        if file.suffix in (".json", ".yaml"):
            for content in declared_types(f"{file.parent.name}/{file.name}").values():
                kinds |= set(content)
    assert {"text/plain", "application/x-ndjson", "application/json"} <= kinds


# ---------------------------------------------------------------------------- text


@pytest.mark.anyio
@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_airbyte_openapi_asks_for_text_and_returns_str(flavour: str) -> None:
    spec = "openapi: 3.0.0\ninfo:\n  title: x\n"
    with respx.mock() as router:
        router.get(f"{HOST}/api/v1/openapi").respond(200, text=spec, content_type="text/plain")
        if flavour == "sync":
            with AirbyteClient(base_url=f"{HOST}/api", auth=NoAuth()) as client:
                result = client.openapi.get()
        else:
            async with AsyncAirbyteClient(base_url=f"{HOST}/api", auth=NoAuth()) as aclient:
                result = await aclient.openapi.get()
        assert router.calls.last.request.headers["accept"] == "text/plain"
    assert_type(result, str)
    assert result == spec


def test_airflow_config_prefers_json_and_parses_it() -> None:
    body = {"sections": [{"name": "core", "options": [{"key": "k", "value": "v"}]}]}
    with respx.mock() as router, AirflowClient(base_url=HOST, token="t") as client:
        router.get(f"{HOST}/api/v2/config").respond(200, json=body)
        config = client.v2.config.get()
        accept = router.calls.last.request.headers["accept"]
    assert_type(config, Config)
    assert config.sections is not None
    assert config.sections[0].name == "core"
    assert parse_accept(accept) == [("application/json", 1.0), ("text/plain", 0.9)]


# ---------------------------------------------------------------------------- NDJSON


def airflow_wait(seen: list[bytes], release: threading.Event) -> Any:
    """Airflow 3's ``wait``: one JSON object per line, a pause between them, chunked, and
    no Content-Type."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        seen.append(read_request(conn))
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for n, state in enumerate(["queued", "running"]):
            data = json.dumps({"state": state}).encode() + b"\n"
            conn.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            if n == 1 and not release.wait(10):
                return
        last = json.dumps({"state": "success", "results": {"load": 42}}).encode() + b"\n"
        conn.sendall(f"{len(last):x}\r\n".encode() + last + b"\r\n0\r\n\r\n")

    return behave


@pytest.fixture
def wait_server() -> Iterator[tuple[str, list[bytes], threading.Event]]:
    seen: list[bytes] = []
    release = threading.Event()
    with serve(airflow_wait(seen, release)) as server:
        yield server.url, seen, release


def test_airflow_wait_until_finished_streams_states_sync(
    wait_server: tuple[str, list[bytes], threading.Event],
) -> None:
    url, seen, release = wait_server
    with AirflowClient(base_url=url, token="t") as client:
        stream = client.v2.dag_runs.wait_until_finished("etl", "run 1", interval=1, result=["load"])
        assert_type(stream, SyncStream[dict[str, Any]])
        states = []
        with stream as events:
            for event in events:
                states.append(event["state"])
                if event["state"] == "running":
                    release.set()  # the last line only comes once we have read this one
        assert event == {"state": "success", "results": {"load": 42}}
    assert states == ["queued", "running", "success"]
    head = seen[0].split(b"\r\n")
    assert head[0] == b"GET /api/v2/dags/etl/dagRuns/run%201/wait?interval=1&result=load HTTP/1.1"
    assert b"accept: application/x-ndjson, application/json;q=0.9" in [h.lower() for h in head]


@pytest.mark.anyio
async def test_airflow_wait_until_finished_streams_states_async(
    wait_server: tuple[str, list[bytes], threading.Event],
) -> None:
    url, _, release = wait_server
    async with AsyncAirflowClient(base_url=url, token="t") as client:
        stream = client.v2.dag_runs.wait_until_finished("etl", "r1", interval=0.5)
        assert_type(stream, AsyncStream[dict[str, Any]])
        states = []
        async with stream as events:
            async for event in events:
                states.append(event["state"])
                if event["state"] == "running":
                    release.set()
    assert states == ["queued", "running", "success"]


def test_raw_mode_gives_the_stream_too() -> None:
    with respx.mock() as router, AirflowClient(base_url=HOST, token="t") as client:
        router.get(url__startswith=f"{HOST}/api/v2/dags/etl/dagRuns/r1/wait").respond(
            200, content=b'{"state": "success"}\n', headers={"X-Request-Id": "abc"}
        )
        stream = client.with_raw_response.v2.dag_runs.wait_until_finished("etl", "r1", interval=1)
        assert_type(stream, SyncStream[dict[str, Any]])
        with stream:
            assert stream.headers is not None and stream.headers["x-request-id"] == "abc"
            assert list(stream) == [{"state": "success"}]


def test_a_wait_that_fails_before_streaming_raises_its_status_error() -> None:
    from commonrest import NotFoundError

    with respx.mock() as router, AirflowClient(base_url=HOST, token="t") as client:
        router.get(url__startswith=f"{HOST}/api/v2/").mock(
            return_value=httpx.Response(404, json={"detail": "DagRun not found"})
        )
        with pytest.raises(NotFoundError, match="DagRun not found"):
            list(client.v2.dag_runs.wait_until_finished("etl", "nope", interval=1))


def test_the_testing_kit_mocks_a_stream_by_operation() -> None:
    from commonrest.testing import mock_api

    client = AirflowClient(base_url=HOST, token="t")
    with mock_api(client) as api:
        api.on(client.v2.dag_runs.wait_until_finished, dag_id="etl").respond(
            200, content=b'{"state": "running"}\n{"state": "failed"}\n'
        )
        states = [
            e["state"] for e in client.v2.dag_runs.wait_until_finished("etl", "r", interval=1)
        ]
    client.close()
    assert states == ["running", "failed"]
