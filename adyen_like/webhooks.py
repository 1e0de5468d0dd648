"""Receiving Adyen webhooks: verify the signature of the raw body, then parse it.

Two kinds of notification, one entry point each:

- :func:`verify_notification`: standard notifications (payments, modifications, disputes,
  payouts, ...). Every item of a batch carries its own HMAC-SHA256 signature in
  ``additionalData.hmacSignature``, computed with the hex-decoded key over eight of its
  values joined by ``:`` exactly as received (a missing value counts as the empty string).
  **Every** item is checked; one bad item rejects the whole batch, since Adyen will send
  the batch again and a partly accepted batch would be half processed twice.
- :func:`verify_platform_notification`: classic platform (MarketPay) notifications. The
  signature covers the whole raw HTTP body and arrives in the ``HmacSignature`` header;
  the ``Protocol`` header must say ``HmacSHA256``.

Both take the raw body (``bytes`` or ``str``), never parsed JSON: parsing first (a
framework's ``request.json``) may change what was signed (number formatting, escapes,
key order), and then valid notifications fail. Both take one key or several (during a key
rotation, the old and the new one), compare in constant time, and raise
:class:`WebhookVerificationError` before anything is parsed into models. No message ever
contains a key.

After a batch is verified, hand it to :func:`handle_fresh` with a :class:`ReplayStore`:
it calls your handler for the items not seen before (Adyen delivers at least once) and
forgets an item whose handling failed, so Adyen's redelivery is not dropped as a replay.
Then answer Adyen with :data:`ACCEPTED` (``[accepted]``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, Protocol, TypeAlias

import pydantic
from pydantic import ConfigDict

from commonrest import CommonRestError, InvalidArgumentError, Model, OpenEnum
from commonrest._lenient import validate_leniently
from commonrest.declare import StrEnum

from .types.webhooks import Amount

__all__ = [
    "ACCEPTED",
    "Acknowledgement",
    "EventCode",
    "InMemoryReplayStore",
    "Notification",
    "NotificationItem",
    "PlatformEventType",
    "PlatformNotification",
    "ReplayKey",
    "ReplayStore",
    "WebhookVerificationError",
    "accepted",
    "fresh_items",
    "handle_fresh",
    "notification_signature",
    "signing_payload",
    "verify_notification",
    "verify_platform_notification",
]

#: The body Adyen expects in the answer to a notification it may stop resending.
ACCEPTED: Final = "[accepted]"

#: The eight fields of a standard notification item its signature covers, in order.
SIGNED_FIELDS: Final = (
    "pspReference",
    "originalReference",
    "merchantAccountCode",
    "merchantReference",
    "value",
    "currency",
    "eventCode",
    "success",
)

Reason: TypeAlias = Literal["malformed", "missing_signature", "mismatch", "protocol"]


class WebhookVerificationError(CommonRestError, ValueError):
    """A notification whose signature could not be verified; nothing of it was parsed.

    ``reason`` says why: ``"malformed"`` (not JSON, or not the shape of a notification),
    ``"missing_signature"``, ``"mismatch"`` (the signature matches none of the keys: the
    notification was changed after signing, or signed with a key not given), or
    ``"protocol"`` (a platform notification signed with another algorithm than
    HmacSHA256). ``item`` is the position of the failing item in the batch (``None`` for
    the batch as a whole, and for platform notifications), ``psp_reference`` its PSP
    reference when it has one. The message says the same; it never contains a key or a
    signature. Answer such a request with an error status (401), not ``[accepted]``.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: Reason,
        item: int | None = None,
        psp_reference: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.item = item
        self.psp_reference = psp_reference


# ----------------------------------------------------------------------------- models


