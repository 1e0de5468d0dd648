"""Logging: off unless asked for, switched on by COMMONREST_LOG, never showing a
credential."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator

import httpx
import pytest
import respx

import commonrest._log
from airflow_like import AirflowClient  # noqa: F401  (defines the airflow_like logger's client)
from commonrest import APIError, APIKeyAuth, BasicAuth, BearerAuth, SyncClient

from .api import PetClient
from .helpers import PETS, SECRET, Factory, pet, resolve
from .servers import json_answer, serve

pytestmark = pytest.mark.anyio


@pytest.fixture
def fresh_log_setup(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let configure_from_env run again, and undo what it attaches."""
    monkeypatch.setattr(commonrest._log, "_done", False)
    monkeypatch.setattr(commonrest._log, "_switch", None)
    monkeypatch.setattr(commonrest._log, "_attached", set())
    loggers = [logging.getLogger(name) for name in sorted(commonrest._log._names)]
    before = [(lg.level, list(lg.handlers)) for lg in loggers]
    yield
    for lg, (level, handlers) in zip(loggers, before, strict=True):
        lg.setLevel(level)
        lg.handlers[:] = handlers


def test_commonrest_log_attaches_a_handler(
    fresh_log_setup: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMONREST_LOG", "debug")
    logger = logging.getLogger("commonrest")
    handlers = len(logger.handlers)

    PetClient().close()
    PetClient().close()  # once per process, not once per client

    assert len(logger.handlers) == handlers + 1
    assert logger.level == logging.DEBUG
    assert logging.getLogger("airflow_like").level == logging.DEBUG


def test_commonrest_log_covers_a_client_class_defined_after_it_was_read(
    fresh_log_setup: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMONREST_LOG", "info")
    monkeypatch.setattr(commonrest._log, "_names", set(commonrest._log._names))
    PetClient().close()
    shared = logging.getLogger("commonrest").handlers[-1]

    class CrestLike(SyncClient):
        logger_name = "commonrest.late_part"  # under commonrest: its handler serves it

    class LateChild(SyncClient):
        logger_name = "late_vendor_package.part"

    class LateParent(SyncClient):
        logger_name = "late_vendor_package"  # defined after its child: the child lets go

    late = logging.getLogger("late_vendor_package")
    try:
        assert late.handlers == [shared]
        assert late.level == logging.INFO
        assert logging.getLogger("late_vendor_package.part").handlers == []
        assert logging.getLogger("commonrest.late_part").handlers == []
    finally:
        for logger in (late, logging.getLogger("late_vendor_package.part")):
            logger.handlers.clear()
            logger.setLevel(logging.NOTSET)


def test_commonrest_log_level_names_are_honoured(
    fresh_log_setup: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMONREST_LOG", "warning")
    commonrest._log.configure_from_env()
    assert logging.getLogger("commonrest").level == logging.WARNING


def test_without_commonrest_log_nothing_is_attached(
    fresh_log_setup: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMMONREST_LOG", raising=False)
    logger = logging.getLogger("commonrest")
    handlers = list(logger.handlers)
    commonrest._log.configure_from_env()
    assert logger.handlers == handlers


@pytest.mark.parametrize(
    "auth",
    [
        APIKeyAuth(SECRET),
        APIKeyAuth(SECRET, header="X-Pet-Token"),
        BasicAuth("alice", SECRET),
        BearerAuth(SECRET),
    ],
    ids=["x-api-key", "custom-header", "basic", "bearer"],
)
async def test_log_lines_contain_no_credential(
    make: Factory,
    router: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
    auth: APIKeyAuth | BasicAuth | BearerAuth,
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = iter(
        [
            httpx.Response(503, json={"message": f"bad key {SECRET}"}),
            httpx.Response(200, json=pet()),
        ]
    )
    router.get(f"{PETS}/pets/rex").mock(side_effect=lambda request: next(answers))
    router.get(f"{PETS}/pets/find").respond(401, json={"message": f"token {SECRET} rejected"})
    client = make(auth=auth)

    await resolve(client.pets.get("rex"))
    with pytest.raises(APIError):
        await resolve(client.pets.find("rex", access_token=SECRET))

    encoded = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    assert "GET" in caplog.text and "/pets/rex" in caplog.text  # calls were logged...
    assert "retrying" in caplog.text
    for record in caplog.records:  # ...without the secret, formatted or in raw args
        message = record.getMessage()
        assert SECRET not in message
        assert encoded not in message
        assert SECRET not in repr(record.args)


def test_commonrest_log_does_not_switch_on_the_httpx_loggers(
    fresh_log_setup: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # httpx and httpcore log raw request and response headers at DEBUG: our switch must
    # leave them as the application set them.
    monkeypatch.setenv("COMMONREST_LOG", "debug")
    third_party = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    before = [(lg.level, list(lg.handlers), lg.propagate) for lg in third_party]

    with (
        serve(json_answer(pet())) as server,
        PetClient(base_url=server.url, auth=APIKeyAuth(SECRET)) as client,
    ):
        client.pets.get("rex")

    assert [(lg.level, list(lg.handlers), lg.propagate) for lg in third_party] == before
    printed = capsys.readouterr().err
    assert "pets.get: GET" in printed  # our own debug line went out...
    assert "httpcore" not in printed and "HTTP Request" not in printed  # ...theirs did not
    assert SECRET not in printed
