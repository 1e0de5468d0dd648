"""The request the pipeline builds without httpx's client layers is the one httpx builds:
same method, URL, headers in the same order and the same body, for every method and
header mix, the second time (from the cache of encoded headers) as the first."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonrest._request import _ENCODED, _MAX_ENCODED, new_request

_NAMES = st.sampled_from(["Accept", "X-API-Key", "content-type", "Idempotency-Key", "X-Id"])
_VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20)

#: What two requests must agree on: method, URL, headers as sent, body.
Built = tuple[str, str, list[tuple[bytes, bytes]], bytes]


def _as_httpx(method: str, url: str, headers: dict[str, str], content: bytes | None) -> Built:
    items = [("Host", httpx.URL(url).netloc.decode()), *headers.items()]
    if content:
        items.append(("Content-Length", str(len(content))))
    elif method.upper() in ("POST", "PUT", "PATCH"):
        items.insert(1, ("Content-Length", "0"))
    request = httpx.Request(method, url, headers=items, content=content or b"")
    request.read()
    return request.method, str(request.url), request.headers.raw, request.content


def _ours(method: str, url: str, headers: dict[str, str], content: bytes | None) -> Built:
    request = new_request(method, httpx.URL(url), headers, content)
    assert request.stream is not None and request.read() == request.content
    return request.method, str(request.url), request.headers.raw, request.content


@given(
    method=st.sampled_from(["get", "POST", "put", "PATCH", "DELETE"]),
    headers=st.dictionaries(_NAMES, _VALUES, max_size=4),
    content=st.one_of(st.none(), st.binary(max_size=40)),
)
def test_the_request_is_the_one_httpx_builds(
    method: str, headers: dict[str, str], content: bytes | None
) -> None:
    url = "https://api.test:8443/v1/pets?limit=2"
    expected = _as_httpx(method, url, headers, content)
    assert _ours(method, url, headers, content) == expected
    assert _ours(method, url, headers, content) == expected  # encoded headers reused


def test_headers_httpx_must_set_take_httpx_s_way() -> None:
    # A Host or length of the caller's: httpx's own rules decide, as without the fast way.
    given = {"Host": "other.test", "Content-Length": "2"}
    request = new_request("POST", httpx.URL("https://api.test/x"), given, b"{}")
    plain = httpx.Request("POST", "https://api.test/x", headers=given, content=b"{}")
    assert request.headers.raw == plain.headers.raw


def test_a_header_httpx_cannot_encode_fails_as_in_httpx() -> None:
    with pytest.raises(UnicodeEncodeError):
        httpx.Request("GET", "https://api.test/", headers={"X-Name": "café"})
    with pytest.raises(UnicodeEncodeError):
        new_request("GET", httpx.URL("https://api.test/"), {"X-Name": "café"}, None)


def test_the_cache_of_encoded_headers_is_bounded() -> None:
    url = httpx.URL("https://api.test/")
    for i in range(_MAX_ENCODED + 10):
        request = new_request("GET", url, {"Idempotency-Key": f"k-{i}"}, None)
        assert request.headers["idempotency-key"] == f"k-{i}"
    assert len(_ENCODED) <= _MAX_ENCODED
