"""An in-memory stand-in for the six Amentum APIs, for tests and offline notebooks.

It plugs into httpx as a :class:`httpx.MockTransport` (no network, no sockets), so the
real clients run their whole pipeline against it::

    from amentum_like.testing import AmentumFake

    fake = AmentumFake()
    client = fake.client()             # an AmentumClient; fake.async_client() for async
    client.gravity.geoid_height(latitude=-33.9, longitude=151.2).height.value

What it does:

- answers all 21 operations on their own hosts (``avrad.amentum.io``,
  ``gravity.amentum.io``, ..., ``geomag.amentum.io/wmm``) in the response shapes of the
  specs, with made-up values that depend smoothly on the inputs (the same point always
  gives the same answer; they are not physics);
- refuses a request without an ``API-Key`` header (401), or with a key other than
  ``api_key`` when one is given;
- records every request it answers (:attr:`requests`: time, host, path, query), counts
  requests in flight (:attr:`max_in_flight`) and per time window (:meth:`per_window`),
  so a test can show that a rate limit held;
- answers a chosen status for the requests a predicate picks (:meth:`fail_when`);
- with ``latency`` (seconds, or a function of the :class:`FakeRequest` giving them), takes
  that long per request; a handler that sleeps serves async clients only
  (``fake.async_client()``), so overlapping requests really overlap.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ._client import AmentumClient, AsyncAmentumClient

__all__ = ["AmentumFake", "FakeRequest"]


@dataclass(frozen=True)
class FakeRequest:
    """One request the fake answered: when (``time.monotonic()``), where, and its query."""

    time: float
    host: str
    path: str
    query: Mapping[str, str]


Handler = Callable[[Mapping[str, str]], dict[str, Any]]


def _f(query: Mapping[str, str], name: str, default: float = 0.0) -> float:
    try:
        return float(query[name])
    except (KeyError, ValueError):
        return default


def _q(value: float, unit: str) -> dict[str, Any]:
    return {"units": unit, "value": value}


def _dose_rate(query: Mapping[str, str]) -> dict[str, Any]:
    altitude = _f(query, "altitude", 10.0)
    latitude = _f(query, "latitude")
    rate = 0.05 + 0.2 * altitude * (1 + abs(latitude) / 90)
    return {"dose rate": _q(round(rate, 6), "uSv/hr")}


def _spectrum(query: Mapping[str, str]) -> dict[str, Any]:
    energies = [10.0 * 1.5**i for i in range(8)]
    scale = 1 + abs(_f(query, "latitude")) / 90
    return {
        "energies": {"data": energies, "units": "MeV"},
        "intensities": {"data": [scale / e for e in energies], "units": "/cm2/s/sr/MeV"},
    }


def _route(query: Mapping[str, str]) -> dict[str, Any]:
    duration = _f(query, "duration", 5.0)
    altitude = _f(query, "altitude", 10.0)
    date = f"{query.get('day', '1'):0>2}/{query.get('month', '1'):0>2}/{query.get('year', '')}"
    return {
        "dose": {
            "date": date,
            "origin": query.get("origin"),
            "destination": query.get("destination"),
            "units": "uSv",
            "value": round(duration * (0.5 + 0.25 * altitude), 6),
        }
    }


def _geoid(query: Mapping[str, str]) -> dict[str, Any]:
    lat, lon = math.radians(_f(query, "latitude")), math.radians(_f(query, "longitude"))
    return {"height": _q(round(30 * math.sin(lat) + 20 * math.cos(lon), 6), "m")}


def _anomaly(query: Mapping[str, str]) -> dict[str, Any]:
    lat, lon = math.radians(_f(query, "latitude")), math.radians(_f(query, "longitude"))
    return {
        "eta": _q(round(math.sin(lon), 6), "arcsec"),
        "gravity_anomaly": _q(round(25 * math.cos(lat) * math.sin(lon), 6), "mGal"),
        "xi": _q(round(math.cos(lat), 6), "arcsec"),
    }


def _gcr(query: Mapping[str, str]) -> dict[str, Any]:
    energy = _f(query, "energy", 100.0)
    return {"flux": _q(1.0 / (1.0 + energy), "/m^2/s/sr/(MeV/n)")}


def _trapped(query: Mapping[str, str]) -> dict[str, Any]:
    energies = [0.04, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0]
    return {
        "energies": {"data": energies, "units": "MeV"},
        "flux": {"data": [1e6 / e for e in energies], "units": "/cm^2/s/MeV"},
    }


def _jb2008(query: Mapping[str, str]) -> dict[str, Any]:
    altitude = _f(query, "altitude", 300.0)
    return {
        "at_alt_temp": _q(600 + altitude / 10, "K"),
        "exospheric_temp": _q(700.0, "K"),
        "total_mass_density": _q(1e-9 * math.exp(-altitude / 60), "kg/m3"),
    }


def _nrlmsise00(query: Mapping[str, str]) -> dict[str, Any]:
    out = _jb2008(query)
    density = 1e15 * math.exp(-_f(query, "altitude", 300.0) / 60)
    for species in ("Ar", "H", "He", "N2", "N", "O2", "O"):
        out[f"{species}_density"] = _q(density, "/m3")
    out["f107"] = _q(_f(query, "f107", 120.0), "sfu")
    out["f107a"] = _q(_f(query, "f107a", 120.0), "sfu")
    out["ap"] = {"value": _f(query, "ap", 7.0)}
    return out


def _wam_ipe(query: Mapping[str, str]) -> dict[str, Any]:
    altitude = _f(query, "altitude", 300.0)
    density = 1e15 * math.exp(-altitude / 60)
    return {
        "N2_density": _q(density, "/m3"),
        "O2_density": _q(density / 4, "/m3"),
        "O_density": _q(density * 2, "/m3"),
        "eastward_wind_neutral": _q(10.0, "m/s"),
        "northward_wind_neutral": _q(-5.0, "m/s"),
        "upward_wind_neutral": _q(0.1, "m/s"),
        "temp_neutral": _q(800 + altitude / 10, "K"),
        "total_mass_density": _q(density * 2.6e-26, "kg/m3"),
        "point": {
            "altitude": altitude,
            "latitude": _f(query, "latitude"),
            "longitude": _f(query, "longitude"),
        },
    }


def _magnetic_field(query: Mapping[str, str]) -> dict[str, Any]:
    lat = math.radians(_f(query, "latitude"))
    return {
        "declination": _q(round(10 * math.sin(lat), 6), "Deg"),
        "grid_variation": _q(round(-10 * math.cos(lat), 6), "Deg"),
        "inclination": _q(round(math.degrees(math.atan(2 * math.tan(lat))), 6), "Deg"),
        "total_intensity": _q(round(30000 * math.sqrt(1 + 3 * math.sin(lat) ** 2), 3), "nT"),
    }


def _point(query: Mapping[str, str], *names: str) -> dict[str, Any]:
    return {name: _f(query, name) for name in names}


def _rtofs(query: Mapping[str, str]) -> dict[str, Any]:
    depth = _f(query, "depth")
    return {
        "point": {**_point(query, "latitude", "longitude", "depth"), "on_land": False},
        "salinity": {"value": 35.0 + depth / 1000, "units": "g/kg"},
        "temperature": {"value": 25.0 - depth / 100, "units": "deg C"},
        "current_u": {"value": 0.2, "units": "m/s"},
        "current_v": {"value": -0.1, "units": "m/s"},
    }


def _gebco(query: Mapping[str, str]) -> dict[str, Any]:
    lat = math.radians(_f(query, "latitude"))
    return {
        "point": _point(query, "latitude", "longitude"),
        "elevation": {"value": round(-4000 * math.cos(lat)), "units": "m"},
    }


_VARIABLES: Mapping[str, tuple[str, str]] = {
    "chl": ("mass_concentration_of_chlorophyll_a_in_sea_water", "mg m-3"),
    "thetao": ("sea_water_potential_temperature", "degrees_C"),
    "so": ("sea_water_salinity", "1e-3"),
    "VHM0": ("sea_surface_wave_significant_height", "m"),
}


def _variable(query: Mapping[str, str], *point: str) -> dict[str, Any]:
    variable = query.get("variable", "")
    long_name, unit = _VARIABLES.get(variable, (variable, "1"))
    return {
        "point": _point(query, *point),
        "long_name": long_name,
        "value": round(1 + abs(_f(query, "latitude")) / 100, 6),
        "units": unit,
    }


_ROUTES: Mapping[tuple[str, str], Handler] = {
    ("avrad.amentum.io", "/cari7/ambient_dose"): _dose_rate,
    ("avrad.amentum.io", "/cari7/effective_dose"): _dose_rate,
    ("avrad.amentum.io", "/parma/ambient_dose"): _dose_rate,
    ("avrad.amentum.io", "/parma/effective_dose"): _dose_rate,
    ("avrad.amentum.io", "/parma/differential_intensity"): _spectrum,
    ("avrad.amentum.io", "/route/ambient_dose"): _route,
    ("avrad.amentum.io", "/route/effective_dose"): _route,
    ("gravity.amentum.io", "/egm2008/geoid_height"): _geoid,
    ("gravity.amentum.io", "/egm2008/gravity_anomaly"): _anomaly,
    ("spacerad.amentum.io", "/gcr/flux_dlr"): _gcr,
    ("spacerad.amentum.io", "/trapped/flux_mean"): _trapped,
    ("spacerad.amentum.io", "/trapped/flux_percentile"): _trapped,
    ("atmosphere.amentum.io", "/jb2008"): _jb2008,
    ("atmosphere.amentum.io", "/nrlmsise00"): _nrlmsise00,
    ("atmosphere.amentum.io", "/wam-ipe"): _wam_ipe,
    ("geomag.amentum.io", "/wmm/magnetic_field"): _magnetic_field,
    ("ocean.amentum.io", "/rtofs"): _rtofs,
    ("ocean.amentum.io", "/gebco"): _gebco,
    ("ocean.amentum.io", "/nemo/bgc"): lambda q: _variable(q, "latitude", "longitude", "depth"),
    ("ocean.amentum.io", "/nemo/phys"): lambda q: _variable(q, "latitude", "longitude", "depth"),
    ("ocean.amentum.io", "/mfwam"): lambda q: _variable(q, "latitude", "longitude"),
}

Predicate = Callable[[FakeRequest], bool]


class AmentumFake:
    """The six Amentum APIs in memory (see the module docstring)."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        latency: float | Callable[[FakeRequest], float] = 0.0,
    ) -> None:
        if not callable(latency) and (
            not isinstance(latency, (int, float)) or not math.isfinite(latency) or latency < 0
        ):
            raise ValueError(f"latency must be a number of seconds >= 0, got {latency!r}")
        self.api_key = api_key
        self.latency = latency
        self.requests: list[FakeRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._failures: list[tuple[Predicate, int, dict[str, Any]]] = []
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- wiring

    @property
    def transport(self) -> httpx.MockTransport:
        """A transport for the clients (sync and async without ``latency``, async only with)."""
        return httpx.MockTransport(self._delayed if self.latency else self.handle)

    def client(self, **settings: Any) -> AmentumClient:
        """An :class:`~amentum_like.AmentumClient` wired to this fake (key ``fake-key``
        unless given)."""
        from ._client import AmentumClient

        settings.setdefault("api_key", self.api_key or "fake-key")
        return AmentumClient(transport=self.transport, **settings)

    def async_client(self, **settings: Any) -> AsyncAmentumClient:
        """An :class:`~amentum_like.AsyncAmentumClient` wired to this fake."""
        from ._client import AsyncAmentumClient

        settings.setdefault("api_key", self.api_key or "fake-key")
        return AsyncAmentumClient(transport=self.transport, **settings)

    def fail_when(self, predicate: Predicate, status: int = 500, **body: Any) -> None:
        """Answer ``status`` (with ``body`` as JSON, ``{"error": ...}`` by default) to every
        request ``predicate`` picks, e.g. ``lambda r: r.query["latitude"] == "0"``."""
        self._failures.append((predicate, status, body or {"error": f"injected {status}"}))

    def per_window(self, seconds: float) -> list[int]:
        """How many requests arrived in each ``seconds``-long window, from the first."""
        with self._lock:
            times = [r.time for r in self.requests]
        if not times:
            return []
        start = times[0]
        counts = [0] * (int((times[-1] - start) // seconds) + 1)
        for t in times:
            counts[int((t - start) // seconds)] += 1
        return counts

    def max_per_window(self, seconds: float) -> int:
        """The most requests that arrived within any ``seconds`` (a sliding window)."""
        with self._lock:
            times = sorted(r.time for r in self.requests)
        best = first = 0
        for last, t in enumerate(times):
            while t - times[first] >= seconds:
                first += 1
            best = max(best, last - first + 1)
        return best

    # ----------------------------------------------------------------- answering

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (the ``httpx.MockTransport`` handler)."""
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return self._answer(request)[0]
        finally:
            with self._lock:
                self.in_flight -= 1

    async def _delayed(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            response, seen = self._answer(request)
            latency = self.latency
            await asyncio.sleep(latency(seen) if callable(latency) else latency)
            return response
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, request: httpx.Request) -> tuple[httpx.Response, FakeRequest]:
        query = dict(request.url.params)
        seen = FakeRequest(time.monotonic(), request.url.host, request.url.path, query)
        with self._lock:
            self.requests.append(seen)
        key = request.headers.get("API-Key")
        if not key or (self.api_key is not None and key != self.api_key):
            return httpx.Response(401, json={"error": "missing or unknown API-Key"}), seen
        handler = _ROUTES.get((seen.host, seen.path))
        if handler is None or request.method != "GET":
            body = {"error": f"no route {request.method} {seen.path}"}
            return httpx.Response(404, json=body), seen
        for predicate, status, body in self._failures:
            if predicate(seen):
                return httpx.Response(status, json=body), seen
        return httpx.Response(200, json=handler(query)), seen
