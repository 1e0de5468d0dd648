"""Typed sync and async clients for Adyen's Payment, Payout, Recurring, Notification
Configuration, Terminal Management and Transfers APIs (Transfers under
``client.transfers_v4`` and ``client.transfers_v3``).

Beside the clients, public modules imported on their own:

- ``adyen_like.webhooks``: verify and parse standard and classic-platform notifications;
- ``adyen_like.amounts``: decimal amounts <-> minor units by ISO 4217 exponent;
- ``adyen_like.testing``: signed notifications for your own tests;
- ``adyen_like.types``: the models of every API and webhook payload.

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
