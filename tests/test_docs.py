"""The code a user reads must be true: every ```python block of README.md and docs/*.md
compiles, and the self-contained ones run, offline, against respx mocks or the in-memory
Common REST server.

Blocks are found by a phrase they contain, so moving a block keeps its test; a block that
disappears or stops running fails here. Blocks that only make sense inside a session
(``users.patch(...)`` needs a ``users``) run in a namespace holding those names.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import io
import re
import types
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pydantic
import pytest
import respx

from airflow_like import AirflowClient
from airflow_like.testing import AirflowFake
from airflow_like.types.v2 import DAGResponse
from commonrest import (
    APIKeyAuth,
    APIResponse,
    AsyncClient,
    Call,
    ConfigurationError,
    Model,
    Resource,
    RetryPolicy,
    Service,
    SyncClient,
    Timeout,
    operation,
)
from commonrest.crest import (
    UNLIMITED,
    CommonRestClient,
    CrestModel,
    FilterSyntaxError,
    parse,
    true,
)
from commonrest.declare import OperationInfo, build_catalog, dynamic_operation
from commonrest.testing import APIMock, mock_api
from commonrest.testing.crest_server import CrestServer

ROOT = Path(__file__).resolve().parent.parent
DOCS = [
    ROOT / "README.md",
    ROOT / "README.pypi.md",
    *sorted((ROOT / "docs").rglob("*.md")),
]
#: Pages without code by nature; every other page must keep at least one python block.
PROSE = {"CHANGELOG.md", "changelog.md", "licences.md", "index.md"}
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _blocks(path: Path) -> list[tuple[int, str]]:
    """The ```python blocks of one file, with the line each starts on."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _FENCE.finditer(text)]


def _block(name: str, containing: str) -> str:
    """The one ```python block of ``name`` (relative to the repository) that contains
    ``containing``."""
    found = [code for _, code in _blocks(ROOT / name) if containing in code]
    assert len(found) == 1, f"{name}: {len(found)} python blocks contain {containing!r}"
    return found[0]


def _run(code: str, namespace: dict[str, Any] | None = None) -> dict[str, Any]:
    """Execute a block in ``namespace`` (a session carried over from earlier blocks, or a
    new one) and return it; what the block printed is under ``"__stdout__"``."""
    ns: dict[str, Any] = namespace if namespace is not None else {}
    ns.setdefault("__name__", "docs_snippet")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<docs>", "exec"), ns)
    ns["__stdout__"] = out.getvalue()
    return ns


ALL_BLOCKS = [
    pytest.param(code, id=f"{path.relative_to(ROOT)}:{line}")
    for path in DOCS
    for line, code in _blocks(path)
]


def test_every_doc_has_python_blocks() -> None:
    for path in DOCS:
        if path.name in PROSE and path.parent.name in ("docs", "reference"):
            continue
        assert _blocks(path), f"{path.name}: no ```python block found (fence changed?)"


@pytest.mark.parametrize("code", ALL_BLOCKS)
def test_python_blocks_compile(code: str) -> None:
    ast.parse(code)


# ---------------------------------------------------------------------------- README


def _minimal(model: type[pydantic.BaseModel], **given: Any) -> dict[str, Any]:
    """A JSON body with every required field of ``model`` filled with a plain value."""
    plain: dict[Any, Any] = {str: "x", bool: False, int: 0, float: 0.0}
    body: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        annotation = info.annotation
        value: Any
        if type(None) in get_args(annotation) and get_origin(annotation) in (
            Union,
            types.UnionType,
        ):
            value = None
        elif get_origin(annotation) is list:
            value = []
        else:
            value = plain[annotation]
        body[info.alias or name] = value
    body.update(given)
    return body


@pytest.fixture
def vendor_hosts() -> Iterator[respx.MockRouter]:
    """Every host the README's first two blocks talk to, mocked."""
    server = CrestServer("https://idm.example.com/openidm")
    server.add_collection("/managed/user").seed(
        [{"userName": "bjensen", "mail": "bjensen@example.com"}, {"mail": "x@other.org"}]
    )
    adyen = "https://1797a841fbb37ca7-adyendemo-pal-live.adyenpayments.com/pal/servlet"
    with respx.mock(assert_all_called=True) as router:
        router.post(f"{adyen}/Payment/v68/authorise").respond(
            200, json={"pspReference": "p-1", "resultCode": "Authorised"}
        )
        router.get("http://airflow:8080/api/v2/dags/etl").respond(
            200, json=_minimal(DAGResponse, dag_id="etl"), headers={"X-Request-Id": "r-1"}
        )
        router.get("http://airflow:8080/api/v2/dags/nobody").respond(
            404,
            json={"type": "about:blank", "title": "Not Found", "status": 404},
            headers={"Content-Type": "application/problem+json", "X-Request-Id": "r-2"},
        )
        airflow = AirflowFake(dags=["etl"], password="...", base_url="http://airflow:8080")
        router.route(host="airflow").mock(side_effect=airflow.handle)
        router.post("http://airbyte:8000/api/v1/workspaces/list").respond(
            200, json={"workspaces": []}
        )
        router.get("https://gravity.amentum.io/egm2008/geoid_height").respond(
            200, json={"height": {"units": "m", "value": 21.5}}
        )
        router.route(host="idm.example.com").mock(side_effect=server.handle)
        yield router


