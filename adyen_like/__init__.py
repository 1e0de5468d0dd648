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
from commonrest._repr_masks import mask_keys_in_repr

from ._card_fields import CARD_AND_BANK_FIELDS

if TYPE_CHECKING:
    from commonrest._operations import CatalogEntry

    from ._client import AdyenClient, AsyncAdyenClient

__all__ = ["AdyenClient", "AsyncAdyenClient", "catalog"]

_EXPORTS = {"AdyenClient": "_client", "AsyncAdyenClient": "_client"}


def catalog() -> list[CatalogEntry]:
    """Every operation this package can call, from the generated declarations."""
    from ._generated.catalog import catalog as _catalog

    return _catalog()


# card and bank data inside dict fields (additionalData) is hidden by every model's repr
mask_keys_in_repr(__name__, CARD_AND_BANK_FIELDS)

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, __all__)
