"""Adyen error bodies, read into the core's exceptions.

The classic APIs (Payment, Payout, Recurring, ...) answer errors with ``status``,
``errorCode``, ``message``, ``errorType`` and ``pspReference``; the balance-platform APIs
(Transfers) answer with an RFC 7807 problem that also carries ``errorCode`` and
``requestId``. :func:`parse_adyen_error` reads both, so ``error.code`` is the ``errorCode``
(a string: ``"010"``, ``"14_030"``; its leading zeros matter) and ``error.request_id`` the
PSP reference or request id. The whole body is ``error.detail.data``.

``str(error)`` reads ``422 Unprocessable Entity [14_003 validation]: Invalid card number
(payments.authorise: POST https://..., pspReference 8535...)``: the code and error type in
brackets, the message, and the PSP reference under its own name. Card numbers and the
other card and bank fields are masked everywhere the error keeps text (the client's
redactor, see :mod:`._setup`).
"""

from __future__ import annotations

from typing import Any

import httpx

from commonrest._errors import ErrorDetail

__all__ = ["parse_adyen_error"]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_adyen_error(body: Any, headers: httpx.Headers) -> ErrorDetail | None:
    """Read an Adyen error body; ``None`` when the body is not one."""
    if not isinstance(body, dict):
        return None
    code = body.get("errorCode")
    if isinstance(code, bool) or not isinstance(code, (str, int)):
        return None
    message = _text(body.get("message")) or _text(body.get("detail")) or _text(body.get("title"))
    psp = _text(body.get("pspReference"))
    reference = psp or _text(body.get("requestId"))
    kind = _text(body.get("errorType"))
    return ErrorDetail(
        message=message,
        code=str(code),
        request_id=reference,
        data=body,
        label=f"{code} {kind}" if kind else str(code),
        request_id_name="pspReference" if psp else None,
    )
