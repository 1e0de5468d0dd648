"""The ``httpx.Request`` of a call, built without the parts of httpx's work it does not need.

A client's base URLs are fixed, and a call adds a path already made of percent-encoded
segments (:mod:`.paths`) and a query of plain items. httpx would parse and validate the
joined string on every request; here the base is parsed once and the path and query are
encoded with httpx's own rules, so the URL is exactly the one ``httpx.URL(base + path,
params=query)`` gives. Anything unusual (a base URL that is not in httpx's normal form, a
path with characters httpx would refuse) takes that slow way, with its errors. Likewise a
body of bytes gets the headers ``httpx.Request(content=...)`` adds (``Host``,
``Content-Length``), in the same order, without building the header list twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import httpx

__all__ = ["build_request", "request_url"]

try:
    from httpx._urlparse import PATH_SAFE, QUERY_SAFE, normalize_path, quote
except ImportError:  # pragma: no cover - another httpx: the slow way only
    _FAST = False
else:
    _FAST = hasattr(httpx.URL("http://x/"), "_uri_reference")

#: Base URL -> its parsed form, when the fast way applies to it (else ``None``).
_BASES: dict[str, Any] = {}
#: Well under httpx's own limit on a URL's length, which the slow way enforces.
_LONGEST = 16384


def _parsed_base(base: str) -> Any:
    try:
        return _BASES[base]
    except KeyError:
        pass
    ref: Any = None
    try:
        url = httpx.URL(base)
    except httpx.InvalidURL:
        url = None
    if url is not None and str(url) == base and url.query == b"" and not url.fragment:
        ref = url._uri_reference
        if ref.query is not None or ref.fragment is not None:
            ref = None
    if len(_BASES) < 256:
        _BASES[base] = ref
    return ref


def request_url(base: str, path: str, query: Sequence[tuple[str, Any]]) -> httpx.URL:
    """``httpx.URL(base + path, params=query or None)``, cheaply. ``query`` values are
    strings (see :func:`.pipeline.encode_query`)."""
    ref = _parsed_base(base) if _FAST else None
    if (
        ref is None
        or not path.startswith("/")
        or "?" in path
        or "#" in path
        or not (path.isascii() and path.isprintable())
        or len(path) > _LONGEST
        or not all(type(k) is str and type(v) is str for k, v in query)
    ):
        return httpx.URL(base + path, params=query or None)
    encoded = urlencode(query) if query else None  # what httpx.QueryParams writes
    if encoded is not None and len(encoded) > _LONGEST:
        return httpx.URL(base + path, params=query)
    full = normalize_path(quote(ref.path + path, safe=PATH_SAFE))
    url = httpx.URL.__new__(httpx.URL)
    url._uri_reference = ref._replace(
        path=full, query=None if encoded is None else quote(encoded, safe=QUERY_SAFE)
    )
    return url


_BODY_HEADERS = frozenset({"host", "content-length", "transfer-encoding"})


def build_request(
    method: str, url: httpx.URL | str, headers: Mapping[str, str], content: object
) -> httpx.Request:
    """``httpx.Request(method, url, headers=headers, content=content)``, cheaply when
    ``content`` is bytes or ``None`` and the headers leave ``Host`` and the length to httpx."""
    if not (
        isinstance(url, httpx.URL)
        and (content is None or type(content) is bytes)
        and url.host
        and not any(k.lower() in _BODY_HEADERS for k in headers)
    ):
        return httpx.Request(method, url, headers=headers, content=content)  # type: ignore[arg-type]
    items: list[tuple[str, str]] = [("Host", url.netloc.decode("ascii")), *headers.items()]
    if content:
        items.append(("Content-Length", str(len(content))))
    elif method.upper() in ("POST", "PUT", "PATCH"):
        items.insert(1, ("Content-Length", "0"))
    request = httpx.Request(method, url, headers=items, stream=httpx.ByteStream(content or b""))
    request.read()
    return request