def test_readme_clients_at_a_glance_and_shared_behaviour(
    vendor_hosts: respx.MockRouter,
) -> None:
    ns = _run(_block("README.md", "AdyenClient(api_key="))
    assert ns["__stdout__"] == "etl\n"
    assert ns["done"].state == "success"
    assert ns["result"].result_code == "Authorised"
    authorise = vendor_hosts.calls[0].request
    assert authorise.headers["Idempotency-Key"]
    assert ns["workspaces"].workspaces == []
    assert ns["height"].height.value == 21.5
    mails = [user["mail"] for user in ns["users"].query(true(), page_size=100)]
    assert len(mails) == 2

    ns = _run(_block("README.md", "with_raw_response"), ns)
    raw = ns["raw"]
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.attempts == 1
    assert isinstance(raw.elapsed, timedelta)
    assert raw.parse().dag_id == "etl"
    printed = ns["__stdout__"].splitlines()
    assert printed[0].startswith("200 Headers(")
    assert printed[-1].startswith("404 r-2 type='about:blank' title='Not Found'")


def test_readme_testing_example() -> None:
    ns = _run(_block("README.md", "mock_api(client)"))
    client = ns["client"].__wrapped__()  # the block's own pytest fixture
    assert isinstance(client, AirflowClient)
    ns["test_lookup"](client)


def test_readme_testing_example_with_the_fixture(
    commonrest_mock: Callable[[SyncClient], APIMock],
) -> None:
    client = AirflowClient(base_url="http://airflow.test", token="test-token")
    api = commonrest_mock(client)
    api.on(client.v1.dags.get, dag_id="etl").respond(200, json={"dag_id": "etl"})
    assert client.v1.dags.get("etl").dag_id == "etl"


# ---------------------------------------------------------------------------- core.md


class Pet(Model):
    pet_id: str
    name: str | None = None


PET_SERVICES = {
    "pets": Service(
        name="pets", urls={"test": "https://pets.test"}, path="/v{version}", version="2"
    )
}


class PetClient(SyncClient):
    services = PET_SERVICES


def test_core_client_options_block() -> None:
    ns = _run(
        _block("docs/core.md", "client = SomeClient("),
        {"SomeClient": PetClient, "APIKeyAuth": APIKeyAuth, "Timeout": Timeout, "key": "k"},
    )
    client = ns["client"]
    assert client.options.timeout == Timeout(connect=5, read=30)
    assert client.options.deadline == 120
    assert client.options.retry.max_attempts == 3  # max_retries=2
    assert client.environment_urls == {"pets": "https://pets.test/v2"}
    client.close()
    # the defaults the page gives
    defaults = PetClient().options
    assert defaults.timeout == Timeout(connect=5, read=60, write=60, pool=10)
    assert defaults.deadline == 300
    assert RetryPolicy().max_attempts == 3


def test_core_declaring_an_api_serves_sync_and_async() -> None:
    ns = _run(
        _block("docs/core.md", "class Pets(Resource[M])"),
        {"Resource": Resource, "M": Any, "operation": operation, "Call": Call, "Pet": Pet},
    )
    pets = ns["Pets"]

    class Client(SyncClient):
        services = PET_SERVICES

        @property
        def pets(self) -> Any:
            return pets(self)

    class AsyncPetClient(AsyncClient):
        services = PET_SERVICES

        @property
        def pets(self) -> Any:
            return pets(self)

    [entry] = build_catalog([("pets", pets)])
    assert (entry.operation_id, entry.python_name, entry.api) == ("getPet", "pets.get", "pets")

    client = Client()
    with mock_api(client) as api:
        api.on(pets.get, pet_id="rex").respond(200, json={"pet_id": "rex", "name": "Rex"})
        assert client.pets.get("rex").name == "Rex"
        assert str(api.calls[0].request.url) == "https://pets.test/v2/pets/rex"

    aclient = AsyncPetClient()

    async def fetch() -> Any:
        async with aclient:
            return await aclient.pets.get("rex")

    with mock_api(aclient) as api:
        api.on(pets.get, pet_id="rex").respond(200, json={"pet_id": "rex"})
        assert asyncio.run(fetch()).pet_id == "rex"


