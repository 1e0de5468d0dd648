"""docs/amentum.md tells the truth: each of its python blocks runs, against the in-memory
fake (every Amentum host routed to it through respx), except the one that needs Redis."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import io
import re
from pathlib import Path
from typing import Any

import pytest
import respx

from amentum_like.testing import AmentumFake

DOC = Path(__file__).resolve().parents[2] / "docs" / "amentum.md"
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
BLOCKS = _FENCE.findall(DOC.read_text(encoding="utf-8"))


def _run(code: str) -> dict[str, Any]:
    """Run a block as a notebook cell would: top-level ``await`` allowed."""
    ns: dict[str, Any] = {"__name__": "docs_amentum"}
    compiled = compile(code, "<docs/amentum.md>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = eval(compiled, ns)
        if inspect.iscoroutine(result):
            asyncio.run(result)
    ns["__stdout__"] = out.getvalue()
    return ns


def test_the_doc_has_its_blocks() -> None:
    assert len(BLOCKS) >= 9


#: The blocks that need only the fake (the shared-quota one needs Redis: tested below).
FAKE_ONLY = [(i, b) for i, b in enumerate(BLOCKS) if "RedisRateLimiter" not in b]


@pytest.mark.parametrize("code", [b for _, b in FAKE_ONLY], ids=[f"block{i}" for i, _ in FAKE_ONLY])
def test_block_runs_against_the_fake(code: str) -> None:
    if "to_pint" in code:
        pytest.importorskip("pint", reason="the block converts with pint (extra 'units')")
    if "to_dataframe" in code:
        pytest.importorskip("pandas", reason="the block builds a DataFrame (extra 'pandas')")
    fake = AmentumFake()
    with respx.mock(assert_all_called=False) as router:
        router.route(host__regex=r".*\.amentum\.io").mock(side_effect=fake.handle)
        ns = _run(code)
    if "except InvalidArgumentError" in code or "# 10 requests per second" in code:
        assert fake.requests == []  # configuration only, or refused before sending
    elif "AmentumFake" not in code:
        assert fake.requests, "the block sent nothing"
    assert "Error" not in ns["__stdout__"].replace("InvalidArgumentError", "")


def test_validation_block_prints_the_refusal() -> None:
    (code,) = [b for b in BLOCKS if "except InvalidArgumentError" in b]
    ns = _run(code)
    assert ns["__stdout__"].startswith("latitude - latitude (query parameter) must be a finite")
    assert "from -90 to 90, got 91" in ns["__stdout__"]


def test_the_shared_quota_block_runs_against_a_real_redis() -> None:
    from scripts.redis_server import start, stop

    (code,) = [b for b in BLOCKS if "RedisRateLimiter" in b]
    example_url = "redis://redis.internal:6379/0"
    assert example_url in code
    server = start()
    try:
        ns = _run(code.replace(example_url, f"redis://127.0.0.1:{server.port}/0"))
        fake = AmentumFake()
        with respx.mock(assert_all_called=False) as router:
            router.route(host__regex=r".*\.amentum\.io").mock(side_effect=fake.handle)
            rows = ns["work"]([{"latitude": 10, "longitude": 20}, {"latitude": -5, "longitude": 0}])
    finally:
        stop(server.pid)
    assert [(r["latitude"], r["error"]) for r in rows] == [(10, None), (-5, None)]
    assert len(fake.requests) == 2
