"""Conditional GETs: the client's ``ETag`` cache, and what a call asks of it.

With a cache on the client (``etag_cache=``), a GET answered with an ``ETag`` is repeated
with ``If-None-Match``, and a ``304 Not Modified`` then gives back the cached result. The
cache is keyed by credential as well as URL: what one identity read must never answer
another's request. Streamed calls and answers from another origin (after a redirect left
the API) are never cached.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from threading import Lock

import httpx

from ._errors import ConfigurationError
from ._lazy import publish

__all__ = ["ETagCache", "lookup", "remember"]

#: ``(etag, body, content type)`` of one cached answer.
Entry = tuple[str, bytes, str]


class ETagCache:
    """A bounded, thread-safe store of ``ETag`` + body per URL for conditional GETs.

    With a cache on the client, a GET that was answered with an ``ETag`` is repeated with
    ``If-None-Match``; a ``304 Not Modified`` then returns the cached result. It holds at
    most ``max_entries`` bodies and ``max_bytes`` bytes of them in all (least recently
    used go first; a body larger than ``max_bytes`` is not kept).
    """

    def __init__(self, max_entries: int = 256, *, max_bytes: int = 64 * 1024 * 1024) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ConfigurationError(f"max_entries must be an integer >= 1, got {max_entries!r}")
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ConfigurationError(f"max_bytes must be an integer >= 1, got {max_bytes!r}")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._data: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key: str) -> Entry | None:
        """The cached ``(etag, body, content type)`` for ``key``."""
        with self._lock:
            entry = self._data.get(key)
            if entry is not None:
                self._data.move_to_end(key)
            return entry

    def put(self, key: str, etag: str, body: bytes, content_type: str) -> None:
        """Remember a response body under its ``ETag``."""
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            if len(body) > self.max_bytes:
                return
            self._data[key] = (etag, body, content_type)
            self._bytes += len(body)
            while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped, _) = self._data.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._data)


def lookup(cache: ETagCache, auth: httpx.Auth, request: httpx.Request) -> tuple[str, Entry | None]:
    """The cache key of a GET signed by ``auth``, and its cached answer; with one, the
    request is made conditional on that answer's ``ETag``."""
    key = f"{_scope(auth)} {request.url}"
    entry = cache.get(key)
    if entry is not None:
        request.headers["If-None-Match"] = entry[0]
    return key, entry


def remember(cache: ETagCache, key: str, response: httpx.Response) -> None:
    """Keep a success answer that carries an ``ETag`` under ``key``."""
    etag = response.headers.get("etag")
    if etag:
        cache.put(key, etag, response.content, response.headers.get("content-type", ""))


_SCOPES: weakref.WeakKeyDictionary[httpx.Auth, str] = weakref.WeakKeyDictionary()


def _scope(auth: httpx.Auth) -> str:
    """A key telling credentials apart in a shared cache."""
    import uuid

    try:
        return _SCOPES.setdefault(auth, uuid.uuid4().hex)
    except TypeError:  # an auth class that cannot be weakly referenced
        return f"id-{id(auth):x}"


publish(__name__, globals())
