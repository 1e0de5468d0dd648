"""Amentum: the ranges, listed levels, enums and forms the specs state, checked before
anything is sent. Each range is tried at both bounds (sent), just outside each (refused),
with the wrong type, nan and infinity (refused); the refusal names the parameter, the
value and the range."""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml  # type: ignore[import-untyped,unused-ignore]

from amentum_like import AmentumClient, airport, time_arguments
from commonrest import InvalidArgumentError

SHARED_SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"

_DAY = {"year": 2020, "month": 5, "day": 23}
_CARI7 = {"altitude": 11, "latitude": 30, "longitude": 30, **_DAY, "utc": 3, "particle": "total"}
_PARMA = {"latitude": 30, "longitude": 30, **_DAY, "particle": "proton"}
_ROUTE = {"origin": "YSSY", "destination": "KLAX", **_DAY}
_LATLON = {"latitude": 1, "longitude": 2}
_ATMOS = {**_DAY, "altitude": 300, "geodetic_latitude": 42, "geodetic_longitude": 42, "utc": 2}
_WAM = {**_LATLON, "altitude": 300, **_DAY, "hour": 15, "minute": 10}
_FIELD = {"altitude": 10, "latitude": 80, "longitude": 100, "year": 2020.5}
_OCEAN = {**_LATLON, "depth": 30}
_NEMO = {**_DAY, **_OCEAN}

#: operation -> (valid arguments, {parameter: (low, high)}) as the specs' text states them
RANGES: dict[str, tuple[dict[str, Any], dict[str, tuple[float, float]]]] = {
    "aviation_radiation.cari7_ambient_dose": (
        _CARI7,
        {"altitude": (0, 47), "latitude": (-90, 90), "longitude": (-180, 180)},
    ),
    "aviation_radiation.cari7_effective_dose": (
        _CARI7,
        {"altitude": (0, 47), "latitude": (-90, 90), "longitude": (-180, 180)},
    ),
    **{
        f"aviation_radiation.parma_{name}": (
            {**_PARMA, **extra},
            {
                "altitude": (0, 47),
                "atmospheric_depth": (0.913, 1032.66),
                "latitude": (-90, 90),
                "longitude": (-180, 180),
            },
        )
        for name, extra in (
            ("ambient_dose", {}),
            ("effective_dose", {}),
            ("differential_intensity", {"angle": 1}),
        )
    },
    **{
        f"aviation_radiation.route_{which}_dose": (
            _ROUTE,
            {
                "altitude": (0, 20),
                "duration": (0, 20),
                "initial_altitude": (0, 20),
                "cruising_altitudes": (0, 20),
            },
        )
        for which in ("ambient", "effective")
    },
    "gravity.geoid_height": (_LATLON, {"latitude": (-90, 90), "longitude": (-180, 180)}),
    "gravity.anomaly": (_LATLON, {"latitude": (-90, 90), "longitude": (-180, 180)}),
    "space_radiation.gcr_flux_dlr": ({**_DAY, "z": 6, "energy": 100}, {"energy": (0, 1e6)}),
    "atmosphere.jb2008": (_ATMOS, {"geodetic_latitude": (-90, 90), "geodetic_longitude": (0, 360)}),
    "atmosphere.nrlmsise00": (
        _ATMOS,
        {"geodetic_latitude": (-90, 90), "geodetic_longitude": (0, 360)},
    ),
    "atmosphere.wam_ipe": (_WAM, {"latitude": (-90, 90), "longitude": (-180, 360)}),
    "geomag.magnetic_field": (
        _FIELD,
        {
            "altitude": (0, 600),
            "latitude": (-90, 90),
            "longitude": (-180, 180),
            "year": (2015, 2025),
        },
    ),
    "ocean.rtofs": (_OCEAN, {"latitude": (-90, 90), "longitude": (-180, 360)}),
    "ocean.gebco": (_LATLON, {"latitude": (-90, 90), "longitude": (-180, 360)}),
    "ocean.nemo_bgc": (
        {**_NEMO, "variable": "chl"},
        {"latitude": (-90, 90), "longitude": (-180, 360)},
    ),
    "ocean.nemo_phys": (
        {**_NEMO, "variable": "so"},
        {"latitude": (-90, 90), "longitude": (-180, 360)},
    ),
    "ocean.mfwam": (
        {**_DAY, **_LATLON, "variable": "VHM0"},
        {"latitude": (-90, 90), "longitude": (-180, 360)},
    ),
}

