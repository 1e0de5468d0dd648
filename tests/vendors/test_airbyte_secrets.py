"""Airbyte errors, connector secrets and configuration: error bodies read into the core's
errors, secrets kept out of errors, logs and reprs while sent exactly as given, and where
the client finds its base URL."""

from __future__ import annotations

import json
import logging
import pickle
import uuid

import httpx
import pytest
import respx

from airbyte_like import AirbyteClient, AirbyteErrorDetail, learn_secret_fields
from airbyte_like.testing import AirbyteFake
from airbyte_like.types import SourceCreate, SourceRead
from commonrest import (
    APIDecodeError,
    BadRequestError,
    ConfigurationError,
    InternalServerError,
    NotFoundError,
    RetryPolicy,
    UnprocessableEntityError,
)

API = "http://localhost:8000/api/v1"
W = "3f0b8c1e-1111-4c5e-9d8e-000000000001"
SD = "3f0b8c1e-2222-4c5e-9d8e-000000000002"
SECRET = "s3cr3t-Pa55-word-XYZ"
CONFIG = {"host": "db.internal", "port": 5432, "password": SECRET}


def _client() -> AirbyteClient:
    # not the stock "password": the client scrubs its own credential from errors too
    return AirbyteClient(username="airbyte", password="tour-only-Pw")


def _everything_kept(error: BaseException) -> str:
    kept = [str(error), repr(error), repr(pickle.loads(pickle.dumps(error)).__dict__)]
    for name in ("text", "body", "detail", "problem", "message"):
        kept.append(repr(getattr(error, name, None)))
    return "\n".join(kept)


# ---------------------------------------------------------------------------- error bodies


def test_validation_errors_name_the_field_and_the_stack_stays_off_the_message() -> None:
    fake = AirbyteFake()
    client = fake.client()
    workspace = client.workspaces.create({"name": "w"})
    with pytest.raises(UnprocessableEntityError) as caught:
        client.sources.create(
            {
                "workspaceId": workspace.workspace_id,
                "sourceDefinitionId": fake.postgres_definition_id,
                "name": "db",
                "connectionConfiguration": {"host": "db", "port": 5432, "password": SECRET},
            }
        )
    error = caught.value
    assert "$.database: is missing but it is required" in str(error)
    assert "$.username: is missing but it is required" in str(error)
    detail = error.detail
    assert isinstance(detail, AirbyteErrorDetail)
    assert [p.field for p in detail.validation_errors] == ["$.database", "$.username"]
    assert (
        detail.exception_class
        == error.code
        == ("io.airbyte.commons.server.errors.BadObjectSchemaKnownException")
    )
    assert any("Fake.java" in line for line in detail.exception_stack)
    assert "Fake.java" not in str(error) and "\n" not in str(error)


def test_a_not_found_body_and_its_root_cause_are_read() -> None:
    body = {
        "id": W,
        "message": "Could not find workspace",
        "exceptionClassName": "io.airbyte.commons.server.errors.IdNotFoundKnownException",
        "exceptionStack": ["at A.b(A.java:1)", "at C.d(C.java:2)"],
        "rootCauseExceptionClassName": "io.airbyte.config.persistence.ConfigNotFoundException",
        "rootCauseExceptionStack": ["at E.f(E.java:3)"],
    }
    with respx.mock() as router:
        router.post(f"{API}/workspaces/get").respond(404, json=body)
        with pytest.raises(NotFoundError) as caught:
            _client().workspaces.get({"workspaceId": W})
    detail = caught.value.detail
    assert isinstance(detail, AirbyteErrorDetail)
    assert detail.missing_id == W
    assert detail.root_cause_class == "io.airbyte.config.persistence.ConfigNotFoundException"
    assert detail.exception_stack == ("at A.b(A.java:1)", "at C.d(C.java:2)")
    assert detail.root_cause_stack == ("at E.f(E.java:3)",)
    assert str(caught.value).startswith("404 Not Found: Could not find workspace (")
    assert "A.java" not in str(caught.value)


# ---------------------------------------------------------------------------- secrets


def test_a_secret_echoed_by_an_error_is_kept_nowhere_but_is_sent_as_given() -> None:
    echo = {
        "message": f"password {SECRET} rejected by db.internal",
        "exceptionClassName": "io.airbyte.commons.server.errors.BadObjectSchemaKnownException",
        "exceptionStack": [f"java.sql.SQLException: auth failed for {json.dumps(CONFIG)}"],
        "validationErrors": [
            {"propertyPath": "$.password", "invalidValue": SECRET, "message": "too weak"}
        ],
    }
    with respx.mock() as router:
        route = router.post(f"{API}/sources/create").respond(422, json=echo)
        with pytest.raises(UnprocessableEntityError) as caught:
            _client().sources.create(
                {
                    "workspaceId": W,
                    "sourceDefinitionId": SD,
                    "name": "db",
                    "connectionConfiguration": CONFIG,
                }
            )
    sent = json.loads(route.calls[0].request.content)
    assert sent["connectionConfiguration"] == CONFIG  # exactly as given, on the wire only
    kept = _everything_kept(caught.value)
    assert SECRET not in kept
    # the field is named, not its value; every value of the configuration sent is scrubbed
    assert "($.password: too weak)" in str(caught.value)
    assert "rejected by [redacted]" in str(caught.value)