class EventCode(StrEnum):
    """The event codes of standard notifications known when this SDK was built; a field
    typed with it also keeps any other code as a plain string."""

    AUTHENTICATION = "AUTHENTICATION"
    AUTHORISATION = "AUTHORISATION"
    AUTHORISATION_ADJUSTMENT = "AUTHORISATION_ADJUSTMENT"
    AUTORESCUE = "AUTORESCUE"
    CANCELLATION = "CANCELLATION"
    CANCEL_AUTORESCUE = "CANCEL_AUTORESCUE"
    CANCEL_OR_REFUND = "CANCEL_OR_REFUND"
    CAPTURE = "CAPTURE"
    CAPTURE_FAILED = "CAPTURE_FAILED"
    CHARGEBACK = "CHARGEBACK"
    CHARGEBACK_REVERSED = "CHARGEBACK_REVERSED"
    DISPUTE_DEFENSE_PERIOD_ENDED = "DISPUTE_DEFENSE_PERIOD_ENDED"
    EXPIRE = "EXPIRE"
    HANDLED_EXTERNALLY = "HANDLED_EXTERNALLY"
    INFORMATION_SUPPLIED = "INFORMATION_SUPPLIED"
    ISSUER_COMMENTS = "ISSUER_COMMENTS"
    ISSUER_RESPONSE_TIMEFRAME_EXPIRED = "ISSUER_RESPONSE_TIMEFRAME_EXPIRED"
    MANUAL_REVIEW_ACCEPT = "MANUAL_REVIEW_ACCEPT"
    MANUAL_REVIEW_REJECT = "MANUAL_REVIEW_REJECT"
    NOTIFICATION_OF_CHARGEBACK = "NOTIFICATION_OF_CHARGEBACK"
    NOTIFICATION_OF_FRAUD = "NOTIFICATION_OF_FRAUD"
    OFFER_CLOSED = "OFFER_CLOSED"
    ORDER_CLOSED = "ORDER_CLOSED"
    ORDER_OPENED = "ORDER_OPENED"
    PAIDOUT_REVERSED = "PAIDOUT_REVERSED"
    PAYOUT_DECLINE = "PAYOUT_DECLINE"
    PAYOUT_EXPIRE = "PAYOUT_EXPIRE"
    PAYOUT_THIRDPARTY = "PAYOUT_THIRDPARTY"
    POSTPONED_REFUND = "POSTPONED_REFUND"
    PREARBITRATION_LOST = "PREARBITRATION_LOST"
    PREARBITRATION_OPEN = "PREARBITRATION_OPEN"
    PREARBITRATION_WON = "PREARBITRATION_WON"
    RECURRING_CONTRACT = "RECURRING_CONTRACT"
    REFUND = "REFUND"
    REFUNDED_REVERSED = "REFUNDED_REVERSED"
    REFUND_FAILED = "REFUND_FAILED"
    REFUND_WITH_DATA = "REFUND_WITH_DATA"
    REPORT_AVAILABLE = "REPORT_AVAILABLE"
    REQUEST_FOR_INFORMATION = "REQUEST_FOR_INFORMATION"
    SECOND_CHARGEBACK = "SECOND_CHARGEBACK"
    TECHNICAL_CANCEL = "TECHNICAL_CANCEL"
    VOID_PENDING_REFUND = "VOID_PENDING_REFUND"


class PlatformEventType(StrEnum):
    """The event types of classic platform notifications known when this SDK was built;
    a field typed with it also keeps any other type as a plain string."""

    ACCOUNT_CLOSED = "ACCOUNT_CLOSED"
    ACCOUNT_CREATED = "ACCOUNT_CREATED"
    ACCOUNT_FUNDS_BELOW_THRESHOLD = "ACCOUNT_FUNDS_BELOW_THRESHOLD"
    ACCOUNT_HOLDER_CREATED = "ACCOUNT_HOLDER_CREATED"
    ACCOUNT_HOLDER_PAYOUT = "ACCOUNT_HOLDER_PAYOUT"
    ACCOUNT_HOLDER_STATUS_CHANGE = "ACCOUNT_HOLDER_STATUS_CHANGE"
    ACCOUNT_HOLDER_STORE_STATUS_CHANGE = "ACCOUNT_HOLDER_STORE_STATUS_CHANGE"
    ACCOUNT_HOLDER_UPCOMING_DEADLINE = "ACCOUNT_HOLDER_UPCOMING_DEADLINE"
    ACCOUNT_HOLDER_UPDATED = "ACCOUNT_HOLDER_UPDATED"
    ACCOUNT_HOLDER_VERIFICATION = "ACCOUNT_HOLDER_VERIFICATION"
    ACCOUNT_UPDATED = "ACCOUNT_UPDATED"
    BENEFICIARY_SETUP = "BENEFICIARY_SETUP"
    COMPENSATE_NEGATIVE_BALANCE = "COMPENSATE_NEGATIVE_BALANCE"
    DIRECT_DEBIT_INITIATED = "DIRECT_DEBIT_INITIATED"
    PAYMENT_FAILURE = "PAYMENT_FAILURE"
    REFUND_FUNDS_TRANSFER = "REFUND_FUNDS_TRANSFER"
    REPORT_AVAILABLE = "REPORT_AVAILABLE"
    SCHEDULED_REFUNDS = "SCHEDULED_REFUNDS"
    TRANSFER_FUNDS = "TRANSFER_FUNDS"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


