"""Adyen webhooks: signatures verified (every item, several keys, constant-time), then
parsed into typed events; platform notifications signed over the raw body.

The expected signatures are computed here with :mod:`hmac` and :mod:`hashlib` directly,
never with the code under test, and one vector is the example Adyen publishes.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest

from adyen_like.testing import notification_item, signed_notification, signed_platform_notification
from adyen_like.webhooks import (
    ACCEPTED,
    EventCode,
    InMemoryReplayStore,
    Notification,
    PlatformEventType,
    ReplayKey,
    WebhookVerificationError,
    accepted,
    fresh_items,
    handle_fresh,
    verify_notification,
    verify_platform_notification,
)
from commonrest import CommonRestError, InvalidArgumentError

#: Adyen's published example key and signature (standard notification HMAC docs).
ADYEN_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
ADYEN_SIGNATURE = "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="
KEY = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90"
OTHER_KEY = "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"


def independent_signature(key_hex: str, *values: str) -> str:
    """HMAC-SHA256 over the values joined by ':', base64: written from the rule, not
    from the SDK."""
    text = ":".join(values)
    digest = hmac.new(binascii.unhexlify(key_hex), text.encode("utf-8"), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def item(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "pspReference": "7914073381342284",
        "merchantAccountCode": "TestMerchant",
        "merchantReference": "TestPayment-1407325143704",
        "amount": {"value": 1130, "currency": "EUR"},
        "eventCode": "AUTHORISATION",
        "eventDate": "2024-01-01T12:00:00+01:00",
        "success": "true",
        "paymentMethod": "visa",
    }
    base.update(over)
    return base


def signed(entry: dict[str, Any], key: str = KEY) -> dict[str, Any]:
    """``entry`` with an independently computed signature in additionalData."""
    amount = entry.get("amount") or {}
    signature = independent_signature(
        key,
        entry.get("pspReference", ""),
        entry.get("originalReference", ""),
        entry.get("merchantAccountCode", ""),
        entry.get("merchantReference", ""),
        str(amount.get("value", "")),
        amount.get("currency", ""),
        entry.get("eventCode", ""),
        entry.get("success", ""),
    )
    out = copy.deepcopy(entry)
    out.setdefault("additionalData", {})["hmacSignature"] = signature
    return out


def batch(*entries: dict[str, Any], live: str = "false") -> bytes:
    body = {"live": live, "notificationItems": [{"NotificationRequestItem": e} for e in entries]}
    return json.dumps(body, ensure_ascii=False).encode()


# ----------------------------------------------------------------------------- standard


def test_adyens_published_example_verifies() -> None:
    entry = item(additionalData={"hmacSignature": ADYEN_SIGNATURE})
    notification = verify_notification(batch(entry), ADYEN_KEY)
    assert [i.psp_reference for i in notification.items] == ["7914073381342284"]
    # and the independent computation agrees with the published value
    assert signed(item(), ADYEN_KEY)["additionalData"]["hmacSignature"] == ADYEN_SIGNATURE


def test_typed_events_bools_amounts_open_enum_and_unknown_fields() -> None:
    body = batch(
        signed(item(newField={"a": 1})),
        signed(item(pspReference="2", eventCode="SOMETHING_NEW", success="false")),
        live="true",
    )
    notification = verify_notification(body, KEY)
    assert isinstance(notification, Notification)
    assert notification.live is True
    first, second = notification.items
    assert first.success is True and second.success is False
    assert first.event_code is EventCode.AUTHORISATION
    assert second.event_code == "SOMETHING_NEW" and not isinstance(second.event_code, EventCode)
    assert first.amount is not None and (first.amount.value, first.amount.currency) == (
        1130,
        "EUR",
    )
    assert first.event_date is not None and first.event_date.utcoffset() is not None
    assert first.model_extra == {"newField": {"a": 1}}
    assert first.additional_data is not None and "hmacSignature" in first.additional_data


def test_str_body_is_accepted_as_well_as_bytes() -> None:
    body = batch(signed(item()))
    assert verify_notification(body.decode(), KEY).items[0].psp_reference == "7914073381342284"
    assert verify_notification(bytearray(body), KEY).items


def test_every_item_of_a_batch_is_checked_and_the_tampered_one_is_named() -> None:
    good = [signed(item(pspReference=str(n))) for n in range(1, 5)]
    tampered = copy.deepcopy(good)
    tampered[2]["amount"]["value"] = 1  # the third item's amount changed after signing
    with pytest.raises(WebhookVerificationError) as info:
        verify_notification(batch(*tampered), KEY)
    error = info.value
    assert (error.reason, error.item, error.psp_reference) == ("mismatch", 2, "3")
    assert "notification item 2 (pspReference 3)" in str(error)
    assert KEY not in str(error) and KEY.lower() not in str(error)
    assert isinstance(error, CommonRestError)
    # the untouched batch passes
    assert len(verify_notification(batch(*good), KEY).items) == 4


def test_a_tampered_last_item_is_caught_too() -> None:
    entries = [signed(item(pspReference=str(n))) for n in range(3)]
    entries[-1]["success"] = "false"
    with pytest.raises(WebhookVerificationError) as info:
        verify_notification(batch(*entries), KEY)
    assert info.value.item == 2


@pytest.mark.parametrize(
    ("entry", "missing"),
    [
        (item(), "additionalData"),
        (item(additionalData={}), "hmacSignature"),
        (item(additionalData={"hmacSignature": ""}), "hmacSignature"),
        (item(additionalData=None), "additionalData"),
    ],
)
def test_missing_signature(entry: dict[str, Any], missing: str) -> None:
    with pytest.raises(WebhookVerificationError) as info:
        verify_notification(batch(signed(item(pspReference="ok")), entry), KEY)
    assert info.value.reason == "missing_signature"
    assert info.value.item == 1
    assert missing in str(info.value)


def test_wrong_key() -> None:
    with pytest.raises(WebhookVerificationError, match="does not match the key") as info:
        verify_notification(batch(signed(item(), OTHER_KEY)), KEY)
    assert info.value.reason == "mismatch"
    assert OTHER_KEY not in str(info.value) and KEY not in str(info.value)


def test_key_rotation_accepts_either_key() -> None:
    old, new = signed(item(pspReference="old"), OTHER_KEY), signed(item(pspReference="new"))
    notification = verify_notification(batch(old, new), [KEY, OTHER_KEY])
    assert [i.psp_reference for i in notification.items] == ["old", "new"]
    with pytest.raises(WebhookVerificationError, match="any of the 2 keys"):
        verify_notification(batch(signed(item(), ADYEN_KEY)), (KEY, OTHER_KEY))


@pytest.mark.parametrize(
    "reference",
    ["order:17:a", "back\\slash", "both\\:mixed::", "ünïcødé-€-注文", 'quote"and\ttab'],
)
def test_values_are_signed_exactly_as_received(reference: str) -> None:
    entry = signed(item(merchantReference=reference, originalReference="orig:ref\\1"))
    assert verify_notification(batch(entry), KEY).items[0].merchant_reference == reference
    # an escaping verifier (":" -> "\:", "\" -> "\\") signs other text: it would disagree
    escaped = reference.replace("\\", "\\\\").replace(":", "\\:")
    if escaped != reference:
        wrong = copy.deepcopy(entry)
        wrong["additionalData"]["hmacSignature"] = signed(item(merchantReference=escaped))[
            "additionalData"
        ]["hmacSignature"]
        with pytest.raises(WebhookVerificationError):
            verify_notification(batch(wrong), KEY)


def test_non_ascii_escaped_in_the_json_body() -> None:
    entry = signed(item(merchantReference="Zahlung für Müller"))
    body = json.dumps(
        {"live": "false", "notificationItems": [{"NotificationRequestItem": entry}]},
        ensure_ascii=True,  # \u00fc on the wire; the signed text is the decoded string
    ).encode()
    assert b"\\u00fc" in body
    assert verify_notification(body, KEY).items[0].merchant_reference == "Zahlung für Müller"


def test_missing_values_count_as_empty_strings() -> None:
    entry = item()
    del entry["amount"]
    del entry["merchantReference"]
    notification = verify_notification(batch(signed(entry)), KEY)
    assert notification.items[0].amount is None


def test_the_key_may_be_given_in_lower_case() -> None:
    assert verify_notification(batch(signed(item())), KEY.lower()).items


def test_a_dict_body_is_refused_with_the_reason() -> None:
    parsed = json.loads(batch(signed(item())))
    with pytest.raises(InvalidArgumentError, match="raw request body") as info:
        verify_notification(parsed, KEY)  # json.loads gives Any: no type error, a run-time one
    assert info.value.parameter == "body"
    assert "json.loads" in str(info.value)


def test_keys_that_are_not_hex_are_refused_without_echoing_them() -> None:
    with pytest.raises(InvalidArgumentError, match=r"hmac_keys\[1\] is not a hexadecimal") as info:
        verify_notification(batch(signed(item())), [KEY, "not-a-hex-secret-value"])
    assert "not-a-hex-secret-value" not in str(info.value)
    with pytest.raises(InvalidArgumentError, match="at least one key"):
        verify_notification(batch(signed(item())), [])
    with pytest.raises(InvalidArgumentError, match="not bytes"):
        verify_notification(batch(signed(item())), KEY.encode())  # type: ignore[arg-type]


@pytest.mark.parametrize("keys", [None, 5, 3.5])
def test_keys_of_the_wrong_type_are_an_sdk_error_naming_the_parameter(keys: Any) -> None:
    # None is what os.environ.get() gives for a key variable that is not set
    body = batch(signed(item()))
    with pytest.raises(InvalidArgumentError, match="hmac_keys must be") as info:
        verify_notification(body, keys)
    assert info.value.parameter == "hmac_keys"
    headers = {"HmacSignature": "x", "Protocol": "HmacSHA256"}
    with pytest.raises(InvalidArgumentError, match="hmac_keys must be"):
        verify_platform_notification(b"{}", headers, keys)


def test_signing_for_tests_takes_exactly_one_key() -> None:
    from adyen_like.webhooks import notification_signature

    for call in (
        lambda key: notification_signature(item(), key),
        lambda key: signed_notification(item(), hmac_key=key),
        lambda key: signed_platform_notification({"eventType": "ACCOUNT_CREATED"}, key),
    ):
        for wrong in ([KEY, OTHER_KEY], None):
            with pytest.raises(InvalidArgumentError, match="hmac_key must be one") as info:
                call(wrong)
            assert info.value.parameter == "hmac_key"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"live": "false"}',
        b'{"live": "false", "notificationItems": []}',
        b'{"live": "false", "notificationItems": [{"Other": {}}]}',
    ],
)
def test_malformed_bodies(body: bytes) -> None:
    with pytest.raises(WebhookVerificationError) as info:
        verify_notification(body, KEY)
    assert info.value.reason == "malformed"


def test_a_signature_that_is_not_base64_is_a_mismatch() -> None:
    entry = item(additionalData={"hmacSignature": "%%%not base64%%%"})
    with pytest.raises(WebhookVerificationError) as info:
        verify_notification(batch(entry), KEY)
    assert info.value.reason == "mismatch"


def test_the_callers_data_is_not_changed() -> None:
    entries = [item(pspReference="1"), item(pspReference="2")]
    before = copy.deepcopy(entries)
    body = signed_notification(*entries, hmac_key=KEY)
    assert entries == before  # signing copies
    raw = bytes(body)
    verify_notification(body, KEY)
    assert body == raw


# ----------------------------------------------------------------------------- test kit


def test_signed_notification_of_the_kit_is_what_an_independent_check_accepts() -> None:
    body = signed_notification(
        notification_item("REFUND", psp_reference="P1", original_reference="O1", value=250),
        notification_item("CAPTURE", psp_reference="P2", value=None, success=False),
        hmac_key=KEY,
        live=True,
    )
    data = json.loads(body)
    assert data["live"] == "true"
    for wrapper in data["notificationItems"]:
        entry = wrapper["NotificationRequestItem"]
        given = entry["additionalData"]["hmacSignature"]
        assert (
            given
            == signed({k: v for k, v in entry.items() if k != "additionalData"})["additionalData"][
                "hmacSignature"
            ]
        )
    notification = verify_notification(body, KEY)
    assert [(i.event_code, i.success) for i in notification.items] == [
        (EventCode.REFUND, True),
        (EventCode.CAPTURE, False),
    ]


# ----------------------------------------------------------------------------- replays


def test_replays_are_dropped_by_psp_reference_event_code_and_success() -> None:
    store = InMemoryReplayStore()
    first = verify_notification(
        batch(signed(item(pspReference="A")), signed(item(pspReference="B"))), KEY
    )
    assert [i.psp_reference for i in fresh_items(first, store)] == ["A", "B"]
    again = verify_notification(
        batch(
            signed(item(pspReference="A")),  # replay
            signed(item(pspReference="A", success="false")),  # another outcome: new
            signed(item(pspReference="A", eventCode="CAPTURE")),  # another event: new
        ),
        KEY,
    )
    fresh = fresh_items(again, store)
    assert [i.replay_key for i in fresh] == [
        ReplayKey("A", "AUTHORISATION", False),
        ReplayKey("A", "CAPTURE", True),
    ]
    assert fresh_items(again, store) == []


def test_a_store_of_ones_own_plugs_in() -> None:
    class Recording:
        def __init__(self) -> None:
            self.keys: set[ReplayKey] = set()

        def first_seen(self, key: ReplayKey) -> bool:
            new = key not in self.keys
            self.keys.add(key)
            return new

    store = Recording()
    notification = verify_notification(batch(signed(item()), signed(item())), KEY)
    assert len(fresh_items(notification, store)) == 1
    assert store.keys == {ReplayKey("7914073381342284", "AUTHORISATION", True)}


def test_the_memory_store_is_bounded() -> None:
    store = InMemoryReplayStore(max_entries=2)
    keys = [ReplayKey(str(n), "CAPTURE", True) for n in range(3)]
    assert all(store.first_seen(k) for k in keys)
    assert len(store) == 2
    assert store.first_seen(keys[0])  # forgotten, so new again
    with pytest.raises(InvalidArgumentError, match="max_entries"):
        InMemoryReplayStore(max_entries=0)


def test_acknowledgement() -> None:
    assert ACCEPTED == "[accepted]"
    ack = accepted()
    assert (ack.status, ack.body) == (200, b"[accepted]")
    assert ("Content-Type", "text/plain") in ack.headers


# ----------------------------------------------------------------------------- platform

PLATFORM_EVENT = {
    "eventType": "ACCOUNT_HOLDER_CREATED",
    "pspReference": "8816089547960203",
    "executingUserKey": "ws@MarketPlace.Test",
    "eventDate": "2024-01-01T12:00:00+01:00",
    "live": False,
    "content": {"accountHolderCode": "AH-1", "legalEntity": "Individual"},
    "somethingNew": 1,
}


def platform_headers(body: bytes, key: str = KEY, protocol: str = "HmacSHA256") -> dict[str, str]:
    digest = hmac.new(binascii.unhexlify(key), body, hashlib.sha256).digest()
    return {"HmacSignature": base64.b64encode(digest).decode(), "Protocol": protocol}


def test_platform_notification_signed_over_the_raw_body() -> None:
    body = json.dumps(PLATFORM_EVENT, indent=2).encode()  # any formatting: the bytes count
    notification = verify_platform_notification(body, platform_headers(body), KEY)
    assert notification.event_type is PlatformEventType.ACCOUNT_HOLDER_CREATED
    assert notification.live is False
    assert notification.content == PLATFORM_EVENT["content"]
    assert notification.model_extra == {"somethingNew": 1}
    event = notification.event()
    assert type(event).__name__ == "AccountHolderCreateNotification"
    assert type(event).__module__ == "adyen_like.types.marketpay_notifications"


def test_platform_headers_are_read_in_any_case_and_as_pairs() -> None:
    body = json.dumps(PLATFORM_EVENT).encode()
    headers = {k.lower(): v for k, v in platform_headers(body).items()}
    assert verify_platform_notification(body, headers, KEY).psp_reference == "8816089547960203"
    assert verify_platform_notification(body, list(headers.items()), [OTHER_KEY, KEY])


def test_platform_headers_as_asgi_gives_them_are_read() -> None:
    body, headers = signed_platform_notification({"eventType": "ACCOUNT_CREATED"}, KEY)
    raw = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]
    assert verify_platform_notification(body, raw, KEY).event_type == "ACCOUNT_CREATED"
    raw[1] = (b"hmacsignature", base64.b64encode(b"x" * 32))
    with pytest.raises(WebhookVerificationError) as info:
        verify_platform_notification(body, raw, KEY)
    assert info.value.reason == "mismatch"


def test_platform_body_changed_by_reformatting_fails() -> None:
    body = json.dumps(PLATFORM_EVENT).encode()
    headers = platform_headers(body)
    reformatted = json.dumps(json.loads(body), indent=1).encode()  # same JSON, other bytes
    with pytest.raises(WebhookVerificationError) as info:
        verify_platform_notification(reformatted, headers, KEY)
    assert info.value.reason == "mismatch"


@pytest.mark.parametrize("protocol", ["HmacSHA1", "hmacsha256", "", "HmacSHA512"])
def test_platform_wrong_protocol_is_refused(protocol: str) -> None:
    body = json.dumps(PLATFORM_EVENT).encode()
    with pytest.raises(WebhookVerificationError) as info:
        verify_platform_notification(body, platform_headers(body, protocol=protocol), KEY)
    assert info.value.reason == "protocol"
    assert "HmacSHA256" in str(info.value)


def test_platform_missing_signature_and_dict_body() -> None:
    body = json.dumps(PLATFORM_EVENT).encode()
    with pytest.raises(WebhookVerificationError) as info:
        verify_platform_notification(body, {"Protocol": "HmacSHA256"}, KEY)
    assert info.value.reason == "missing_signature"
    with pytest.raises(InvalidArgumentError, match="raw request body"):
        verify_platform_notification(PLATFORM_EVENT, platform_headers(body), KEY)  # type: ignore[arg-type]


def test_platform_kit_signs_what_an_independent_check_accepts() -> None:
    body, headers = signed_platform_notification(PLATFORM_EVENT, KEY)
    assert headers["HmacSignature"] == platform_headers(body)["HmacSignature"]
    assert headers["Protocol"] == "HmacSHA256"
    assert verify_platform_notification(body, headers, KEY).event_type == "ACCOUNT_HOLDER_CREATED"


# ----------------------------------------------------------------------------- handlers


def wsgi_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A plain WSGI webhook receiver, as a user would write it."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(size)
    try:
        notification = verify_notification(body, KEY)
    except WebhookVerificationError as error:
        start_response("401 Unauthorized", [("Content-Type", "text/plain")])
        return [error.reason.encode()]
    RECEIVED.extend(i.psp_reference or "" for i in notification.items)
    ack = accepted()
    start_response(f"{ack.status} OK", ack.headers)
    return [ack.body]


async def asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A plain ASGI webhook receiver (platform notifications)."""
    assert scope["type"] == "http"
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
    try:
        verify_platform_notification(body, headers, KEY)
        status, answer = 200, ACCEPTED.encode()
    except WebhookVerificationError as error:
        status, answer = 401, error.reason.encode()
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": answer})


