"""Fixtures of the vendor tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio."""
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_vendor_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials and base URLs from the environment must not leak into the tests."""
    for name in (
        "ADYEN_API_KEY",
        "ADYEN_BASE_URL",
        "AIRFLOW_BASE_URL",
        "AIRFLOW_TOKEN",
        "AIRFLOW_USERNAME",
        "AIRFLOW_PASSWORD",
        "AIRBYTE_BASE_URL",
        "AIRBYTE_TOKEN",
        "AIRBYTE_USERNAME",
        "AIRBYTE_PASSWORD",
        "AMENTUM_API_KEY",
        "AMENTUM_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
