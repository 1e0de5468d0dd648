"""Logging through the standard :mod:`logging` module, one logger per package.

Nothing is printed unless the application configures logging, or the environment variable
``COMMONREST_LOG`` is set to ``debug``, ``info`` or ``warning``, which attaches a stderr
handler to the ``commonrest`` logger and to the logger of every client class (each names
its package's logger in ``logger_name`` and registers it when the class is defined). Every
URL is logged through the redaction policy; headers and bodies are never logged. httpx's
own request log line ("HTTP Request: GET https://...") gets the same URL redaction (a token
in the query string is replaced), through a filter on the ``httpx`` logger.
"""

from __future__ import annotations

import logging
import os

import httpx

__all__ = ["ENV_VAR", "configure_from_env", "redact_httpx_logs", "register_logger"]

ENV_VAR = "COMMONREST_LOG"
#: The loggers of the client classes defined so far (``commonrest`` among them).
_names: set[str] = {"commonrest"}
_done = False
#: What ``COMMONREST_LOG`` asked for, once read: the handler and level, or ``None``.
_switch: tuple[logging.Handler, int] | None = None
_attached: set[str] = set()


class _RedactURLs(logging.Filter):
    """Replaces the URLs in a log record's arguments by their redacted form."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, httpx.URL) for a in args):
            from ._redaction import DEFAULT_REDACTOR

            record.args = tuple(
                DEFAULT_REDACTOR.url(a) if isinstance(a, httpx.URL) else a for a in args
            )
        return True


_URL_FILTER = _RedactURLs()


def redact_httpx_logs() -> None:
    """Make httpx's request log lines redact secret query parameters (idempotent)."""
    logging.getLogger("httpx").addFilter(_URL_FILTER)


def register_logger(name: str) -> None:
    """Make ``COMMONREST_LOG`` cover the logger ``name`` (a client class's package logger),
    also when the switch was read before the class was defined."""
    _names.add(name)
    if _switch is not None:
        _attach(name)


def _attach(name: str) -> None:
    if any(name == done or name.startswith(done + ".") for done in _attached):
        return  # a child logger's records reach its parent's handler already
    assert _switch is not None
    handler, level = _switch
    for child in [done for done in _attached if done.startswith(name + ".")]:
        # now reached through this parent: once is enough
        _attached.discard(child)
        logging.getLogger(child).removeHandler(handler)
    _attached.add(name)
    logger = logging.getLogger(name)
    logger.setLevel(level)
    logger.addHandler(handler)


def configure_from_env() -> None:
    """Attach a stderr handler when ``COMMONREST_LOG`` asks for it (idempotent), and make
    httpx's request log lines redact URLs."""
    global _done, _switch
    redact_httpx_logs()
    if _done:
        return
    _done = True
    _switch = None
    _attached.clear()
    level_name = os.environ.get(ENV_VAR, "").strip().upper()
    if not level_name:
        return
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        level = logging.DEBUG
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    _switch = handler, level
    for name in sorted(_names):
        _attach(name)
