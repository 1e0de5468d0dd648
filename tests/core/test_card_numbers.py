"""Card numbers (PANs) are masked to their last four digits in everything errors keep and
show and in our log records; other digit runs are left alone."""

from __future__ import annotations

import json
import logging
import pickle
import socket
import threading
import traceback

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adyen_like import AdyenClient, AsyncAdyenClient
from commonrest import APIKeyAuth, APIResponseError, CommonRestError, InvalidArgumentError
from commonrest._redaction import Redactor, luhn_valid, mask_card_numbers

from .api import AsyncPetClient, PetClient
from .helpers import Kind, resolve
from .servers import read_request, serve

pytestmark = pytest.mark.anyio

VISA = "4111111111111111"
AMEX = "378282246310005"


def _with_check_digit(body: str) -> str:
    """``body`` plus the digit that makes it pass the Luhn check."""
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


pans = st.integers(min_value=12, max_value=18).flatmap(
    lambda n: st.text("0123456789", min_size=n, max_size=n).map(_with_check_digit)
)
non_pans = st.integers(min_value=13, max_value=19).flatmap(
    lambda n: st.text("0123456789", min_size=n, max_size=n).filter(lambda d: not luhn_valid(d))
)
words = st.text(
    st.characters(whitelist_categories=("L", "P", "Zs"), blacklist_characters="*"), max_size=20
)


