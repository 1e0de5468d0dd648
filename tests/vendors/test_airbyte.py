"""Airbyte Configuration API: one representative operation of every resource, sync and async,
against respx; plus the nested ``pagination`` paging and the read-only declarations.

The spec has no response examples; response bodies are the smallest bodies the response
schemas accept, and every parsed model must serialise back to exactly that body.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from airbyte_like import AirbyteClient, AsyncAirbyteClient

from .helpers import Case, run_async, run_sync, spec_body

API = "http://localhost:8000/api/v1"
CFG = "airbyte/config-platform-v0.50.56.yaml"
AUTH = {"authorization": "Basic YWlyYnl0ZTpwYXNzd29yZA=="}  # airbyte:password
W = "3f0b8c1e-1111-4c5e-9d8e-000000000001"
SD = "3f0b8c1e-2222-4c5e-9d8e-000000000002"
DD = "3f0b8c1e-3333-4c5e-9d8e-000000000003"
ID = "3f0b8c1e-4444-4c5e-9d8e-000000000004"


def post(
    case_id: str, call: Any, path: str, sent: Any = None, status: str = "200", **kw: Any
) -> Case:
    """A POST RPC case; ``sent`` is the exact JSON body expected on the wire."""
    return Case(
        case_id,
        call,
        "POST",
        API + path,
        json=sent,
        headers=AUTH,
        status=int(status),
        response=spec_body(CFG, "POST", "/v1" + path, status),
        **kw,
    )


CASES = [
    post(
        "workspaces.get",
        lambda c: c.workspaces.get({"workspaceId": W}),
        "/workspaces/get",
        {"workspaceId": W},
    ),
    post(
        "notifications.try_config",
        lambda c: c.notifications.try_config(
            {"notificationType": "slack", "sendOnSuccess": False, "sendOnFailure": True}
        ),
        "/notifications/try",
        {"notificationType": "slack", "sendOnSuccess": False, "sendOnFailure": True},
    ),
    post(
        "source_definitions.get",
        lambda c: c.source_definitions.get({"sourceDefinitionId": SD}),
        "/source_definitions/get",
        {"sourceDefinitionId": SD},
    ),
    post(
        "actor_definition_versions.get_for_source",
        lambda c: c.actor_definition_versions.get_for_source({"sourceId": ID}),
        "/actor_definition_versions/get_for_source",
        {"sourceId": ID},
    ),
    post(
        "source_definition_specifications.get",
        lambda c: c.source_definition_specifications.get(
            {"sourceDefinitionId": SD, "workspaceId": W}
        ),
        "/source_definition_specifications/get",
        {"sourceDefinitionId": SD, "workspaceId": W},
    ),
    post(
        "declarative_source_definitions.list_manifests",
        lambda c: c.declarative_source_definitions.list_manifests(
            {"workspaceId": W, "sourceDefinitionId": SD}
        ),
        "/declarative_source_definitions/list_manifests",
        {"workspaceId": W, "sourceDefinitionId": SD},
    ),
    post(
        "connector_builder_projects.list (Python field names accepted)",
        lambda c: c.connector_builder_projects.list({"workspace_id": W}),
        "/connector_builder_projects/list",
        {"workspaceId": W},
    ),
    post(
        "connector_documentation.get",
        lambda c: c.connector_documentation.get(
            {"actorType": "source", "actorDefinitionId": SD, "workspaceId": W}
        ),
        "/connector_documentation/get",
        {"actorType": "source", "actorDefinitionId": SD, "workspaceId": W},
    ),
    post(
        "sources.list_paginated (paging inside the body)",
        lambda c: c.sources.list_paginated({"workspaceIds": [W], "nameContains": "pg"}),
        "/sources/list_paginated",
        {
            "workspaceIds": [W],
            "nameContains": "pg",
            "pagination": {"pageSize": 100, "rowOffset": 0},
        },
        check=lambda page: len(page.items) == 1,
    ),
    post(
        "destination_definitions.get",
        lambda c: c.destination_definitions.get({"destinationDefinitionId": DD}),
        "/destination_definitions/get",
        {"destinationDefinitionId": DD},
    ),
    post(
        "destination_definition_specifications.get",
        lambda c: c.destination_definition_specifications.get(
            {"destinationDefinitionId": DD, "workspaceId": W}
        ),
        "/destination_definition_specifications/get",
        {"destinationDefinitionId": DD, "workspaceId": W},
    ),
    post(
        "destinations.get",
        lambda c: c.destinations.get({"destinationId": ID}),
        "/destinations/get",
        {"destinationId": ID},
    ),
    post(
        "connections.get",
        lambda c: c.connections.get({"connectionId": ID}),
        "/connections/get",
        {"connectionId": ID},
    ),
    post(
        "state.get", lambda c: c.state.get({"connectionId": ID}), "/state/get", {"connectionId": ID}
    ),
    post(
        "operations.get",
        lambda c: c.operations.get({"operationId": ID}),
        "/operations/get",
        {"operationId": ID},
    ),
    post(
        "scheduler.sources_check_connection",
        lambda c: c.scheduler.sources_check_connection(
            {"sourceDefinitionId": SD, "connectionConfiguration": {"host": "db"}, "workspaceId": W}
        ),
        "/scheduler/sources/check_connection",
        {"sourceDefinitionId": SD, "connectionConfiguration": {"host": "db"}, "workspaceId": W},
    ),
    post(
        "source_oauth.get_consent_url",
        lambda c: c.source_oauth.get_consent_url(
            {"sourceDefinitionId": SD, "workspaceId": W, "redirectUrl": "https://app/cb"}
        ),
        "/source_oauths/get_consent_url",
        {"sourceDefinitionId": SD, "workspaceId": W, "redirectUrl": "https://app/cb"},
    ),
    post(
        "destination_oauth.get_consent_url",
        lambda c: c.destination_oauth.get_consent_url(
            {"destinationDefinitionId": DD, "workspaceId": W, "redirectUrl": "https://app/cb"}
        ),
        "/destination_oauths/get_consent_url",
        {"destinationDefinitionId": DD, "workspaceId": W, "redirectUrl": "https://app/cb"},
    ),
    post(
        "web_backend.list_connections",
        lambda c: c.web_backend.list_connections({"workspaceId": W}),
        "/web_backend/connections/list",
        {"workspaceId": W},
    ),
    post("jobs.get", lambda c: c.jobs.get({"id": 42}), "/jobs/get", {"id": 42}),
    post("users.get", lambda c: c.users.get({"userId": ID}), "/users/get", {"userId": ID}),
    post(
        "permissions.get",
        lambda c: c.permissions.get({"permissionId": "p-1"}),
        "/permissions/get",
        {"permissionId": "p-1"},
    ),
    post(
        "secrets_persistence_config.get",
        lambda c: c.secrets_persistence_config.get({"scopeType": "workspace", "scopeId": W}),
        "/secrets_persistence_config/get",
        {"scopeType": "workspace", "scopeId": W},
    ),
    Case(
        "health.check",
        lambda c: c.health.check(),
        "GET",
        f"{API}/health",
        headers=AUTH,
        response={"available": True},
        check=lambda r: r.available is True,
    ),
    Case(
        "openapi.get (text body)",
        lambda c: c.openapi.get(),
        "GET",
        f"{API}/openapi",
        headers=AUTH,
        response="openapi: 3.0.0\n",
        content_type="text/plain",
        check=lambda r: r == "openapi: 3.0.0\n",
    ),
    post(
        "stream_statuses.list (paged)",
        lambda c: c.stream_statuses.list({"workspaceId": W, "pagination": {"pageSize": 10}}),
        "/stream_statuses/list",
        {"workspaceId": W, "pagination": {"pageSize": 10, "rowOffset": 0}},
    ),
    Case(
        "instance_configuration.get",
        lambda c: c.instance_configuration.get(),
        "GET",
        f"{API}/instance_configuration",
        headers=AUTH,
        response=spec_body(CFG, "GET", "/v1/instance_configuration"),
    ),
    post(
        "job_retry_states.get",
        lambda c: c.job_retry_states.get({"id": 42}),
        "/jobs/retry_states/get",
        {"id": 42},
    ),
    post(
        "organizations.get",
        lambda c: c.organizations.get({"organizationId": "org-1"}),
        "/organizations/get",
        {"organizationId": "org-1"},
    ),
    post(
        "deployment_metadata.get (no body)",
        lambda c: c.deployment_metadata.get(),
        "/deployment/metadata",
    ),
    post("applications.list (no body)", lambda c: c.applications.list(), "/applications/list"),
    post(
        "scoped_configuration.list",
        lambda c: c.scoped_configuration.list({"config_key": "token_expiry"}),
        "/scoped_configuration/list",
        {"config_key": "token_expiry"},
    ),
    Case(
        "user_invitations.get (path parameter)",
        lambda c: c.user_invitations.get("invite/42"),
        "GET",
        f"{API}/user_invitations/invite%2F42",
        headers=AUTH,
        response=spec_body(CFG, "GET", "/v1/user_invitations/{inviteCode}"),
    ),
]


def _client() -> AirbyteClient:
    return AirbyteClient(username="airbyte", password="password")


def test_every_resource_has_a_case() -> None:
    from airbyte_like._generated.catalog import RESOURCES

    covered = {c.id.split(" ")[0].rsplit(".", 1)[0] for c in CASES}
    assert covered == {path for path, _, _ in RESOURCES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_sync(case: Case) -> None:
    run_sync(_client(), case)


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_async(case: Case) -> None:
    client = AsyncAirbyteClient(username="airbyte", password="password")
    try:
        await run_async(client, case)
    finally:
        await client.close()


def _source(n: int) -> dict[str, Any]:
    one = spec_body(CFG, "POST", "/v1/sources/get")
    return {**one, "name": f"source-{n}"}


def test_paging_moves_the_row_offset_inside_pagination() -> None:
    client = _client()
    pages = [{"sources": [_source(1), _source(2)]}, {"sources": [_source(3)]}]
    with respx.mock() as router:
        route = router.post(f"{API}/sources/list_paginated").mock(
            side_effect=[httpx.Response(200, json=p) for p in pages]
        )
        names = [
            s.name
            for s in client.sources.list_paginated(
                {"workspaceIds": [W], "pagination": {"pageSize": 2}}
            )
        ]
    assert names == ["source-1", "source-2", "source-3"]
    sent = [json.loads(call.request.content) for call in route.calls]
    assert sent == [
        {"workspaceIds": [W], "pagination": {"pageSize": 2, "rowOffset": 0}},
        {"workspaceIds": [W], "pagination": {"pageSize": 2, "rowOffset": 2}},
    ]


def test_reads_through_post_are_declared_read_only() -> None:
    import airbyte_like

    entries = {e.operation_id: e for e in airbyte_like.catalog()}
    from airbyte_like._generated.config.sources import Sources

    assert Sources.get.info.read_only and Sources.get.info.retry_safe
    assert Sources.list.info.read_only
    assert Sources.search.info.read_only
    assert Sources.check_connection.info.read_only
    assert not Sources.create.info.read_only
    assert not Sources.update.info.retry_safe
    assert not Sources.delete.info.read_only
    from airbyte_like._generated.config.users import Users

    assert not Users.get_or_create_by_auth_id.info.read_only
    assert "getOrCreateUserByAuthId" in entries


def test_bearer_token_for_airbyte_cloud() -> None:
    client = AirbyteClient(token="cloud-token", environment="cloud")
    with respx.mock() as router:
        route = router.post("https://cloud.airbyte.com/api/v1/workspaces/get").respond(
            200, json=spec_body(CFG, "POST", "/v1/workspaces/get")
        )
        client.workspaces.get({"workspaceId": W})
    assert route.calls[0].request.headers["authorization"] == "Bearer cloud-token"
