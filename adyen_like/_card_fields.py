"""The card and bank fields of Adyen's APIs, by wire name: never kept by an error, a log
line or a repr (see ``docs/adyen.md``, "Card and bank data").

Read by the clients' redactor (:mod:`._setup`) and registered for model reprs when
``adyen_like`` is imported (``mask_keys_in_repr``): a field of one of these names, or such a
member inside a dict field, is shown masked.
"""

from __future__ import annotations

__all__ = ["CARD_AND_BANK_FIELDS"]

CARD_AND_BANK_FIELDS: frozenset[str] = frozenset(
    {
        "number",
        "cvc",
        "expiryMonth",
        "expiryYear",
        "expiryDate",
        "startMonth",
        "startYear",
        "issueNumber",
        "encryptedCardNumber",
        "encryptedSecurityCode",
        "encryptedExpiryMonth",
        "encryptedExpiryYear",
        "encryptedPassword",
        # client-side encrypted card of the older integrations, sent in additionalData
        "card.encrypted.json",
        "iban",
        "bankAccountNumber",
        "accountNumber",
    }
)