RECEIVED: list[str] = []


def test_posting_signed_and_tampered_batches_to_a_wsgi_handler() -> None:
    from commonrest.testing import post_to_wsgi

    RECEIVED.clear()
    body = signed_notification(notification_item(psp_reference="W1"), hmac_key=KEY)
    response = post_to_wsgi(wsgi_app, body, path="/adyen/webhooks")
    assert (response.status_code, response.text) == (200, "[accepted]")
    assert RECEIVED == ["W1"]
    tampered = body.replace(b'"value": 1000', b'"value": 1')
    assert tampered != body
    response = post_to_wsgi(wsgi_app, tampered)
    assert (response.status_code, response.text) == (401, "mismatch")
    assert RECEIVED == ["W1"]


@pytest.mark.anyio
async def test_posting_platform_notifications_to_an_asgi_handler() -> None:
    from commonrest.testing import post_to_asgi

    body, headers = signed_platform_notification(PLATFORM_EVENT, KEY)
    response = await post_to_asgi(asgi_app, body, headers=headers)
    assert (response.status_code, response.text) == (200, "[accepted]")
    response = await post_to_asgi(asgi_app, body, headers={**headers, "Protocol": "HmacSHA1"})
    assert (response.status_code, response.text) == (401, "protocol")


# ----------------------------------------------------------------------------- every event

