"""One event loop in a background thread, for running async batches from sync code.

An async client's connection pool (and its rate limiter's waits) belong to the event loop
that first used them; ``asyncio.run`` makes a new loop per call, so a client used by two
``asyncio.run`` calls would find its pooled connections tied to a closed loop. Every
``evaluate_sync`` call therefore runs on this one long-lived loop: a client used only
through ``evaluate_sync`` always meets the same loop. The thread is a daemon, started on
first use.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["run_blocking"]

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def _background_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=loop.run_forever, name="amentum-like-batches", daemon=True
            )
            thread.start()
            _loop = loop
        return _loop


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on the background loop and wait for its result; an interrupt
    (Ctrl-C) cancels it there."""
    future = asyncio.run_coroutine_threadsafe(coroutine, _background_loop())
    try:
        return future.result()
    except BaseException:
        future.cancel()
        raise
