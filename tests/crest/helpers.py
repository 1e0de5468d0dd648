"""Helpers shared by the Common REST tests."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from commonrest.testing.crest_server import CrestServer

DATA = Path(__file__).parent / "data"


def load_json(name: str) -> Any:
    """A JSON fixture from ``tests/crest/data``."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


async def resolve(value: Any) -> Any:
    """``await`` the value when it is awaitable (async client), else return it (sync)."""
    if inspect.isawaitable(value):
        return await value
    return value


async def collect(pager: Any) -> list[Any]:
    """Every item of a sync or async pager."""
    if hasattr(pager, "__aiter__"):
        return [item async for item in pager]
    return list(pager)


async def collect_pages(pager: Any) -> list[Any]:
    """Every page of a sync or async pager."""
    pages = pager.pages()
    if hasattr(pages, "__aiter__"):
        return [page async for page in pages]
    return list(pages)


@asynccontextmanager
async def open_client(server: CrestServer, mode: str, **kwargs: Any) -> AsyncIterator[Any]:
    """A sync or async Common REST client on the in-memory server, closed afterwards."""
    if mode == "sync":
        client = server.client(**kwargs)
        try:
            yield client
        finally:
            client.close()
    else:
        aclient = server.async_client(**kwargs)
        try:
            yield aclient
        finally:
            await aclient.close()
