"""The suite-wide network guard (tests/conftest.py) does its job."""

from __future__ import annotations

import socket

import httpx
import pytest


def test_resolving_a_real_host_is_refused() -> None:
    with pytest.raises(OSError, match="only loopback"):
        socket.getaddrinfo("service.invalid", 443)


def test_an_unmocked_request_fails_instead_of_leaving_the_machine() -> None:
    with httpx.Client() as client, pytest.raises(httpx.ConnectError, match="only loopback"):
        client.get("https://service.invalid/")


def test_loopback_stays_reachable() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=2):
            pass


def test_only_loopback_addresses_pass_the_check() -> None:
    from tests.conftest import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("10.0.0.1") and not _is_loopback("pal-test.adyen.com")
