"""Helpers of the vendor tests: spec examples as response bodies, request inspection."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import yaml  # type: ignore[import-untyped,unused-ignore]

SPECS = Path(__file__).resolve().parents[2] / "specs"


@cache
def load_spec(file: str) -> dict[str, Any]:
    """A spec of ``specs/``, parsed (JSON or YAML), read once per test run."""
    text = (SPECS / file).read_text(encoding="utf-8")
    data = json.loads(text) if file.endswith(".json") else yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def resolve_ref(doc: dict[str, Any], node: Any) -> Any:
    """``node`` with its local ``$ref`` links followed (JSON-pointer escapes undone)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def spec_example(file: str, method: str, path: str, status: str = "200") -> Any:
    """The first example the spec gives for a response (media type example, named
    examples, or the schema's example). Fails the test when the spec has none."""
    doc = load_spec(file)
    op = doc["paths"][path][method.lower()]
    response = resolve_ref(doc, op["responses"][status])
    content = response.get("content") or {}
    json_types = [ct for ct in content if ct == "application/json" or ct.endswith("+json")]
    for media in (content[ct] for ct in json_types):
        if "example" in media:
            return _jsonable(media["example"])
        for named in (media.get("examples") or {}).values():
            return _jsonable(resolve_ref(doc, named)["value"])
        schema = resolve_ref(doc, media.get("schema") or {})
        if "example" in schema:
            return _jsonable(schema["example"])
    raise AssertionError(f"{file}: no example for {method} {path} {status}")


def minimal_instance(file: str, schema: Any, depth: int = 0) -> Any:
    """The smallest JSON value a schema accepts: required properties only, first enum
    value, one item for required arrays. Used as a response body where the spec gives no
    example."""
    doc = load_spec(file)
    schema = resolve_ref(doc, schema)
    if not isinstance(schema, dict) or depth > 12:
        return None
    if "example" in schema and depth > 0:
        return _jsonable(schema["example"])
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if resolve_ref(doc, o).get("type") != "null"]
            return minimal_instance(file, options[0], depth + 1) if options else None
    if "allOf" in schema:
        out: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal_instance(file, part, depth + 1)
            if isinstance(value, dict):
                out.update(value)
        return out
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        return {
            name: minimal_instance(file, schema["properties"][name], depth + 1)
            for name in schema.get("required", [])
            if name in schema.get("properties", {})
        }
    if kind == "array":
        return [minimal_instance(file, schema.get("items") or {}, depth + 1)]
    if kind == "string":
        return {"date-time": "2024-01-02T03:04:05Z", "date": "2024-01-02"}.get(
            schema.get("format", ""), "x"
        )
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return None


def spec_body(file: str, method: str, path: str, status: str = "200") -> Any:
    """The spec's example for a response, or else a minimal instance of its schema."""
    try:
        return spec_example(file, method, path, status)
    except AssertionError:
        pass
    doc = load_spec(file)
    op = doc["paths"][path][method.lower()]
    response = resolve_ref(doc, op["responses"][status])
    media = next(iter((response.get("content") or {}).values()))
    return minimal_instance(file, media.get("schema") or {})


def _jsonable(value: Any) -> Any:
    # YAML turns unquoted dates into date objects; the wire has strings
    return json.loads(json.dumps(value, default=str))


def resolve_attr(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass
class Case:
    """One call through a client and the exact request it must produce."""

    id: str
    call: Callable[[Any], Any]
    method: str
    url: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    response: Any = None
    status: int = 200
    check: Callable[[Any], bool] | None = None
    content_type: str = "application/json"
    #: the parsed model must serialise back to exactly the response body
    roundtrip: bool = True

    def respond(self) -> httpx.Response:
        if self.response is None:
            return httpx.Response(self.status)
        if isinstance(self.response, str):
            return httpx.Response(
                self.status, text=self.response, headers={"Content-Type": self.content_type}
            )
        return httpx.Response(self.status, json=self.response)


def assert_request(case: Case, request: httpx.Request) -> None:
    assert request.method == case.method
    assert str(request.url) == case.url
    for name, value in case.headers.items():
        assert request.headers.get(name) == value, name
    if case.json is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.json


def _check_result(case: Case, result: Any) -> None:
    from commonrest import Model, Page

    data = result.data if isinstance(result, Page) else result
    if case.roundtrip and isinstance(case.response, dict):
        assert isinstance(data, Model), type(data)
        assert data.to_dict() == case.response
    if case.check is not None:
        assert case.check(result), result


def run_sync(client: Any, case: Case) -> Any:
    """Make the call through a sync client against a respx mock; check the request."""
    import respx

    from commonrest import SyncPager

    with respx.mock(assert_all_called=True) as router:
        router.route().mock(return_value=case.respond())
        result = case.call(client)
        if isinstance(result, SyncPager):
            result = result.first_page()
        assert len(router.calls) == 1
        assert_request(case, router.calls[0].request)
    _check_result(case, result)
    return result


async def run_async(client: Any, case: Case) -> Any:
    """The same through an async client."""
    import inspect

    import respx

    from commonrest import AsyncPager

    with respx.mock(assert_all_called=True) as router:
        router.route().mock(return_value=case.respond())
        result = case.call(client)
        if isinstance(result, AsyncPager):
            result = await result.first_page()
        elif inspect.isawaitable(result):
            result = await result
        assert len(router.calls) == 1
        assert_request(case, router.calls[0].request)
    _check_result(case, result)
    return result


def members(module: ModuleType) -> list[Any]:
    """Every name a module offers: a public models module lists them in ``__all__`` and
    loads them on first use; a strict request module defines them all."""
    names = getattr(module, "__all__", None)
    if names is None:
        return list(vars(module).values())
    return [getattr(module, name) for name in names]