#: Python names of the notification models, camelCase on the wire.
_WIRE_NAMES: Final = ConfigDict(alias_generator=_camel)


if TYPE_CHECKING:
    EventCodeValue: TypeAlias = EventCode | str
    PlatformEventTypeValue: TypeAlias = PlatformEventType | str
else:
    EventCodeValue: TypeAlias = OpenEnum[EventCode]
    PlatformEventTypeValue: TypeAlias = OpenEnum[PlatformEventType]


class NotificationItem(Model):
    """One verified item of a standard notification batch.

    ``success`` is a ``bool`` (the wire sends ``"true"``/``"false"``), ``amount`` holds the
    value in minor units, ``event_code`` an :class:`EventCode` or, for a code this SDK
    does not know, the string. ``additional_data`` is kept as sent (its ``hmacSignature``
    included); fields this model does not name are kept too (``model_extra``).
    """

    psp_reference: str | None = None
    original_reference: str | None = None
    merchant_account_code: str | None = None
    merchant_reference: str | None = None
    amount: Amount | None = None
    event_code: EventCodeValue | None = None
    event_date: datetime | None = None
    success: bool | None = None
    payment_method: str | None = None
    reason: str | None = None
    operations: list[str] | None = None
    additional_data: dict[str, Any] | None = None

    model_config = _WIRE_NAMES

    @property
    def replay_key(self) -> ReplayKey:
        """What identifies this event across deliveries: (pspReference, eventCode,
        success)."""
        return ReplayKey(self.psp_reference or "", str(self.event_code or ""), bool(self.success))


class Notification(Model):
    """A verified standard notification batch: ``live`` as a ``bool`` and its items."""

    live: bool | None = None
    items: list[NotificationItem] = []


class PlatformNotification(Model):
    """A verified classic platform notification.

    ``event_type`` is a :class:`PlatformEventType` (or the string of one this SDK does not
    know), ``live`` a ``bool``; ``content`` and ``error`` are kept as sent.
    :meth:`event` gives the generated model of the event type
    (``adyen_like.types.marketpay_notifications``), with ``content`` typed.
    """

    event_type: PlatformEventTypeValue | None = None
    psp_reference: str | None = None
    executing_user_key: str | None = None
    event_date: datetime | None = None
    live: bool | None = None
    content: dict[str, Any] | None = None
    error: dict[str, Any] | None = None

    model_config = _WIRE_NAMES

    def event(self) -> Model:
        """This notification as the generated model of its event type; ``self`` for an
        event type without one."""
        from .types import marketpay_notifications as models

        name = _PLATFORM_MODELS.get(str(self.event_type or ""))
        if name is None:
            return self
        cls: type[Model] = getattr(models, name)
        return cls.model_validate(self.to_dict())


_PLATFORM_MODELS: Final = {
    "ACCOUNT_CLOSED": "AccountCloseNotification",
    "ACCOUNT_CREATED": "AccountCreateNotification",
    "ACCOUNT_FUNDS_BELOW_THRESHOLD": "AccountFundsBelowThresholdNotification",
    "ACCOUNT_HOLDER_CREATED": "AccountHolderCreateNotification",
    "ACCOUNT_HOLDER_PAYOUT": "AccountHolderPayoutNotification",
    "ACCOUNT_HOLDER_STATUS_CHANGE": "AccountHolderStatusChangeNotification",
    "ACCOUNT_HOLDER_STORE_STATUS_CHANGE": "AccountHolderStoreStatusChangeNotification",
    "ACCOUNT_HOLDER_UPCOMING_DEADLINE": "AccountHolderUpcomingDeadlineNotification",
    "ACCOUNT_HOLDER_UPDATED": "AccountHolderUpdateNotification",
    "ACCOUNT_HOLDER_VERIFICATION": "AccountHolderVerificationNotification",
    "ACCOUNT_UPDATED": "AccountUpdateNotification",
    "BENEFICIARY_SETUP": "BeneficiarySetupNotification",
    "COMPENSATE_NEGATIVE_BALANCE": "CompensateNegativeBalanceNotification",
    "DIRECT_DEBIT_INITIATED": "DirectDebitInitiatedNotification",
    "PAYMENT_FAILURE": "PaymentFailureNotification",
    "REFUND_FUNDS_TRANSFER": "RefundFundsTransferNotification",
    "REPORT_AVAILABLE": "ReportAvailableNotification",
    "SCHEDULED_REFUNDS": "ScheduledRefundsNotification",
    "TRANSFER_FUNDS": "TransferFundsNotification",
}