def _grouped(digits: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for size in sizes:
        if i >= len(digits):
            break
        out.append(digits[i : i + size])
        i += size
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


@given(pans, words, words, st.lists(st.integers(1, 6), max_size=6), st.sampled_from([" ", "-"]))
def test_a_card_number_in_any_grouping_keeps_only_its_last_four(
    pan: str, before: str, after: str, sizes: list[int], sep: str
) -> None:
    written = _grouped(pan, sizes, sep)
    text = f"{before} {written} {after}"
    masked = mask_card_numbers(text)
    assert len(masked) == len(text)
    assert masked.count("*") == len(pan) - 4
    digits_left = "".join(c for c in masked if c in "0123456789")
    assert pan not in digits_left and digits_left.endswith(pan[-4:])
    # only digits of the card number changed, each into '*'
    assert all(
        a == b or (a in "0123456789" and b == "*") for a, b in zip(text, masked, strict=True)
    )


@given(non_pans, words, words)
def test_digit_runs_failing_the_luhn_check_are_untouched(run: str, before: str, after: str) -> None:
    text = f"{before} {run} {after}"
    assert mask_card_numbers(text) == text


@given(st.text())
def test_masking_is_idempotent_and_keeps_the_length(text: str) -> None:
    once = mask_card_numbers(text)
    assert mask_card_numbers(once) == once
    assert len(once) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"card {VISA}.", "card ************1111."),
        ("4111 1111 1111 1111", "**** **** **** 1111"),
        ("4111-1111-1111-1111", "****-****-****-1111"),
        (f"amex {AMEX}", "amex ***********0005"),
        ("ref 12 4111 1111 1111 1111", "ref 12 **** **** **** 1111"),
        (f"{VISA}0", f"{VISA}0"),  # 17 digits failing Luhn: not a card number
        ("order 1234567890123 at 1700000000000", "order 1234567890123 at 1700000000000"),
        ("2026-12-01T20:18:05Z", "2026-12-01T20:18:05Z"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert mask_card_numbers(text) == expected


# --------------------------------------------------------------------------- end to end


def echo_card(status: int = 422) -> object:
    """Echo the card number of the request body back in the error body, a header and the
    message, next to an order number that is not a card number."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        raw = read_request(conn)
        body = json.loads(raw.partition(b"\r\n\r\n")[2] or b"{}")
        number = body.get("paymentMethod", {}).get("number", VISA)
        grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        payload = json.dumps(
            {
                "status": status,
                "errorCode": "101",
                "message": f"Invalid card number {grouped} for order 1234567890123",
                "errorType": "validation",
                "card": {"number": number, "asInt": int(number), "list": [number]},
            }
        ).encode()
        conn.sendall(
            f"HTTP/1.1 {status} Unprocessable\r\nContent-Type: application/json\r\n"
            f"X-Card: {number}\r\nContent-Length: {len(payload)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + payload
        )

    return behave


def _views(error: BaseException) -> str:
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    parts += [repr(v) for v in vars(error).values()]
    parts.append(pickle.dumps(error).decode("latin-1"))
    return "\n".join(parts)


async def test_an_echoed_card_number_is_masked_in_everything_the_error_keeps(kind: Kind) -> None:
    with serve(echo_card()) as server:  # type: ignore[arg-type]
        client = (AdyenClient if kind == "sync" else AsyncAdyenClient)(
            base_url=server.url, auth=APIKeyAuth("ak_test_123456"), max_retries=0
        )
        with pytest.raises(APIResponseError) as info:
            await resolve(
                client.payments.authorise(
                    {
                        "merchantAccount": "M",
                        "amount": {"currency": "EUR", "value": 1},
                        "reference": "r",
                        "paymentMethod": {"type": "scheme", "number": VISA},
                    }
                )
            )
        await resolve(client.close())
    error = info.value
    everything = _views(error)
    assert VISA not in everything and "4111 1111 1111" not in everything
    assert "**** **** **** 1111" in str(error)
    assert "1234567890123" in str(error)  # the order number is not a card number
    assert error.body["card"] == {
        "number": "************1111",
        "asInt": "************1111",
        "list": ["************1111"],
    }
    assert error.headers["x-card"] == "************1111"


async def test_a_card_number_in_a_url_is_masked_in_the_error_and_the_log_records(
    kind: Kind, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(
            b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nRetry-After: 0\r\nConnection: close\r\n\r\n"
        )

    with serve(behave) as server:
        client = (PetClient if kind == "sync" else AsyncPetClient)(
            base_url=server.url, max_retries=1
        )
        with pytest.raises(CommonRestError) as info:
            await resolve(client.pets.get(VISA))
        await resolve(client.close())

    assert VISA not in _views(info.value)
    assert "************1111" in str(info.value)
    ours = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any("retrying" in r.getMessage() for r in ours)
    for record in caplog.records:
        assert VISA not in record.getMessage()


@pytest.mark.parametrize(
    "url",
    [
        "https://pay.test/cards?number=4111+1111+1111+1111",
        "https://pay.test/cards?number=4111%201111%201111%201111",
        "https://pay.test/cards/4111%201111%201111%201111/verify",
        "https://pay.test/cards/4111-1111-1111-1111/verify",
    ],
)
def test_a_card_number_encoded_in_a_url_is_masked_too(url: str) -> None:
    shown = Redactor().url(url)
    digits = "".join(c for c in shown if c.isdigit())
    assert "4111" not in digits[:-4] and digits.endswith("1111"), shown
    assert shown.startswith("https://pay.test/cards")


def test_an_id_that_fails_the_luhn_check_stays_readable_in_a_url() -> None:
    url = "https://pay.test/payments/8515131751004933/captures?page=2"
    assert Redactor().url(url) == url


def test_a_refused_argument_never_shows_a_card_number() -> None:
    from amentum_like import AmentumClient

    client = AmentumClient(api_key="k")
    with pytest.raises(InvalidArgumentError) as info:
        client.gravity.geoid_height(latitude="4111 1111 1111 1111", longitude=1.0)  # type: ignore[arg-type]
    assert "4111 1111 1111 1111" not in str(info.value)
    assert "**** **** **** 1111" in str(info.value)
    assert info.value.parameter == "latitude"


def test_ibans_are_masked_to_their_last_four_and_other_codes_kept() -> None:
    from commonrest._redaction import mask_ibans

    assert mask_ibans("pay to NL91ABNA0417164300 today") == "pay to **************4300 today"
    assert mask_ibans("GB82 WEST 1234 5698 7654 32") == "**** **** **** **** **54 32"
    # fails the mod-97 check, or is no IBAN at all: left alone
    assert mask_ibans("NL92ABNA0417164300") == "NL92ABNA0417164300"
    assert mask_ibans("ORDER AB12CDEFGHIJKLMNOP") == "ORDER AB12CDEFGHIJKLMNOP"


def test_sensitive_fields_are_replaced_in_values_and_in_text() -> None:
    redactor = Redactor(fields={"cvc", "expiryYear", "number"})
    body = {"card": {"cvc": "737", "expiryYear": 2030, "number": VISA, "holderName": "J"}}
    assert redactor.value(body) == {
        "card": {
            "cvc": "[redacted]",
            "expiryYear": "[redacted]",
            "number": "************1111",
            "holderName": "J",
        }
    }
    text = redactor.text(json.dumps(body) + " " + repr(body))
    assert "737" not in text and "2030" not in text and VISA not in text
    assert text.count('"cvc": "[redacted]"') == 1 and text.count("'cvc': '[redacted]'") == 1
    assert '"holderName": "J"' in text
    assert Redactor().value(body) == {
        **body,
        "card": {**body["card"], "number": "************1111"},
    }
