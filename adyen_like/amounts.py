"""Amounts in minor units: Adyen's ``value`` fields count the currency's smallest unit
(cents for EUR, yen for JPY, fils for KWD), so ``EUR 10.50`` is sent as ``1050``.

:func:`to_minor_units` and :func:`from_minor_units` convert with each currency's ISO 4217
exponent (the number of decimal places of its minor unit)::

    >>> to_minor_units("10.50", "EUR")
    1050
    >>> to_minor_units(Decimal("1500"), "JPY")
    1500
    >>> from_minor_units(1234, "KWD")
    Decimal('1.234')

Nothing is rounded: an amount with more decimal places than its currency has is refused,
as is a currency this table does not hold (pass ``exponent=`` for it), a ``float`` (its
binary value is not the decimal one written), a ``bool``, and a value outside the signed
64-bit range every ``value`` field has. Every refusal is an
:class:`~commonrest.InvalidArgumentError`, raised before anything is sent.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Final

from commonrest import InvalidArgumentError

__all__ = ["EXPONENTS", "amount", "exponent_of", "from_minor_units", "to_minor_units"]

_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN "
    "ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES "
    "KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
    "MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR "
    "SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD "
    "TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL"
)

#: ISO 4217 currency code -> decimal places of its minor unit (the codes with a minor
#: unit; precious metals, SDR and testing codes have none and need ``exponent=``).
EXPONENTS: Final[dict[str, int]] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}

_INT64 = (-(2**63), 2**63 - 1)


def exponent_of(currency: str, exponent: int | None = None) -> int:
    """The decimal places of ``currency``'s minor unit: ``exponent`` when given (for a
    currency this table does not hold, or one the acquirer treats otherwise), else the
    ISO 4217 value. Raises :class:`~commonrest.InvalidArgumentError` for an unknown code
    without ``exponent``."""
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise InvalidArgumentError(
            f"currency must be a three-letter ISO 4217 code, got {currency!r}",
            parameter="currency",
        )
    if exponent is not None:
        if isinstance(exponent, bool) or not isinstance(exponent, int) or not 0 <= exponent <= 8:
            raise InvalidArgumentError(
                f"exponent must be an integer from 0 to 8, got {exponent!r}",
                parameter="exponent",
            )
        return exponent
    found = EXPONENTS.get(currency.upper())
    if found is None:
        raise InvalidArgumentError(
            f"currency {currency!r} is not in the ISO 4217 table of this SDK; pass its "
            "number of decimal places as exponent=",
            parameter="currency",
        )
    return found


def _decimal(value: object) -> Decimal:
    if isinstance(value, (bool, float)):
        raise InvalidArgumentError(
            f"amount must be a Decimal, an int or a decimal string, got {type(value).__name__} "
            f"{value!r} (a float's binary value is not the decimal amount written; use "
            "Decimal('10.50') or '10.50')",
            parameter="amount",
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidArgumentError(
                f"amount {value!r} is not a decimal number", parameter="amount"
            ) from None
    else:
        raise InvalidArgumentError(
            f"amount must be a Decimal, an int or a decimal string, got {type(value).__name__}",
            parameter="amount",
        )
    if not number.is_finite():
        raise InvalidArgumentError(f"amount must be finite, got {value!r}", parameter="amount")
    return number


def _in_int64(minor: int, what: str) -> int:
    if not _INT64[0] <= minor <= _INT64[1]:
        raise InvalidArgumentError(
            f"{what} is outside the signed 64-bit range of minor-unit values", parameter="amount"
        )
    return minor


def to_minor_units(
    amount: Decimal | int | str, currency: str, *, exponent: int | None = None
) -> int:
    """``amount`` (major units: ``Decimal("10.50")``, ``"10.50"``, ``10``) in
    ``currency``'s minor units (``1050`` for EUR). Refuses more decimal places than the
    currency has, floats, bools, unknown currencies without ``exponent`` and results
    outside int64."""
    places = exponent_of(currency, exponent)
    number = _decimal(amount)
    # Exact integer arithmetic on the digits: Decimal arithmetic rounds to its context's
    # 28 digits (10.0000000000000000000000000001 would become 1000) and flushes tiny
    # values to zero, and an exponent like 1e999999999 must not become a huge int.
    sign, digits, exp = number.as_tuple()
    assert isinstance(exp, int)  # a finite Decimal
    what = f"amount {number} {currency.upper()}"
    coefficient = int("".join(map(str, digits)) or "0")
    if coefficient == 0:
        return 0
    if number.adjusted() + places > 19:  # at least 10**20 minor units
        return _in_int64(2**63, what)
    shift = exp + places
    if shift < 0:
        trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        if -shift > trailing_zeros:
            raise InvalidArgumentError(
                f"amount {number} has more decimal places than {currency.upper()} has "
                f"({places}); round it first, as your business rules say",
                parameter="amount",
            )
        minor = coefficient // 10**-shift
    else:
        minor = coefficient * 10**shift
    return _in_int64(-minor if sign else minor, what)


def from_minor_units(value: int, currency: str, *, exponent: int | None = None) -> Decimal:
    """A minor-unit ``value`` (``1050``) as a :class:`~decimal.Decimal` of major units
    with the currency's decimal places (``Decimal("10.50")`` for EUR)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(
            f"value must be an int of minor units, got {type(value).__name__} {value!r}",
            parameter="value",
        )
    places = exponent_of(currency, exponent)
    _in_int64(value, f"value {value}")
    return Decimal(value).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def amount(
    major: Decimal | int | str, currency: str, *, exponent: int | None = None
) -> dict[str, Any]:
    """An Adyen ``Amount`` object (``{"currency": "EUR", "value": 1050}``) for a major-unit
    amount, for any request body's amount field."""
    return {
        "currency": currency.upper(),
        "value": to_minor_units(major, currency, exponent=exponent),
    }