# ----------------------------------------------------------------------------- input


def _raw(body: object) -> bytes:
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    kind = type(body).__name__
    raise InvalidArgumentError(
        f"body must be the raw request body (bytes or str), got {kind}: the signature "
        "covers the values exactly as Adyen sent them, and parsed JSON (json.loads, a "
        "framework's request.json) may already have changed them; pass request.body / "
        "request.get_data() instead",
        parameter="body",
    )


def _keys(hmac_keys: str | Iterable[str]) -> list[bytes]:
    """The keys, decoded. A key is the hex string the Customer Area shows; bytes are
    refused, since ``b"44782DEF..."`` (the hex text) and the decoded key would both be
    plausible readings, and the wrong one rejects every notification."""
    if isinstance(hmac_keys, (bytes, bytearray)):
        raise InvalidArgumentError(
            "hmac_keys must be the hex string the Customer Area shows (or a list of them), "
            "not bytes",
            parameter="hmac_keys",
        )
    if not isinstance(hmac_keys, (str, Iterable)):
        kind = type(hmac_keys).__name__
        raise InvalidArgumentError(
            f"hmac_keys must be a hex string or a list of them, got {kind}"
            + (
                " (a key read from an environment variable that is not set?)"
                if hmac_keys is None
                else ""
            ),
            parameter="hmac_keys",
        )
    given: list[object] = [hmac_keys] if isinstance(hmac_keys, str) else list(hmac_keys)
    if not given:
        raise InvalidArgumentError("hmac_keys must hold at least one key", parameter="hmac_keys")
    out = []
    for i, key in enumerate(given):
        if isinstance(key, str):
            try:
                decoded = binascii.unhexlify(key.strip())
            except (binascii.Error, ValueError):
                # the key itself stays out of the message
                raise InvalidArgumentError(
                    f"hmac_keys[{i}] is not a hexadecimal string (an Adyen HMAC key is "
                    f"64 hex digits; this one has {len(key)} characters)",
                    parameter="hmac_keys",
                ) from None
        else:
            raise InvalidArgumentError(
                f"hmac_keys[{i}] must be a hex string, got {type(key).__name__}",
                parameter="hmac_keys",
            )
        if not decoded:
            raise InvalidArgumentError(f"hmac_keys[{i}] is empty", parameter="hmac_keys")
        out.append(decoded)
    return out


def _one_key(hmac_key: str) -> bytes:
    """The one key a signing helper takes, decoded."""
    if not isinstance(hmac_key, str):
        raise InvalidArgumentError(
            f"hmac_key must be one hex string, got {type(hmac_key).__name__}",
            parameter="hmac_key",
        )
    (key,) = _keys(hmac_key)
    return key


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise WebhookVerificationError(
            "the notification body is not JSON", reason="malformed"
        ) from None


# ----------------------------------------------------------------------------- standard


