"""Typed sync and async clients for Adyen's Payment, Payout, Recurring, Notification
Configuration, Terminal Management and Transfers APIs, plus the models of the standard
and classic-platform webhook payloads (``adyen_like.types.webhooks`` and
``adyen_like.types.marketpay_notifications``).

Importing this package is cheap: the client classes load on first use, and each generated
resource module loads the first time its property is read. ``catalog()`` lists every
operation (operationId, method, path, API and version, Python method).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commonrest._lazy import lazy_exports

if TYPE_CHECKING:
    from commonrest._operations import CatalogEntry

    from ._client import AdyenClient, AsyncAdyenClient

__all__ = ["AdyenClient", "AsyncAdyenClient", "catalog"]

_EXPORTS = {"AdyenClient": "_client", "AsyncAdyenClient": "_client"}


def catalog() -> list[CatalogEntry]:
    """Every operation this package can call, from the generated declarations."""
    from ._generated.catalog import catalog as _catalog

    return _catalog()


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, __all__)
