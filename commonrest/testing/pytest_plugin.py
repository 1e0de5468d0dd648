"""pytest fixtures of the test kit (registered automatically when commonrest is installed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from . import APIMock

if TYPE_CHECKING:
    from .._client import BaseClient


@pytest.fixture
def commonrest_mock() -> Iterator[Callable[[BaseClient], APIMock]]:
    """Factory fixture: ``api = commonrest_mock(client)`` mocks that client's API for the
    rest of the test; every route declared must be called, and unmatched requests fail."""
    started: list[APIMock] = []

    def start(client: BaseClient) -> APIMock:
        api = APIMock(client).start()
        started.append(api)
        return api

    yield start
    for api in reversed(started):
        api.stop()
