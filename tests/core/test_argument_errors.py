"""Refusals before sending: header values, idempotency keys and API keys that cannot go
on the wire, path segments that would move the request, and the one argument error class.

Settings given to a constructor raise ``ConfigurationError``; values given per call (an
operation's arguments, ``with_options``) raise ``InvalidArgumentError``. Neither is ever a
bare ``UnicodeEncodeError``, and neither message shows a secret."""

from __future__ import annotations

import base64
import pickle
import socket
import threading
from collections.abc import Callable
from typing import Any

import pytest

import commonrest
from airflow_like import AirflowClient, AsyncAirflowClient
from amentum_like import AmentumClient
from commonrest import (
    APIKeyAuth,
    BasicAuth,
    BearerAuth,
    CommonRestError,
    ConfigurationError,
    InvalidArgumentError,
)
from commonrest.crest import InvalidArgumentError as CrestInvalidArgumentError

from .api import PetClient
from .servers import Behaviour, read_request, serve

pytestmark = pytest.mark.anyio

SECRET = "clé-très-secrète"


def _pet_server(seen: list[bytes] | None = None) -> Behaviour:
    """Answer every request with one pet; remember each request in ``seen``."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        request = read_request(conn)
        if seen is not None:
            seen.append(request)
        body = b'{"petId": "rex", "name": "Rex"}'
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    return behave


def test_one_argument_error_class_for_core_and_common_rest() -> None:
    assert CrestInvalidArgumentError is InvalidArgumentError
    assert commonrest.InvalidArgumentError is InvalidArgumentError
    assert issubclass(InvalidArgumentError, CommonRestError)
    assert issubclass(InvalidArgumentError, ValueError)
    error = InvalidArgumentError("x must be y", parameter="x", wire="X", location="query")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.parameter, copy.wire, copy.location) == (
        "x must be y",
        "x",
        "X",
        "query",
    )


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_path_values_are_an_sdk_error(value: str) -> None:
    client = PetClient(base_url="http://127.0.0.1:9")
    with pytest.raises(CommonRestError) as info:  # no longer a bare ValueError
        client.pets.get(value)
    assert isinstance(info.value, InvalidArgumentError)
    assert info.value.location == "path" and "pet_id" in str(info.value)


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_common_rest_ids_are_refused_with_the_same_class(value: str) -> None:
    from commonrest import NoAuth
    from commonrest.crest import CommonRestClient

    client = CommonRestClient(base_url="http://127.0.0.1:9/openidm", auth=NoAuth())
    with pytest.raises(InvalidArgumentError):
        client.resource("/users").read(value)


# ------------------------------------------------------------------ at construction


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({"X-Team": "équipe"}, "non-ASCII"),
        ({"X-Team": "a\r\nX-Injected: yes"}, "line break"),
        ({"X-Team": "a\x00b"}, "control character"),
        ({"X-Équipe": "a"}, "name"),
    ],
)
def test_header_settings_are_refused_at_construction(headers: dict[str, str], problem: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        PetClient(headers=headers)
    message = str(info.value)
    assert "headers" in message and problem in message
    assert "équipe" not in message and "X-Injected" not in message  # values are not shown


@pytest.mark.parametrize("key", [SECRET, "k\r\nX-Evil: 1", "k\x7f"])
def test_api_keys_and_tokens_are_refused_at_construction(key: str) -> None:
    with pytest.raises(ConfigurationError, match="api_key") as info:
        AmentumClient(api_key=key)
    assert SECRET not in str(info.value) and "X-Evil" not in str(info.value)
    with pytest.raises(ConfigurationError, match="api_key"):
        APIKeyAuth(key)
    with pytest.raises(ConfigurationError, match="token") as info:
        AirflowClient(base_url="http://airflow.test", token=key)
    assert SECRET not in str(info.value)
    with pytest.raises(ConfigurationError, match="token"):
        BearerAuth(key)


def test_basic_auth_takes_unicode_as_rfc_7617_does() -> None:
    seen: list[bytes] = []
    with serve(_pet_server(seen)) as server:
        client = PetClient(base_url=server.url, auth=BasicAuth("jürgen", SECRET))
        assert client.pets.get("rex").name == "Rex"
    header = next(
        line for line in seen[0].split(b"\r\n") if line.lower().startswith(b"authorization:")
    )
    encoded = header.split(b" ")[-1]
    assert base64.b64decode(encoded) == f"jürgen:{SECRET}".encode()


# ------------------------------------------------------------------ per call


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"headers": {"X-Team": "équipe"}}, ("headers", "non-ASCII")),
        ({"headers": {"X-Team": "a\nb"}}, ("headers", "line break")),
        ({"idempotency_key": "clé-17"}, ("idempotency_key", "non-ASCII")),
        ({"idempotency_key": "k\r\n"}, ("idempotency_key", "line break")),
    ],
)
def test_per_call_header_values_and_keys_are_argument_errors(
    options: dict[str, Any], words: tuple[str, ...]
) -> None:
    client = PetClient()
    with pytest.raises(InvalidArgumentError) as info:
        client.with_options(**options)
    for word in words:
        assert word in str(info.value)
    assert "clé" not in str(info.value) and "équipe" not in str(info.value)


def test_refused_arguments_open_no_connection() -> None:
    with serve(_pet_server()) as server:
        client = PetClient(base_url=server.url)
        refusals: list[Callable[[], object]] = [
            lambda: client.pets.get(".."),
            lambda: client.with_options(idempotency_key="clé").pets.get("rex"),
            lambda: client.with_options(headers={"X-A": "é"}).pets.get("rex"),
        ]
        for refused in refusals:
            with pytest.raises(InvalidArgumentError):
                refused()
        assert server.connections == 0
        assert client.pets.get("rex").name == "Rex"  # the server is there
        assert server.connections == 1


async def test_declared_parameters_refused_over_a_socket_sync_and_async() -> None:
    with serve(_pet_server()) as server:
        sync = AirflowClient(base_url=server.url, token="t", api_version=1)
        aclient = AsyncAirflowClient(base_url=server.url, token="t", api_version=1)
        with pytest.raises(InvalidArgumentError, match="limit"):
            sync.v1.dags.list(limit="ten")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="limit"):
            aclient.v1.dags.list(limit=True)
        with pytest.raises(InvalidArgumentError, match="dag_id"):
            await aclient.v1.dags.get(".")
        assert server.connections == 0
        await aclient.close()


def test_paging_arguments_of_a_hand_declared_operation_are_argument_errors() -> None:
    with serve(_pet_server()) as server:
        client = PetClient(base_url=server.url)
        for kwargs, name in (
            ({"limit": "ten"}, "limit"),
            ({"limit": 2.5}, "limit"),
            ({"offset": True}, "offset"),
        ):
            with pytest.raises(InvalidArgumentError, match=name) as info:
                list(client.pets.list(**kwargs))
            assert info.value.parameter == name
            assert "invalid literal" not in str(info.value)
        with pytest.raises(InvalidArgumentError, match="max_items"):
            list(client.pets.list().items(max_items=-1))
        assert server.connections == 0