def test_a_private_success_body_that_cannot_be_read_is_not_kept() -> None:
    token = "ya29.access-token-abcdef123456"
    with respx.mock() as router:
        router.post(f"{API}/source_oauths/complete_oauth").respond(
            200,
            content=b'{"auth_payload": {"access_token": "' + token.encode(),
            headers={"content-type": "application/json"},
        )
        with pytest.raises(APIDecodeError) as caught:
            _client().source_oauth.complete(
                {"sourceDefinitionId": SD, "workspaceId": W, "queryParams": {"code": "c0de-1234"}}
            )
    assert token not in _everything_kept(caught.value)
    assert caught.value.text == "" and caught.value.body is None


def test_secrets_never_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = AirbyteClient(
        username="airbyte",
        password="password",
        retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.02),
    )
    with respx.mock() as router:
        router.post(f"{API}/sources/check_connection_for_update").mock(
            side_effect=[
                httpx.Response(500, json={"message": f"crashed on {SECRET}"}),
                httpx.Response(500, json={"message": f"crashed on {SECRET}"}),
                httpx.Response(500, json={"message": f"crashed on {SECRET}"}),
            ]
        )
        with pytest.raises(InternalServerError) as caught:
            client.sources.check_connection_for_update(
                {"sourceId": W, "name": "db", "connectionConfiguration": CONFIG}
            )
    assert caught.value.attempts == 3  # read-only: retried, and logged each time
    assert caplog.records, "the retries were logged"
    assert SECRET not in caplog.text
    assert SECRET not in _everything_kept(caught.value)


def test_models_mask_secret_fields_in_repr_and_str_but_keep_them() -> None:
    model = SourceCreate(
        workspace_id=W,
        source_definition_id=SD,
        name="db",
        connection_configuration={**CONFIG, "tunnel": {"ssh_key": "-----BEGIN KEY-----"}},
    )
    for shown in (repr(model), str(model)):
        assert SECRET not in shown and "BEGIN KEY" not in shown
        assert "db.internal" in shown and "**********" in shown
    assert model.to_dict()["connectionConfiguration"]["password"] == SECRET
    assert (model.connection_configuration or {})["password"] == SECRET
    with respx.mock() as router:
        route = router.post(f"{API}/sources/create").respond(200, json={"sourceId": W})
        _client().sources.create(model)
    assert (
        json.loads(route.calls[0].request.content)["connectionConfiguration"]["password"] == SECRET
    )


def test_fields_a_fetched_specification_marks_secret_are_masked_from_then_on() -> None:
    name = f"dsn_{uuid.uuid4().hex[:8]}"  # a name no default rule calls secret
    fake = AirbyteFake()
    definition = fake.add_source_definition(
        "Custom",
        {"type": "object", "properties": {name: {"type": "string", "airbyte_secret": True}}},
    )
    read = SourceRead(connection_configuration={name: "postgres://u:pw@h/db", "schema": "public"})
    assert "postgres://u:pw@h/db" in repr(read)  # not known to be secret yet
    client = fake.client()
    workspace = client.workspaces.create({"name": "w"})
    client.source_definition_specifications.get(
        {"sourceDefinitionId": definition, "workspaceId": workspace.workspace_id}
    )
    assert "postgres://u:pw@h/db" not in repr(read) and "public" in repr(read)
    assert learn_secret_fields({"properties": {"x": {"airbyte_secret": True}}}) == {"x"}


# ---------------------------------------------------------------------------- configuration


def test_base_url_from_the_environment_with_v1_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRBYTE_BASE_URL", "http://airbyte.example:8001/api/v1")
    client = _client()
    with respx.mock() as router:
        route = router.get("http://airbyte.example:8001/api/v1/health").respond(
            200, json={"available": True}
        )
        client.health.check()
    assert route.called


@pytest.mark.parametrize(
    "given", ["http://h.example/api", "http://h.example/api/v1", "http://h.example/api/v1/"]
)
def test_base_url_argument_with_or_without_v1(given: str) -> None:
    client = AirbyteClient(base_url=given, token="t0ken-value")
    with respx.mock() as router:
        route = router.post("http://h.example/api/v1/workspaces/list").respond(
            200, json={"workspaces": []}
        )
        client.workspaces.list()
    assert route.calls[0].request.headers["authorization"] == "Bearer t0ken-value"


def test_the_default_is_a_local_install_and_no_credential_is_assumed() -> None:
    with pytest.raises(ConfigurationError, match="AIRBYTE_USERNAME"):
        AirbyteClient()
    client = _client()
    with respx.mock() as router:
        route = router.post(f"{API}/workspaces/list").respond(200, json={"workspaces": []})
        client.workspaces.list()
    assert route.called


@pytest.mark.anyio
async def test_an_async_client_keeps_the_same_secrets_out_of_its_errors() -> None:
    from airbyte_like import AsyncAirbyteClient

    echo = {"message": f"bad config {json.dumps(CONFIG)}"}
    async with AsyncAirbyteClient(username="airbyte", password="tour-only-Pw") as client:
        with respx.mock() as router:
            route = router.post(f"{API}/destinations/check_connection_for_update").respond(
                400, json=echo
            )
            with pytest.raises(BadRequestError) as caught:
                await client.destinations.check_connection_for_update(
                    {
                        "destinationId": W,
                        "name": "wh",
                        "connectionConfiguration": CONFIG,
                    }
                )
    assert json.loads(route.calls[0].request.content)["connectionConfiguration"] == CONFIG
    assert SECRET not in _everything_kept(caught.value)
    assert "400 Bad Request: bad config" in str(caught.value)
