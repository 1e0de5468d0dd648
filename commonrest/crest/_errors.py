"""Common REST error bodies, plugged into the core's error mapping.

The core turns every non-2xx status into its exception class (``PreconditionFailedError``
for 412, ``PreconditionRequiredError`` for 428...). :func:`parse_crest_error` is the body
parser the Common REST client registers: it reads ``{"code", "reason", "message",
"detail"}`` so the exception's message is the server's, ``error.code`` is the integer
``code`` field (``error.code == 412``), and :func:`crest_error_of` gives the typed body back.

Arguments refused before anything is sent (a bad path, pointer, filter, patch or query
combination) raise :class:`InvalidArgumentError`, which is both a
:class:`~commonrest.CommonRestError`, like every other SDK error, and a
:class:`ValueError`. It is the core's one argument error,
:class:`commonrest.InvalidArgumentError`, so one ``except`` clause catches a refused
argument of any client.
"""

from __future__ import annotations

from typing import Any

import httpx
import pydantic

from .._errors import APIResponseError, CommonRestError, ErrorDetail, InvalidArgumentError
from ._models import CrestErrorBody

__all__ = ["InvalidArgumentError", "MissingRevisionError", "crest_error_of", "parse_crest_error"]


class MissingRevisionError(CommonRestError, ValueError):
    """A read-modify-write cannot be made safe: the server sent the resource without its
    ``_rev`` revision. Nothing was written."""


def parse_crest_error(body: Any, headers: httpx.Headers) -> ErrorDetail | None:
    """Read a Common REST error body; ``None`` when the body is not one."""
    if not isinstance(body, dict):
        return None
    code = body.get("code")
    if isinstance(code, bool) or not isinstance(code, int):
        return None
    if not any(isinstance(body.get(k), str) for k in ("reason", "message")):
        return None
    try:
        parsed = CrestErrorBody.model_validate(body)
    except pydantic.ValidationError:
        return None
    return ErrorDetail(message=parsed.message or parsed.reason, code=code, data=parsed)


def crest_error_of(error: BaseException) -> CrestErrorBody | None:
    """The Common REST error body carried by an exception, when there is one."""
    if isinstance(error, APIResponseError) and error.detail is not None:
        data = error.detail.data
        if isinstance(data, CrestErrorBody):
            return data
    return None