ARRAYS = {"cruising_altitudes"}


def _cases() -> Iterator[tuple[str, str, float, float]]:
    for op, (_, ranges) in RANGES.items():
        for param, (low, high) in ranges.items():
            yield op, param, low, high


CASES = list(_cases())


def _method(client: Any, op: str) -> Any:
    resource, name = op.split(".")
    return getattr(getattr(client, resource), name)


def _wrap(param: str, value: Any) -> Any:
    return [value] if param in ARRAYS else value


@pytest.fixture
def client() -> AmentumClient:
    return AmentumClient(api_key="k")


def _refused(client: AmentumClient, op: str, param: str, value: Any) -> InvalidArgumentError:
    good = RANGES[op][0]
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={})
        with pytest.raises(InvalidArgumentError) as caught:
            _method(client, op)(**{**good, param: _wrap(param, value)})
        assert not route.called, "a refused argument was sent"
    assert caught.value.parameter == param
    return caught.value


@pytest.mark.parametrize(("op", "param", "low", "high"), CASES, ids=lambda v: str(v))
def test_both_bounds_are_sent(
    client: AmentumClient, op: str, param: str, low: float, high: float
) -> None:
    good = RANGES[op][0]
    with respx.mock() as router:
        route = router.route().respond(200, json={})
        for value in (low, high):
            _method(client, op)(**{**good, param: _wrap(param, value)})
    sent = [dict(call.request.url.params.multi_items()) for call in route.calls]
    assert [float(s[param]) for s in sent] == [low, high]


@pytest.mark.parametrize(("op", "param", "low", "high"), CASES, ids=lambda v: str(v))
def test_outside_the_range_is_refused(
    client: AmentumClient, op: str, param: str, low: float, high: float
) -> None:
    step = (high - low) * 1e-6
    for value in (low - step, high + step):
        error = _refused(client, op, param, value)
        text = str(error)
        shown = f"(item 0 is {value!r})" if param in ARRAYS else f"got {value!r}"
        assert shown in text
        assert f"from {low:g} to {high:g}" in text, text


def _wrong_values() -> Iterator[tuple[str, str, Any]]:
    """Each range's parameter with each wrong value that applies to it: ``None`` only for a
    parameter the valid call passes itself (``None`` leaves an optional one out, as
    NOT_GIVEN does) and never as an item of a list ("north" covers a wrong item)."""
    for op, param, _, _ in CASES:
        for value in ("north", True, math.nan, math.inf, -math.inf, None):
            if value is None and (param in ARRAYS or param not in RANGES[op][0]):
                continue
            yield op, param, value


@pytest.mark.parametrize(("op", "param", "value"), list(_wrong_values()), ids=lambda v: str(v))
def test_wrong_type_nan_and_infinity_are_refused(
    client: AmentumClient, op: str, param: str, value: Any
) -> None:
    error = _refused(client, op, param, value)
    assert "finite number" in str(error)


# ------------------------------------------------------------------------- listed values


@pytest.mark.parametrize(
    ("op", "param", "bad", "good"),
    [
        ("ocean.rtofs", "depth", 33, 1750.0),
        ("ocean.nemo_bgc", "depth", -10, 5500),
        ("ocean.nemo_phys", "depth", 6000, 0),
        ("aviation_radiation.cari7_ambient_dose", "particle", "gamma", "Fe"),
        ("aviation_radiation.parma_effective_dose", "particle", "photon", "gamma"),
        ("ocean.nemo_phys", "variable", "chl", "thetao"),
        ("ocean.mfwam", "variable", "vhm0", "VHM0"),
        ("aviation_radiation.route_ambient_dose", "origin", "Sydney", "SYD"),
        ("aviation_radiation.route_effective_dose", "destination", "33.9;151.2", "-33.9,151.2"),
    ],
)
def test_listed_values_only(
    client: AmentumClient, op: str, param: str, bad: Any, good: Any
) -> None:
    error = _refused(client, op, param, bad)
    assert f"got {bad!r}" in str(error)
    with respx.mock() as router:
        route = router.route().respond(200, json={})
        _method(client, op)(**{**RANGES[op][0], param: good})
    assert route.called


