"""Airflow error bodies, read into the core's exceptions.

API v1 (Airflow 2) answers RFC 7807 problems, which the core reads itself. API v2
(Airflow 3) answers FastAPI bodies whose ``detail`` is

- a string (``{"detail": "Invalid JWT token"}``);
- a list of validation errors, each ``{type, loc, msg, input}`` (422): the message names
  every field (``body.logical_date: Input should be a valid datetime``), never its input,
  which may be a password;
- an object (409 ``{reason, statement, orig_error, message}``): the reason and the
  server's message (which names the id to look for in its log).

:func:`parse_airflow_error` turns each into an :class:`~commonrest.ErrorDetail`, so that
``str(error)`` says what the server said; ``error.detail.code`` is the first validation
error's ``type`` or the object's ``reason``.
"""

from __future__ import annotations

from typing import Any

import httpx

from commonrest._errors import ErrorDetail

__all__ = ["parse_airflow_error"]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _field(location: object) -> str:
    if isinstance(location, (list, tuple)):
        return ".".join(str(part) for part in location) or "(body)"
    return str(location) if location is not None else "(body)"


def _validation(errors: list[Any], body: dict[str, Any]) -> ErrorDetail | None:
    parts: list[str] = []
    code: str | None = None
    for error in errors:
        if not isinstance(error, dict):
            continue
        code = code or _text(error.get("type"))
        parts.append(f"{_field(error.get('loc'))}: {_text(error.get('msg')) or 'invalid'}")
    if not parts:
        return None
    shown = "; ".join(parts[:10]) + (f" (+{len(parts) - 10} more)" if len(parts) > 10 else "")
    # the inputs stay out of the message (a connection's password can be one of them)
    return ErrorDetail(message=shown, code=code, data=body)


def parse_airflow_error(body: Any, headers: httpx.Headers) -> ErrorDetail | None:
    """Read an Airflow API v2 (FastAPI) error body; ``None`` for any other body."""
    if not isinstance(body, dict) or "detail" not in body or "title" in body:
        return None  # an RFC 7807 problem (API v1) is the core's to read
    detail = body["detail"]
    if isinstance(detail, str):
        return ErrorDetail(message=detail or None, data=body)
    if isinstance(detail, list):
        return _validation(detail, body)
    if isinstance(detail, dict):
        reason = _text(detail.get("reason"))
        said = _text(detail.get("message"))
        message = ": ".join(part for part in (reason, said) if part) or None
        return ErrorDetail(message=message, code=reason, data=body)
    return None
