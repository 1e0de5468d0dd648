"""Amentum: one representative operation of every API (each its own host), sync and async,
against respx; response bodies are the specs' own examples."""

from __future__ import annotations

import httpx
import pytest
import respx

from amentum_like import AmentumClient, AsyncAmentumClient
from amentum_like.types.aviation_radiation import Particle
from amentum_like.types.ocean import NemoPhysVariable
from amentum_like.types.space_radiation import (
    CoordSys,
    CoordUnits,
    TrappedFluxMeanModel,
)

from .helpers import Case, run_async, run_sync, spec_example

KEY = {"api-key": "amentum-key"}
CARI7 = spec_example("amentum/aviation_radiation-1.5.0.yaml", "GET", "/cari7/ambient_dose")
GEOID = spec_example("amentum/gravity-1.1.1.yaml", "GET", "/egm2008/geoid_height")
FLUX = spec_example("amentum/space_radiation-1.1.2.yaml", "GET", "/trapped/flux_mean")
NRLMSISE = spec_example("amentum/atmosphere-1.1.1.yaml", "GET", "/nrlmsise00")
FIELD = spec_example("amentum/global-magnet-1.3.0.yaml", "GET", "/magnetic_field")
# The spec's example swaps units and value of grid_variation (a string where its schema says
# number): the model rejects it, so the test sends them the right way round.
_GRID = FIELD["grid_variation"]
FIELD = {**FIELD, "grid_variation": {"units": _GRID["value"], "value": _GRID["units"]}}
PHYS = spec_example("amentum/ocean-1.1.1.yaml", "GET", "/nemo/phys")

CASES = [
    Case(
        "aviation_radiation.cari7_ambient_dose",
        lambda c: c.aviation_radiation.cari7_ambient_dose(
            altitude=11,
            latitude=30,
            longitude=30,
            year=2019,
            month=12,
            day=1,
            utc=3,
            particle=Particle.TOTAL,
        ),
        "GET",
        "https://avrad.amentum.io/cari7/ambient_dose?altitude=11&latitude=30&longitude=30"
        "&year=2019&month=12&day=1&utc=3&particle=total",
        headers=KEY,
        response=CARI7,
        check=lambda r: r.dose_rate.units == CARI7["dose rate"]["units"],
    ),
    Case(
        "gravity.geoid_height",
        lambda c: c.gravity.geoid_height(latitude=-45, longitude=45.5),
        "GET",
        "https://gravity.amentum.io/egm2008/geoid_height?latitude=-45&longitude=45.5",
        headers=KEY,
        response=GEOID,
        check=lambda r: r.height.value == GEOID["height"]["value"],
    ),
    Case(
        "space_radiation.trapped_flux_mean (enum parameters)",
        lambda c: c.space_radiation.trapped_flux_mean(
            model=TrappedFluxMeanModel.AE9,
            coord_sys=CoordSys.GDZ,
            coord_units=CoordUnits.KM,
            coord1=400,
            coord2=45,
            coord3=45,
            year=2020,
            month=1,
            day=2,
            hour=3,
            minute=4,
            second=5,
        ),
        "GET",
        "https://spacerad.amentum.io/trapped/flux_mean?model=AE9&coord_sys=GDZ&coord_units=KM"
        "&coord1=400&coord2=45&coord3=45&year=2020&month=1&day=2&hour=3&minute=4&second=5",
        headers=KEY,
        response=FLUX,
    ),
    Case(
        "atmosphere.nrlmsise00 (optional parameters left out)",
        lambda c: c.atmosphere.nrlmsise00(
            year=2020,
            month=5,
            day=12,
            altitude=300,
            geodetic_latitude=42,
            geodetic_longitude=318,
            utc=2,
            ap=7,
        ),
        "GET",
        "https://atmosphere.amentum.io/nrlmsise00?year=2020&month=5&day=12&altitude=300"
        "&geodetic_latitude=42&geodetic_longitude=318&utc=2&ap=7",
        headers=KEY,
        response=NRLMSISE,
    ),
    Case(
        "geomag.magnetic_field (service path /wmm)",
        lambda c: c.geomag.magnetic_field(altitude=10, latitude=80, longitude=0, year=2020.5),
        "GET",
        "https://geomag.amentum.io/wmm/magnetic_field?altitude=10&latitude=80&longitude=0"
        "&year=2020.5",
        headers=KEY,
        response=FIELD,
    ),
    Case(
        "ocean.nemo_phys (default host)",
        lambda c: c.ocean.nemo_phys(
            year=2023,
            month=8,
            day=1,
            latitude=-34,
            longitude=152,
            depth=50,
            variable=NemoPhysVariable.THETAO,
        ),
        "GET",
        "https://ocean.amentum.io/nemo/phys?year=2023&month=8&day=1&latitude=-34&longitude=152"
        "&depth=50&variable=thetao",
        headers=KEY,
        response=PHYS,
    ),
]


def test_every_resource_has_a_case() -> None:
    from amentum_like._generated.catalog import RESOURCES

    covered = {c.id.split(" ")[0].rsplit(".", 1)[0] for c in CASES}
    assert covered == {path for path, _, _ in RESOURCES}


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


def test_ocean_host_can_be_replaced() -> None:
    client = AmentumClient(api_key="k", base_urls={"ocean": "https://ocean.example.org"})
    with respx.mock() as router:
        route = router.get("https://ocean.example.org/gebco?latitude=1&longitude=2").mock(
            return_value=httpx.Response(200, json={"elevation": {"value": -10, "units": "m"}})
        )
        client.ocean.gebco(latitude=1, longitude=2)
    assert route.called
    assert client.environment_urls["gravity"] == "https://gravity.amentum.io"


def test_api_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENTUM_API_KEY", "from-env")
    client = AmentumClient()
    with respx.mock() as router:
        route = router.get(url__startswith="https://gravity.amentum.io/").respond(200, json=GEOID)
        client.gravity.geoid_height(latitude=1, longitude=2)
    assert route.calls[0].request.headers["api-key"] == "from-env"