def _wire_text(value: object) -> str:
    """A value as it goes into the signed text: strings exactly as received, a missing
    value (or ``null``) as the empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def signing_payload(item: Mapping[str, Any]) -> str:
    """The text a standard notification item's signature covers: its eight signed values
    joined by ``:``, each exactly as received, no escaping (``item`` is the object inside
    ``NotificationRequestItem``; it is only read)."""
    amount = item.get("amount")
    money: Mapping[str, Any] = amount if isinstance(amount, Mapping) else {}
    return ":".join(
        _wire_text(money.get(name) if name in ("value", "currency") else item.get(name))
        for name in SIGNED_FIELDS
    )


def notification_signature(item: Mapping[str, Any], hmac_key: str) -> str:
    """The base64 signature of a standard notification item under ``hmac_key`` (the hex
    string the Customer Area shows)."""
    key = _one_key(hmac_key)
    digest = hmac.new(key, signing_payload(item).encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _matches(signature: str, payload: bytes, keys: Sequence[bytes]) -> bool:
    try:
        given = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    found = False
    for key in keys:
        # every key is tried, so the time taken does not tell which one matched
        computed = hmac.new(key, payload, hashlib.sha256).digest()
        found |= hmac.compare_digest(computed, given)
    return found


def _items(data: Any) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get("notificationItems"), list):
        raise WebhookVerificationError(
            "the notification body has no notificationItems list", reason="malformed"
        )
    items: list[Any] = data["notificationItems"]
    if not items:
        raise WebhookVerificationError(
            "the notification has no items, so nothing is signed", reason="malformed"
        )
    return items


def _check_item(position: int, wrapper: Any, keys: Sequence[bytes]) -> None:
    item = wrapper.get("NotificationRequestItem") if isinstance(wrapper, dict) else None
    if not isinstance(item, dict):
        raise WebhookVerificationError(
            f"notification item {position} is not a NotificationRequestItem object",
            reason="malformed",
            item=position,
        )
    psp = item.get("pspReference")
    psp = psp if isinstance(psp, str) else None
    where = f"notification item {position}" + (f" (pspReference {psp})" if psp else "")
    extra = item.get("additionalData")
    signature = extra.get("hmacSignature") if isinstance(extra, dict) else None
    if not isinstance(signature, str) or not signature:
        missing = "additionalData" if not isinstance(extra, dict) else "hmacSignature"
        raise WebhookVerificationError(
            f"{where} is not signed: it has no {missing} (enable HMAC signing for this "
            "webhook in the Customer Area)",
            reason="missing_signature",
            item=position,
            psp_reference=psp,
        )
    if not _matches(signature, signing_payload(item).encode("utf-8"), keys):
        count = "the key" if len(keys) == 1 else f"any of the {len(keys)} keys"
        raise WebhookVerificationError(
            f"{where}: the signature does not match {count}; a signed field was changed "
            "after signing, or the item was signed with another key",
            reason="mismatch",
            item=position,
            psp_reference=psp,
        )


def verify_notification(
    body: bytes | bytearray | str, hmac_keys: str | Iterable[str]
) -> Notification:
    """Verify every item of a standard notification batch, then parse it.

    ``body`` is the raw request body; ``hmac_keys`` one key (the hex string of the
    Customer Area) or several (all are tried: pass the old and the new key while rotating).
    Raises :class:`WebhookVerificationError` naming the first item that fails (and why)
    before anything is parsed into models; :class:`~commonrest.InvalidArgumentError` for a
    body that is not bytes or str, or a key that is not hex.
    """
    raw = _raw(body)
    keys = _keys(hmac_keys)
    data = _loads(raw)
    for position, wrapper in enumerate(_items(data)):
        _check_item(position, wrapper, keys)
    rest = {k: v for k, v in data.items() if k not in ("live", "notificationItems")}
    shaped = {
        **rest,
        "live": data.get("live"),
        "items": [w["NotificationRequestItem"] for w in data["notificationItems"]],
    }
    try:
        return Notification.model_validate(shaped)
    except pydantic.ValidationError as exc:
        # a signed value of an unexpected type ("success": "maybe") is kept as sent
        kept: Notification = validate_leniently(
            Notification.model_validate, json.dumps(shaped).encode(), exc
        )
        return kept


# ----------------------------------------------------------------------------- platform


def _header_text(value: str | bytes) -> str:
    # ASGI's scope["headers"] holds (bytes, bytes) pairs; HTTP header bytes are latin-1
    return value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)


def verify_platform_notification(
    body: bytes | bytearray | str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]],
    hmac_keys: str | Iterable[str],
) -> PlatformNotification:
    """Verify a classic platform notification's signature over the raw body, then parse it.

    ``headers`` are the request's (any case; a mapping or pairs, ASGI's bytes pairs too):
    ``HmacSignature`` holds the base64 signature and ``Protocol`` must be ``HmacSHA256``.
    ``hmac_keys`` as for :func:`verify_notification`. Raises
    :class:`WebhookVerificationError` (reason ``"missing_signature"``, ``"protocol"``,
    ``"mismatch"`` or ``"malformed"``).
    """
    raw = _raw(body)
    keys = _keys(hmac_keys)
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    found = {_header_text(name).lower(): _header_text(value) for name, value in pairs}
    signature = found.get("hmacsignature", "")
    if not signature:
        raise WebhookVerificationError(
            "the platform notification has no HmacSignature header",
            reason="missing_signature",
        )
    protocol = found.get("protocol", "")
    if protocol != "HmacSHA256":
        shown = repr(protocol[:40]) if protocol else "none"
        raise WebhookVerificationError(
            f"the platform notification's Protocol header is {shown}; only HmacSHA256 is accepted",
            reason="protocol",
        )
    if not _matches(signature, raw, keys):
        count = "the key" if len(keys) == 1 else f"any of the {len(keys)} keys"
        raise WebhookVerificationError(
            f"the platform notification's signature does not match {count}; the body was "
            "changed after signing (re-encoded, reformatted), or signed with another key",
            reason="mismatch",
        )
    data = _loads(raw)
    if not isinstance(data, dict):
        raise WebhookVerificationError(
            "the platform notification is not a JSON object", reason="malformed"
        )
    return PlatformNotification.from_json(raw)


# ----------------------------------------------------------------------------- answering


class Acknowledgement(NamedTuple):
    """The answer to a notification: status, headers and body, for any web framework."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def accepted() -> Acknowledgement:
    """The answer Adyen expects once a notification is verified and stored:
    ``200`` with the body ``[accepted]``."""
    return Acknowledgement(200, [("Content-Type", "text/plain")], ACCEPTED.encode("ascii"))