SPEC = Path(__file__).resolve().parents[2] / "specs" / "adyen" / "Webhooks-v1.json"


def _spec_examples() -> list[tuple[str, dict[str, Any]]]:
    doc = json.loads(SPEC.read_text(encoding="utf-8"))
    out = []
    for hook, methods in doc["webhooks"].items():
        for op in methods.values():
            examples = op["requestBody"]["content"]["application/json"].get("examples") or {}
            for name, example in examples.items():
                if "$ref" in example:
                    example = doc["components"]["examples"][example["$ref"].rsplit("/", 1)[-1]]
                # three examples (ACH/EFT notices of change) are another kind of event,
                # not a notificationItems batch
                if "notificationItems" in example["value"]:
                    out.append((f"{hook.strip('/')}:{name}", example["value"]))
    assert len(out) == 39
    return out


@pytest.mark.parametrize(("name", "example"), _spec_examples(), ids=lambda v: str(v)[:60])
def test_every_spec_example_signed_independently_verifies_and_types(
    name: str, example: dict[str, Any]
) -> None:
    entries = []
    for wrapper in example["notificationItems"]:
        entry = {k: v for k, v in wrapper["NotificationRequestItem"].items()}
        extra = {k: v for k, v in (entry.get("additionalData") or {}).items()}
        extra.pop("hmacSignature", None)
        entry["additionalData"] = extra
        entries.append(signed(entry))
    notification = verify_notification(batch(*entries, live=example["live"]), [OTHER_KEY, KEY])
    assert notification.live is (example["live"] == "true")
    for parsed, sent in zip(notification.items, entries, strict=True):
        assert isinstance(parsed.event_code, EventCode), name
        assert parsed.event_code == sent["eventCode"]
        assert parsed.success is (sent["success"] == "true")
        if "amount" in sent:
            assert parsed.amount is not None and parsed.amount.value == sent["amount"]["value"]


