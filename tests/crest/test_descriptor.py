"""Parsing ``?_crestapi`` descriptors (the reference's example descriptors)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from commonrest import CommonRestError
from commonrest.crest._descriptor import (
    ApiDescriptor,
    DescriptorError,
    ErrorInfo,
    parse_descriptor,
)

from .helpers import load_json

COMMON = "crest-descriptor-frapi.common.json"


def _load(name: str, *, with_common: bool = True) -> ApiDescriptor:
    registry = [load_json(COMMON)] if with_common else []
    return parse_descriptor(load_json(f"crest-descriptor-{name}.json"), registry=registry)


def test_sub_resources_endpoints_and_what_they_offer() -> None:
    api = _load("sub-resources")
    assert api.id == "example:sub-resources"
    paths = [(e.path, e.version) for e in api.endpoints()]
    assert ("/users", "1.0") in paths
    assert ("/users/{id}", "2.0") in paths
    assert ("/users/{userId}/devices", "1.0") in paths
    assert ("/users/{userId}/devices/{id}", "2.0") in paths
    assert ("/admins/{userId}/devices/{id}", "1.0") in paths

    users = api.endpoint("/users", version="1.0")
    assert users.kind == "collection"
    assert users.verbs == ("create",)
    assert users.verb_details["create"].mode == "ID_FROM_SERVER"
    assert [q.type for q in users.queries] == ["FILTER"]
    assert users.queries[0].paging_modes == ("COOKIE", "OFFSET")
    assert users.queries[0].count_policies == ("NONE",)
    assert users.queries[0].queryable_fields == ("uid", "name", "password")
    assert users.mvcc_supported

    user = api.endpoint("/users/{id}", version="1.0")
    assert user.kind == "item"
    assert user.verbs == ("create", "read", "update", "delete", "patch")
    assert user.verb_details["create"].mode == "ID_FROM_CLIENT"
    assert user.verb_details["patch"].patch_operations == ("ADD", "REMOVE")
    assert user.action_names == ("resetPassword",)

    # Without a version the newest wins: devices 2.0 adds the rollOut action.
    device = api.endpoint("/users/{userId}/devices/{id}")
    assert device.version == "2.0"
    assert device.action_names == ("markAsStolen", "rollOut")


def test_rest2ldap_actions_with_request_and_response_schemas() -> None:
    api = _load("rest2ldap")
    user = api.endpoint("/users/{id}")
    modify, reset = user.actions
    assert modify.name == "modifyPassword"
    assert modify.request is not None
    assert modify.request["required"] == ["oldPassword", "newPassword"]
    assert reset.response is not None
    assert "generatedPassword" in reset.response["properties"]
    assert user.verb_details["patch"].patch_operations == ("ADD", "REMOVE", "REPLACE", "INCREMENT")
    groups = api.endpoint("/groups/{id}")
    assert groups.verb_details["patch"].patch_operations == ("ADD",)


def test_error_references_are_followed_into_the_registry() -> None:
    api = _load("rest2ldap")
    errors = api.endpoint("/users/{id}").actions[0].errors
    by_ref = {e.ref: e for e in errors}
    assert by_ref["frapi:common#/errors/badRequest"].code == 400
    assert by_ref["frapi:common#/errors/versionMismatch"].code == 412
    assert by_ref["#/errors/passwordModifyRequiresHttps"].code == 403  # local reference
    assert api.errors["adminLimitExceeded"] == ErrorInfo(
        500, "The request exceeded an administrative limit."
    )


def test_unresolved_external_references_keep_the_ref() -> None:
    api = _load("rest2ldap", with_common=False)
    errors = api.endpoint("/users/{id}").actions[0].errors
    assert errors[0] == ErrorInfo(None, None, "frapi:common#/errors/badRequest")
    assert errors[2].code == 403  # local references still resolve


def test_registry_accepts_parsed_descriptors() -> None:
    common = parse_descriptor(load_json(COMMON))
    assert common.errors["versionRequired"].code == 428
    api = parse_descriptor(load_json("crest-descriptor-rest2ldap.json"), registry=[common])
    assert api.endpoint("/users").verb_details["create"].errors[0].code == 400


def test_audit_parameters_subresources_and_item_only_read() -> None:
    api = _load("openidm-audit")
    audit = api.endpoint("/audit")
    assert audit.kind == "resource"
    assert audit.verbs == ()
    assert audit.action_names == (
        "availableHandlers",
        "getChangedPasswordFields",
        "getChangedWatchedFields",
    )
    topic = api.endpoint("/audit/{topic}")
    assert topic.action_names == ("rotate",)
    rotate = topic.actions[0]
    assert rotate.parameters[0].name == "handler"
    assert rotate.parameters[0].source == "ADDITIONAL"
    assert rotate.parameters[0].required
    assert rotate.parameters[0].enum == ("csv",)
    assert api.service("auditTopic:0").parameters[0].source == "PATH"
    assert api.endpoint("/audit/{topic}/{id}").verbs == ("read",)


def test_summary_lists_every_endpoint() -> None:
    summary = _load("rest2ldap").summary().splitlines()
    assert summary == [
        "/groups (v1.0): create(ID_FROM_SERVER), query:FILTER",
        "/groups/{id} (v1.0): create(ID_FROM_CLIENT), read, update, delete, patch[ADD]",
        "/users (v1.0): create(ID_FROM_SERVER), query:FILTER",
        "/users/{id} (v1.0): create(ID_FROM_CLIENT), read, update, delete, "
        "patch[ADD,REMOVE,REPLACE,INCREMENT], action:modifyPassword, action:resetPassword",
    ]


def test_definitions_are_reachable_from_schemas() -> None:
    api = _load("sub-resources")
    schema = api.service("users:1.0").resource_schema
    assert schema == {"$ref": "#/definitions/user"}
    user = api.definition(schema)
    assert user is not None and user["required"] == ["uid", "name", "password"]
    assert api.definition("device") is not None
    assert api.definition("#/definitions/nothing") is None


def test_inline_services_and_id_queries() -> None:
    doc: dict[str, Any] = {
        "id": "inline",
        "paths": {
            "/tasks": {
                "1.0": {
                    "queries": [
                        {"type": "id", "queryId": "overdue", "parameters": [{"name": "days"}]}
                    ],
                    "actions": [{"name": "purge"}],
                    "read": {},
                }
            }
        },
    }
    api = parse_descriptor(json.dumps(doc))
    tasks = api.endpoint("/tasks")
    assert tasks.queries[0].type == "ID"
    assert tasks.queries[0].query_id == "overdue"
    assert tasks.queries[0].parameters[0].name == "days"
    assert tasks.describe() == "/tasks (v1.0): read, query:ID=overdue, action:purge"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("[1]", "must be a JSON object"),
        ("{not json", "not valid JSON"),
        ({"services": []}, "'services' must be an object"),
        ({"paths": {"/a": []}}, "must map versions"),
        ({"services": {"s": {"actions": [{"no": "name"}]}}}, "action must be an object"),
        ({"services": {"s": {"queries": "x"}}}, "expected a JSON array"),
        ({"paths": {"/a": {"1": {"$ref": "#/nowhere"}}}}, "cannot be followed"),
        ({"paths": {"/a": {"1": {"$ref": "#/services/ghost"}}}}, "unknown service.*ghost"),
    ],
)
def test_malformed_descriptors(doc: Any, message: str) -> None:
    # an SDK error (except CommonRestError catches it) that is still a ValueError
    with pytest.raises(DescriptorError, match=message) as info:
        parse_descriptor(doc)
    assert isinstance(info.value, CommonRestError) and isinstance(info.value, ValueError)


def test_unknown_endpoint_lists_known_ones() -> None:
    with pytest.raises(KeyError, match="/users"):
        _load("rest2ldap").endpoint("/nope")
