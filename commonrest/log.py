"""Logging through the standard :mod:`logging` module, one logger per package.

Nothing is printed unless the application configures logging, or the environment variable
``COMMONREST_LOG`` is set to ``debug``, ``info`` or ``warning``, which attaches a stderr
handler to the ``commonrest`` logger and the vendor package loggers. Every URL is logged
through the redaction policy; headers and bodies are never logged.
"""

from __future__ import annotations

import logging
import os

__all__ = ["ENV_VAR", "configure_from_env"]

ENV_VAR = "COMMONREST_LOG"
_PACKAGES = ("commonrest", "adyen_like", "airflow_like", "airbyte_like", "amentum_like")
_done = False


def configure_from_env() -> None:
    """Attach a stderr handler when ``COMMONREST_LOG`` asks for it (idempotent)."""
    global _done
    if _done:
        return
    _done = True
    level_name = os.environ.get(ENV_VAR, "").strip().upper()
    if not level_name:
        return
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        level = logging.DEBUG
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in _PACKAGES:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