def test_a_signed_value_of_an_unexpected_type_is_kept_not_fatal() -> None:
    entry = signed(item(success="maybe"))
    parsed = verify_notification(batch(entry), KEY).items[0]
    assert str(parsed.success) == "maybe"  # kept as sent; the signature covered it
    assert parsed.psp_reference == "7914073381342284"


def test_card_details_in_additional_data_are_masked_in_reprs() -> None:
    extra = {"expiryDate": "03/2030", "cardSummary": "1111", "authCode": "A1"}
    parsed = verify_notification(batch(signed(item(additionalData=extra))), KEY).items[0]
    shown = repr(parsed) + str(parsed)
    assert "03/2030" not in shown and "'expiryDate': '[redacted]'" in shown
    assert "'authCode': 'A1'" in shown
    assert parsed.additional_data is not None
    assert parsed.additional_data["expiryDate"] == "03/2030"  # the value itself is kept


def test_an_item_whose_handling_fails_is_handled_again_on_redelivery() -> None:
    store = InMemoryReplayStore()
    body = batch(signed(item(pspReference="A")), signed(item(pspReference="B")))
    handled: list[str | None] = []

    def handle(entry: Any) -> None:
        if entry.psp_reference == "B" and "B" not in failed:
            failed.append("B")
            raise RuntimeError("database down")
        handled.append(entry.psp_reference)

    failed: list[str] = []
    with pytest.raises(RuntimeError):
        handle_fresh(verify_notification(body, KEY), store, handle)
    assert handled == ["A"]
    # Adyen delivers the batch again: A was handled and is a replay, B was not
    again = handle_fresh(verify_notification(body, KEY), store, handle)
    assert [i.psp_reference for i in again] == ["B"] and handled == ["A", "B"]
    assert handle_fresh(verify_notification(body, KEY), store, handle) == []
