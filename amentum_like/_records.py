"""A batch as a table: one record (row) per point, one column per input and quantity.

Inputs come first, under their argument names (``latitude``, ``when``, ``particle``),
then each quantity under its path of field names (``dose_rate``, ``height``,
``gravity_anomaly``), then ``error``. Column names stay plain so ``df["height"]`` works;
the units are in :func:`units` (and ``DataFrame.attrs["units"]``). Should one column meet
two units (a server that changed its mind mid-batch), the values in the second unit go
to a column of their own, ``"name [unit]"``, rather than being mixed.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from commonrest import ConfigurationError

if TYPE_CHECKING:
    from ._batch import PointResult

__all__ = ["INPUT_UNITS", "dataframe", "records", "units"]

#: Units of the arguments the specs state them for (every altitude of the six APIs is in km).
INPUT_UNITS: Mapping[str, str] = {
    "latitude": "deg",
    "longitude": "deg",
    "geodetic_latitude": "deg",
    "geodetic_longitude": "deg",
    "altitude": "km",
    "initial_altitude": "km",
    "final_altitude": "km",
    "cruising_altitudes": "km",
    "atmospheric_depth": "g/cm2",
    "duration": "hr",
    "climb_times": "hr",
    "cruising_times": "hr",
    "descent_time": "hr",
    "depth": "m",
    "energy": "MeV/n",
    "utc": "hr",
}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _columns(
    points: Sequence[PointResult[Any]], common: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    rows: list[dict[str, Any]] = []
    seen_units: dict[str, str] = {}
    for p in points:
        # the point's own arguments first; a common one the point also gives is its own
        row = {name: _plain(value) for name, value in p.point.items()}
        row.update((k, _plain(v)) for k, v in common.items() if k not in p.point)
        for name, q in p.quantities.items():
            column = name
            known = seen_units.setdefault(name, q.unit)
            if known != q.unit:
                column = f"{name} [{q.unit}]"
                seen_units.setdefault(column, q.unit)
            row[column] = list(q.value) if isinstance(q.value, tuple) else q.value
        row["error"] = None if p.error is None else str(p.error)
        rows.append(row)
    return rows, seen_units


def records(points: Sequence[PointResult[Any]], common: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One dict per point (see the module docstring)."""
    return _columns(points, common)[0]


def _input_units(points: Sequence[PointResult[Any]], common: Mapping[str, Any]) -> dict[str, str]:
    inputs = {name for p in points for name in p.point} | set(common)
    return {name: INPUT_UNITS[name] for name in sorted(inputs) if name in INPUT_UNITS}


def units(points: Sequence[PointResult[Any]], common: Mapping[str, Any]) -> dict[str, str]:
    """Column -> unit: inputs with a known unit, then every quantity column."""
    return {**_input_units(points, common), **_columns(points, common)[1]}


def dataframe(points: Sequence[PointResult[Any]], common: Mapping[str, Any]) -> Any:
    """A pandas ``DataFrame`` of :func:`records`, units in ``attrs["units"]``."""
    try:
        pd: Any = importlib.import_module("pandas")  # untyped without pandas-stubs
    except ImportError:
        raise ConfigurationError(
            "to_dataframe() needs pandas: pip install 'commonrest[pandas]'"
        ) from None
    rows, quantity_units = _columns(points, common)
    frame = pd.DataFrame.from_records(rows)
    frame.attrs["units"] = {**_input_units(points, common), **quantity_units}
    return frame
