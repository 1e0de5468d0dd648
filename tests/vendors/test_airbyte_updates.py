"""Airbyte safe updates: the whole object is sent, what the caller leaves alone survives, a
failed read sends nothing, and a change between the read and the write is caught."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from airbyte_like import AirbyteClient, ConcurrentUpdateError
from airbyte_like.testing import AirbyteFake
from commonrest import ConflictError, InvalidArgumentError, NotFoundError

API = "http://localhost:8000/api/v1"
ID = "3f0b8c1e-4444-4c5e-9d8e-000000000004"
W = "3f0b8c1e-1111-4c5e-9d8e-000000000001"
PG = {"host": "db", "port": 5432, "database": "app", "username": "etl", "password": "pw-12345"}


def _client() -> AirbyteClient:
    return AirbyteClient(username="airbyte", password="password")


def _setup(fake: AirbyteFake) -> tuple[AirbyteClient, str, str]:
    client = fake.client()
    workspace = client.workspaces.create({"name": "ops"})
    assert workspace.workspace_id is not None
    source = client.sources.create(
        {
            "workspaceId": workspace.workspace_id,
            "sourceDefinitionId": fake.postgres_definition_id,
            "name": "app-db",
            "connectionConfiguration": PG,
        }
    )
    assert source.source_id is not None
    return client, workspace.workspace_id, source.source_id


def _sent(fake: AirbyteFake, path: str) -> list[Any]:
    return [json.loads(r.content) for r in fake.requests if r.url.path.endswith(path)]


def test_a_name_change_keeps_the_configuration_and_its_secret() -> None:
    fake = AirbyteFake()
    client, _, source_id = _setup(fake)
    updated = client.sources.safe_update(source_id, name="app-db-primary")
    assert updated.name == "app-db-primary"
    assert fake.sources[source_id]["connectionConfiguration"] == PG  # secret kept as stored
    (body,) = _sent(fake, "/v1/sources/update")
    assert body == {
        "sourceId": source_id,
        "name": "app-db-primary",
        "connectionConfiguration": {**PG, "password": "**********"},  # Airbyte keeps it
    }


def test_a_function_changes_one_nested_field_and_the_rest_survives() -> None:
    fake = AirbyteFake()
    client, _, source_id = _setup(fake)
    client.sources.safe_update(
        source_id, lambda body: body["connectionConfiguration"].update(port=6432)
    )
    assert fake.sources[source_id]["connectionConfiguration"] == {**PG, "port": 6432}


def test_a_plain_update_with_part_of_the_configuration_erases_the_rest() -> None:
    """What safe_update protects against: the plain update replaces the object."""
    fake = AirbyteFake()
    client, _, source_id = _setup(fake)
    partial = {k: v for k, v in PG.items() if k != "database"}
    fake.source_definitions[fake.postgres_definition_id]["_spec"]["required"] = []
    client.sources.update({"sourceId": source_id, "name": "x", "connectionConfiguration": partial})
    assert "database" not in fake.sources[source_id]["connectionConfiguration"]


def test_a_failed_read_sends_nothing() -> None:
    fake = AirbyteFake()
    client, _, source_id = _setup(fake)
    fake.fail_next(404, path="/v1/sources/get", message="no such source")
    with pytest.raises(NotFoundError):
        client.sources.safe_update(source_id, name="renamed")
    assert _sent(fake, "/v1/sources/update") == []
    assert fake.sources[source_id]["name"] == "app-db"


def test_a_change_between_read_and_write_raises_and_writes_nothing() -> None:
    client = _client()
    first = {"sourceId": ID, "workspaceId": W, "sourceDefinitionId": W, "name": "a",
             "connectionConfiguration": {"host": "db"}}  # fmt: skip
    moved = {**first, "connectionConfiguration": {"host": "db2"}}
    with respx.mock(assert_all_called=False) as router:
        reads = router.post(f"{API}/sources/get").mock(
            side_effect=[httpx.Response(200, json=first), httpx.Response(200, json=moved)]
        )
        update = router.post(f"{API}/sources/update").respond(200, json=first)
        with pytest.raises(ConcurrentUpdateError) as caught:
            client.sources.safe_update(ID, name="b")
    assert reads.call_count == 2 and update.call_count == 0
    error = caught.value
    assert isinstance(error, ConflictError) and error.status_code == 409
    assert error.changed == ("connectionConfiguration",)
    assert error.operation == "sources.safe_update"
    assert "db2" not in str(error) and "nothing was written" in str(error)


def test_without_the_guard_one_read_precedes_the_write() -> None:
    client = _client()
    read = {"sourceId": ID, "name": "a", "connectionConfiguration": {"host": "db"}}
    with respx.mock() as router:
        reads = router.post(f"{API}/sources/get").respond(200, json=read)
        update = router.post(f"{API}/sources/update").respond(200, json=read)
        client.sources.safe_update(ID, name="b", guard=False)
    assert reads.call_count == 1 and update.call_count == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.sources.safe_update(ID, colour="red"), "'colour' is not a field"),
        (lambda c: c.sources.safe_update(ID, source_id="x"), "identifies the object"),
        (lambda c: c.sources.safe_update("", name="x"), "must not be empty"),
        (lambda c: c.sources.safe_update(ID, "not a function"), "change must be a function"),
        (lambda c: c.connector_builder_projects.safe_update(ID, name="x"), "builderProjectId"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(call: Any, message: str) -> None:
    client = _client()
    with (
        respx.mock(assert_all_called=False) as router,
        pytest.raises(InvalidArgumentError, match=message),
    ):
        call(client)
    assert router.calls.call_count == 0


_CONNECTION = {
    "connectionId": ID, "name": "c", "sourceId": W, "destinationId": W, "status": "active",
    "namespaceDefinition": "source", "prefix": "raw_", "syncCatalog": {"streams": []},
    "scheduleType": "manual", "breakingChange": False,
}  # fmt: skip
_WORKSPACE = {
    "workspaceId": ID, "customerId": W, "name": "w", "slug": "w", "email": "a@b.example",
    "initialSetupComplete": True, "news": False, "webhookConfigs": [{"id": W, "name": "hook"}],
}  # fmt: skip
_OPERATION = {
    "workspaceId": W, "operationId": ID, "name": "dbt",
    "operatorConfiguration": {"operatorType": "webhook", "webhook": {"webhookConfigId": W}},
}  # fmt: skip
_PROJECT = {
    "builderProject": {"name": "p", "builderProjectId": ID, "hasDraft": True},
    "declarativeManifest": {"manifest": {"version": "0.1"}, "isDraft": True, "version": 1},
}  # fmt: skip
_DESTINATION = {
    "destinationId": ID, "workspaceId": W, "destinationDefinitionId": W, "name": "d",
    "connectionConfiguration": {"project_id": "p"},
}  # fmt: skip

FAMILIES = [
    ("sources", "/sources/get", {"sourceId": ID},
     {"sourceId": ID, "name": "a", "connectionConfiguration": {"host": "db"}, "workspaceId": W},
     "/sources/update", {"name": "z"},
     {"sourceId": ID, "name": "z", "connectionConfiguration": {"host": "db"}}),
    ("destinations", "/destinations/get", {"destinationId": ID}, _DESTINATION,
     "/destinations/update", {"name": "z"},
     {"destinationId": ID, "name": "z", "connectionConfiguration": {"project_id": "p"}}),
    ("connections", "/connections/get", {"connectionId": ID}, _CONNECTION,
     "/connections/update", {"status": "inactive"},
     {"connectionId": ID, "name": "c", "status": "inactive", "namespaceDefinition": "source",
      "prefix": "raw_", "syncCatalog": {"streams": []}, "scheduleType": "manual",
      "breakingChange": False}),
    ("workspaces", "/workspaces/get", {"workspaceId": ID}, _WORKSPACE,
     "/workspaces/update", {"news": True},
     {"workspaceId": ID, "email": "a@b.example", "initialSetupComplete": True, "news": True}),
    ("operations", "/operations/get", {"operationId": ID}, _OPERATION,
     "/operations/update", {"name": "dbt-2"},
     {"operationId": ID, "name": "dbt-2",
      "operatorConfiguration": _OPERATION["operatorConfiguration"]}),
    ("connector_builder_projects", "/connector_builder_projects/get_with_manifest",
     {"workspaceId": W, "builderProjectId": ID}, _PROJECT,
     "/connector_builder_projects/update", {"name": "q"},
     {"workspaceId": W, "builderProjectId": ID,
      "builderProject": {"name": "q", "draftManifest": {"version": "0.1"}}}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("resource", "read_path", "read_body", "read", "update_path", "changes", "expected"),
    FAMILIES,
    ids=[f[0] for f in FAMILIES],
)
def test_every_family_reads_then_sends_the_whole_object(
    resource: str,
    read_path: str,
    read_body: dict[str, Any],
    read: dict[str, Any],
    update_path: str,
    changes: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    client = _client()
    key: Any = read_body if len(read_body) > 1 else next(iter(read_body.values()))
    with respx.mock() as router:
        reads = router.post(API + read_path).respond(200, json=read)
        update = router.post(API + update_path).respond(200, json=read)
        getattr(client, resource).safe_update(key, **changes)
    assert [json.loads(c.request.content) for c in reads.calls] == [read_body, read_body]
    assert json.loads(update.calls[0].request.content) == expected


def test_a_published_builder_manifest_is_not_sent_back_as_a_draft() -> None:
    client = _client()
    published = {**_PROJECT, "declarativeManifest": {"manifest": {"v": 1}, "isDraft": False}}
    with respx.mock() as router:
        router.post(f"{API}/connector_builder_projects/get_with_manifest").respond(
            200, json=published
        )
        update = router.post(f"{API}/connector_builder_projects/update").respond(200)
        client.connector_builder_projects.safe_update(
            {"workspaceId": W, "builderProjectId": ID}, name="renamed"
        )
    assert json.loads(update.calls[0].request.content)["builderProject"] == {"name": "renamed"}


@pytest.mark.anyio
async def test_async_safe_update_runs_the_same_plan() -> None:
    fake = AirbyteFake()
    sync, workspace_id, source_id = _setup(fake)
    async with fake.async_client() as client:
        updated = await client.sources.safe_update(
            source_id, lambda body: body["connectionConfiguration"].update(database="reporting")
        )
        fake.fail_next(404, path="/v1/workspaces/get")
        with pytest.raises(NotFoundError):
            await client.workspaces.safe_update(workspace_id, news=True)
    assert updated.connection_configuration["database"] == "reporting"
    assert fake.sources[source_id]["connectionConfiguration"] == {**PG, "database": "reporting"}
    assert _sent(fake, "/v1/workspaces/update") == []
    sync.close()


def test_the_plain_update_docstring_says_it_replaces() -> None:
    client = _client()
    assert "Replaces the whole source" in (client.sources.update.__doc__ or "")
    assert "safe_update" in (client.sources.update.__doc__ or "")
    assert "Top-level fields left out" in (client.connections.update.__doc__ or "")


def test_through_with_raw_response_the_helper_reads_the_parsed_models() -> None:
    fake = AirbyteFake()
    client, _, source_id = _setup(fake)
    raw = client.with_raw_response
    updated = raw.sources.safe_update(source_id, name="via-raw")  # type: ignore[attr-defined]
    assert updated.name == "via-raw" and fake.sources[source_id]["name"] == "via-raw"


def test_help_shows_what_each_mode_returns() -> None:
    import inspect

    from airbyte_like import AsyncAirbyteClient

    sync = inspect.signature(_client().sources.safe_update)
    aclient = AsyncAirbyteClient(username="airbyte", password="password")
    wait = inspect.signature(aclient.jobs.wait)
    assert sync.return_annotation == "SourceRead" and "self" not in sync.parameters
    assert wait.return_annotation == "Coroutine[Any, Any, JobInfoRead]"
    assert "Update the source without erasing" in (_client().sources.safe_update.__doc__ or "")