@pytest.mark.parametrize(
    ("param", "bad", "good"),
    [("model", "AE8", "SPMHE"), ("coord_sys", "GSM", "GDZ"), ("coord_units", "km", "RE")],
)
def test_trapped_radiation_enums(client: AmentumClient, param: str, bad: str, good: str) -> None:
    args: dict[str, Any] = {
        "model": "AE9",
        "coord_sys": "GEI",
        "coord_units": "KM",
        "coord1": 1,
        "coord2": 2,
        "coord3": 3,
        **_DAY,
        "hour": 0,
        "minute": 0,
        "second": 0,
    }
    with respx.mock() as router:
        route = router.route().respond(200, json={})
        with pytest.raises(InvalidArgumentError) as caught:
            client.space_radiation.trapped_flux_mean(**{**args, param: bad})
        assert caught.value.parameter == param
        assert not route.called
        client.space_radiation.trapped_flux_mean(**{**args, param: good})
    assert route.called


# ------------------------------------------------------------------------- airports, times


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("syd", "SYD"),
        (" yssy ", "YSSY"),
        ("-33.9399,151.1753", "-33.9399,151.1753"),
        ((33.94250107, -118.4079971), "33.94250107,-118.4079971"),
        ((0, 180), "0,180"),
        ([-90, -180.0], "-90,-180"),
    ],
)
def test_airport_forms(given: Any, sent: str) -> None:
    assert airport(given) == sent


@pytest.mark.parametrize(
    "bad",
    [
        "SY",
        "YSSYX",
        "Sydney",
        "",
        "91,0",
        "0,181",
        (91, 0),
        (0, -180.5),
        (math.nan, 0),
        (0, math.inf),
        (True, 0),
        ("1", "2"),
        (1, 2, 3),
        42,
        None,
    ],
)
def test_airport_refuses(bad: Any) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        airport(bad)
    assert caught.value.parameter == "airport"
    assert "IATA" in str(caught.value) and repr(bad) in str(caught.value)


