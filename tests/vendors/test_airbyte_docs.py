"""docs/airbyte.md runs: its python blocks, in order, in one session, against the fake."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "airbyte.md"
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def test_the_airbyte_guide_runs_top_to_bottom() -> None:
    blocks = _FENCE.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 7
    session: dict[str, Any] = {"__name__": "airbyte_docs"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for code in blocks:
            exec(compile(code, str(DOC), "exec"), session)
    printed = out.getvalue().splitlines()
    fake = session["fake"]
    source_id = session["source_id"]
    assert fake.sources[source_id]["name"] == "renamed"  # the guarded update went through
    assert fake.sources[source_id]["connectionConfiguration"]["port"] == 6432
    assert session["final"].job.status == "succeeded"
    assert "succeeded 1 3000 360000" in printed  # the wait's last progress line
    assert "1 succeeded" in printed  # the history
    text = "\n".join(printed)
    assert "($.port: is missing but it is required;" in text
    # the stock basic-auth password is the word "password": scrubbed like any credential
    assert printed[-2:] == [
        "['$.port', '$.database', '$.username', '$.[redacted]']",
        "2 stack lines",
    ]
