"""Adyen: one representative operation of every resource, sync and async, against respx.

Each case checks the exact request (method, URL with the service's version suffix, query,
credential header, JSON body with wire names) and the parsed result; response bodies are
the spec's own examples where it has them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import respx

from adyen_like import AdyenClient, AsyncAdyenClient
from adyen_like.types.payment import Amount, PaymentRequest, ResultCode
from commonrest import ConfigurationError

from .helpers import Case, run_async, run_sync, spec_example

PAL = "https://pal-test.adyen.com/pal/servlet"
BTL = "https://balanceplatform-api-test.adyen.com/btl"
PAYMENT = "adyen/PaymentService-v68.json"
PAYOUT = "adyen/PayoutService-v68.json"
RECURRING = "adyen/RecurringService-v68.json"
NOTIFICATION = "adyen/NotificationConfigurationService-v6.json"
TFM = "adyen/TfmAPIService-v1.json"
T3 = "adyen/TransferService-v3.json"
T4 = "adyen/TransferService-v4.json"

KEY = {"x-api-key": "test-key"}
REVIEWER = {"x-api-key": "reviewer-key"}
SINCE = datetime(2024, 1, 1, tzinfo=timezone.utc)
UNTIL = datetime(2024, 1, 31, tzinfo=timezone.utc)
WINDOW = (
    "createdSince=2024-01-01T00%3A00%3A00%2B00%3A00&createdUntil=2024-01-31T00%3A00%3A00%2B00%3A00"
)

CAPTURE = spec_example(PAYMENT, "POST", "/capture")
STORE_DETAIL = spec_example(PAYOUT, "POST", "/storeDetail")
CONFIRM = spec_example(PAYOUT, "POST", "/confirmThirdParty")
NOTIFY = spec_example(RECURRING, "POST", "/notifyShopper")
NOTIFICATION_CONFIG = spec_example(NOTIFICATION, "POST", "/getNotificationConfiguration")
FIND_TERMINAL = spec_example(TFM, "POST", "/findTerminal")
TRANSACTIONS = spec_example(T4, "GET", "/transactions")
TRANSFER = spec_example(T4, "GET", "/transfers/{id}")
TRANSFER_202 = spec_example(T4, "POST", "/transfers", "202")
CASHOUT = spec_example(T4, "POST", "/cashouts")
GRANT_V3 = spec_example(T3, "POST", "/grants")
TRANSACTION_V3 = spec_example(T3, "GET", "/transactions/{id}")
CASHOUT_V3 = spec_example(T3, "POST", "/cashouts")
TRANSFER_V3 = spec_example(T3, "POST", "/transfers", "202")

TRANSFER_BODY = {
    "amount": {"currency": "EUR", "value": 110000},
    "balanceAccountId": "BAB8B2C3D4E5F6G7H8D9J6GD4",
    "category": "bank",
    "counterparty": {"transferInstrumentId": "SE322JV223222J5H8V87B3DHN"},
}

CASES = [
    Case(
        "payments.authorise",
        lambda c: c.payments.authorise(
            PaymentRequest(
                merchant_account="Merchant",
                amount=Amount(currency="EUR", value=1000),
                reference="order-1",
            )
        ),
        "POST",
        f"{PAL}/Payment/v68/authorise",
        json={
            "merchantAccount": "Merchant",
            "amount": {"currency": "EUR", "value": 1000},
            "reference": "order-1",
        },
        headers=KEY,
        response={"pspReference": "8535296650153317", "resultCode": "Authorised"},
        check=lambda r: (
            r.result_code is ResultCode.AUTHORISED and r.psp_reference == "8535296650153317"
        ),
    ),
    Case(
        "modifications.capture",
        lambda c: c.modifications.capture(
            {
                "merchantAccount": "Merchant",
                "modificationAmount": {"currency": "EUR", "value": 500},
                "originalReference": "8535296650153317",
            }
        ),
        "POST",
        f"{PAL}/Payment/v68/capture",
        json={
            "merchantAccount": "Merchant",
            "modificationAmount": {"currency": "EUR", "value": 500},
            "originalReference": "8535296650153317",
        },
        headers=KEY,
        response=CAPTURE,
        check=lambda r: (
            r.psp_reference == CAPTURE["pspReference"] and r.response == CAPTURE["response"]
        ),
    ),
    Case(
        "payouts.store_detail (default credential)",
        lambda c: c.payouts.store_detail(
            {
                "merchantAccount": "Merchant",
                "shopperEmail": "s@example.com",
                "shopperReference": "shopper-1",
                "recurring": {"contract": "PAYOUT"},
                "dateOfBirth": "1990-01-01",
                "nationality": "NL",
                "entityType": "NaturalPerson",
            }
        ),
        "POST",
        f"{PAL}/Payout/v68/storeDetail",
        json={
            "merchantAccount": "Merchant",
            "shopperEmail": "s@example.com",
            "shopperReference": "shopper-1",
            "recurring": {"contract": "PAYOUT"},
            "dateOfBirth": "1990-01-01",
            "nationality": "NL",
            "entityType": "NaturalPerson",
        },
        headers=KEY,
        response=STORE_DETAIL,
        check=lambda r: r.recurring_detail_reference == STORE_DETAIL["recurringDetailReference"],
    ),
    Case(
        "payouts.confirm_third_party (reviewer credential)",
        lambda c: c.payouts.confirm_third_party(
            {"merchantAccount": "Merchant", "originalReference": "991617894326362D"}
        ),
        "POST",
        f"{PAL}/Payout/v68/confirmThirdParty",
        json={"merchantAccount": "Merchant", "originalReference": "991617894326362D"},
        headers=REVIEWER,
        response=CONFIRM,
        check=lambda r: r.response == CONFIRM["response"],
    ),
    Case(
        "recurring.notify_shopper",
        lambda c: c.recurring.notify_shopper(
            {
                "merchantAccount": "Merchant",
                "shopperReference": "shopper-1",
                "storedPaymentMethodId": "8415995487234100",
                "amount": {"currency": "EUR", "value": 1000},
                "reference": "reminder-1",
            }
        ),
        "POST",
        f"{PAL}/Recurring/v68/notifyShopper",
        json={
            "merchantAccount": "Merchant",
            "shopperReference": "shopper-1",
            "storedPaymentMethodId": "8415995487234100",
            "amount": {"currency": "EUR", "value": 1000},
            "reference": "reminder-1",
        },
        headers=KEY,
        response=NOTIFY,
        check=lambda r: r.shopper_notification_reference == NOTIFY["shopperNotificationReference"],
    ),
    Case(
        "notification_configuration.get",
        lambda c: c.notification_configuration.get({"notificationId": 50054}),
        "POST",
        "https://cal-test.adyen.com/cal/services/Notification/v6/getNotificationConfiguration",
        json={"notificationId": 50054},
        headers=KEY,
        response=NOTIFICATION_CONFIG,
        check=lambda r: (
            r.configuration_details.notification_id == 50054
            and r.configuration_details.event_configs[0].event_type == "ACCOUNT_HOLDER_VERIFICATION"
        ),
    ),
    Case(
        "terminal_management.find_terminal (deprecated)",
        lambda c: c.terminal_management.find_terminal({"terminal": "M400-401972715"}),
        "POST",
        "https://postfmapi-test.adyen.com/postfmapi/terminal/v1/findTerminal",
        json={"terminal": "M400-401972715"},
        headers=KEY,
        # versioned Terminal Management endpoints send booleans as strings
        response={**FIND_TERMINAL, "merchantInventory": "false"},
        check=lambda r: r.terminal == "M400-401972715" and r.merchant_inventory is False,
        roundtrip=False,
    ),
    Case(
        "transfers_v4.capital.list_grants (deprecated in v4)",
        lambda c: c.transfers_v4.capital.list_grants(counterparty_account_holder_id="AH1"),
        "GET",
        f"{BTL}/v4/grants?counterpartyAccountHolderId=AH1",
        headers=KEY,
        response={
            "grants": [
                {
                    "id": "GR1",
                    "grantAccountId": "CG1",
                    "grantOfferId": "1",
                    "status": "Active",
                    "balances": {"currency": "EUR", "fee": 0, "principal": 100, "total": 100},
                }
            ]
        },
        check=lambda r: r.grants[0].id == "GR1",
    ),
    Case(
        "transfers_v4.transactions.list (paged by links)",
        lambda c: c.transfers_v4.transactions.list(
            created_since=SINCE, created_until=UNTIL, balance_platform="YOUR_BALANCE_PLATFORM"
        ),
        "GET",
        f"{BTL}/v4/transactions?balancePlatform=YOUR_BALANCE_PLATFORM&{WINDOW}",
        headers=KEY,
        response=TRANSACTIONS,
        check=lambda page: [t.id for t in page.items] == [t["id"] for t in TRANSACTIONS["data"]],
    ),
    Case(
        "transfers_v4.transfers.get",
        lambda c: c.transfers_v4.transfers.get("1W1UG35QQEBJLHZ8"),
        "GET",
        f"{BTL}/v4/transfers/1W1UG35QQEBJLHZ8",
        headers=KEY,
        response=TRANSFER,
        check=lambda r: r.id == TRANSFER["id"] and r.amount.value == TRANSFER["amount"]["value"],
    ),
    Case(
        "transfers_v4.transfers.transfer_funds",
        lambda c: c.transfers_v4.transfers.transfer_funds(
            TRANSFER_BODY, www_authenticate="sca-token"
        ),
        "POST",
        f"{BTL}/v4/transfers",
        json=TRANSFER_BODY,
        headers={**KEY, "www-authenticate": "sca-token"},
        status=202,
        response=TRANSFER_202,
        check=lambda r: r.id == TRANSFER_202["id"] and r.category == "bank",
    ),
    Case(
        "transfers_v4.cashouts.initiate",
        lambda c: c.transfers_v4.cashouts.initiate(
            {
                "instructingBalanceAccountId": "BA00000000000000000000001",
                "amount": {"currency": "EUR", "value": 50000},
                "counterparty": {"transferInstrumentId": "SE00000000000000000000001"},
            }
        ),
        "POST",
        f"{BTL}/v4/cashouts",
        json={
            "instructingBalanceAccountId": "BA00000000000000000000001",
            "amount": {"currency": "EUR", "value": 50000},
            "counterparty": {"transferInstrumentId": "SE00000000000000000000001"},
        },
        headers=KEY,
        response=CASHOUT,
        check=lambda r: r.id == CASHOUT["id"],
    ),
    Case(
        "transfers_v3.capital.request_grant_payout",
        lambda c: c.transfers_v3.capital.request_grant_payout(
            {"grantAccountId": "CG00000000000000000000001", "grantOfferId": "0000000000000001"}
        ),
        "POST",
        f"{BTL}/v3/grants",
        json={"grantAccountId": "CG00000000000000000000001", "grantOfferId": "0000000000000001"},
        headers=KEY,
        response=GRANT_V3,
        check=lambda r: r.id == GRANT_V3["id"],
    ),
    Case(
        "transfers_v3.transactions.get",
        lambda c: c.transfers_v3.transactions.get("EVJN4227C224222B5JB8DRD6C9GVMG"),
        "GET",
        f"{BTL}/v3/transactions/EVJN4227C224222B5JB8DRD6C9GVMG",
        headers=KEY,
        response=TRANSACTION_V3,
        check=lambda r: r.id == TRANSACTION_V3["id"],
    ),
    Case(
        "transfers_v3.transfers.transfer_funds",
        lambda c: c.transfers_v3.transfers.transfer_funds(TRANSFER_BODY),
        "POST",
        f"{BTL}/v3/transfers",
        json=TRANSFER_BODY,
        headers=KEY,
        status=202,
        response=TRANSFER_V3,
        check=lambda r: r.id == TRANSFER_V3["id"],
    ),
    Case(
        "transfers_v3.cashouts.initiate",
        lambda c: c.transfers_v3.cashouts.initiate(
            {"instructingBalanceAccountId": "BA1", "amount": {"currency": "EUR", "value": 1}}
        ),
        "POST",
        f"{BTL}/v3/cashouts",
        json={"instructingBalanceAccountId": "BA1", "amount": {"currency": "EUR", "value": 1}},
        headers=KEY,
        response=CASHOUT_V3,
        check=lambda r: r.id == CASHOUT_V3["id"],
    ),
]

DEPRECATED = {
    "terminal_management.find_terminal (deprecated)",
    "transfers_v4.capital.list_grants (deprecated in v4)",
}


def _client() -> AdyenClient:
    return AdyenClient(api_key="test-key", reviewer_api_key="reviewer-key", max_retries=0)


def _async_client() -> AsyncAdyenClient:
    return AsyncAdyenClient(api_key="test-key", reviewer_api_key="reviewer-key", max_retries=0)


def test_every_resource_has_a_case() -> None:
    from adyen_like._generated.catalog import RESOURCES

    covered = {case.id.split(" ")[0].rsplit(".", 1)[0] for case in CASES}
    assert covered == {path for path, _, _ in RESOURCES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_sync(case: Case) -> None:
    client = _client()
    if case.id in DEPRECATED:
        with pytest.warns(DeprecationWarning, match="deprecated"):
            run_sync(client, case)
    else:
        run_sync(client, case)


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_async(case: Case) -> None:
    client = _async_client()
    try:
        if case.id in DEPRECATED:
            with pytest.warns(DeprecationWarning, match="deprecated"):
                await run_async(client, case)
        else:
            await run_async(client, case)
    finally:
        await client.close()


def test_version_override_changes_only_that_service() -> None:
    client = AdyenClient(api_key="k", versions={"payment": "67"})
    assert client.environment_urls["payment"] == f"{PAL}/Payment/v67"
    assert client.environment_urls["payout"] == f"{PAL}/Payout/v68"
    assert client.environment_urls["transfers"] == f"{BTL}/v4"
    assert client.environment_urls["transfers_v3"] == f"{BTL}/v3"


def test_live_urls_use_the_prefix() -> None:
    client = AdyenClient(api_key="k", environment="live", live_url_prefix="1797a841-AdyenDemo")
    urls = client.environment_urls
    assert urls["payment"] == (
        "https://1797a841-AdyenDemo-pal-live.adyenpayments.com/pal/servlet/Payment/v68"
    )
    assert urls["notification_configuration"] == (
        "https://cal-live.adyen.com/cal/services/Notification/v6"
    )
    assert urls["transfers"] == "https://balanceplatform-api-live.adyen.com/btl/v4"


def test_live_without_prefix_fails_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="live_url_prefix"):
        AdyenClient(api_key="k", environment="live")


def test_reviewer_operation_without_reviewer_credential_is_refused() -> None:
    client = AdyenClient(api_key="k")
    with respx.mock(assert_all_called=False) as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        with pytest.raises(ConfigurationError, match="reviewer"):
            client.payouts.decline_third_party({"originalReference": "x"})
        assert not route.called


def test_request_model_is_validated_before_sending() -> None:
    from commonrest import RequestValidationError

    client = AdyenClient(api_key="k")
    with respx.mock(assert_all_called=False) as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        with pytest.raises(RequestValidationError, match="modificationAmount"):
            client.modifications.capture({"merchantAccount": "M", "originalReference": "x"})
        assert not route.called


def test_unknown_enum_values_and_fields_survive() -> None:
    client = AdyenClient(api_key="k")
    body: dict[str, Any] = {"pspReference": "1", "resultCode": "SomethingNew", "extra": {"a": 1}}
    with respx.mock() as router:
        router.post(f"{PAL}/Payment/v68/authorise").respond(200, json=body)
        result = client.payments.authorise(
            {"merchantAccount": "M", "amount": {"currency": "EUR", "value": 1}, "reference": "r"}
        )
    # a value outside the known ones: typed as the known Literal values, so read as str
    assert str(result.result_code) == "SomethingNew"
    assert result.model_extra == {"extra": {"a": 1}}
    assert result.to_dict() == body


def test_link_paging_follows_the_next_link_until_there_is_none() -> None:
    client = AdyenClient(api_key="k")
    last = {"data": [{**TRANSACTIONS["data"][0], "id": "LAST"}], "_links": {}}
    with respx.mock() as router:
        route = router.get(url__startswith=f"{BTL}/v4/transactions").mock(
            side_effect=[httpx.Response(200, json=TRANSACTIONS), httpx.Response(200, json=last)]
        )
        ids = [
            t.id
            for t in client.transfers_v4.transactions.list(
                created_since="2023-08-10T10:50:40Z", created_until="2023-08-20T13:07:40Z"
            )
        ]
    assert ids == [t["id"] for t in TRANSACTIONS["data"]] + ["LAST"]
    assert str(route.calls[1].request.url) == TRANSACTIONS["_links"]["next"]["href"]
    assert route.calls[1].request.headers["x-api-key"] == "k"
