"""RedisRateLimiter's settings are checked when it is built, and the redis package costs
nothing (is not even imported) until one is."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from commonrest import ConfigurationError, RateLimitTimeoutError, RedisRateLimiter

URL = "redis://127.0.0.1:1/0"  # never connected to: building a limiter opens nothing


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"key": ""}, "key"),
        ({"key": "k", "on_unavailable": "open"}, "on_unavailable"),
        ({"key": "k", "timeout": 0}, "timeout"),
        ({"key": "k", "retry_redis_after": -1}, "retry_redis_after"),
        ({"key": "k", "margin": -0.1}, "margin"),
        ({"key": "k", "requests": 0}, "requests"),
        ({"key": "k", "per": 0}, "period"),
        ({"key": "k", "max_wait": -1}, "max_wait"),
    ],
)
def test_bad_settings_are_refused_by_name(settings: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        RedisRateLimiter(URL, **settings)


def test_a_redis_that_is_not_a_url_or_client_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="redis must be a URL"):
        RedisRateLimiter(6379, key="k")  # type: ignore[arg-type]


def test_without_the_redis_package_the_error_says_which_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ConfigurationError, match=r"commonrest\[redis\]"):
        RedisRateLimiter(URL, key="k")


def test_the_repr_never_shows_the_url() -> None:
    limiter = RedisRateLimiter("redis://:hunter2-secret@127.0.0.1:1/0", key="quota")
    assert "hunter2" not in repr(limiter) and "quota" in repr(limiter)


def test_importing_commonrest_and_using_a_client_imports_no_redis() -> None:
    code = (
        "import sys, commonrest\n"
        "from commonrest import RateLimiter, SyncClient\n"
        "RateLimiter(5).acquire()\n"
        "assert 'redis' not in sys.modules, 'redis imported'\n"
        "assert 'commonrest._ratelimit_redis' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_local_fallback_keeps_the_margin_for_arrival_jitter() -> None:
    # Redis at URL is unreachable, so every permit is the local fallback's. Its window is
    # per + margin (2.5 s) as the shared one's is, so a third permit within a 1 s wait is
    # refused; a fallback of exactly ``per`` would grant it after 0.5 s.
    limiter = RedisRateLimiter(
        URL,
        key="k",
        requests=2,
        per=0.5,
        margin=2.0,
        smooth=False,
        on_unavailable="local",
        max_wait=1.0,
    )
    try:
        limiter.acquire()
        limiter.acquire()
        with pytest.raises(RateLimitTimeoutError):
            limiter.acquire()
    finally:
        limiter.close()
