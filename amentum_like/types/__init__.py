"""The models of every Amentum API, one module per API (imported on first use):

- ``amentum_like.types.aviation_radiation``: Aviation Radiation API
- ``amentum_like.types.gravity``: Gravity API
- ``amentum_like.types.space_radiation``: Space Radiation API
- ``amentum_like.types.atmosphere``: Atmosphere API
- ``amentum_like.types.geomag``: Geomag API
- ``amentum_like.types.ocean``: Ocean API

Response models are lenient (every field optional, no length, pattern or range
checks); request bodies built from them are checked against the spec before sending.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["atmosphere", "aviation_radiation", "geomag", "gravity", "ocean", "space_radiation"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
