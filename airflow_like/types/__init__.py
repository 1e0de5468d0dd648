"""The models of every Airflow API, one module per API (imported on first use):

- ``airflow_like.types.v1``: the stable REST API v1 (Airflow 2)
- ``airflow_like.types.v2``: the REST API v2 (Airflow 3)
- ``airflow_like.types.auth``: the simple auth manager
- ``airflow_like.types.common``: the version-neutral surface (``client.dags``, ...)

Response models are lenient (every field optional, no length, pattern or range
checks); request bodies built from them are checked against the spec before sending.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["auth", "common", "v1", "v2"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
