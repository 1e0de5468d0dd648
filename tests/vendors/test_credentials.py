"""A client without the credential its API needs says so at construction, naming the
arguments and environment variables that would supply it; ``auth=NoAuth()`` builds a
client that sends no credentials on purpose. Over a real loopback socket too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from adyen_like import AdyenClient, AsyncAdyenClient
from airbyte_like import AirbyteClient, AsyncAirbyteClient
from airflow_like import AirflowClient, AsyncAirflowClient
from amentum_like import AmentumClient, AsyncAmentumClient
from commonrest import ConfigurationError, NoAuth
from commonrest.crest import AsyncCommonRestClient, CommonRestClient
from tests.core.servers import read_request, serve

pytestmark = pytest.mark.anyio

# client class, settings besides the credential, words the refusal must contain
KEYLESS: list[tuple[type[Any], dict[str, Any], tuple[str, ...]]] = [
    (AdyenClient, {}, ("api_key=", "ADYEN_API_KEY", "username=", "ADYEN_PASSWORD")),
    (AsyncAdyenClient, {}, ("api_key=", "ADYEN_API_KEY")),
    (AmentumClient, {}, ("api_key=", "AMENTUM_API_KEY")),
    (AsyncAmentumClient, {}, ("api_key=", "AMENTUM_API_KEY")),
    (AirflowClient, {"base_url": "http://airflow.test"}, ("token=", "AIRFLOW_TOKEN", "username=")),
    (AsyncAirflowClient, {"base_url": "http://airflow.test"}, ("AIRFLOW_USERNAME",)),
    (AirbyteClient, {}, ("token=", "AIRBYTE_TOKEN", "AIRBYTE_USERNAME", "password=")),
    (AsyncAirbyteClient, {}, ("AIRBYTE_TOKEN",)),
    (CommonRestClient, {"base_url": "http://idm.test/openidm"}, ("auth=BasicAuth",)),
    (AsyncCommonRestClient, {"base_url": "http://idm.test/openidm"}, ("auth=",)),
]


@pytest.mark.parametrize(
    ("cls", "settings", "words"), KEYLESS, ids=[c.__name__ for c, _, _ in KEYLESS]
)
def test_a_client_without_its_credential_says_how_to_give_one(
    cls: type[Any], settings: dict[str, Any], words: tuple[str, ...]
) -> None:
    with pytest.raises(ConfigurationError) as info:
        cls(**settings)
    message = str(info.value)
    assert message.startswith(f"{cls.__name__} needs a credential")
    for word in words:
        assert word in message, (word, message)
    assert "auth=NoAuth()" in message


@pytest.mark.parametrize(
    ("cls", "settings", "words"), KEYLESS, ids=[c.__name__ for c, _, _ in KEYLESS]
)
def test_no_auth_on_purpose_builds_a_client(
    cls: type[Any], settings: dict[str, Any], words: tuple[str, ...]
) -> None:
    client = cls(**settings, auth=NoAuth())
    assert isinstance(client._config.credentials["default"], NoAuth)


def test_a_malformed_setting_is_reported_before_the_missing_credential() -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        AmentumClient(timeout=-1)


def test_the_environment_still_supplies_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENTUM_API_KEY", "key-from-env")
    with respx.mock() as router:
        route = router.get("https://gravity.amentum.io/egm2008/geoid_height").respond(
            200, json={"height": {"units": "m", "value": 45.8}}
        )
        AmentumClient().gravity.geoid_height(latitude=1, longitude=2)
    assert route.calls.last.request.headers["API-Key"] == "key-from-env"


def test_no_auth_sends_no_credential_over_a_socket() -> None:
    seen: list[bytes] = []

    def answer(conn: Any, stop: Any) -> None:
        seen.append(read_request(conn))
        body = b'{"height": {"units": "m", "value": 45.8}}'
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    with serve(answer) as server:
        keyless = AmentumClient(auth=NoAuth(), base_urls={"gravity": server.url})
        keyless.gravity.geoid_height(latitude=1, longitude=2)
        keyed = AmentumClient(api_key="k-123", base_urls={"gravity": server.url})
        keyed.gravity.geoid_height(latitude=1, longitude=2)
        assert server.connections == 2
    assert b"api-key" not in seen[0].lower()
    assert b"api-key: k-123" in seen[1].lower()


def test_adyen_reviewer_operations_say_how_to_give_the_reviewer_credential() -> None:
    client = AdyenClient(api_key="k")  # builds: only the review operations need it
    with respx.mock(assert_all_called=False) as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        with pytest.raises(ConfigurationError) as info:
            client.payouts.confirm_third_party({"merchantAccount": "M", "originalReference": "x"})
        assert not route.called
    message = str(info.value)
    assert "'reviewer' credential" in message
    for word in ("reviewer_api_key=", "ADYEN_REVIEWER_API_KEY", "reviewer_username="):
        assert word in message, message
    assert "credentials={'reviewer'" in message


async def test_adyen_reviewer_credential_signs_the_review_operations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADYEN_REVIEWER_API_KEY", "reviewer-from-env")
    client = AsyncAdyenClient(api_key="default-key")
    with respx.mock() as router:
        route = router.post(url__regex=r".*/Payout/v68/confirmThirdParty$").respond(
            200, json={"pspReference": "p", "response": "[payout-confirm-received]"}
        )
        await client.payouts.confirm_third_party({"merchantAccount": "M", "originalReference": "x"})
    assert route.calls.last.request.headers["X-API-Key"] == "reviewer-from-env"
    await client.close()
