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


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_block_runs_against_the_fake(code: str) -> None:
    if "RedisRateLimiter" in code:
        pytest.skip("needs a Redis server (tests/integration run the limiter against one)")
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