class ReplayKey(NamedTuple):
    """What identifies a standard notification event across deliveries."""

    psp_reference: str
    event_code: str
    success: bool


class ReplayStore(Protocol):
    """Where the events already handled are remembered (a database table, Redis, ...).

    ``first_seen`` records ``key`` and says whether it was new, in one atomic step, so two
    deliveries of one event handled at once cannot both count as first.
    """

    def first_seen(self, key: ReplayKey) -> bool: ...


class InMemoryReplayStore:
    """A :class:`ReplayStore` in this process's memory, remembering the last
    ``max_entries`` events (thread-safe). For one process only; several workers need a
    shared store."""

    def __init__(self, max_entries: int = 100_000) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise InvalidArgumentError(
                f"max_entries must be a positive integer, got {max_entries!r}",
                parameter="max_entries",
            )
        self._max = max_entries
        self._seen: OrderedDict[ReplayKey, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_seen(self, key: ReplayKey) -> bool:
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return False
            self._seen[key] = None
            if len(self._seen) > self._max:
                self._seen.popitem(last=False)
            return True

    def forget(self, key: ReplayKey) -> None:
        """Forget ``key`` (its handling failed: a redelivery is to be handled again)."""
        with self._lock:
            self._seen.pop(key, None)

    def __len__(self) -> int:
        return len(self._seen)


def fresh_items(notification: Notification, store: ReplayStore) -> list[NotificationItem]:
    """The items of a verified batch not seen before, by (pspReference, eventCode,
    success); each is recorded in ``store`` as it is returned. An item repeated within
    the batch counts once."""
    return [item for item in notification.items if store.first_seen(item.replay_key)]


def handle_fresh(
    notification: Notification,
    store: ReplayStore,
    handle: Callable[[NotificationItem], object],
) -> list[NotificationItem]:
    """Call ``handle`` with each item of a verified batch not seen before (by
    (pspReference, eventCode, success)), in order, and return the items handled.

    An item is recorded in ``store`` as it is handed over; when ``handle`` raises, that
    item is forgotten again (when the store has a ``forget(key)`` method, as
    :class:`InMemoryReplayStore` has) and the error propagates, the later items untouched:
    answer with an error status, and Adyen's redelivery of the batch handles the item
    again instead of dropping it as a replay. :func:`fresh_items` records every item at
    once, before any is handled."""
    handled = []
    for item in notification.items:
        key = item.replay_key
        if not store.first_seen(key):
            continue
        try:
            handle(item)
        except BaseException:
            forget = getattr(store, "forget", None)
            if callable(forget):
                forget(key)
            raise
        handled.append(item)
    return handled
