"""Turning a success body into the declared response type.

Bodies are parsed straight from bytes (``model_validate_json``), never decoded twice; a
body that does not fit the declared model exactly is read leniently (see :mod:`.lenient`)
before it is called unreadable. Nothing here builds an error: an unusable body raises
:class:`Undecodable` with the reason, and the pipeline makes the typed error of it (see
:func:`.errors.error_from_response`), so every field is scrubbed the one way.
"""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
import pydantic

from ._lenient import validate_leniently
from ._memo import keep
from ._response import Created

__all__ = ["Decoder", "Undecodable", "decode", "decoder_for", "describe"]

_JSON_TYPES = ("application/json", "+json", "text/json")


class Undecodable(Exception):
    """A success body that cannot be the declared type; ``content`` is the body when it is
    worth keeping (secrets scrubbed) on the error."""

    def __init__(self, reason: str, content: bytes | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.content = content


class Decoder:
    """How to turn a success body into the declared response type."""

    __slots__ = ("_from_json", "_from_python", "kind", "nullable", "target")

    def __init__(self, response: Any) -> None:
        self.nullable = False
        self.target = str(response)
        if response is None or response is type(None):
            self.kind = "none"
        elif response is bytes:
            self.kind = "bytes"
        elif response is str:
            self.kind = "text"
        elif response is Created:
            self.kind = "created"
        elif isinstance(response, type) and issubclass(response, pydantic.BaseModel):
            self.kind = "json"
            self._from_json: Any = response.model_validate_json
            self._from_python: Any = response.model_validate
            self.target = response.__name__
        else:
            self.kind = "json"
            adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(response)
            self._from_json, self._from_python = adapter.validate_json, adapter.validate_python
            try:
                adapter.validate_python(None)
                self.nullable = True
            except pydantic.ValidationError:
                self.nullable = False

    @property
    def wants_json(self) -> bool:
        return self.kind == "json"

    def parse_json(self, content: bytes) -> Any:
        """JSON ``content`` as the declared type, read leniently when it does not fit
        exactly; raises the strict ``ValidationError`` when even that fails."""
        try:
            return self._from_json(content)
        except pydantic.ValidationError as exc:
            strict = exc
        try:
            return validate_leniently(self._from_python, content, strict)
        except pydantic.ValidationError:
            pass
        raise strict


_DECODERS: dict[Any, Decoder] = {}


def decoder_for(response: Any) -> Decoder:
    """The (cached) decoder for a response type."""
    try:
        return _DECODERS[response]
    except (KeyError, TypeError):
        pass
    dec = Decoder(response)
    with contextlib.suppress(TypeError):  # unhashable annotation: decode without caching
        _DECODERS[response] = dec
    return dec


def decode(dec: Decoder, response: httpx.Response, content: bytes, content_type: str | None) -> Any:
    """``content`` (the body of ``response``, or the cached body a 304 stands for) as the
    decoder's type. Raises :class:`Undecodable`."""
    kind = dec.kind
    if kind == "json":
        if not content:
            if dec.nullable:
                return None
            raise Undecodable("the response body is empty")
        _check_json(content_type)
        try:
            return dec.parse_json(content)
        except pydantic.ValidationError as exc:
            reason = describe(exc, dec.target)
        # Raised out here: pydantic's error, kept as the context, holds the input values.
        raise Undecodable(reason, content)
    if kind == "none":
        return None
    if kind == "bytes":
        return content
    if kind == "text":
        return response.text
    return Created(status_code=response.status_code, location=response.headers.get("location"))


def _check_json(content_type: str | None) -> None:
    if not content_type:
        return
    known = _JSON_KINDS.get(content_type)
    if known is None:
        # a server sends a few content types, over and over
        known = keep(
            _JSON_KINDS, content_type, any(t in content_type.lower() for t in _JSON_TYPES), 256
        )
    if not known:
        raise Undecodable(f"expected a JSON body, got content type {content_type!r}")


#: Content type -> whether it names JSON.
_JSON_KINDS: dict[str, bool] = {}


def describe(exc: pydantic.ValidationError, target: str) -> str:
    """Why a body did not validate as ``target``, without the values in it."""
    errors = exc.errors(include_url=False, include_input=False)
    if errors and errors[0].get("type") == "json_invalid":
        return "the body is not valid JSON"
    parts = []
    for err in errors[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(body)"
        parts.append(f"{loc}: {err.get('msg')}")
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"the body does not match {target}: " + "; ".join(parts) + more