def test_core_dynamic_operation_with_finish() -> None:
    class Items(Resource[Any]):
        @dynamic_operation
        def create(self, path: str) -> tuple[OperationInfo, Call[str | None]]:
            info = OperationInfo("PUT", path, operation_id="putItem", api="pets", version="2")
            return info, Call(
                dict[str, Any], finish=lambda parsed, response: response.headers.get("Location")
            )

    assert build_catalog([("items", Items)]) == []
    client = PetClient()
    with respx.mock() as router:
        router.put("https://pets.test/v2/items/1").respond(
            200, json={}, headers={"Location": "/items/1"}
        )
        assert Items(client).create("/items/1") == "/items/1"


def test_core_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        AirflowClient(base_url="ftp://airflow")
    with pytest.raises(ValueError, match="timeout"):
        AirflowClient(base_url="http://airflow.test", timeout=None)


def test_core_models_block() -> None:
    _run(_block("docs/core.md", "TaskInstance.from_json"))


def test_core_waiting_block_waits_for_the_run() -> None:
    ns = _run(_block("docs/core.md", "client.dag_runs.wait("))
    assert ns["__stdout__"] == "success\n"
    assert ns["done"].state == "success"


# ---------------------------------------------------------------------- commonrest.md


def test_commonrest_page_runs_top_to_bottom() -> None:
    """The blocks of docs/commonrest.md in one session, as a reader would run them, with
    the in-memory server standing in for ``https://idm.example.com/openidm``."""
    server = CrestServer("https://idm.example.com/openidm")
    server.add_collection("/managed/user", set_fields=["/roles"]).add(
        {
            "userName": "bjensen",
            "mail": "bjensen@example.com",
            "fruits": ["apple"],
            "phoneNumber": ["+1 408 555 1862", "+1 408 555 1212"],
            "roles": ["admin", "user"],
            "telephoneNumber": "+1 408 555 1862",
            "user": {"payment": 0},
            "surname": "Jensen",
            "objects": {},
            "active": True,
            "lastLogin": 1,
        },
        id="bjensen",
    )
    server.collection("/managed/user").actions["resetPassword"] = lambda ctx: {"done": True}
    server.transform = lambda value, spec: {"transformed": spec}

    page = "docs/commonrest.md"
    ns = _run(_block(page, 'auth=BasicAuth("openidm-admin"'))
    assert ns["users"].path == "/managed/user"
    ns["client"] = client = server.client(auth=ns["client"]._config.credentials["default"])

    _run(_block(page, "class User(CrestModel)"), ns)
    assert isinstance(ns["bjensen"], CrestModel) and ns["bjensen"].id == "bjensen"
    users = client.resource("/managed/user")

    _run(_block(page, "def promote(user)"), ns)
    assert users.read("bjensen")["title"] == "Manager"

    ns["bjensen"] = ns["users"].read("bjensen")  # the revision the promotion left
    _run(_block(page, "Patch()"), ns)
    patched = users.read("bjensen")
    assert patched["fruits"] == ["apple", "pineapple"]
    assert patched["phoneNumber"] == ["+1 408 555 1212"]
    assert patched["roles"] == ["user"]
    assert patched["user"] == {"payment": 1000}
    assert patched["lastName"] == "Jensen" and "surname" not in patched
    assert patched["another_mail"] == patched["mail"]

    _run(_block(page, "sort_keys="), ns)
    assert [user.userName for user in ns["pager"]] == ["bjensen"]
    assert "_sortKeys=-%2FlastLogin%2C%2B%2FuserName" in str(server.requests[-1].url)

    _run(_block(page, 'users.action("resetPassword"'), ns)
    assert ns["result"] == {"done": True}
    assert "notify=true" in str(server.requests[-1].url)

    _run(_block(page, "client.crest_api("), ns)
    assert ns["__stdout__"].startswith("/managed/user (v1.0): create(ID_FROM_SERVER), query:FILTER")
    assert ns["api"].endpoint("/managed/user/{id}").action_names == ("resetPassword",)
    assert all(request.headers["Authorization"].startswith("Basic ") for request in server.requests)


def test_commonrest_filters() -> None:
    code = _block("docs/commonrest.md", "f.render()")
    ns = _run(code)
    expected = re.search(r"f\.render\(\)\s*#\s*(.+)$", code, re.MULTILINE)
    assert expected is not None
    assert ns["f"].render() == ast.literal_eval(expected.group(1))

    code = _block("docs/commonrest.md", 'parse("/userName eq")')
    with pytest.raises(FilterSyntaxError, match="at position 12: expected a value"):
        _run(code, {"parse": parse})


def test_commonrest_durations_block() -> None:
    code = _block("docs/commonrest.md", "parse_duration(")
    ns = _run(code)
    assert ns["parse_duration"]("23 hours 59 minutes and 59 seconds") == timedelta(seconds=86399)
    assert ns["parse_duration"]("indefinite") is UNLIMITED
    assert ns["parse_duration"]("disabled") == timedelta(0)


def test_commonrest_testing_block() -> None:
    ns = _run(_block("docs/commonrest.md", "server.fail_next("))
    assert ns["users"].get("1")["userName"] == "bjensen"
    assert isinstance(ns["client"], CommonRestClient)
