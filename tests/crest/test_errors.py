"""Every status of the reference maps to the core's class, enriched by the error body."""

from __future__ import annotations

import httpx
import pytest

from commonrest import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    GoneError,
    InternalServerError,
    MethodNotAllowedError,
    NoAuth,
    NotAcceptableError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    PreconditionRequiredError,
    ServerNotImplementedError,
    ServiceUnavailableError,
    UnsupportedMediaTypeError,
)
from commonrest.crest import CrestErrorBody, crest_error_of, parse_crest_error
from commonrest.testing.crest_server import CrestServer

from .helpers import open_client, resolve

pytestmark = pytest.mark.anyio

REFERENCE_STATUSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    406: NotAcceptableError,
    409: ConflictError,
    410: GoneError,
    412: PreconditionFailedError,
    415: UnsupportedMediaTypeError,
    428: PreconditionRequiredError,
    500: InternalServerError,
    501: ServerNotImplementedError,
    503: ServiceUnavailableError,
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run each test with the sync and with the async client."""
    return str(request.param)


@pytest.mark.parametrize("status", sorted(REFERENCE_STATUSES))
async def test_every_reference_status_maps_to_its_class(status: int, mode: str) -> None:
    server = CrestServer()
    server.add_collection("/users").add({"userName": "a"}, id="a")
    server.fail_next(status, message=f"custom failure {status}", detail={"hint": status})
    async with open_client(server, mode, max_retries=0) as client:
        with pytest.raises(APIStatusError) as info:
            await resolve(client.resource("/users").read("a"))
    error = info.value
    assert type(error) is REFERENCE_STATUSES[status]
    assert error.status_code == status
    assert error.code == status and isinstance(error.code, int)
    assert f"custom failure {status}" in str(error)
    assert error.method == "GET" and error.url.endswith("/users/a")
    body = crest_error_of(error)
    assert body == CrestErrorBody(
        code=status,
        reason=httpx.codes.get_reason_phrase(status),
        message=f"custom failure {status}",
        detail={"hint": status},
    )
    assert error.body == {
        "code": status,
        "reason": httpx.codes.get_reason_phrase(status),
        "message": f"custom failure {status}",
        "detail": {"hint": status},
    }


async def test_transient_errors_on_reads_are_retried(mode: str) -> None:
    server = CrestServer()
    server.add_collection("/users").add({"userName": "a"}, id="a")
    server.fail_next(503, headers={"Retry-After": "0"})
    async with open_client(server, mode) as client:
        user = await resolve(client.resource("/users").read("a"))
    assert user["userName"] == "a"
    assert [r.method for r in server.requests] == ["GET", "GET"]


async def test_server_chosen_creates_are_not_repeated(mode: str) -> None:
    server = CrestServer()
    server.add_collection("/users")
    server.fail_next(503, headers={"Retry-After": "0"}, method="POST")
    async with open_client(server, mode) as client:
        with pytest.raises(ServiceUnavailableError):
            await resolve(client.resource("/users").create({"userName": "a"}))
    assert len(server.requests) == 1  # a repeat could create a duplicate


async def test_errors_the_server_raises_itself(mode: str) -> None:
    server = CrestServer()
    server.add_collection("/users")
    server.add_singleton("/config", {"a": 1})
    async with open_client(server, mode) as client:
        with pytest.raises(MethodNotAllowedError) as not_allowed:
            await resolve(client.resource("/users").patch(None, [{"operation": "remove",
                                                                  "field": "/a"}]))  # fmt: skip
        with pytest.raises(MethodNotAllowedError):
            await resolve(client.resource("/config").delete(None))
        with pytest.raises(NotFoundError):
            await resolve(client.resource("/nothing/here").read("x"))
        with pytest.raises(BadRequestError, match="unknown _queryId"):
            await resolve(client.resource("/users").query_page(query_id="nope"))
    body = crest_error_of(not_allowed.value)
    assert body is not None and body.reason == "Method Not Allowed"


async def test_bodies_that_are_not_common_rest_still_map(mode: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(409, text="plain conflict")

    client_kwargs = {"transport": httpx.MockTransport(handler), "max_retries": 0, "auth": NoAuth()}
    if mode == "sync":
        from commonrest.crest import CommonRestClient

        with (
            CommonRestClient(base_url="https://x.test", **client_kwargs) as client,  # type: ignore[arg-type]
            pytest.raises(ConflictError) as info,
        ):
            client.resource("/a").read("b")
    else:
        from commonrest.crest import AsyncCommonRestClient

        async with AsyncCommonRestClient(base_url="https://x.test", **client_kwargs) as aclient:  # type: ignore[arg-type]
            with pytest.raises(ConflictError) as info:
                await aclient.resource("/a").read("b")
    assert crest_error_of(info.value) is None
    assert info.value.text == "plain conflict"


@pytest.mark.parametrize(
    "body",
    [
        None,
        "text",
        [1],
        {"message": "no code"},
        {"code": "412", "message": "code is a string"},
        {"code": True, "message": "bool code"},
        {"code": 412},
        {"code": 412, "reason": 5, "message": None},
    ],
)
def test_parser_ignores_what_is_not_a_common_rest_body(body: object) -> None:
    assert parse_crest_error(body, httpx.Headers()) is None


def test_parser_reads_the_four_fields() -> None:
    detail = parse_crest_error(
        {"code": 412, "reason": "Precondition Failed", "message": "rev 3 != 4",
         "detail": {"rev": "4"}},
        httpx.Headers(),
    )  # fmt: skip
    assert detail is not None
    assert detail.message == "rev 3 != 4"
    assert detail.code == 412
    assert detail.data == CrestErrorBody(
        code=412, reason="Precondition Failed", message="rev 3 != 4", detail={"rev": "4"}
    )
    only_reason = parse_crest_error({"code": 410, "reason": "Gone"}, httpx.Headers())
    assert only_reason is not None and only_reason.message == "Gone"


def test_crest_error_of_other_exceptions_is_none() -> None:
    assert crest_error_of(ValueError("x")) is None
