"""The webhook examples of docs/adyen.md run as written: the WSGI handler accepts a
signed batch and refuses a tampered one, the ASGI handler checks platform notifications,
and the amounts block gives what its comments say."""

from __future__ import annotations

import asyncio
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from adyen_like.testing import signed_platform_notification
from commonrest.testing import post_to_asgi

DOC = Path(__file__).resolve().parents[2] / "docs" / "adyen.md"
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _block(containing: str) -> str:
    found: list[str] = [
        b for b in _FENCE.findall(DOC.read_text(encoding="utf-8")) if containing in b
    ]
    assert len(found) == 1, containing
    return found[0]


def _run(code: str, namespace: dict[str, Any]) -> dict[str, Any]:
    exec(compile(code, str(DOC), "exec"), namespace)
    return namespace


def test_the_wsgi_handler_and_the_testing_block_run() -> None:
    ns = _run(_block("def adyen_webhook("), {"__name__": "docs_adyen"})
    _run(_block("post_to_wsgi(adyen_webhook"), ns)  # its asserts are the test
    assert [(str(code), psp) for code, psp, _ in ns["HANDLED"]] == [
        ("AUTHORISATION", "8835511210681094"),
        ("CAPTURE", ns["HANDLED"][1][1]),
    ]
    # a replay of the same batch is accepted but handled once
    ns["post_to_wsgi"](ns["adyen_webhook"], ns["body"])
    assert len(ns["HANDLED"]) == 2


def test_the_asgi_handler_runs() -> None:
    ns = _run(_block("def adyen_webhook("), {"__name__": "docs_adyen"})
    _run(_block("async def platform_webhook("), ns)
    event = {"eventType": "ACCOUNT_CREATED", "pspReference": "P1", "live": False}
    body, headers = signed_platform_notification(event, ns["HMAC_KEYS"][0])

    async def deliver() -> list[tuple[int, str]]:
        good = await post_to_asgi(ns["platform_webhook"], body, headers=headers)
        bad = await post_to_asgi(ns["platform_webhook"], body + b" ", headers=headers)
        return [(good.status_code, good.text), (bad.status_code, bad.text)]

    assert asyncio.run(deliver()) == [(200, "[accepted]"), (401, "mismatch")]


def test_the_amounts_block_says_what_it_gives() -> None:
    code = _block('to_minor_units("10.50", "EUR")')
    ns = _run(code, {})
    lines = [ln for ln in code.splitlines() if "  # " in ln and " import " not in ln]
    values = [eval(line.split("  # ", 1)[0], ns) for line in lines]
    assert values == [
        1050,
        1500,
        1234,
        12345,
        Decimal("10.50"),
        {"currency": "USD", "value": 1999},
        15,
    ]
    assert str(values[4]) == "10.50"
