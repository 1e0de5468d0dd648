"""The models of every Adyen API, one module per API (imported on first use):

- ``adyen_like.types.payment``: Checkout payments (authorise, modifications)
- ``adyen_like.types.payout``: Payouts
- ``adyen_like.types.recurring``: Recurring (stored details)
- ``adyen_like.types.notification_configuration``: Notification Configuration
- ``adyen_like.types.terminal_management``: Terminal Management
- ``adyen_like.types.transfers_v3``: Transfers v3
- ``adyen_like.types.transfers_v4``: Transfers v4
- ``adyen_like.types.webhooks``: standard webhook notifications
- ``adyen_like.types.marketpay_notifications``: classic-platform (MarketPay) notifications

Response models are lenient (every field optional, no length, pattern or range
checks); request bodies built from them are checked against the spec before sending.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "marketpay_notifications",
    "notification_configuration",
    "payment",
    "payout",
    "recurring",
    "terminal_management",
    "transfers_v3",
    "transfers_v4",
    "webhooks",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
