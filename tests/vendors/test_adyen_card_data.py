"""Card and bank data (card numbers, CVCs, expiry dates, encrypted card fields, IBANs)
never shows in a model's repr or str, nor in the log records of a call that carries it."""

from __future__ import annotations

import logging

import pytest
import respx

from adyen_like import AdyenClient
from adyen_like.types.payment import BankAccount, Card, PaymentRequest
from commonrest import UnprocessableEntityError

CARD = "4111111111111111"
IBAN = "NL13TEST0123456789"


def _request() -> PaymentRequest:
    return PaymentRequest(
        merchant_account="M",
        amount={"currency": "EUR", "value": 1000},
        reference="order-1",
        card=Card(
            number=CARD, cvc="737", expiry_month="03", expiry_year="2030", holder_name="J. Smith"
        ),
        bank_account=BankAccount(iban=IBAN, owner_name="J. Smith"),
        shopper_statement=f"paid with {CARD}",
    )


def test_reprs_and_strs_mask_card_and_bank_fields() -> None:
    request = _request()
    for shown in (repr(request), str(request), repr(request.card), str(request.bank_account)):
        for secret in (CARD, "'737'", "'03'", "'2030'", IBAN):
            assert secret not in shown, (secret, shown)
    assert "number='************1111'" in repr(request.card)
    assert "cvc='[redacted]'" in repr(request.card)
    assert "iban='**************6789'" in repr(request.bank_account)
    assert "holder_name='J. Smith'" in repr(request.card)  # not card data
    # the values themselves are untouched, and sent as given
    assert request.card is not None and request.card.cvc == "737"


def test_the_card_goes_out_as_given_but_not_into_logs_or_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    caplog.set_level(logging.DEBUG)
    with respx.mock:
        route = respx.post(url__startswith="https://pal-test.adyen.com/").respond(
            422,
            json={
                "status": 422,
                "errorCode": "101",
                "errorType": "validation",
                "message": "Invalid card number",
                "card": {"cvc": "737", "expiryYear": "2030", "number": CARD},
            },
        )
        with pytest.raises(UnprocessableEntityError) as info:
            client.payments.authorise(_request())
    sent = route.calls.last.request.content
    assert CARD.encode() in sent and b'"cvc":"737"' in sent and IBAN.encode() in sent
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # the call was logged
    kept = " ".join([logged, str(info.value), repr(info.value.body), info.value.text])
    for secret in (CARD, '"737"', "'737'", "2030", IBAN):
        assert secret not in kept, secret


def test_card_numbers_and_ibans_inside_dict_fields_are_masked_in_reprs() -> None:
    # additionalData and fields a server adds are plain dicts: their strings are masked too
    from adyen_like.types.payment import PaymentResult

    result = PaymentResult.model_validate(
        {
            "pspReference": "PSP1",
            "additionalData": {"cardNumber": CARD, "iban": IBAN},
            "echoed": {"card": [{"number": CARD}], "pan": int(CARD)},
        }
    )
    request = PaymentRequest(
        merchant_account="M",
        amount={"currency": "EUR", "value": 1},
        reference="r",
        additional_data={"paid.with": f"card {CARD}"},
    )
    for shown in (repr(result), str(result), repr(request), str(request)):
        assert CARD not in shown and IBAN not in shown, shown
    assert "'cardNumber': '************1111'" in repr(result)
    assert result.additional_data == {"cardNumber": CARD, "iban": IBAN}  # the data is kept


def test_an_encrypted_card_in_additional_data_stays_out_of_errors_and_reprs() -> None:
    from adyen_like.types.payment import PaymentResult

    blob = "adyenjs_0_1_25$SECRETBLOBSECRETBLOB"
    client = AdyenClient(api_key="k", max_retries=0)
    request = PaymentRequest(
        merchant_account="M",
        amount={"currency": "EUR", "value": 1},
        reference="r",
        additional_data={"card.encrypted.json": blob},
    )
    with respx.mock:
        route = respx.post(url__startswith="https://pal-test.adyen.com/").respond(
            422,
            json={
                "status": 422,
                "errorCode": "174",
                "message": "Unable to decrypt data",
                "additionalData": {"card.encrypted.json": blob},
            },
        )
        with pytest.raises(UnprocessableEntityError) as info:
            client.payments.authorise(request)
    assert blob.encode() in route.calls.last.request.content  # sent as given
    kept = " ".join([str(info.value), repr(info.value.body), info.value.text or ""])
    assert "SECRETBLOB" not in kept, kept
    echoed = PaymentResult.model_validate({"additionalData": {"card.encrypted.json": blob}})
    assert "SECRETBLOB" not in repr(echoed)
