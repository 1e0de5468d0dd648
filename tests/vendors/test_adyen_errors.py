"""Adyen error bodies read by the vendor parser: the classic shape and the balance
platform's problem shape both give ``error.code`` (a string), the message and the
reference."""

from __future__ import annotations

import pytest
import respx

from adyen_like import AdyenClient
from commonrest import UnprocessableEntityError

PAYMENT = "https://pal-test.adyen.com/pal/servlet/Payment/v68/authorise"
TRANSFERS = "https://balanceplatform-api-test.adyen.com/btl/v4/transfers"
BODY = {"merchantAccount": "M", "amount": {"currency": "EUR", "value": 1}, "reference": "r"}


@pytest.fixture
def client() -> AdyenClient:
    return AdyenClient(api_key="k", max_retries=0)


def test_a_classic_error_body(client: AdyenClient) -> None:
    with respx.mock:
        respx.post(PAYMENT).respond(
            422,
            json={
                "status": 422,
                "errorCode": "010",
                "message": "Not allowed",
                "errorType": "security",
                "pspReference": "PSP-REF-1",
            },
        )
        with pytest.raises(UnprocessableEntityError) as info:
            client.payments.authorise(BODY)
    error = info.value
    assert error.code == "010"
    assert error.request_id == "PSP-REF-1"
    assert str(error).startswith("422 Unprocessable Entity: Not allowed (payments.authorise: ")
    assert error.detail is not None and error.detail.data["errorType"] == "security"


def test_a_balance_platform_problem_body(client: AdyenClient) -> None:
    with respx.mock:
        respx.post(TRANSFERS).respond(
            422,
            headers={"Content-Type": "application/problem+json"},
            json={
                "type": "https://docs.adyen.com/errors/validation",
                "title": "Invalid transfer information provided",
                "status": 422,
                "detail": "Counterparty is missing",
                "errorCode": "30_112",
                "requestId": "REQ-9",
            },
        )
        with pytest.raises(UnprocessableEntityError) as info:
            client.transfers.transfer_funds(
                {
                    "amount": {"currency": "EUR", "value": 1},
                    "category": "bank",
                    "counterparty": {"transferInstrumentId": "SE3"},
                }
            )
    error = info.value
    assert (error.code, error.request_id) == ("30_112", "REQ-9")
    assert (
        error.problem is not None and error.problem.title == "Invalid transfer information provided"
    )
    assert "Counterparty is missing" in str(error)


def test_a_body_without_an_error_code_is_left_to_the_core(client: AdyenClient) -> None:
    with respx.mock:
        respx.post(PAYMENT).respond(422, json={"message": "plain"})
        with pytest.raises(UnprocessableEntityError) as info:
            client.payments.authorise(BODY)
    assert info.value.detail is None and info.value.code is None
    assert "plain" in str(info.value)
