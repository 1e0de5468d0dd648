"""Settings are declared once (a TypedDict per group, see ``commonrest._settings``) and
everything users see is derived from that: the constructors' and ``with_options``'
signatures and ``help()``, the static types mypy checks, and ``dir()`` of a client."""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from adyen_like import AdyenClient, AsyncAdyenClient
from adyen_like._setup import AdyenSettings
from airbyte_like import AirbyteClient, AsyncAirbyteClient
from airbyte_like._setup import AirbyteSettings
from airflow_like import AirflowClient, AsyncAirflowClient
from airflow_like._setup import AirflowSettings
from amentum_like import AmentumClient, AsyncAmentumClient
from amentum_like._setup import AmentumSettings
from commonrest import AsyncClient, BasicAuth, SyncClient
from commonrest._client import AsyncClientOptions, SyncClientOptions
from commonrest._options import CallOptions, WithOptions
from commonrest._settings import declared
from commonrest.crest import AsyncCommonRestClient, CommonRestClient

CLIENTS: list[tuple[type[Any], dict[str, Any], type | None, str]] = [
    (AdyenClient, {"api_key": "k-123"}, AdyenSettings, "payments"),
    (AsyncAdyenClient, {"api_key": "k-123"}, AdyenSettings, "payments"),
    (AirflowClient, {"base_url": "http://airflow.local", "token": "t"}, AirflowSettings, "v1"),
    (AsyncAirflowClient, {"base_url": "http://airflow.local", "token": "t"}, AirflowSettings, "v2"),
    (
        AirbyteClient,
        {"base_url": "http://airbyte.local/api", "token": "t"},
        AirbyteSettings,
        "jobs",
    ),
    (
        AsyncAirbyteClient,
        {"base_url": "http://airbyte.local/api", "token": "t"},
        AirbyteSettings,
        "sources",
    ),
    (AmentumClient, {"api_key": "k-123"}, AmentumSettings, "gravity"),
    (AsyncAmentumClient, {"api_key": "k-123"}, AmentumSettings, "ocean"),
    (
        CommonRestClient,
        {"base_url": "http://idm.local", "auth": BasicAuth("u", "p")},
        None,
        "resource",
    ),
    (
        AsyncCommonRestClient,
        {"base_url": "http://idm.local", "auth": BasicAuth("u", "p")},
        None,
        "resource",
    ),
]
IDS = [c[0].__name__ for c in CLIENTS]


def _core(cls: type[Any]) -> type:
    return AsyncClientOptions if issubclass(cls, AsyncClient) else SyncClientOptions


@pytest.mark.parametrize(("cls", "identity", "own", "resource"), CLIENTS, ids=IDS)
def test_every_declared_setting_is_in_the_constructor_signature(
    cls: type[Any], identity: dict[str, Any], own: type | None, resource: str
) -> None:
    params = inspect.signature(cls).parameters
    expected = dict(declared(_core(cls)))
    if own is not None:
        expected.update(declared(own))
    assert set(params) == set(expected)
    for name, (hint, setting) in expected.items():
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert params[name].annotation == hint, name
        assert params[name].default == setting.default, name
    # the defaults shown are the ones a client gets
    client = cls(**identity)
    assert client.options.deadline == params["deadline"].default
    assert client.options.max_response_size == params["max_response_size"].default


@pytest.mark.parametrize("cls", [SyncClient, AsyncClient], ids=["sync", "async"])
def test_the_core_clients_show_their_settings_too(cls: type[Any]) -> None:
    assert list(inspect.signature(cls).parameters) == list(declared(_core(cls)))


def test_with_options_shows_every_option_it_may_change() -> None:
    client = AdyenClient(api_key="k-123")
    handle = CommonRestClient(base_url="http://idm.local", auth=BasicAuth("u", "p")).resource("/u")
    assert set(declared(CallOptions)) < set(declared(WithOptions))
    for method in (client.with_options, handle.with_options, AsyncClient.with_options):
        params = inspect.signature(method).parameters
        names = [n for n in params if n != "self"]
        assert names == list(declared(WithOptions)), method
        assert all(params[n].kind is inspect.Parameter.KEYWORD_ONLY for n in names)


#: help()'s text renderer without its bold overstrikes (pydoc types only the base class)
_PLAIN: Any = pydoc.plaintext  # type: ignore[attr-defined]


def test_help_lists_the_settings() -> None:
    text = pydoc.render_doc(AdyenClient, renderer=_PLAIN)
    for name in ("api_key", "live_url_prefix", "timeout", "max_retries", "rate_limit"):
        assert f"{name}:" in text, name
    text = pydoc.render_doc(AdyenClient(api_key="k-123").with_options, renderer=_PLAIN)
    assert "idempotency_key:" in text and "deadline:" in text


def test_an_unknown_keyword_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="'time_out'"):
        AdyenClient(api_key="k-123", time_out=5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'idempotency_kee'"):
        AdyenClient(api_key="k-123").with_options(idempotency_kee="x")  # type: ignore[call-arg]


def test_mypy_checks_every_setting_by_name_and_type(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "import httpx\n"
        "from adyen_like import AdyenClient, AsyncAdyenClient\n"
        "c = AdyenClient(api_key='k', timout=5)\n"
        "d = AdyenClient(api_key='k', max_retries='3')\n"
        "c.with_options(idempotency_kee='x')\n"
        "c.with_options(deadline=[1])\n"
        "e = AsyncAdyenClient(api_key='k', http_client=httpx.Client())\n"
        "f = AdyenClient(api_key='k', timeout=5, deadline='1 minute', live_url_prefix='p')\n"
        "g = f.with_options(idempotency_key='x', max_retries=2, headers={'X-A': '1'})\n"
    )
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(snippet)],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    lines = sorted({int(line.split(":")[1]) for line in errors})
    assert lines == [3, 4, 5, 6, 7], proc.stdout
    assert any('"timout"' in line for line in errors), proc.stdout
    assert any('"idempotency_kee"' in line for line in errors), proc.stdout


#: Names a client's users never call: how its class is declared.
DECLARATION = {
    "services",
    "default_environment",
    "error_parsers",
    "env_prefix",
    "logger_name",
    "credential_sources",
}


@pytest.mark.parametrize(("cls", "identity", "own", "resource"), CLIENTS, ids=IDS)
def test_dir_shows_the_api_not_the_internals(
    cls: type[Any], identity: dict[str, Any], own: type | None, resource: str
) -> None:
    client = cls(**identity)
    names = set(dir(client))
    assert not names & DECLARATION
    context = (
        {"__aenter__", "__aexit__"}
        if isinstance(client, AsyncClient)
        else {"__enter__", "__exit__"}
    )
    assert {n for n in names if n.startswith("_")} == context
    assert {"with_options", "with_raw_response", "close", "environment_urls", "options"} <= names
    assert resource in names
    for name in names:  # everything listed is really there
        assert hasattr(client, name), name
