"""Nothing secret in what an error keeps: a loopback server echoes the credential the client
sent (and the tokens it handed out) in every place an error could keep it, and every view
of the error is searched for it: ``str``, ``repr``, each attribute, the pickle, a printed
traceback and the chained exceptions."""

from __future__ import annotations

import base64
import json
import pickle
import socket
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from adyen_like import AdyenClient, AsyncAdyenClient
from commonrest import (
    APIDecodeError,
    APIKeyAuth,
    APIResponseError,
    BasicAuth,
    BearerAuth,
    CommonRestError,
    TokenEndpoint,
)
from commonrest.crest import AsyncCommonRestClient, CommonRestClient

from .api import AsyncPetClient, PetClient
from .helpers import Kind, resolve
from .servers import read_request, serve

pytestmark = pytest.mark.anyio

API_KEY = "ak_live/Q7x+9zKeyEcho"
PASSWORD = "pw/Secret+9876"
BEARER = "bt_fixed_7f3a9c1e5d"
ISSUED_ACCESS = "at_issued_0c4b8e2f6a"
ISSUED_REFRESH = "rt_rotated_5e1d9b3c7f"
FIRST_REFRESH = "rt_first_2a6c4e8b0d"


def _secrets_of(headers: dict[str, str]) -> list[str]:
    """The credential values a request carried, as the server sees them."""
    found: list[str] = []
    for name in ("x-api-key", "authorization"):
        value = headers.get(name)
        if not value:
            continue
        found.append(value)
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "basic":
            found.append(rest)
            found.append(base64.b64decode(rest).decode().partition(":")[2])
        elif scheme.lower() == "bearer":
            found.append(rest)
    return found


def _problem(s: str) -> dict[str, Any]:
    return {
        "type": "https://errors.example.com/denied",
        "title": "Denied",
        "status": 422,
        "detail": f"credential {s} is not allowed",
        "instance": f"/calls/{s}",
        "invalid": [{"name": "auth", "reason": f"saw {s}"}, [s, {"deep": s}]],
        s: "as a key",
    }


def _adyen(s: str) -> dict[str, Any]:
    return {
        "status": 422,
        "errorCode": "010",
        "message": f"Not allowed: key {s}",
        "errorType": "security",
        "pspReference": s,
        "additionalData": {"echo": s, "list": [s]},
    }


def _crest(s: str) -> dict[str, Any]:
    return {
        "code": 422,
        "reason": "Unprocessable Entity",
        "message": f"refused {s}",
        "detail": {"nested": [{"value": s}], s: 1},
    }


Shape = Callable[[str], dict[str, Any]]


