"""The offline test kit: mock any of our clients in your tests, without a network.

``mock_api(client)`` starts a respx router that knows the client's base URLs, so routes
are declared by *operation* rather than by hand-written URL::

    from commonrest.testing import mock_api

    with mock_api(client) as api:
        api.on(Pets.get, pet_id="rex").respond(200, json={"petId": "rex", "name": "Rex"})
        assert client.pets.get("rex").name == "Rex"

Outside a ``with`` block (a notebook, an interactive session, a test's setup and
teardown), ``start()`` and ``stop()`` do the same explicitly: the mock stays active from
``start()`` until ``stop()``, across notebook cells, whether or not the object is still
referenced::

    api = mock_api(client).start()
    api.on(Pets.get, pet_id="rex").respond(200, json={"petId": "rex"})
    ...                                  # any later cell: client.pets.get("rex")
    api.stop()                           # checks every route was called, like the block

With pytest, the ``commonrest_mock`` fixture does the same and stops the router after
the test. Helpers build typical error responses (``problem()``, ``rate_limited()``), and
``post_to_wsgi()``/``post_to_asgi()`` deliver a body to your own web application (a
webhook handler) in-process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .._operations import Operation, OperationInfo, PagedOperation
from .._paths import encode_segment

if TYPE_CHECKING:
    import respx

    from .._client import BaseClient

from .handlers import post_to_asgi, post_to_wsgi

__all__ = ["APIMock", "mock_api", "post_to_asgi", "post_to_wsgi", "problem", "rate_limited"]


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type: str = "about:blank",  # the RFC's member name
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> httpx.Response:
    """An RFC 7807 ``application/problem+json`` response."""
    body: dict[str, Any] = {"type": type, "title": title, "status": status, **extensions}
    if detail is not None:
        body["detail"] = detail
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/problem+json", **dict(headers or {})},
    )


def rate_limited(retry_after: float | str = 1, **headers: str) -> httpx.Response:
    """A 429 response with a ``Retry-After`` header."""
    return httpx.Response(
        429,
        json={"message": "too many requests"},
        headers={"Retry-After": str(retry_after), **headers},
    )


def _info_of(op: Any) -> OperationInfo:
    if isinstance(op, (Operation, PagedOperation)):
        return op.info
    info = getattr(op, "__commonrest_operation__", None)
    if isinstance(info, OperationInfo):
        return info
    raise TypeError(
        "pass an operation: client.pets.get (bound) or Pets.get (declared on the resource "
        f"class), got {op!r}"
    )


class APIMock:
    """A respx router bound to one client's base URLs; see the module docstring."""

    def __init__(self, client: BaseClient, *, assert_all_called: bool = True) -> None:
        try:
            import respx
        except ImportError as exc:  # pragma: no cover - respx is in the dev and testing extras
            raise ImportError(
                "commonrest.testing mocks need respx: pip install 'commonrest[testing]'"
            ) from exc

        self._client = client
        self._active = False
        self.router: respx.MockRouter = respx.mock(assert_all_called=assert_all_called)

    def on(self, op: Any, **path_params: Any) -> respx.Route:
        """A route for one operation. Path parameters given here must match exactly (as
        encoded on the wire); the others match any single segment."""
        info = _info_of(op)
        # as httpx sends it: scheme and host in lower case (an Adyen live prefix has capitals)
        base = str(httpx.URL(self._client._config.base_urls[info.api]))
        pattern = re.escape(base)
        pos = 0
        for match in re.finditer(r"\{([^{}]+)\}", info.path):
            pattern += re.escape(info.path[pos : match.start()])
            name = match.group(1)
            if name in path_params:
                pattern += re.escape(encode_segment(path_params[name], name=name))
            else:
                pattern += r"[^/?#]+"
            pos = match.end()
        pattern += re.escape(info.path[pos:]) + r"(\?.*)?$"
        return self.router.route(method=info.method, url__regex="^" + pattern)

    @property
    def calls(self) -> respx.models.CallList:
        """Every request the router saw, in order."""
        return self.router.calls

    @property
    def active(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._active

    def start(self) -> APIMock:
        """Start mocking and return this mock; it stays active until :meth:`stop`.

        Nothing is tied to a ``with`` block or to this object being referenced, so a
        notebook can start it in one cell and use the client in later ones. Starting an
        active mock does nothing."""
        if not self._active:
            self.router.start()
            self._active = True
        return self

    def stop(self, *, check: bool = True) -> None:
        """Stop mocking: the client's requests reach the network again. With ``check``
        (and ``assert_all_called``, the default) a route that was never called raises
        ``AssertionError``. :attr:`calls` still holds what was sent, to inspect after.
        Stopping a mock that is not active does nothing."""
        if not self._active:
            return
        self._active = False
        sent = list(self.router.calls)
        try:
            self.router.stop(quiet=not check)
        finally:
            self.router.calls[:] = sent  # respx rolls its call list back; ours stays

    def __enter__(self) -> APIMock:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, *exc: Any) -> None:
        # an error raised in the block is the one to report, not an uncalled route
        self.stop(check=exc_type is None)


def mock_api(client: BaseClient, *, assert_all_called: bool = True) -> APIMock:
    """A mock of ``client``'s API: use it as a ``with`` block, or call ``start()`` and
    later ``stop()`` (notebooks, setup and teardown)."""
    return APIMock(client, assert_all_called=assert_all_called)
