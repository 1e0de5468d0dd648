"""Adyen error bodies read by the vendor parser: the classic shape and the balance
platform's problem shape both give ``error.code`` (a string), the message and the
reference, in the core's own exception classes; card data stays masked; every error and
every raw result carries the call's idempotency key."""

from __future__ import annotations

import pickle

import httpx
import pytest
import respx

from adyen_like import AdyenClient
from commonrest import (
    APIConnectionError,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    UnprocessableEntityError,
)

PAYMENT = "https://pal-test.adyen.com/pal/servlet/Payment/v68/authorise"
TRANSFERS = "https://balanceplatform-api-test.adyen.com/btl/v4/transfers"
BODY = {"merchantAccount": "M", "amount": {"currency": "EUR", "value": 1}, "reference": "r"}


@pytest.fixture
def client() -> AdyenClient:
    return AdyenClient(api_key="test-key-for-errors", max_retries=0)


def test_the_issues_example_reads_as_promised(client: AdyenClient) -> None:
    with respx.mock:
        respx.post(PAYMENT).respond(
            422,
            json={
                "status": 422,
                "errorCode": "14_003",
                "message": "Invalid card number",
                "errorType": "validation",
                "pspReference": "PSP1",
            },
        )
        with pytest.raises(UnprocessableEntityError) as info:
            client.payments.authorise(BODY)
    error = info.value
    text = str(error)
    assert text.startswith("422 Unprocessable Entity [14_003 validation]: Invalid card number (")
    assert text.endswith(", pspReference PSP1)")
    assert (error.code, error.request_id) == ("14_003", "PSP1")
    assert error.detail is not None and error.detail.message == "Invalid card number"
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == text


def test_a_classic_error_body(client: AdyenClient) -> None:
    with respx.mock:
        respx.post(PAYMENT).respond(
            403,
            json={
                "status": 403,
                "errorCode": "010",
                "message": "Not allowed",
                "errorType": "security",
                "pspReference": "8516091485743033",
            },
        )
        with pytest.raises(PermissionDeniedError) as info:
            client.payments.authorise(BODY)
    error = info.value
    assert error.code == "010"  # the leading zero kept
    assert error.request_id == "8516091485743033"
    assert str(error).startswith("403 Forbidden [010 security]: Not allowed (payments.authorise: ")
    assert error.detail is not None and error.detail.data["errorType"] == "security"


def test_an_error_without_psp_reference(client: AdyenClient) -> None:
    with respx.mock:
        respx.post(PAYMENT).respond(
            401,
            json={
                "status": 401,
                "errorCode": "000",
                "message": "HTTP Status Response - Unauthorized",
                "errorType": "security",
            },
        )
        with pytest.raises(AuthenticationError) as info:
            client.payments.authorise(BODY)
    assert info.value.request_id is None
    assert "pspReference" not in str(info.value)
    assert str(info.value).startswith("401 Unauthorized [000 security]: HTTP Status Response")
    assert "test-key-for-errors" not in str(info.value)


def test_404_and_429_get_their_classes(client: AdyenClient) -> None:
    with respx.mock:
        respx.get(f"{TRANSFERS}/NOPE").respond(
            404,
            headers={"Content-Type": "application/problem+json"},
            json={
                "type": "https://docs.adyen.com/errors/not-found",
                "title": "Entity was not found",
                "status": 404,
                "detail": "Transfer with id NOPE not found",
                "errorCode": "30_020",
                "requestId": "1W1UG35U8A9J5ZLG",
            },
        )
        with pytest.raises(NotFoundError) as missing:
            client.transfers_v4.transfers.get("NOPE")
        respx.post(PAYMENT).respond(
            429,
            headers={"Retry-After": "2"},
            json={
                "status": 429,
                "errorCode": "905",
                "message": "Too many requests",
                "errorType": "configuration",
                "pspReference": "PSP-429",
            },
        )
        with pytest.raises(RateLimitError) as limited:
            client.payments.authorise(BODY)
    assert (missing.value.code, missing.value.request_id) == ("30_020", "1W1UG35U8A9J5ZLG")
    assert str(missing.value).startswith(
        "404 Not Found [30_020]: Transfer with id NOPE not found ("
    )
    assert "request id 1W1UG35U8A9J5ZLG" in str(missing.value)
    assert limited.value.retry_after == 2
    assert limited.value.code == "905" and limited.value.request_id == "PSP-429"


