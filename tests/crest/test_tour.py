"""The offline tour runs end to end and reports each step."""

from __future__ import annotations

import re

from commonrest.testing.crest_tour import run_crest_tour


def test_tour_shows_create_query_paging_patch_and_conflict() -> None:
    lines: list[str] = []
    run_crest_tour(print_fn=lines.append)
    text = "\n".join(lines)
    assert re.search(r"^create: POST \?_action=create -> _id=\S+ _rev=1 Location=https://", text,
                     re.M)  # fmt: skip
    query = next(line for line in lines if line.startswith("query:"))
    assert query.endswith("-> user01, user10")
    pages = [line for line in lines if line.startswith("page ")]
    listed = [name for line in pages for name in line.split(": ", 1)[1].split(" (")[0].split(", ")]
    assert len(listed) == len(set(listed)) == 12
    assert "(total 12, remaining 0)" in pages[-1]
    assert any(line.startswith("patch: roles=['staff', 'admin']") for line in lines)
    assert any("412 PreconditionFailedError" in line for line in lines)
    assert lines[-1].startswith("modify: re-read and updated -> title=Manager")
