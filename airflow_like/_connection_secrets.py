"""A connection's password and ``extra`` (which often holds tokens and keys) are
credentials of another system: the client's redactor does not know them, and a server may
echo them back (a 422's ``input`` quotes the whole body it refused). The calls that send
them have these values scrubbed from every error they raise, as the client's own
credentials are."""

from __future__ import annotations

from typing import Any

from commonrest._redaction import strings_under

__all__ = ["CONNECTION_WRITES", "connection_secrets"]

#: The operations whose bodies carry connections (both API versions use these ids).
CONNECTION_WRITES = frozenset(
    {"post_connection", "patch_connection", "test_connection", "bulk_connections"}
)

_SECRET_KEYS = frozenset({"password", "extra"})


def connection_secrets(body: Any) -> tuple[str, ...]:
    """Every string under a ``password`` or ``extra`` key of a request body, at any depth
    (a bulk request's entities too)."""
    dump = getattr(body, "model_dump", None)
    if callable(dump):
        body = dump(mode="json", by_alias=True, exclude_unset=True)
    return strings_under(body, _SECRET_KEYS.__contains__)
