"""One exception class per status, transport and decode errors, and what every error
carries."""

from __future__ import annotations

import pickle
from typing import Any, ClassVar

import httpx
import pytest
import respx

from commonrest import _errors as errors
from commonrest._errors import (
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ClientError,
    ErrorDetail,
    ErrorParser,
    RateLimitError,
    ServerError,
)

from .api import AsyncPetClient, PetClient
from .helpers import PETS, Factory, Kind, pet, resolve

pytestmark = pytest.mark.anyio

STATUS_CLASSES: list[tuple[int, type[APIStatusError]]] = [
    (400, errors.BadRequestError),
    (401, errors.AuthenticationError),
    (403, errors.PermissionDeniedError),
    (404, errors.NotFoundError),
    (405, errors.MethodNotAllowedError),
    (406, errors.NotAcceptableError),
    (409, errors.ConflictError),
    (410, errors.GoneError),
    (412, errors.PreconditionFailedError),
    (415, errors.UnsupportedMediaTypeError),
    (422, errors.UnprocessableEntityError),
    (428, errors.PreconditionRequiredError),
    (429, errors.RateLimitError),
    (500, errors.InternalServerError),
    (501, errors.ServerNotImplementedError),
    (503, errors.ServiceUnavailableError),
    (418, ClientError),
    (451, ClientError),
    (502, ServerError),
    (504, ServerError),
    (599, ServerError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
async def test_each_status_raises_its_class(
    make: Factory, router: respx.MockRouter, status: int, cls: type[APIStatusError]
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        status,
        json={"message": "it went wrong", "code": "E42"},
        headers={"X-Request-Id": "req-123", "X-Other": "kept"},
    )
    client = make(max_retries=0)

    with pytest.raises(cls) as info:
        await resolve(client.pets.get("rex", fields=["name"]))

    error = info.value
    assert type(error) is cls
    assert isinstance(error, ClientError if status < 500 else ServerError)
    assert error.status_code == status
    assert error.method == "GET"
    assert error.url == f"{PETS}/pets/rex?fields=name"
    assert error.request_id == "req-123"
    assert error.headers["x-other"] == "kept"
    assert error.body == {"message": "it went wrong", "code": "E42"}
    assert '"code":"E42"' in error.text.replace(" ", "")
    assert "it went wrong" in str(error)
    assert str(status) in str(error)
    assert "req-123" in str(error)


async def test_every_status_class_is_an_api_error_and_a_commonrest_error(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(404)
    client = make()
    with pytest.raises(errors.CommonRestError) as info:
        await resolve(client.pets.get("rex"))
    assert isinstance(info.value, APIError)
    assert info.value.body is None  # type: ignore[attr-defined]


async def test_the_raw_text_is_truncated(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").respond(400, text="x" * 100_000)
    client = make()

    with pytest.raises(errors.BadRequestError) as info:
        await resolve(client.pets.get("rex"))

    text = info.value.text
    assert text.startswith("x" * errors.MAX_ERROR_TEXT)
    assert len(text) < errors.MAX_ERROR_TEXT + 100
    assert "more characters" in text
    assert len(str(info.value)) < 1000


async def test_an_html_502_page_is_a_server_error_with_its_text(
    make: Factory, router: respx.MockRouter
) -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    router.get(f"{PETS}/pets/rex").respond(502, html=page)
    client = make(max_retries=0)

    with pytest.raises(ServerError) as info:
        await resolve(client.pets.get("rex"))

    assert info.value.status_code == 502
    assert info.value.body is None
    assert info.value.text == page
    assert info.value.problem is None


# ------------------------------------------------------------------------- problem details


async def test_problem_json_is_parsed_with_its_extension_members(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        422,
        json={
            "type": "https://example.com/probs/invalid",
            "title": "Invalid pet",
            "status": 422,
            "detail": "name is too long",
            "instance": "/pets/rex",
            "invalid_params": [{"name": "name", "reason": "too long"}],
        },
        headers={"Content-Type": "application/problem+json"},
    )
    client = make()

    with pytest.raises(errors.UnprocessableEntityError) as info:
        await resolve(client.pets.get("rex"))

    problem = info.value.problem
    assert problem is not None
    assert problem.type == "https://example.com/probs/invalid"
    assert problem.title == "Invalid pet"
    assert problem.status == 422
    assert problem.detail == "name is too long"
    assert problem.instance == "/pets/rex"
    assert problem.extensions == {"invalid_params": [{"name": "name", "reason": "too long"}]}
    assert "name is too long" in str(info.value)


async def test_a_problem_shaped_body_is_parsed_whatever_its_content_type(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        404, json={"title": "Not Found", "status": 404, "detail": "no pet rex"}
    )
    client = make()

    with pytest.raises(errors.NotFoundError) as info:
        await resolve(client.pets.get("rex"))

    assert info.value.problem is not None
    assert info.value.problem.detail == "no pet rex"
    assert info.value.problem.type == "about:blank"


async def test_a_plain_json_body_is_not_taken_for_a_problem(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(404, json={"type": "pet", "name": "rex"})
    client = make()
    with pytest.raises(errors.NotFoundError) as info:
        await resolve(client.pets.get("rex"))
    assert info.value.problem is None


# ------------------------------------------------------------------------- vendor parsers


def _vendor_parser(body: Any, headers: httpx.Headers) -> ErrorDetail | None:
    if isinstance(body, dict) and "errorCode" in body:
        return ErrorDetail(
            message=body.get("message"),
            code=str(body["errorCode"]),
            request_id=body.get("pspReference"),
            data=body,
        )
    return None


def _broken_parser(body: Any, headers: httpx.Headers) -> ErrorDetail | None:
    raise KeyError("parser bug")


class VendorPetClient(PetClient):
    error_parsers: ClassVar[tuple[ErrorParser, ...]] = (_broken_parser, _vendor_parser)


class AsyncVendorPetClient(AsyncPetClient):
    error_parsers: ClassVar[tuple[ErrorParser, ...]] = (_broken_parser, _vendor_parser)


async def test_a_vendor_body_parser_enriches_the_same_exception(
    kind: Kind, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        422,
        json={
            "status": 422,
            "errorCode": "101",
            "message": "Invalid card number",
            "errorType": "validation",
            "pspReference": "8816178952380553",
        },
        headers={"X-Request-Id": "header-id"},
    )
    client = VendorPetClient() if kind == "sync" else AsyncVendorPetClient()

    with pytest.raises(errors.UnprocessableEntityError) as info:
        await resolve(client.pets.get("rex"))

    error = info.value
    assert error.code == "101"
    assert error.detail is not None
    assert error.detail.data["errorType"] == "validation"
    assert error.request_id == "8816178952380553"
    assert "Invalid card number" in str(error)


# ------------------------------------------------------------------------- rate limit


async def test_a_429_carries_retry_after_and_the_rate_limit_headers(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        429,
        json={"message": "slow down"},
        headers={
            "Retry-After": "120",
            "X-RateLimit-Limit": "100",
            "X-RateLimit-Remaining": "0",
            "RateLimit-Reset": "120",
            "Content-Language": "en",
        },
    )
    client = make()

    with pytest.raises(RateLimitError) as info:
        await resolve(client.pets.get("rex"))

    assert info.value.retry_after == 120
    assert info.value.rate_limit == {
        "x-ratelimit-limit": "100",
        "x-ratelimit-remaining": "0",
        "ratelimit-reset": "120",
    }
    assert "120" in str(info.value)


# ------------------------------------------------------------------------- transport


@pytest.mark.parametrize(
    ("exc", "cls", "was_sent"),
    [
        (httpx.ConnectError("refused"), APIConnectionError, False),
        (httpx.ConnectTimeout("slow connect"), APITimeoutError, False),
        (httpx.ReadTimeout("slow read"), APITimeoutError, True),
        (httpx.WriteTimeout("slow write"), APITimeoutError, True),
        (httpx.PoolTimeout("pool full"), APITimeoutError, False),
        (httpx.RemoteProtocolError("peer closed connection"), APIConnectionError, True),
        (httpx.ReadError("connection reset by peer"), APIConnectionError, True),
    ],
)
async def test_transport_failures_map_to_connection_errors(
    make: Factory,
    router: respx.MockRouter,
    exc: Exception,
    cls: type[APIConnectionError],
    was_sent: bool,
) -> None:
    router.get(f"{PETS}/pets/rex").mock(side_effect=exc)
    client = make(max_retries=0)

    with pytest.raises(cls) as info:
        await resolve(client.pets.get("rex"))

    assert type(info.value) is cls
    assert info.value.sent is was_sent
    assert info.value.method == "GET"
    assert info.value.url == f"{PETS}/pets/rex"


# ------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("content", "content_type", "reason"),
    [
        (b"<html><body>Welcome</body></html>", "text/html", "content type"),
        (b'{"petId": "rex", "na', "application/json", "not valid JSON"),
        (b"not json at all", "application/json", "not valid JSON"),
        (b'{"petId": "rex", "name": "Rex"}', "text/plain", "content type"),
        (b"", "application/json", "empty"),
        (b'{"petId": "rex"}', "application/json", "name"),
        (b"[1, 2]", "application/json", "Pet"),
    ],
    ids=["html", "truncated", "invalid", "wrong-type", "empty", "missing-field", "wrong-shape"],
)
async def test_an_unusable_success_body_is_a_decode_error(
    make: Factory, router: respx.MockRouter, content: bytes, content_type: str, reason: str
) -> None:
    route = router.get(f"{PETS}/pets/rex").respond(
        200, content=content, headers={"Content-Type": content_type, "X-Request-Id": "r-1"}
    )
    client = make()

    with pytest.raises(APIDecodeError) as info:
        await resolve(client.pets.get("rex"))

    error = info.value
    assert reason in str(error)
    assert error.status_code == 200
    assert error.request_id == "r-1"
    assert error.text == content.decode()
    assert route.call_count == 1  # a bad body is not a transient failure


async def test_a_json_body_without_content_type_is_accepted(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, content=b'{"petId": "rex", "name": "Rex"}')
    client = make()
    assert (await resolve(client.pets.get("rex"))).name == "Rex"


async def test_a_list_response_is_validated_per_item(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/legacy/pets").respond(200, json=[pet("a"), {"name": "no id"}])
    client = make()
    with pytest.warns(DeprecationWarning), pytest.raises(APIDecodeError, match="petId"):
        await resolve(client.pets.legacy())


async def test_errors_survive_pickling_for_worker_processes(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(
        404,
        json={"title": "Not Found", "status": 404, "detail": "no rex", "hint": "x"},
        headers={"Content-Type": "application/problem+json", "X-Request-Id": "req-9"},
    )
    client = make()
    with pytest.raises(errors.NotFoundError) as info:
        await resolve(client.pets.get("rex"))

    copy = pickle.loads(pickle.dumps(info.value))

    assert type(copy) is errors.NotFoundError
    assert str(copy) == str(info.value)
    assert (copy.status_code, copy.request_id, copy.body) == (404, "req-9", info.value.body)
    assert copy.problem is not None and copy.problem.extensions == {"hint": "x"}