def test_time_arguments_refusals(client: AmentumClient) -> None:
    cari7 = client.aviation_radiation.cari7_ambient_dose
    with pytest.raises(InvalidArgumentError, match=r"datetime\.datetime for aviation_radiation"):
        time_arguments(cari7, date(2020, 1, 1))  # it needs the hour
    with pytest.raises(InvalidArgumentError, match="got '2020-01-01'"):
        time_arguments(cari7, "2020-01-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="takes no date"):
        time_arguments(client.gravity.geoid_height, date(2020, 1, 1))
    with pytest.raises(InvalidArgumentError, match="operation of an Amentum client"):
        time_arguments(print, date(2020, 1, 1))


def test_time_arguments_split(client: AmentumClient) -> None:
    aware = datetime.fromisoformat("2024-01-01T01:30:00+05:00")  # 2023-12-31 20:30 UTC
    assert time_arguments(client.aviation_radiation.cari7_ambient_dose, aware) == {
        "year": 2023,
        "month": 12,
        "day": 31,
        "utc": 20,
    }
    assert time_arguments(client.atmosphere.nrlmsise00, aware)["utc"] == 20.5
    assert time_arguments(client.ocean.mfwam, aware) == {"year": 2023, "month": 12, "day": 31}
    year = time_arguments(client.geomag.magnetic_field, datetime(2020, 7, 2))["year"]
    assert year == pytest.approx(2020 + 183 / 366)  # 2020 is a leap year
    # a decimal year outside 2015..2025 is then refused by the declaration
    late = time_arguments(client.geomag.magnetic_field, datetime(2026, 1, 1))
    with pytest.raises(InvalidArgumentError, match="from 2015 to 2025"):
        client.geomag.magnetic_field(altitude=1, latitude=1, longitude=1, **late)


# ------------------------------------------------------------------------- against the text


def _descriptions() -> dict[tuple[str, str], str]:
    """(path, parameter) -> the description the collected spec gives it."""
    out: dict[tuple[str, str], str] = {}
    for file in SHARED_SPECS.glob("amentum/*.yaml"):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        shared = (doc.get("components") or {}).get("parameters") or {}
        for path, item in doc["paths"].items():
            for p in item["get"].get("parameters", []):
                if "$ref" in p:
                    p = shared[p["$ref"].rsplit("/", 1)[1]]
                out[(path, p["name"])] = p.get("description") or ""
    return out


def _spelled(number: float) -> list[str]:
    """How a spec's prose may write ``number``."""
    text = f"{number:g}"
    return [text, "10<sup>6</sup>"] if number == 1e6 else [text]


@pytest.mark.skipif(not SHARED_SPECS.is_dir(), reason="needs the collected specs in ../shared")
def test_every_range_is_stated_in_the_spec_text() -> None:
    import amentum_like

    descriptions = _descriptions()
    paths = {e.python_name: e.path for e in amentum_like.catalog()}
    for op, (_, ranges) in RANGES.items():
        for param, bounds in ranges.items():
            text = descriptions[(paths[op], param)]
            for bound in bounds:
                assert any(
                    re.search(rf"(?<![\d.]){re.escape(s)}(?![\d.])", text)
                    for s in _spelled(abs(bound))
                ), (op, param, bound, text)
    depth = descriptions[("/rtofs", "depth")]
    listed = [int(v) for v in re.findall(r"\d+", depth.split(":", 1)[1].split(".")[0])]
    with respx.mock() as router:
        router.route().mock(return_value=httpx.Response(200, json={}))
        client = AmentumClient(api_key="k")
        for level in listed:
            client.ocean.rtofs(latitude=0, longitude=0, depth=level)
        for between in (5, 15, 5000.5):
            with pytest.raises(InvalidArgumentError):
                client.ocean.rtofs(latitude=0, longitude=0, depth=between)


# ------------------------------------------------------------------------- across parameters


@pytest.mark.anyio
@pytest.mark.parametrize(
    "name", ["parma_ambient_dose", "parma_effective_dose", "parma_differential_intensity"]
)
async def test_parma_takes_altitude_or_atmospheric_depth_not_both(name: str) -> None:
    from amentum_like import AsyncAmentumClient

    op = f"aviation_radiation.{name}"
    good = RANGES[op][0]
    with respx.mock() as router:
        route = router.route().respond(200, json={})
        _method(AmentumClient(api_key="k"), op)(**good, altitude=11)
        _method(AmentumClient(api_key="k"), op)(**good, atmospheric_depth=100)
        for client in (AmentumClient(api_key="k"), AsyncAmentumClient(api_key="k")):
            with pytest.raises(InvalidArgumentError) as caught:
                result = _method(client, op)(**good, altitude=11, atmospheric_depth=100)
                if asyncio.iscoroutine(result):
                    await result
            assert caught.value.parameter == "atmospheric_depth"
            assert "either altitude or atmospheric_depth, not both" in str(caught.value)
            assert caught.value.operation == op
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("coord_sys", "coord2", "coord3", "refused"),
    [
        ("GDZ", 90, 360, None),
        ("GDZ", -90, 0, None),
        ("GDZ", 90.5, 10, "coord2"),
        ("GDZ", -91, 10, "coord2"),
        ("GDZ", 10, -1, "coord3"),
        ("GDZ", 10, 360.5, "coord3"),
        ("GEI", 35426, -603.4, None),  # Cartesian: no range
        ("GEO", -91, 361, None),
    ],
)
def test_trapped_geodetic_coordinates(
    client: AmentumClient, coord_sys: str, coord2: float, coord3: float, refused: str | None
) -> None:
    args: dict[str, Any] = {
        "model": "AE9",
        "coord_sys": coord_sys,
        "coord_units": "KM",
        "coord1": 500,
        "coord2": coord2,
        "coord3": coord3,
        **_DAY,
        "hour": 0,
        "minute": 0,
        "second": 0,
    }
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={})
        calls: list[tuple[Any, dict[str, Any]]] = [
            (client.space_radiation.trapped_flux_mean, {}),
            (client.space_radiation.trapped_flux_percentile, {"percentile": 50}),
        ]
        for op, extra in calls:
            if refused is None:
                op(**args, **extra)
                continue
            with pytest.raises(InvalidArgumentError) as caught:
                op(**args, **extra)
            assert caught.value.parameter == refused
            assert "when coord_sys is 'GDZ'" in str(caught.value)
    assert route.call_count == (2 if refused is None else 0)


@pytest.mark.skipif(not SHARED_SPECS.is_dir(), reason="needs the collected specs in ../shared")
def test_the_rules_across_parameters_are_stated_in_the_spec_text() -> None:
    descriptions = _descriptions()
    for path in ("/parma/ambient_dose", "/parma/effective_dose", "/parma/differential_intensity"):
        assert (
            "either altitude OR atmospheric depth, not both"
            in descriptions[(path, "atmospheric_depth")]
        )
    for path in ("/trapped/flux_mean", "/trapped/flux_percentile"):
        text = descriptions[(path, "coord1")]
        assert "GDZ coords: Alt, Lat, Long" in text
        assert "latitude: -90, 90" in text and "longitude: 0, 360" in text
