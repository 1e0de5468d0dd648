"""Details the Common REST reference fixes: ``err.code`` is the body's integer ``code``, and
an increment may be a numeric string, sent as given."""

from __future__ import annotations

import json
import math
import socket
import threading
from typing import Any

import pytest

from commonrest import NoAuth, PreconditionFailedError
from commonrest.crest import (
    AsyncCommonRestClient,
    CommonRestClient,
    InvalidArgumentError,
    Patch,
)
from commonrest.testing.crest_server import CrestServer
from tests.core.servers import read_request, serve

from .helpers import open_client, resolve

pytestmark = pytest.mark.anyio


def _recording(bodies: list[Any], status: int, answer: dict[str, Any]) -> Any:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        raw = read_request(conn)
        content = raw.partition(b"\r\n\r\n")[2]
        bodies.append(json.loads(content) if content else None)
        payload = json.dumps(answer).encode()
        conn.sendall(
            f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
            + payload
        )

    return behave


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_the_code_of_a_common_rest_error_is_the_body_integer(mode: str) -> None:
    bodies: list[Any] = []
    answer = {"code": 412, "reason": "Precondition Failed", "message": "revision changed"}
    with serve(_recording(bodies, 412, answer)) as server:
        client = (CommonRestClient if mode == "sync" else AsyncCommonRestClient)(
            base_url=server.url, max_retries=0, auth=NoAuth()
        )
        with pytest.raises(PreconditionFailedError) as info:
            await resolve(client.resource("/users").patch("a", Patch().increment("/n", 1)))
        await resolve(client.close())
    assert info.value.code == 412
    assert type(info.value.code) is int


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_numeric_string_increment_is_sent_as_given(mode: str) -> None:
    bodies: list[Any] = []
    with serve(_recording(bodies, 200, {"_id": "a", "_rev": "2", "payment": 1250})) as server:
        client = (CommonRestClient if mode == "sync" else AsyncCommonRestClient)(
            base_url=server.url, max_retries=0, auth=NoAuth()
        )
        patch = Patch().increment("/payment", "1000").increment("/ratio", "-2.5e1")
        await resolve(client.resource("/users").patch("a", patch))
        await resolve(client.close())
    assert bodies == [
        [
            {"operation": "increment", "field": "/payment", "value": "1000"},
            {"operation": "increment", "field": "/ratio", "value": "-2.5e1"},
        ]
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_the_reference_server_applies_a_numeric_string_increment(mode: str) -> None:
    server = CrestServer()
    server.add_collection("/users").add({"userName": "a", "payment": 250}, id="a")
    async with open_client(server, mode) as client:
        user = await resolve(
            client.resource("/users").patch("a", Patch().increment("/payment", "1000"))
        )
    assert user["payment"] == 1250


@pytest.mark.parametrize(
    "value",
    [
        "ten",
        "",
        " 1",
        "1_000",
        "0x10",
        "nan",
        "NaN",
        "inf",
        "-Infinity",
        "1e999",
        "01",
        True,
        False,
        math.nan,
        math.inf,
        -math.inf,
        None,
        [1],
        {"n": 1},
    ],
)
def test_anything_else_is_refused_naming_the_parameter(value: Any) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        Patch().increment("/n", value)
    assert str(info.value).startswith("by must be")