def test_a_server_error_with_an_adyen_body(client: AdyenClient) -> None:
    with respx.mock:
        respx.post(PAYMENT).respond(
            500,
            json={
                "status": 500,
                "errorCode": "905_1",
                "message": "Could not find an acquirer account for the provided currency (USD).",
                "errorType": "configuration",
                "pspReference": "ZX5N6J5L5KZ7HN82",
            },
        )
        with pytest.raises(InternalServerError) as info:
            client.payments.authorise(BODY)
    assert str(info.value).startswith("500 Internal Server Error [905_1 configuration]: ")


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
            client.transfers_v4.transfers.transfer_funds(
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
    assert str(info.value).startswith("422 Unprocessable Entity: plain (")


CARD = "4111111111111111"


def test_card_data_in_an_echoed_error_body_is_masked(client: AdyenClient) -> None:
    echoed = {
        "status": 422,
        "errorCode": "101",
        "message": f"Invalid card number {CARD}",
        "errorType": "validation",
        "pspReference": "PSP-CARD",
        "request": {
            "card": {
                "number": "5555 5555 5555 4444",
                "cvc": "737",
                "expiryMonth": "03",
                "expiryYear": "2030",
                "holderName": "John Smith",
            },
            "paymentMethod": {
                "encryptedCardNumber": "adyenjs_0_1_25$eyJhbGciOi.encrypted.number",
                "encryptedSecurityCode": "adyenjs_0_1_25$eyJhbGciOi.encrypted.cvc",
                "encryptedExpiryMonth": "adyenjs_0_1_25$eyJhbGciOi.encrypted.month",
                "encryptedExpiryYear": "adyenjs_0_1_25$eyJhbGciOi.encrypted.year",
            },
            "bankAccount": {"iban": "NL13TEST0123456789", "ownerName": "A. Owner"},
        },
    }
    with respx.mock:
        respx.post(PAYMENT).respond(422, json=echoed)
        with pytest.raises(UnprocessableEntityError) as info:
            client.payments.authorise(BODY)
    error = info.value
    kept = " ".join([str(error), repr(error), error.text, repr(error.body), repr(error.detail)])
    for secret in (
        CARD,
        "5555 5555 5555 4444",
        '"737"',
        "'737'",
        "2030",
        "encrypted.number",
        "encrypted.cvc",
        "encrypted.month",
        "encrypted.year",
        "NL13TEST0123456789",
    ):
        assert secret not in kept, secret
    assert "1111" in str(error)  # the last four stay, to tell cards apart
    assert error.body["request"]["card"]["holderName"] == "John Smith"  # not card data
    assert error.body["request"]["bankAccount"]["ownerName"] == "A. Owner"


def test_every_error_of_an_unsafe_call_carries_its_idempotency_key() -> None:
    client = AdyenClient(api_key="k", retry=RetryPolicy(max_attempts=3, backoff_base=0))
    with respx.mock:
        route = respx.post(PAYMENT).mock(
            side_effect=[
                httpx.Response(503, json={"status": 503, "errorCode": "x", "message": "busy"}),
                httpx.ConnectError("refused"),
                httpx.Response(422, json={"status": 422, "errorCode": "14_003", "message": "m"}),
            ]
        )
        with pytest.raises(UnprocessableEntityError) as info:
            client.payments.authorise(BODY)
    sent = {call.request.headers["idempotency-key"] for call in route.calls}
    assert len(route.calls) == 3 and len(sent) == 1  # one key for every attempt
    assert info.value.idempotency_key == sent.pop()


def test_the_callers_own_key_is_on_the_error_and_the_raw_result() -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    with respx.mock:
        respx.post(PAYMENT).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(APIConnectionError) as info:
            client.with_options(idempotency_key="order-17-attempt-1").payments.authorise(BODY)
        assert info.value.idempotency_key == "order-17-attempt-1"
        respx.post(PAYMENT).respond(200, json={"pspReference": "P", "resultCode": "Authorised"})
        raw = client.with_raw_response.payments.authorise(BODY)
        generated = raw.http_response.request.headers["idempotency-key"]
        assert raw.idempotency_key == generated and len(generated) == 36
        again = client.with_options(idempotency_key=raw.idempotency_key)
        assert again.payments.authorise(BODY).psp_reference == "P"
        assert respx.calls.last.request.headers["idempotency-key"] == generated


def test_a_key_given_as_a_header_is_the_calls_key() -> None:
    # Sent once (not beside a generated one), repeated on a retry like any key the service
    # dedupes by, and stamped on the error.
    client = AdyenClient(api_key="k", retry=RetryPolicy(max_attempts=2, backoff_base=0))
    keyed = client.with_options(headers={"idempotency-key": "from-a-header"})
    with respx.mock:
        route = respx.post(PAYMENT).mock(
            side_effect=[
                httpx.Response(503, json={"status": 503, "errorCode": "x", "message": "busy"}),
                httpx.ConnectError("refused"),
            ]
        )
        with pytest.raises(APIConnectionError) as info:
            keyed.payments.authorise(BODY)
    keys = [call.request.headers.get_list("idempotency-key") for call in route.calls]
    assert keys == [["from-a-header"], ["from-a-header"]]
    assert info.value.idempotency_key == "from-a-header"


def test_a_safe_call_has_no_idempotency_key() -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    with respx.mock:
        respx.get(f"{TRANSFERS}/T1").respond(404, json={"errorCode": "30_020", "status": 404})
        with pytest.raises(NotFoundError) as info:
            client.transfers_v4.transfers.get("T1")
    assert info.value.idempotency_key is None
