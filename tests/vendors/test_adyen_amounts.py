"""Amounts: decimal <-> minor units by ISO 4217 exponent, with refusals; and minor-unit
values that a request would carry out of int64, or as a bool or float, refused before
anything is sent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

from adyen_like import AdyenClient
from adyen_like.amounts import amount, exponent_of, from_minor_units, to_minor_units
from adyen_like.types.payment import Amount, PaymentRequest
from adyen_like.types.transfers_v4 import Amount as TransferAmount
from commonrest import InvalidArgumentError, RequestValidationError


@pytest.mark.parametrize(
    ("major", "currency", "minor"),
    [
        ("1500", "JPY", 1500),  # exponent 0
        (Decimal("10.50"), "EUR", 1050),  # 2
        ("10.5", "eur", 1050),
        (7, "USD", 700),
        ("1.234", "KWD", 1234),  # 3
        ("0.005", "BHD", 5),
        ("1.2345", "CLF", 12345),  # 4
        ("-3.10", "GBP", -310),
        ("10.500", "EUR", 1050),  # trailing zeros are not precision
    ],
)
def test_to_minor_units(major: Any, currency: str, minor: int) -> None:
    assert to_minor_units(major, currency) == minor
    assert type(to_minor_units(major, currency)) is int


@pytest.mark.parametrize(
    ("minor", "currency", "major"),
    [
        (1500, "JPY", "1500"),
        (1050, "EUR", "10.50"),
        (1234, "KWD", "1.234"),
        (12345, "CLF", "1.2345"),
        (5, "BHD", "0.005"),
    ],
)
def test_from_minor_units_keeps_the_currencys_places(minor: int, currency: str, major: str) -> None:
    result = from_minor_units(minor, currency)
    assert str(result) == major
    assert to_minor_units(result, currency) == minor


def test_exponents() -> None:
    assert [exponent_of(c) for c in ("JPY", "EUR", "KWD", "BHD", "CLF")] == [0, 2, 3, 3, 4]
    assert exponent_of("XAU", 0) == 0


@pytest.mark.parametrize(
    ("major", "currency", "message"),
    [
        ("10.505", "EUR", "more decimal places than EUR has"),
        ("1.5", "JPY", "more decimal places than JPY has"),
        ("0.0001", "KWD", "more decimal places than KWD has"),
        (10.5, "EUR", "float"),
        (True, "EUR", "bool"),
        ("ten", "EUR", "not a decimal number"),
        ("NaN", "EUR", "finite"),
        ("1", "XAU", "pass its number of decimal places as exponent="),
        ("1", "EURO", "three-letter"),
        (str(2**63), "JPY", "64-bit"),
        # beyond the 28 digits of decimal's default context: refused, never rounded
        ("10.0000000000000000000000000001", "EUR", "more decimal places than EUR has"),
        ("1e-999999999", "EUR", "more decimal places than EUR has"),
        ("1e999999", "EUR", "64-bit"),
        ("1e999999999", "EUR", "64-bit"),
        (Decimal("-1e30"), "EUR", "64-bit"),
    ],
)
def test_refusals(major: Any, currency: str, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        to_minor_units(major, currency)


def test_an_unknown_currency_with_an_exponent() -> None:
    assert to_minor_units("1.5", "XTS", exponent=1) == 15
    assert amount("12.3", "XTS", exponent=1) == {"currency": "XTS", "value": 123}
    with pytest.raises(InvalidArgumentError, match="exponent"):
        to_minor_units("1", "XTS", exponent=-1)


def test_from_minor_units_refuses_bool_float_and_int64_overflow() -> None:
    for bad in (True, 10.0, 2**63):
        with pytest.raises(InvalidArgumentError):
            from_minor_units(bad, "EUR")  # type: ignore[arg-type]


def test_an_amount_helper_value_goes_out_as_is() -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    with respx.mock:
        route = respx.post("https://pal-test.adyen.com/pal/servlet/Payment/v68/authorise").respond(
            200, json={"pspReference": "P"}
        )
        client.payments.authorise(
            {"merchantAccount": "M", "amount": amount("19.99", "KWD"), "reference": "r"}
        )
    assert b'"amount":{"currency":"KWD","value":19990}' in route.calls.last.request.content


# ----------------------------------------------------------------------------- int64 fields

BAD_VALUES = [True, False, 1.5, 10.0, 2**63, -(2**63) - 1]


@pytest.mark.parametrize("value", BAD_VALUES, ids=repr)
def test_a_bad_minor_unit_value_in_a_model_is_refused_before_sending(value: Any) -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    with respx.mock(assert_all_called=False) as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        body = PaymentRequest(
            merchant_account="M", amount=Amount(currency="EUR", value=value), reference="r"
        )
        with pytest.raises(RequestValidationError, match=r"amount\.value"):
            client.payments.authorise(body)
        with pytest.raises(RequestValidationError, match=r"amount\.value"):
            client.payments.authorise(
                {
                    "merchantAccount": "M",
                    "amount": {"currency": "EUR", "value": value},
                    "reference": "r",
                }
            )
        transfer = {
            "amount": TransferAmount(currency="EUR", value=value),
            "category": "bank",
            "counterparty": {"transferInstrumentId": "SE1"},
        }
        with pytest.raises(RequestValidationError, match=r"amount\.value"):
            client.transfers_v4.transfers.transfer_funds(transfer)
    assert not route.called


def test_the_int64_limits_themselves_are_sent() -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    with respx.mock:
        route = respx.post(url__startswith="https://pal-test.adyen.com/").respond(200, json={})
        for value in (2**63 - 1, -(2**63)):
            client.payments.authorise(
                PaymentRequest(
                    merchant_account="M", amount=Amount(currency="EUR", value=value), reference="r"
                )
            )
            assert f'"value":{value}'.encode() in route.calls.last.request.content


def test_a_response_with_an_odd_minor_unit_value_still_parses() -> None:
    # lenient on the way in: what the server sends is kept, not refused
    parsed = Amount.model_validate({"currency": "EUR", "value": 10.0})
    assert parsed.value == 10.0
    assert Amount.from_json('{"currency": "EUR", "value": 1050}').value == 1050
