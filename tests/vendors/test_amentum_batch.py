"""Amentum batches against the in-memory fake (amentum_like.testing): input order kept
whatever order answers arrive in, concurrency bounded, the client's rate limit held
(counted per window at the fake), per-point errors collected with their point or the
batch stopped, sync use and its refusal inside a running loop, records and DataFrames."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any

import pytest

from amentum_like import (
    AmentumClient,
    BatchResult,
    PointFailedError,
    Quantity,
    evaluate,
    evaluate_sync,
)
from amentum_like.testing import AmentumFake, FakeRequest
from commonrest import APIStatusError, ConfigurationError, InvalidArgumentError, RateLimiter

GRID = [{"latitude": lat, "longitude": lon} for lat in (-60, -30, 0, 30, 60) for lon in (0, 90)]


def _slow_on_the_south(request: FakeRequest) -> float:
    # early points answer last, so completion order is the reverse of input order
    return 0.05 if float(request.query["latitude"]) < 0 else 0.0


def _expected_heights(points: list[dict[str, Any]]) -> list[float]:
    """What the fake answers for each point, one plain sync call at a time."""
    client = AmentumFake().client()
    out = []
    for p in points:
        height = client.gravity.geoid_height(**p).height
        assert height is not None and height.value is not None
        out.append(height.value)
    return out


@pytest.mark.anyio
async def test_order_is_kept_and_concurrency_bounded() -> None:
    fake = AmentumFake(latency=_slow_on_the_south)
    async with fake.async_client() as client:
        batch = await evaluate(client.gravity.geoid_height, GRID, concurrency=3, progress=False)
    arrival = [dict(r.query) for r in fake.requests]
    assert len(arrival) == len(GRID)
    assert [p.point for p in batch] == GRID
    assert [p.index for p in batch] == list(range(len(GRID)))
    assert [float(p.quantities["height"]) for p in batch] == _expected_heights(GRID)
    assert 1 < fake.max_in_flight <= 3


@pytest.mark.anyio
async def test_errors_are_collected_with_their_point_under_a_rate_limit() -> None:
    fake = AmentumFake(latency=0.01)
    fake.fail_when(lambda r: r.query["latitude"] == "0", status=422)
    points: list[dict[str, Any]] = [
        *GRID,
        {"latitude": 91, "longitude": 0},
        {"latitude": "north", "longitude": 0},
    ]
    async with fake.async_client(rate_limit=RateLimiter(4, per=0.25)) as client:
        batch = await evaluate(client.gravity.geoid_height, points, concurrency=8, progress=False)
    assert [p.point for p in batch] == points
    failed = {p.index: p for p in batch.failed}
    assert sorted(failed) == [4, 5, 10, 11]  # latitude 0 (twice), 91 and "north"
    for i in (4, 5):
        status = failed[i].error
        assert isinstance(status, APIStatusError) and status.status_code == 422
        assert failed[i].result is None and failed[i].quantities == {}
    for i in (10, 11):
        refused = failed[i].error
        assert isinstance(refused, InvalidArgumentError) and refused.parameter == "latitude"
    # refused arguments were never sent; every other point was, once
    assert len(fake.requests) == len(GRID)
    assert all(p.ok for p in batch if p.index not in failed)
    # the limit held at the server: never more than 4 arrivals within 0.15 s (0.1 s of
    # margin for arrival jitter under load; without the limiter all 10 arrive within a
    # few milliseconds)
    assert fake.max_per_window(0.15) <= 4
    assert len(fake.per_window(0.25)) >= 3


@pytest.mark.anyio
async def test_raise_stops_the_batch_at_the_first_failure() -> None:
    fake = AmentumFake()
    fake.fail_when(lambda r: r.query["latitude"] == "0", status=400)
    async with fake.async_client() as client:
        with pytest.raises(PointFailedError) as caught:
            await evaluate(
                client.gravity.geoid_height, GRID, concurrency=1, errors="raise", progress=False
            )
    assert caught.value.index == 4
    assert caught.value.point == GRID[4]
    assert isinstance(caught.value.__cause__, APIStatusError)
    assert len(fake.requests) == 5  # nothing after the failing point was sent


@pytest.mark.anyio
async def test_raise_cancels_points_in_flight() -> None:
    fake = AmentumFake(latency=lambda r: 0.0 if r.query["latitude"] == "91" else 0.5)
    async with fake.async_client() as client:
        points = [{"latitude": 1, "longitude": 1}] * 3 + [{"latitude": 91, "longitude": 1}]
        with pytest.raises(PointFailedError) as caught:
            await evaluate(client.gravity.geoid_height, points, concurrency=4, errors="raise")
    assert caught.value.index == 3
    assert isinstance(caught.value.error, InvalidArgumentError)
    await asyncio.sleep(0)
    assert fake.in_flight == 0  # the three slow ones were cancelled, not left running


def test_sync_use_and_dates_and_airports() -> None:
    fake = AmentumFake()
    client = fake.async_client()
    points = [
        {"origin": "YSSY", "destination": (33.94250107, -118.4079971), "when": date(2024, 1, 2)},
        {"origin": "syd", "destination": "LAX", "when": datetime(2024, 1, 3, 23, 30)},
    ]
    for _ in range(2):  # twice on one client: the same background loop serves both
        batch = evaluate_sync(
            client.aviation_radiation.route_effective_dose, points, altitude=11, progress=False
        )
        assert all(p.ok for p in batch), batch.failed
    sent = [dict(r.query) for r in fake.requests[:2]]
    assert sent[0]["destination"] == "33.94250107,-118.4079971"
    assert sent[1]["origin"] == "SYD"
    assert (sent[1]["year"], sent[1]["month"], sent[1]["day"]) == ("2024", "1", "3")
    assert all(s["altitude"] == "11" for s in sent)
    first = batch.results[0]  # typed: the operation's result model
    assert first is not None and first.dose is not None and first.dose.value is not None
    assert batch[0].quantities == {"dose": Quantity(first.dose.value, "uSv")}


@pytest.mark.anyio
async def test_sync_refuses_inside_a_running_loop() -> None:
    fake = AmentumFake()
    async with fake.async_client() as client:
        with pytest.raises(ConfigurationError, match=r"await evaluate"):
            evaluate_sync(client.gravity.geoid_height, GRID)
    assert fake.requests == []


def test_a_sync_clients_operation_is_refused() -> None:
    fake = AmentumFake()
    with pytest.raises(ConfigurationError, match="AsyncAmentumClient"):
        evaluate_sync(fake.client().gravity.geoid_height, GRID)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="concurrency"):
        evaluate_sync(fake.async_client().gravity.geoid_height, GRID, concurrency=0)
    with pytest.raises(ConfigurationError, match="errors must be"):
        evaluate_sync(fake.async_client().gravity.geoid_height, GRID, errors="ignore")  # type: ignore[arg-type]
    assert fake.requests == []


def test_progress_display(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm", reason="the display needs tqdm (extra 'progress')")
    fake = AmentumFake()
    fake.fail_when(lambda r: r.query["latitude"] == "0", status=400)
    evaluate_sync(fake.async_client().gravity.geoid_height, GRID, progress=True)
    shown = capsys.readouterr().err
    assert "gravity.geoid_height" in shown
    assert "10/10" in shown and "errors=2" in shown


def _grid_batch() -> BatchResult[Any]:
    fake = AmentumFake()
    fake.fail_when(lambda r: r.query["geodetic_latitude"] == "0", status=400)
    return evaluate_sync(
        fake.async_client().atmosphere.jb2008,
        [{"geodetic_latitude": lat, "geodetic_longitude": 10} for lat in (-10, 0, 10)],
        altitude=300,
        when=datetime(2020, 5, 23, 2, 30),
        progress=False,
    )


def test_records() -> None:
    records = _grid_batch().to_records()
    assert [r["geodetic_latitude"] for r in records] == [-10, 0, 10]
    assert records[0]["altitude"] == 300 and records[0]["when"] == datetime(2020, 5, 23, 2, 30)
    assert records[0]["at_alt_temp"] == 630.0 and records[0]["error"] is None
    assert "at_alt_temp" not in records[1] and "400" in records[1]["error"]
    assert _grid_batch().units() == {
        "altitude": "km",
        "geodetic_latitude": "deg",
        "geodetic_longitude": "deg",
        "at_alt_temp": "K",
        "exospheric_temp": "K",
        "total_mass_density": "kg/m3",
    }


def test_dataframe() -> None:
    pd = pytest.importorskip("pandas", reason="DataFrames need pandas (extra 'pandas')")
    frame = _grid_batch().to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [
        "geodetic_latitude",
        "geodetic_longitude",
        "altitude",
        "when",
        "at_alt_temp",
        "exospheric_temp",
        "total_mass_density",
        "error",
    ]
    assert frame["at_alt_temp"].tolist()[0] == 630.0
    assert pd.isna(frame["at_alt_temp"].tolist()[1])
    assert frame.attrs["units"]["total_mass_density"] == "kg/m3"
    assert frame.attrs["units"]["altitude"] == "km"


def test_a_unit_change_mid_batch_gets_its_own_column() -> None:
    fake = AmentumFake()
    client = fake.async_client()
    # nemo_phys answers "value" in the unit of the variable asked for
    batch = evaluate_sync(
        client.ocean.nemo_phys,
        [{"variable": "thetao"}, {"variable": "so"}],
        year=2022,
        month=1,
        day=1,
        latitude=1,
        longitude=1,
        depth=0,
        progress=False,
    )
    records = batch.to_records()
    assert "value" in records[0] and "value [1e-3]" in records[1]
    assert batch.units()["value"] == "degrees_C" and batch.units()["value [1e-3]"] == "1e-3"


def test_dataframe_needs_pandas_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ConfigurationError, match=r"commonrest\[pandas\]"):
        _grid_batch().to_dataframe()


def test_the_fake_checks_the_key() -> None:
    fake = AmentumFake(api_key="right")
    with pytest.raises(APIStatusError) as caught:
        AmentumClient(api_key="wrong", transport=fake.transport).gravity.geoid_height(
            latitude=1, longitude=1
        )
    assert caught.value.status_code == 401


def test_an_empty_batch_and_bad_points() -> None:
    client = AmentumFake().async_client()
    empty = evaluate_sync(client.gravity.geoid_height, [])
    assert len(empty) == 0 and empty.to_records() == [] and empty.units() == {}
    with pytest.raises(ConfigurationError, match="point 1 is 5"):
        evaluate_sync(client.gravity.geoid_height, [GRID[0], 5])  # type: ignore[list-item]
