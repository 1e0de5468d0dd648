"""Adyen services: Terminal Management's string booleans, the Transfers versions as
namespaces, and a full service URL given as the base URL."""

from __future__ import annotations

import pytest
import respx

from adyen_like import AdyenClient, catalog
from commonrest import ConfigurationError

TFM = "https://postfmapi-test.adyen.com/postfmapi/terminal/v1"


def test_terminal_management_string_booleans_parse_to_bool() -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    body = {
        "companyAccount": "YOUR_COMPANY_ACCOUNT",
        "merchantAccount": "YOUR_MERCHANT_ACCOUNT",
        "store": "YOUR_STORE",
        "terminal": "P400Plus-275479597",
        "deviceModel": "P400Plus",
        "dhcpEnabled": "false",
        "merchantInventory": "true",
        "terminalStatus": "Boarded",
        "unknownFlag": "true",
    }
    with respx.mock:
        respx.post(f"{TFM}/getTerminalDetails").respond(200, json=body)
        with pytest.warns(DeprecationWarning):
            details = client.terminal_management.get_terminal_details(
                {"terminal": "P400Plus-275479597"}
            )
    assert details.dhcp_enabled is False
    assert details.merchant_inventory is True
    assert details.model_extra == {"unknownFlag": "true"}  # unknown: kept as sent


def test_the_transfers_versions_are_namespaces_alike() -> None:
    client = AdyenClient(api_key="k")
    for version in (client.transfers_v4, client.transfers_v3):
        for resource in ("transfers", "transactions", "capital", "cashouts"):
            assert hasattr(version, resource)
    for moved in ("transfers", "transactions", "capital", "cashouts"):
        assert not hasattr(client, moved)
    names = {entry.python_name for entry in catalog()}
    assert "transfers_v4.transfers.transfer_funds" in names
    assert "transfers_v3.transfers.transfer_funds" in names
    assert not any(n.startswith(("transfers.", "capital.", "cashouts.")) for n in names)


@pytest.mark.parametrize(
    ("setting", "url", "host"),
    [
        (
            "base_url",
            "https://pal-test.adyen.com/pal/servlet/Payment/v68",
            "https://pal-test.adyen.com",
        ),
        (
            "base_url",
            "https://pal-test.adyen.com/pal/servlet/Payment/v68/",
            "https://pal-test.adyen.com",
        ),
        ("base_url", "http://127.0.0.1:8080/fake/pal/servlet", "http://127.0.0.1:8080/fake"),
        (
            "base_url",
            "https://balanceplatform-api-test.adyen.com/btl/v4",
            "https://balanceplatform-api-test.adyen.com",
        ),
        (
            "base_urls",
            "https://cal-test.adyen.com/cal/services/Notification/v6",
            "https://cal-test.adyen.com",
        ),
    ],
)
def test_a_service_url_as_base_url_is_refused_clearly(setting: str, url: str, host: str) -> None:
    kwargs = (
        {setting: url} if setting == "base_url" else {setting: {"notification_configuration": url}}
    )
    with pytest.raises(ConfigurationError) as info:
        AdyenClient(api_key="k", **kwargs)
    message = str(info.value)
    assert message.startswith(setting)
    assert f"({host})" in message and "versions=" in message


def test_the_environment_variable_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADYEN_BASE_URL", "https://pal-test.adyen.com/pal/servlet/Payment/v68")
    with pytest.raises(ConfigurationError, match=r"^ADYEN_BASE_URL must be the host"):
        AdyenClient(api_key="k")


def test_a_host_or_a_proxy_prefix_gives_the_right_urls() -> None:
    client = AdyenClient(api_key="k", base_url="http://127.0.0.1:8080/proxy/")
    assert (
        client.environment_urls["payment"] == "http://127.0.0.1:8080/proxy/pal/servlet/Payment/v68"
    )
    assert client.environment_urls["transfers"] == "http://127.0.0.1:8080/proxy/btl/v4"
    with respx.mock:
        route = respx.post("http://127.0.0.1:8080/proxy/pal/servlet/Payment/v68/authorise").respond(
            200, json={"pspReference": "P"}
        )
        client.payments.authorise(
            {"merchantAccount": "M", "amount": {"currency": "EUR", "value": 1}, "reference": "r"}
        )
    assert route.called
