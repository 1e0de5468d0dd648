"""The Amentum part of the offline tour runs against the fake and shows what it promises."""

from __future__ import annotations

import importlib

import pytest


def test_tour_route_dose_and_geoid_grid(capsys: pytest.CaptureFixture[str]) -> None:
    tour = importlib.import_module("tour")
    tour.amentum()
    out = capsys.readouterr().out
    assert "route dose Sydney -> Los Angeles" in out and " uSv " in out
    grid = [line for line in out.splitlines() if line.startswith("  lat")]
    assert len(grid) == 6 and all(line.endswith(" m") for line in grid)
    assert "6 points, 0 failed, 6 requests sent" in out  # the grid's own, not the route's
