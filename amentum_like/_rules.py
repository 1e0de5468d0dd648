"""Rules the Amentum specs state across parameters, which no single parameter's declaration
can hold; checked when the request is prepared, before a rate-limit permit is taken or
anything is sent.

- PARMA (dose rates and differential intensity): the height is given as ``altitude`` or
  as ``atmospheric_depth``, never both.
- Trapped radiation: with ``coord_sys="GDZ"`` the coordinates are altitude, latitude and
  longitude, so ``coord2`` must be a latitude (-90 to 90) and ``coord3`` a longitude
  (0 to 360). In GEO and GEI they are Cartesian and unbounded.

A broken rule raises :class:`~commonrest.InvalidArgumentError` naming the parameter.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from typing import Any

from commonrest import InvalidArgumentError
from commonrest._calls import Call, OperationInfo
from commonrest._sentinels import NOT_GIVEN

__all__ = ["check_rules"]


def _given(query: Mapping[str, Any], name: str) -> bool:
    return query.get(name, NOT_GIVEN) not in (NOT_GIVEN, None)


def _one_height(query: Mapping[str, Any]) -> None:
    if _given(query, "altitude") and _given(query, "atmospheric_depth"):
        raise InvalidArgumentError(
            "atmospheric_depth (query parameter): give either altitude or atmospheric_depth, "
            f"not both (got altitude={query['altitude']!r}, "
            f"atmospheric_depth={query['atmospheric_depth']!r})",
            parameter="atmospheric_depth",
            location="query",
        )


def _geodetic(query: Mapping[str, Any]) -> None:
    system = query.get("coord_sys")
    if (system.value if isinstance(system, enum.Enum) else system) != "GDZ":
        return
    for name, what, low, high in (("coord2", "latitude", -90, 90), ("coord3", "longitude", 0, 360)):
        value = query.get(name)
        # the declaration already refused what is not a finite number
        if isinstance(value, (int, float)) and math.isfinite(value) and not low <= value <= high:
            raise InvalidArgumentError(
                f"{name} (query parameter) must be a {what} from {low} to {high} when "
                f"coord_sys is 'GDZ' (altitude, latitude, longitude), got {value!r}",
                parameter=name,
                location="query",
            )


_PARMA = "app.api_parma.endpoints.PARMA."
_TRAPPED = "app.api.endpoints.TrappedRadiation."

#: operationId -> its rule
RULES: Mapping[str, Callable[[Mapping[str, Any]], None]] = {
    _PARMA + "ambient_dose": _one_height,
    _PARMA + "effective_dose": _one_height,
    _PARMA + "differential_intensity": _one_height,
    _TRAPPED + "calculate_flux_mean": _geodetic,
    _TRAPPED + "calculate_flux_percentile": _geodetic,
}


def check_rules(info: OperationInfo, call: Call[Any]) -> None:
    """Raise :class:`InvalidArgumentError` when ``call`` breaks its operation's rule."""
    rule = RULES.get(info.operation_id)
    if rule is not None:
        rule(call.query or {})
