"""Signed Adyen notifications for your own tests.

Build a notification of any event, signed with your test key, and post it to your
handler (with :func:`commonrest.testing.post_to_wsgi` or
:func:`~commonrest.testing.post_to_asgi`)::

    from adyen_like.testing import notification_item, signed_notification
    from commonrest.testing import post_to_wsgi

    body = signed_notification(notification_item("CAPTURE", value=500), hmac_key=KEY)
    response = post_to_wsgi(app, body, path="/adyen/webhooks")
    assert response.text == "[accepted]"

The signatures are computed the way Adyen computes them, so a handler that accepts these
accepts Adyen's.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
from collections.abc import Mapping
from typing import Any

from .webhooks import _one_key, notification_signature

__all__ = ["notification_item", "signed_notification", "signed_platform_notification"]

_REFERENCES = itertools.count(8_815_000_000_000_001)


def notification_item(
    event_code: str = "AUTHORISATION",
    *,
    psp_reference: str | None = None,
    original_reference: str | None = None,
    merchant_account_code: str = "TestMerchant",
    merchant_reference: str = "order-1",
    value: int | None = 1000,
    currency: str | None = "EUR",
    success: bool = True,
    event_date: str = "2024-01-01T12:00:00+01:00",
    payment_method: str | None = "visa",
    reason: str | None = None,
    additional_data: Mapping[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A ``NotificationRequestItem`` object (wire names), unsigned. ``psp_reference``
    defaults to a new 16-digit reference each call; ``value=None`` leaves the amount out;
    ``fields`` are added as given (wire names)."""
    item: dict[str, Any] = {
        "pspReference": psp_reference or str(next(_REFERENCES)),
        "merchantAccountCode": merchant_account_code,
        "merchantReference": merchant_reference,
        "eventCode": event_code,
        "eventDate": event_date,
        "success": "true" if success else "false",
    }
    if original_reference is not None:
        item["originalReference"] = original_reference
    if value is not None:
        item["amount"] = {"value": value, "currency": currency}
    if payment_method is not None:
        item["paymentMethod"] = payment_method
    if reason is not None:
        item["reason"] = reason
    if additional_data is not None:
        item["additionalData"] = dict(additional_data)
    item.update(fields)
    return item


def signed_notification(*items: Mapping[str, Any], hmac_key: str, live: bool = False) -> bytes:
    """The raw body of a standard notification batch holding ``items`` (each the object
    inside ``NotificationRequestItem``, e.g. from :func:`notification_item`), each signed
    with ``hmac_key`` (hex, as the Customer Area shows it). The items given are copied,
    never changed."""
    _one_key(hmac_key)  # checked before any item, so a batch of none is refused too
    wrapped = []
    for item in items:
        signed = copy.deepcopy(dict(item))
        extra = dict(signed.get("additionalData") or {})
        extra.pop("hmacSignature", None)
        signed["additionalData"] = extra
        extra["hmacSignature"] = notification_signature(signed, hmac_key)
        wrapped.append({"NotificationRequestItem": signed})
    body = {"live": "true" if live else "false", "notificationItems": wrapped}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def signed_platform_notification(
    notification: Mapping[str, Any], hmac_key: str
) -> tuple[bytes, dict[str, str]]:
    """The raw body of a classic platform notification and the headers that sign it
    (``HmacSignature``, ``Protocol: HmacSHA256``, ``Content-Type``). ``notification`` is
    the JSON object (``eventType``, ``pspReference``, ``content``, ...)."""
    key = _one_key(hmac_key)
    body = json.dumps(dict(notification), ensure_ascii=False).encode("utf-8")
    signature = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode("ascii")
    return body, {
        "Content-Type": "application/json",
        "HmacSignature": signature,
        "Protocol": "HmacSHA256",
    }
