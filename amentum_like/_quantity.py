"""Quantities of Amentum results: each number with the unit the API wrote beside it.

Every Amentum response nests its numbers as ``{"value": ..., "units": ...}`` (a dose rate,
a geoid height, a density) or ``{"data": [...], "units": ...}`` (a spectrum), at varying
depths and under varying names. :func:`quantities` reads any result of the six APIs the
same way, so notebooks, batches and DataFrames need no per-API code. It reads leniently,
like the response models: a field the models do not know (kept as an extra) is read too,
a missing unit is ``""``, and a member without a number is left out.

``Quantity.to_pint()`` converts with pint when it is installed (extra ``units``). The APIs
write units for people (``uSv/hr``, ``kg/m3``, ``deg C``); :func:`pint_unit` spells them
the way pint reads them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from commonrest import ConfigurationError
from commonrest._lazy import publish

__all__ = ["Quantity", "pint_unit", "quantities"]


@dataclass(frozen=True)
class Quantity:
    """A number (or a sequence of numbers, for a spectrum) and the unit the API gave it.

    ``float(q)`` is the value of a scalar; ``str(q)`` is ``"45.8 m"``."""

    value: float | tuple[float, ...]
    #: As the API wrote it (``"uSv/hr"``); ``""`` when it gave none.
    unit: str = ""

    @property
    def is_array(self) -> bool:
        """Whether this is a sequence of values (energies, fluxes, intensities)."""
        return isinstance(self.value, tuple)

    def __float__(self) -> float:
        if isinstance(self.value, tuple):
            raise TypeError(
                f"this quantity holds {len(self.value)} values ({self.unit or 'no unit'}); "
                "read .value for the sequence"
            )
        return float(self.value)

    def __str__(self) -> str:
        return f"{self.value} {self.unit}".rstrip()

    def to_pint(self, registry: Any | None = None) -> Any:
        """The value as a ``pint.Quantity`` (needs pint: extra ``units``).

        ``registry`` is the pint ``UnitRegistry`` to build it in; by default pint's
        application registry, so results combine with the caller's own quantities. A unit
        pint cannot read raises :class:`ConfigurationError` naming it."""
        try:
            import pint
        except ImportError:
            raise ConfigurationError(
                "Quantity.to_pint() needs pint: pip install 'commonrest[units]'"
            ) from None
        registry = (
            registry if registry is not None else pint.get_application_registry()  # type: ignore[no-untyped-call]
        )
        spelled = pint_unit(self.unit)
        try:
            # an expression, not just units: "sfu" is 1e-22 W/m**2/Hz, a scale and units
            unit = registry.parse_expression(spelled) if spelled else registry.Quantity(1)
        except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError):
            raise ConfigurationError(
                f"pint cannot read the unit {self.unit!r} (spelled {spelled!r}); define it in "
                "your registry and pass registry=..."
            ) from None
        if not isinstance(unit, registry.Quantity):  # a bare number: dimensionless
            unit = registry.Quantity(unit)
        scale = unit.magnitude
        if isinstance(self.value, tuple):
            return registry.Quantity([v * scale for v in self.value], unit.units)
        return registry.Quantity(self.value * scale, unit.units)


#: Spellings the APIs use that pint reads differently (whole unit strings).
_PINT_NAMES: Mapping[str, str] = {
    "deg C": "degC",
    "degrees_C": "degC",
    "Deg": "degree",
    "deg": "degree",
    "degrees": "degree",
    "sfu": "1e-22 W/m**2/Hz",  # solar flux unit
}
#: Parts pint has no unit for: "per nucleon" (MeV/n) is a count, so the energy stays MeV.
_PINT_PARTS: Mapping[str, str] = {"MeV/n": "MeV"}
_EXPONENT = re.compile(r"(?<=[A-Za-z])(\^?)(-?\d+)")


def pint_unit(unit: str) -> str:
    """``unit`` as pint reads it: ``"kg/m3"`` -> ``"kg/m**3"``, ``"/cm^2/s/MeV"`` ->
    ``"1/cm**2/s/MeV"``, ``"mg m-3"`` -> ``"mg*m**-3"``, ``"uSv/hr"`` as it is. Per
    nucleon (``MeV/n``) is dropped: pint has no unit for a count of nucleons."""
    text = unit.strip()
    if text in _PINT_NAMES:
        return _PINT_NAMES[text]
    for part, spelled in _PINT_PARTS.items():
        text = text.replace(part, spelled)
    text = _EXPONENT.sub(lambda m: "**" + m.group(2), text)
    text = re.sub(r"\s+", "*", text)
    if text.startswith("/"):
        text = "1" + text
    return text


# ------------------------------------------------------------------------- reading results


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _unit(node: Mapping[str, Any]) -> str:
    unit = node.get("units", node.get("unit"))
    return unit if isinstance(unit, str) else ""


def _quantity(node: Mapping[str, Any]) -> Quantity | None:
    """The quantity a ``{"value", "units"}`` or ``{"data", "units"}`` member holds."""
    if "value" in node:
        number = _number(node["value"])
        return None if number is None else Quantity(number, _unit(node))
    data = node.get("data")
    if isinstance(data, list) and "units" in node:
        numbers = [_number(v) for v in data]
        if all(n is not None for n in numbers):
            return Quantity(tuple(n for n in numbers if n is not None), _unit(node))
    return None


def _fields(node: Any) -> Mapping[str, Any]:
    """A model's fields by Python name (extras included) or a mapping as it is."""
    if isinstance(node, BaseModel):
        out = {name: getattr(node, name) for name in type(node).model_fields}
        out.update(node.model_extra or {})
        return out
    return node if isinstance(node, Mapping) else {}


def _walk(node: Any, prefix: str, depth: int) -> Iterator[tuple[str, Quantity]]:
    fields = _fields(node)
    if not fields or depth > 6:
        return
    own = _quantity(fields)
    if own is not None:
        yield (prefix or "value"), own
    for name, child in fields.items():
        if name in ("value", "data") or not isinstance(child, (BaseModel, Mapping)):
            continue
        yield from _walk(child, f"{prefix}.{name}" if prefix else name, depth + 1)


def quantities(result: Any) -> dict[str, Quantity]:
    """Every quantity of an Amentum result, by its path of field names.

    ``{"dose_rate": Quantity(1.2, "uSv/hr")}`` for a CARI-7 dose rate,
    ``{"height": Quantity(45.8, "m")}`` for a geoid height, ``{"value": ...}`` for an
    ocean variable (the response is itself the quantity), ``{"energies": ..., "flux": ...}``
    for a spectrum. A raw ``APIResponse`` is read through its parsed body."""
    parsed = result if isinstance(result, BaseModel) else _body(result)
    found = dict(_walk(parsed, "", 0))
    return {k: v for k, v in found.items() if not _skip(v)}


def _body(result: Any) -> Any:
    from commonrest import APIResponse

    return result.parse() if isinstance(result, APIResponse) else result


def _skip(q: Quantity) -> bool:
    return isinstance(q.value, float) and math.isnan(q.value)


publish(__name__, globals())