def echo_server(shape: Shape, status: int = 422, token_status: int = 200) -> Any:
    """Answer each call with ``shape`` of the credential it carried, also echoed in a
    Set-Cookie, a custom header and the request id header; ``/token`` hands out
    ``ISSUED_ACCESS`` and ``ISSUED_REFRESH`` (or, with an error status, echoes the token
    request back)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        raw = read_request(conn)
        head, _, content = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        if path.endswith("/token"):
            if token_status < 300:
                body = {"access_token": ISSUED_ACCESS, "refresh_token": ISSUED_REFRESH}
            else:
                body = {"error": "invalid_grant", "error_description": content.decode()}
            code, echoed = token_status, content.decode()
        else:
            secrets = _secrets_of(headers)
            if ISSUED_ACCESS in " ".join(secrets):
                secrets.append(ISSUED_REFRESH)
            echoed = " | ".join(secrets)
            body, code = shape(echoed), status
        payload = json.dumps(body).encode()
        conn.sendall(
            f"HTTP/1.1 {code} Whatever\r\nContent-Type: application/json\r\n"
            f"Set-Cookie: session={echoed}\r\nX-Echo: {echoed}\r\nX-Request-Id: {echoed}\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
            + payload
        )

    return behave


def _views(error: BaseException) -> Iterator[tuple[str, str | bytes]]:
    """Every way an error can be looked at, named."""
    yield "str", str(error)
    yield "repr", repr(error)
    yield "args", repr(error.args)
    for name, value in vars(error).items():
        yield f"attribute {name}", repr(value)
        if hasattr(value, "model_dump_json"):
            yield f"attribute {name} json", value.model_dump_json()
    for name in ("code", "rate_limit"):
        if hasattr(error, name):
            yield f"property {name}", repr(getattr(error, name))
    detail = getattr(error, "detail", None)
    if detail is not None:
        yield "detail.data", repr(detail.data)
    yield "pickle", pickle.dumps(error)
    yield "traceback", "".join(traceback.format_exception(error))
    seen = {id(error)}
    chained = [error.__cause__, error.__context__]
    while chained:
        link = chained.pop()
        if link is None or id(link) in seen:
            continue
        seen.add(id(link))
        for name, view in _views(link):
            yield f"chained {type(link).__name__} {name}", view
        chained += [link.__cause__, link.__context__]


def leaks(error: BaseException, secrets: list[str]) -> list[str]:
    """The views of ``error`` in which any of ``secrets`` (or a form of it) appears."""
    forms = set()
    for secret in secrets:
        forms |= {secret, json.dumps(secret)[1:-1], json.dumps(secret)[1:-1].replace("/", "\\/")}
    found = []
    for name, view in _views(error):
        haystack = view if isinstance(view, str) else view.decode("latin-1")
        found += [f"{name}: {f}" for f in sorted(forms) if f in haystack]
    return found


# --------------------------------------------------------------------------- the matrix

BASIC_B64 = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
CREDENTIALS: dict[str, tuple[Callable[[str], Any], list[str]]] = {
    "api-key": (lambda url: APIKeyAuth(API_KEY), [API_KEY]),
    "basic": (lambda url: BasicAuth("alice", PASSWORD), [PASSWORD, BASIC_B64]),
    "bearer": (lambda url: BearerAuth(BEARER), [BEARER]),
    "fetched-token": (
        lambda url: BearerAuth(
            token_endpoint=TokenEndpoint(
                f"{url}/token", form={"grant_type": "refresh_token", "refresh_token": FIRST_REFRESH}
            )
        ),
        [ISSUED_ACCESS, ISSUED_REFRESH, FIRST_REFRESH],
    ),
}


async def _call_pets(kind: Kind, url: str, auth: Any, body: bool = False) -> BaseException:
    client = (PetClient if kind == "sync" else AsyncPetClient)(
        base_url=url, auth=auth, max_retries=0
    )
    try:
        await resolve(client.pets.get("rex"))
    except CommonRestError as error:
        return error
    finally:
        await resolve(client.close())
    raise AssertionError("the call did not fail")


@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
@pytest.mark.parametrize("shape", [_problem, _adyen, _crest], ids=["problem", "adyen", "crest"])
async def test_a_status_error_keeps_no_echoed_credential(
    kind: Kind, credential: str, shape: Shape
) -> None:
    make_auth, secrets = CREDENTIALS[credential]
    with serve(echo_server(shape)) as server:
        error = await _call_pets(kind, server.url, make_auth(server.url))

    assert isinstance(error, APIResponseError) and error.status_code == 422
    assert error.headers["x-echo"]  # the echo arrived, scrubbed
    assert leaks(error, secrets) == []


async def test_a_decode_error_keeps_no_echoed_credential(kind: Kind) -> None:
    with serve(echo_server(_problem, status=200)) as server:
        error = await _call_pets(kind, server.url, APIKeyAuth(API_KEY))
    assert isinstance(error, APIDecodeError)
    assert isinstance(error.body, dict) and "detail" in error.body
    assert leaks(error, [API_KEY]) == []


async def test_a_token_endpoint_error_keeps_no_echoed_refresh_token(kind: Kind) -> None:
    make_auth, secrets = CREDENTIALS["fetched-token"]
    with serve(echo_server(_problem, token_status=400)) as server:
        error = await _call_pets(kind, server.url, make_auth(server.url))
    assert isinstance(error, APIResponseError) and error.status_code == 400
    assert "invalid_grant" in error.text
    assert leaks(error, secrets) == []


async def test_a_token_answer_without_the_token_keeps_no_body(kind: Kind) -> None:
    # 200 with the token under another name: a credential the redactor cannot know
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        payload = json.dumps({"token": "fresh_unknown_token_1234"}).encode()
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )

    make_auth, _ = CREDENTIALS["fetched-token"]
    with serve(behave) as server:
        error = await _call_pets(kind, server.url, make_auth(server.url))
    assert "access_token" in str(error)
    assert leaks(error, ["fresh_unknown_token_1234"]) == []


@pytest.mark.parametrize("credential", ["api-key", "basic"])
async def test_adyen_errors_parsed_by_the_vendor_parser_keep_no_credential(
    kind: Kind, credential: str
) -> None:
    with serve(echo_server(_adyen)) as server:
        auth = APIKeyAuth(API_KEY) if credential == "api-key" else BasicAuth("alice", PASSWORD)
        client = (AdyenClient if kind == "sync" else AsyncAdyenClient)(
            base_url=server.url, max_retries=0, auth=auth
        )
        with pytest.raises(APIResponseError) as info:
            await resolve(
                client.payments.authorise(
                    {
                        "merchantAccount": "M",
                        "amount": {"currency": "EUR", "value": 1},
                        "reference": "r",
                    }
                )
            )
        await resolve(client.close())
    error = info.value
    assert error.code == "010" and error.detail is not None
    assert error.detail.data["errorType"] == "security"
    assert leaks(error, CREDENTIALS[credential][1]) == []


@pytest.mark.parametrize("credential", ["basic", "bearer"])
async def test_common_rest_errors_parsed_by_its_parser_keep_no_credential(
    kind: Kind, credential: str
) -> None:
    make_auth, secrets = CREDENTIALS[credential]
    with serve(echo_server(_crest)) as server:
        client = (CommonRestClient if kind == "sync" else AsyncCommonRestClient)(
            base_url=server.url, auth=make_auth(server.url), max_retries=0
        )
        with pytest.raises(APIResponseError) as info:
            await resolve(client.resource("/users").read("a"))
        await resolve(client.close())
    error = info.value
    assert error.code == 422
    assert leaks(error, secrets) == []
