"""Airports for route doses: an IATA or ICAO code, or a latitude/longitude pair.

The route operations take ``origin`` and ``destination`` as text: a 3-letter IATA code
(``SYD``), a 4-letter ICAO code (``YSSY``) or ``"latitude,longitude"`` in decimal degrees.
The generated declarations check that form; :func:`airport` also takes a ``(latitude,
longitude)`` pair, checks the ranges a pattern cannot, and writes the text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from commonrest import InvalidArgumentError
from commonrest._lazy import publish

__all__ = ["airport"]

_CODE = re.compile(r"[A-Za-z]{3,4}")
_PAIR = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*")


def _refuse(value: object, why: str, parameter: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        f"{parameter} must be an IATA code (3 letters), an ICAO code (4 letters) or a "
        f"(latitude, longitude) pair in degrees; {why}, got {value!r}",
        parameter=parameter,
    )


def _degrees(
    value: object, low: float, high: float, name: str, given: object, parameter: str
) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _refuse(given, f"the {name} must be a number", parameter)
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise _refuse(given, f"the {name} must be from {low:g} to {high:g}", parameter)
    return number


def airport(value: str | Sequence[float], *, parameter: str = "airport") -> str:
    """``value`` as the route operations take it: a code in capitals, or
    ``"latitude,longitude"`` (latitude -90 to 90, longitude -180 to 180).

    Raises :class:`~commonrest.InvalidArgumentError` for anything else, naming
    ``parameter`` (``"origin"``, say; ``"airport"`` by default)."""
    latitude: object
    longitude: object
    if isinstance(value, str):
        text = value.strip()
        if _CODE.fullmatch(text):
            return text.upper()
        pair = _PAIR.fullmatch(text)
        if pair is None:
            raise _refuse(value, "the text is neither", parameter)
        latitude, longitude = float(pair.group(1)), float(pair.group(2))
    elif isinstance(value, Sequence) and len(value) == 2:
        latitude, longitude = value[0], value[1]
    else:
        raise _refuse(value, "it is neither", parameter)
    lat = _degrees(latitude, -90, 90, "latitude", value, parameter)
    lon = _degrees(longitude, -180, 180, "longitude", value, parameter)
    return f"{_text(lat)},{_text(lon)}"


def _text(degrees: float) -> str:
    """Plain decimals (no exponent, which the API's form does not allow), to 1e-8 degree."""
    return format(degrees, ".8f").rstrip("0").rstrip(".") or "0"


publish(__name__, globals())
