"""Amentum: every response shape of the six APIs, from the specs' own examples, read as
quantities (value and unit) through the one accessor, over the transport; pint conversion
when pint is installed."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from amentum_like import AmentumClient, Quantity, quantities

from .helpers import spec_example

AV = "amentum/aviation_radiation-1.5.0.yaml"
GR = "amentum/gravity-1.1.1.yaml"
SR = "amentum/space_radiation-1.1.2.yaml"
AT = "amentum/atmosphere-1.1.1.yaml"
GM = "amentum/global-magnet-1.3.0.yaml"
OC = "amentum/ocean-1.1.1.yaml"

_DAY = {"year": 2020, "month": 5, "day": 23}
_TRAPPED = {
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
_ATMOS = {**_DAY, "altitude": 300, "geodetic_latitude": 42, "geodetic_longitude": 42, "utc": 2}

#: (spec, path, call, {quantity name: (where in the example, as keys)})
SHAPES: list[tuple[str, str, Any, dict[str, tuple[str, ...]]]] = [
    (
        AV,
        "/cari7/ambient_dose",
        lambda c: c.aviation_radiation.cari7_ambient_dose(
            altitude=11, latitude=1, longitude=1, **_DAY, utc=1, particle="total"
        ),
        {"dose_rate": ("dose rate",)},
    ),
    (
        AV,
        "/parma/differential_intensity",
        lambda c: c.aviation_radiation.parma_differential_intensity(
            altitude=11, latitude=1, longitude=1, **_DAY, particle="proton", angle=1
        ),
        {"energies": ("energies",), "intensities": ("intensities",)},
    ),
    (
        AV,
        "/route/effective_dose",
        lambda c: c.aviation_radiation.route_effective_dose(
            origin="YSSY", destination="KLAX", **_DAY
        ),
        {"dose": ("dose",)},
    ),
    (
        GR,
        "/egm2008/geoid_height",
        lambda c: c.gravity.geoid_height(latitude=1, longitude=1),
        {"height": ("height",)},
    ),
    (
        GR,
        "/egm2008/gravity_anomaly",
        lambda c: c.gravity.anomaly(latitude=1, longitude=1),
        {"eta": ("eta",), "gravity_anomaly": ("gravity_anomaly",), "xi": ("xi",)},
    ),
    (
        SR,
        "/gcr/flux_dlr",
        lambda c: c.space_radiation.gcr_flux_dlr(**_DAY, z=1, energy=1),
        {"flux": ("flux",)},
    ),
    (
        SR,
        "/trapped/flux_percentile",
        lambda c: c.space_radiation.trapped_flux_percentile(**_TRAPPED, percentile=50),
        {"energies": ("energies",), "flux": ("flux",)},
    ),
    (
        AT,
        "/jb2008",
        lambda c: c.atmosphere.jb2008(**_ATMOS),
        {k: (k,) for k in ("at_alt_temp", "exospheric_temp", "total_mass_density")},
    ),
    (
        AT,
        "/nrlmsise00",
        lambda c: c.atmosphere.nrlmsise00(**_ATMOS),
        {
            **{f"{s.lower()}_density": (f"{s}_density",) for s in ("Ar", "H", "He", "N2", "N")},
            **{f"{s.lower()}_density": (f"{s}_density",) for s in ("O2", "O")},
            "anomalous_o_density": ("anomalous_O_density",),
            "ap": ("ap",),
            "at_alt_temp": ("at_alt_temp",),
            "exospheric_temp": ("exospheric_temp",),
            "f107": ("f107",),
            "f107a": ("f107a",),
            "total_mass_density": ("total_mass_density",),
        },
    ),
    (
        AT,
        "/wam-ipe",
        lambda c: c.atmosphere.wam_ipe(
            latitude=1, longitude=1, altitude=300, **_DAY, hour=1, minute=1
        ),
        {
            "n2_density": ("N2_density",),
            "o2_density": ("O2_density",),
            "o_density": ("O_density",),
            **{
                k: (k,)
                for k in (
                    "eastward_wind_neutral",
                    "northward_wind_neutral",
                    "temp_neutral",
                    "total_mass_density",
                    "upward_wind_neutral",
                )
            },
        },
    ),
    (
        OC,
        "/rtofs",
        lambda c: c.ocean.rtofs(latitude=1, longitude=1, depth=30),
        {k: (k,) for k in ("salinity", "temperature", "current_u", "current_v")},
    ),
    (
        OC,
        "/gebco",
        lambda c: c.ocean.gebco(latitude=1, longitude=1),
        {"elevation": ("elevation",)},
    ),
    (
        OC,
        "/nemo/bgc",
        lambda c: c.ocean.nemo_bgc(**_DAY, latitude=1, longitude=1, depth=0, variable="chl"),
        {"value": ()},
    ),
    (
        OC,
        "/nemo/phys",
        lambda c: c.ocean.nemo_phys(**_DAY, latitude=1, longitude=1, depth=0, variable="so"),
        {"value": ()},
    ),
    (
        OC,
        "/mfwam",
        lambda c: c.ocean.mfwam(**_DAY, latitude=1, longitude=1, variable="VHM0"),
        {"value": ()},
    ),
]


def _at(example: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    for key in keys:
        example = example[key]
    assert isinstance(example, dict)
    return example


def _expected(node: dict[str, Any]) -> Quantity:
    unit = node.get("units", "")
    if "data" in node:
        return Quantity(tuple(float(v) for v in node["data"]), unit)
    return Quantity(float(node["value"]), unit)


@pytest.mark.parametrize(("spec", "path", "call", "where"), SHAPES, ids=[f"{s[1]}" for s in SHAPES])
def test_every_shape_reads_as_quantities(spec: str, path: str, call: Any, where: Any) -> None:
    example = spec_example(spec, "GET", path)
    client = AmentumClient(api_key="k")
    with respx.mock() as router:
        router.route().respond(200, json=example)
        result = call(client)
        raw = call(client.with_raw_response)
    found = quantities(result)
    assert found == {name: _expected(_at(example, keys)) for name, keys in where.items()}
    assert quantities(raw) == found  # a raw response reads through its parsed body
    for q in found.values():
        if not q.is_array:
            assert float(q) == q.value


def test_magnetic_field_shape_and_the_specs_swapped_example() -> None:
    example = spec_example(GM, "GET", "/magnetic_field")
    client = AmentumClient(api_key="k")
    fixed = {
        **example,
        "grid_variation": {
            "units": example["grid_variation"]["value"],
            "value": example["grid_variation"]["units"],
        },
    }
    with respx.mock() as router:
        router.route().respond(200, json=fixed)
        result = client.geomag.magnetic_field(altitude=1, latitude=1, longitude=1, year=2020)
    assert quantities(result) == {
        "declination": Quantity(example["declination"]["value"], "Deg"),
        "grid_variation": Quantity(example["grid_variation"]["units"], "Deg"),
        "inclination": Quantity(example["inclination"]["value"], "Deg"),
        "total_intensity": Quantity(example["total_intensity"]["value"], "nT"),
    }


def test_lenient_reading() -> None:
    body = {
        "height": {"value": 12},  # no unit
        "undulation": {"value": 1.5, "units": "m"},  # a field the model does not know
        "note": {"value": "n/a", "units": "m"},  # not a number: left out
    }
    with respx.mock() as router:
        router.route().respond(200, json=body)
        result = AmentumClient(api_key="k").gravity.geoid_height(latitude=1, longitude=1)
    assert quantities(result) == {
        "height": Quantity(12.0, ""),
        "undulation": Quantity(1.5, "m"),
    }


def test_an_array_is_not_a_float() -> None:
    q = Quantity((1.0, 2.0), "MeV")
    with pytest.raises(TypeError, match="holds 2 values"):
        float(q)
    assert str(Quantity(45.8, "m")) == "45.8 m"


def _all_units() -> list[str]:
    units: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("units"), str):
                units.add(node["units"])
            for v in node.values():
                walk(v)

    for spec, path, _, _ in SHAPES:
        walk(spec_example(spec, "GET", path))
    walk(spec_example(GM, "GET", "/magnetic_field")["total_intensity"])
    return sorted(units)


@pytest.mark.parametrize("unit", _all_units())
def test_every_unit_of_the_examples_converts_with_pint(unit: str) -> None:
    pint = pytest.importorskip("pint", reason="pint is optional (extra 'units')")
    converted = Quantity(2.0, unit).to_pint()
    assert isinstance(converted, pint.Quantity)
    # the solar flux unit has no pint name: it arrives in SI, scaled
    assert converted.magnitude == pytest.approx(2.0 * (1e-22 if unit == "sfu" else 1))


def test_pint_dimensions_and_conversion() -> None:
    pytest.importorskip("pint", reason="pint is optional (extra 'units')")
    assert Quantity(2.0, "uSv/hr").to_pint().to("mSv/day").magnitude == pytest.approx(0.048)
    assert Quantity(1.0, "kg/m3").to_pint().to("g/cm**3").magnitude == pytest.approx(1e-3)
    assert Quantity(20.0, "deg C").to_pint().to("K").magnitude == pytest.approx(293.15)
    spectrum = Quantity((1.0, 2.0), "MeV").to_pint()
    assert list(spectrum.to("keV").magnitude) == [1000.0, 2000.0]
    from commonrest import ConfigurationError

    with pytest.raises(ConfigurationError, match="'furlongs per pint'"):
        Quantity(1.0, "furlongs per pint").to_pint()
