"""Reading a JWT's ``exp`` (unverified) to know when a fetched token ends."""

from __future__ import annotations

import base64
import json

import pytest

from commonrest._jwt import jwt_lifetime


def token(claims: object, *, header: str = "eyJhbGciOiJIUzI1NiJ9") -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.c2lnbmF0dXJl"


def test_the_exp_claim_gives_the_seconds_left() -> None:
    assert jwt_lifetime(token({"exp": 1_000_100, "sub": "a"}), now=1_000_000) == 100.0
    assert jwt_lifetime(token({"exp": 1_000_000.5}), now=1_000_000) == 0.5


@pytest.mark.parametrize(
    "value",
    [
        "opaque-token",
        "a.b",
        "a..c",
        "a.!!!.c",
        token(["not", "an", "object"]),
        token({"sub": "no exp"}),
        token({"exp": True}),
        token({"exp": "1000100"}),
        token({"exp": 999_999}),  # already past by our clock: the server's 401 decides
    ],
)
def test_anything_else_says_nothing(value: str) -> None:
    assert jwt_lifetime(value, now=1_000_000) is None
