"""Amentum: every one of the 21 operations against respx, sync and async: its host, path and
query encoding (arrays as repeated keys, enums as their values, dates split), its API-Key
header, and its response (the spec's example) parsed back exactly."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest

import amentum_like
from amentum_like import AmentumClient, AsyncAmentumClient, airport, time_arguments

from .helpers import Case, run_async, run_sync, spec_example

KEY = {"api-key": "amentum-key"}
AV = "amentum/aviation_radiation-1.5.0.yaml"
GR = "amentum/gravity-1.1.1.yaml"
SR = "amentum/space_radiation-1.1.2.yaml"
AT = "amentum/atmosphere-1.1.1.yaml"
GM = "amentum/global-magnet-1.3.0.yaml"
OC = "amentum/ocean-1.1.1.yaml"
WHEN = datetime(2019, 12, 1, 3, 45, 30)
_FIELD = spec_example(GM, "GET", "/magnetic_field")
# the spec's example swaps units and value of grid_variation (see test_amentum.py)
FIELD = {
    **_FIELD,
    "grid_variation": {
        "units": _FIELD["grid_variation"]["value"],
        "value": _FIELD["grid_variation"]["units"],
    },
}


def _case(name: str, spec: str, path: str, call: Any, url: str, response: Any = None) -> Case:
    return Case(
        name,
        call,
        "GET",
        url,
        headers=KEY,
        response=response if response is not None else spec_example(spec, "GET", path),
    )


def _cari7(which: str) -> Case:
    return _case(
        f"aviation_radiation.cari7_{which}_dose (datetime split into year..utc)",
        AV,
        f"/cari7/{which}_dose",
        lambda c: getattr(c.aviation_radiation, f"cari7_{which}_dose")(
            altitude=11,
            latitude=30,
            longitude=-30.5,
            particle="neutron",
            **time_arguments(getattr(c.aviation_radiation, f"cari7_{which}_dose"), WHEN),
        ),
        f"https://avrad.amentum.io/cari7/{which}_dose?altitude=11&latitude=30&longitude=-30.5"
        "&year=2019&month=12&day=1&utc=3&particle=neutron",
    )


def _parma(which: str, **extra: Any) -> Case:
    tail = "".join(f"&{k}={v}" for k, v in extra.items())
    return _case(
        f"aviation_radiation.parma_{which}",
        AV,
        f"/parma/{which}",
        lambda c: getattr(c.aviation_radiation, f"parma_{which}")(
            atmospheric_depth=100.5,
            latitude=-45,
            longitude=170,
            year=2019,
            month=12,
            day=1,
            particle="alpha",
            **extra,
        ),
        f"https://avrad.amentum.io/parma/{which}?atmospheric_depth=100.5&latitude=-45"
        f"&longitude=170&year=2019&month=12&day=1&particle=alpha{tail}",
    )


def _route(which: str) -> Case:
    return _case(
        f"aviation_radiation.route_{which}_dose (arrays repeated, airports)",
        AV,
        f"/route/{which}_dose",
        lambda c: getattr(c.aviation_radiation, f"route_{which}_dose")(
            origin=airport("yssy"),
            destination=airport((33.94250107, -118.4079971)),
            initial_altitude=0,
            cruising_altitudes=[10, 12.5],
            climb_times=[0.1, 0.5],
            cruising_times=[1, 2],
            descent_time=0.5,
            final_altitude=0,
            **time_arguments(
                getattr(c.aviation_radiation, f"route_{which}_dose"), date(2019, 5, 21)
            ),
        ),
        f"https://avrad.amentum.io/route/{which}_dose?origin=YSSY"
        "&destination=33.94250107%2C-118.4079971&initial_altitude=0"
        "&cruising_altitudes=10&cruising_altitudes=12.5&climb_times=0.1&climb_times=0.5"
        "&cruising_times=1&cruising_times=2&descent_time=0.5&final_altitude=0"
        "&year=2019&month=5&day=21",
    )


def _trapped(which: str, **extra: Any) -> Case:
    tail = "".join(f"&{k}={v}" for k, v in extra.items())
    return _case(
        f"space_radiation.trapped_{which} (datetime split to the second)",
        SR,
        f"/trapped/{which}",
        lambda c: getattr(c.space_radiation, f"trapped_{which}")(
            model="AP9",
            coord_sys="GEI",
            coord_units="RE",
            coord1=1.5,
            coord2=2,
            coord3=-0.25,
            **time_arguments(getattr(c.space_radiation, f"trapped_{which}"), WHEN),
            **extra,
        ),
        f"https://spacerad.amentum.io/trapped/{which}?model=AP9&coord_sys=GEI&coord_units=RE"
        "&coord1=1.5&coord2=2&coord3=-0.25&year=2019&month=12&day=1&hour=3&minute=45&second=30"
        + tail,
    )


CASES = [
    _cari7("ambient"),
    _cari7("effective"),
    _parma("ambient_dose"),
    _parma("effective_dose"),
    _parma("differential_intensity", angle=0.5),
    _route("ambient"),
    _route("effective"),
    _case(
        "gravity.geoid_height",
        GR,
        "/egm2008/geoid_height",
        lambda c: c.gravity.geoid_height(latitude=-45, longitude=179.75),
        "https://gravity.amentum.io/egm2008/geoid_height?latitude=-45&longitude=179.75",
    ),
    _case(
        "gravity.anomaly",
        GR,
        "/egm2008/gravity_anomaly",
        lambda c: c.gravity.anomaly(latitude=90, longitude=-180),
        "https://gravity.amentum.io/egm2008/gravity_anomaly?latitude=90&longitude=-180",
    ),
    _case(
        "space_radiation.gcr_flux_dlr",
        SR,
        "/gcr/flux_dlr",
        lambda c: c.space_radiation.gcr_flux_dlr(year=2017, month=1, day=1, z=26, energy=1e6),
        "https://spacerad.amentum.io/gcr/flux_dlr?year=2017&month=1&day=1&z=26&energy=1000000.0",
    ),
    _trapped("flux_mean"),
    _trapped("flux_percentile", percentile=95),
    _case(
        "atmosphere.jb2008 (aware datetime to UTC, fractional utc hours)",
        AT,
        "/jb2008",
        lambda c: c.atmosphere.jb2008(
            altitude=300,
            geodetic_latitude=-42,
            geodetic_longitude=359.5,
            **time_arguments(
                c.atmosphere.jb2008, datetime(2020, 5, 23, 2, 30, tzinfo=timezone.utc)
            ),
        ),
        "https://atmosphere.amentum.io/jb2008?year=2020&month=5&day=23&altitude=300"
        "&geodetic_latitude=-42&geodetic_longitude=359.5&utc=2.5",
    ),
    _case(
        "atmosphere.nrlmsise00 (every optional parameter)",
        AT,
        "/nrlmsise00",
        lambda c: c.atmosphere.nrlmsise00(
            year=2020,
            month=5,
            day=23,
            altitude=80,
            geodetic_latitude=0,
            geodetic_longitude=0,
            utc=23.75,
            f107a=120,
            f107=130.5,
            ap=30,
        ),
        "https://atmosphere.amentum.io/nrlmsise00?year=2020&month=5&day=23&altitude=80"
        "&geodetic_latitude=0&geodetic_longitude=0&utc=23.75&f107a=120&f107=130.5&ap=30",
    ),
    _case(
        "atmosphere.wam_ipe (longitude -180..180 accepted)",
        AT,
        "/wam-ipe",
        lambda c: c.atmosphere.wam_ipe(
            latitude=42,
            longitude=-120,
            altitude=300,
            **time_arguments(c.atmosphere.wam_ipe, datetime(2020, 5, 23, 15, 10)),
        ),
        "https://atmosphere.amentum.io/wam-ipe?latitude=42&longitude=-120&altitude=300"
        "&year=2020&month=5&day=23&hour=15&minute=10",
    ),
    _case(
        "geomag.magnetic_field (decimal year from a date)",
        GM,
        "/magnetic_field",
        lambda c: c.geomag.magnetic_field(
            altitude=600,
            latitude=-90,
            longitude=180,
            **time_arguments(c.geomag.magnetic_field, datetime(2017, 1, 1)),
        ),
        "https://geomag.amentum.io/wmm/magnetic_field?altitude=600&latitude=-90&longitude=180"
        "&year=2017.0",
        response=FIELD,
    ),
    _case(
        "ocean.rtofs (0..360 longitude accepted)",
        OC,
        "/rtofs",
        lambda c: c.ocean.rtofs(latitude=-34, longitude=352, depth=1750),
        "https://ocean.amentum.io/rtofs?latitude=-34&longitude=352&depth=1750",
    ),
    _case(
        "ocean.gebco",
        OC,
        "/gebco",
        lambda c: c.ocean.gebco(latitude=11.37, longitude=142.59),
        "https://ocean.amentum.io/gebco?latitude=11.37&longitude=142.59",
    ),
    _case(
        "ocean.nemo_bgc",
        OC,
        "/nemo/bgc",
        lambda c: c.ocean.nemo_bgc(
            latitude=11.25,
            longitude=142.5,
            depth=0,
            variable="chl",
            **time_arguments(c.ocean.nemo_bgc, date(2022, 1, 31)),
        ),
        "https://ocean.amentum.io/nemo/bgc?year=2022&month=1&day=31&latitude=11.25"
        "&longitude=142.5&depth=0&variable=chl",
    ),
    _case(
        "ocean.nemo_phys",
        OC,
        "/nemo/phys",
        lambda c: c.ocean.nemo_phys(
            year=2022, month=1, day=1, latitude=11.3, longitude=0, depth=5500, variable="zos"
        ),
        "https://ocean.amentum.io/nemo/phys?year=2022&month=1&day=1&latitude=11.3&longitude=0"
        "&depth=5500&variable=zos",
    ),
    _case(
        "ocean.mfwam",
        OC,
        "/mfwam",
        lambda c: c.ocean.mfwam(
            year=2022, month=1, day=1, latitude=11.3, longitude=142.5, variable="VMDR_SW2"
        ),
        "https://ocean.amentum.io/mfwam?year=2022&month=1&day=1&latitude=11.3&longitude=142.5"
        "&variable=VMDR_SW2",
    ),
]


def test_every_operation_has_a_case() -> None:
    named = {c.id.split(" ")[0] for c in CASES}
    assert named == {e.python_name for e in amentum_like.catalog()}
    assert len(named) == 21


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_sync(case: Case) -> None:
    run_sync(AmentumClient(api_key="amentum-key"), case)


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_async(case: Case) -> None:
    client = AsyncAmentumClient(api_key="amentum-key")
    try:
        await run_async(client, case)
    finally:
        await client.close()
