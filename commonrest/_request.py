"""A call's ``httpx.Request``: credential, URL, headers, body and idempotency key.

:func:`request_for` is the whole of it, run once per call before the first attempt; what a
retry, a redirect or the ETag cache change afterwards is theirs. Request bodies are
validated against the operation's strict request model before anything is sent; header
values are checked for what HTTP cannot carry.

The request is built without the parts of httpx's work it does not need. A client's base
URLs are fixed, and a call adds a path already made of percent-encoded segments
(:mod:`.paths`) and a query of plain items. httpx would parse and validate the joined
string on every request; here the base is parsed once and the path and query are encoded
with httpx's own rules, so the URL is exactly the one ``httpx.URL(base + path,
params=query)`` gives. Anything unusual (a base URL that is not in httpx's normal form, a
path with characters httpx would refuse) takes that slow way, with its errors. Likewise a
body of bytes gets the headers ``httpx.Request(content=...)`` adds (``Host``,
``Content-Length``), in the same order, without building the header list twice.
"""

from __future__ import annotations

import enum
import os
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from uuid import UUID

import httpx
import pydantic
import pydantic_core

from ._errors import ConfigurationError, InvalidArgumentError, RequestValidationError
from ._headers import header_value_problem
from ._memo import keep
from ._models import SECRET_MASK, WIRE
from ._paths import expand_path
from ._redaction import _SECRET_HEADER
from ._sentinels import NotGiven

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._operations import Call, OperationInfo
    from ._options import Options

__all__ = [
    "encode_body",
    "encode_query",
    "missing_credential",
    "new_request",
    "request_for",
    "request_url",
]


def missing_credential(config: ClientConfig, info: OperationInfo) -> ConfigurationError:
    """The error for an operation signed by a credential the client was not given (the
    credential itself is ``config.credentials[info.credential]``), saying how to give it."""
    how = config.credential_sources.get(info.credential)
    hint = f"{how}, or " if how else ""
    return ConfigurationError(
        f"operation {info.python_name or info.operation_id} is signed with the "
        f"{info.credential!r} credential, which this client was not given: "
        f"{hint}pass credentials={{{info.credential!r}: <an auth object>}} when "
        "creating the client"
    )


def request_for(
    config: ClientConfig,
    options: Options,
    info: OperationInfo,
    call: Call[Any],
    retry_safe: bool,
) -> tuple[httpx.Request, bool, str | None]:
    """The request of a call, before any credential signs it; whether it carries an
    idempotency key its service dedupes by (which makes repeating it safe); and the key
    it carries, if any."""
    try:
        base = config.base_urls[info.api]
    except KeyError:
        raise ConfigurationError(
            f"operation {info.operation_id} belongs to service {info.api!r}, which this "
            "client does not know"
        ) from None
    path = expand_path(info.path, call.path)
    headers: dict[str, str] = dict(config.default_headers)
    if info.accept:
        # what the operation declares it produces, over the client's JSON default
        headers["Accept"] = info.accept
    if options.headers:
        # the caller's headers win, whatever their case ("accept" replaces "Accept")
        given = {k.lower() for k in options.headers}
        headers = {k: v for k, v in headers.items() if k.lower() not in given}
        headers.update(options.headers)
    if call.headers:
        for name, value in call.headers.items():
            if value is not None and not isinstance(value, NotGiven):
                headers[name] = _header_value(name, value)
    content = encode_body(call)
    if content is not None and call.json is not None:
        headers.setdefault("Content-Type", "application/json")
    # A key given through with_options serves one unsafe call: using it again for
    # another create would have the server drop that call as a repeat.
    key = options.idempotency_key if retry_safe else options.claim_idempotency_key()
    service = config.services.get(info.api)
    key_header = (service.idempotency_header if service else None) or "Idempotency-Key"
    # A key may also come as a header (per call or through with_options(headers=)): it is
    # then the call's key, and the request carries one key header whatever its case.
    wanted = key_header.lower()
    as_header = [name for name in headers if name.lower() == wanted]
    if key is None and as_header:
        key = headers[as_header[-1]]  # a header of the call's own wins over the options'
    if (
        key is None
        and not retry_safe
        and config.auto_idempotency_keys
        and service is not None
        and service.idempotency_header
    ):
        key = new_idempotency_key()
    if key is not None:
        for name in as_header:
            del headers[name]
        headers[key_header] = key
    # Only a service that declares idempotency support dedupes a repeat by its key;
    # elsewhere the key is sent as given but does not make a retry safe.
    has_key = key is not None and service is not None and bool(service.idempotency_header)
    # A followed link (next page) carries its own complete query string.
    url: httpx.URL | str
    if call.url is None:
        url = request_url(base, path, encode_query(call.query))
    else:
        url = _same_origin_url(base, call.url)
    return new_request(info.method, url, headers, content), has_key, key


def new_idempotency_key() -> str:
    """A random (version 4) UUID as text: what ``str(uuid.uuid4())`` gives, at a fraction
    of its cost (every unsafe call of a service that dedupes makes one)."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


#: The RFC 9562 variant bits (10xx) set on the first hex digit of the fourth group.
_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}


def _same_origin_url(base: str, link: str) -> str:
    target = httpx.URL(base).join(link)
    origin = httpx.URL(base)
    if (target.scheme, target.host, target.port) != (origin.scheme, origin.host, origin.port):
        raise InvalidArgumentError(
            f"refusing to follow a link to another origin ({target.scheme}://{target.host}): "
            "credentials would go with it"
        )
    return str(target)


# ---------------------------------------------------------------------------- encoding


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _query_value(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def encode_query(
    query: Mapping[str, Any] | None,
) -> list[tuple[str, str | int | float | bool | None]]:
    """Query items in order; ``NOT_GIVEN`` and ``None`` are left out, lists repeat the key."""
    items: list[tuple[str, str | int | float | bool | None]] = []
    if not query:
        return items
    for key, value in query.items():
        if value is None or isinstance(value, NotGiven):
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            items.extend((key, _query_value(v)) for v in value)
        else:
            items.append((key, _query_value(value)))
    return items


def _header_value(name: str, value: Any) -> str:
    text = _query_value(value)
    problem = header_value_problem(text)
    if problem is not None:
        # the value is not shown: a header parameter may carry a token
        raise InvalidArgumentError(
            f"header {name!r} must be printable ASCII text, and its value contains {problem}",
            wire=name,
            location="header",
        )
    return text


def encode_body(call: Call[Any]) -> bytes | None:
    """The request body as JSON bytes, exactly as the caller gave it, after validating it
    against ``call.body_model`` (for generated operations, the strict request class).

    A model instance contributes the fields that were set (wire names); a mapping its
    entries (``NOT_GIVEN`` ones left out). Secrets are written out as given.
    """
    body = call.json
    if body is None:
        return call.content
    model = call.body_model
    if isinstance(body, pydantic.BaseModel):
        raw = body.model_dump_json(
            by_alias=True, exclude_unset=True, context=WIRE, warnings=False
        ).encode()
    else:
        if isinstance(body, Mapping):
            body = {k: v for k, v in body.items() if not isinstance(v, NotGiven)}
        name = model.__name__ if isinstance(model, type) else "request"
        try:
            raw = pydantic_core.to_json(_wire_data(body), by_alias=True)
        except pydantic_core.PydanticSerializationError as exc:
            msg = f"not JSON-serialisable ({str(exc).split(':', 1)[0]})"
            raise RequestValidationError(name, [{"loc": (), "msg": msg}]) from None
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return raw
    invalid: RequestValidationError | None = None
    try:
        checked = model.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        invalid = RequestValidationError(model.__name__, [dict(e) for e in errors])
    if invalid is not None:
        # Raised out here: pydantic's error, kept as the context, holds the input values
        # (card numbers, personal data).
        raise invalid
    # Re-dumped from the checked instance when the caller's JSON is not already what goes
    # out: wire names for Python-named keys, null for required-but-nullable fields the
    # caller left out, and the check that no secret holds the mask. Strict validation
    # converts nothing, so every value is the caller's either way.
    if not _needs_redump(model, body):
        return raw
    try:
        return checked.model_dump_json(by_alias=True, exclude_unset=True, context=WIRE).encode()
    except pydantic_core.PydanticSerializationError:
        msg = (
            f"a secret field holds the mask {SECRET_MASK!r} that to_dict() and to_json() "
            "show instead of the secret; pass the model itself or the real value"
        )
    raise RequestValidationError(model.__name__, [{"loc": (), "msg": msg}])


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _needs_redump(model: type[pydantic.BaseModel], body: Any) -> bool:
    """Whether the JSON of ``body`` (a validated request body) must be rewritten from its
    model: it may use a Python name where the wire name differs, or the model's schema
    has fields that the rewrite fills in (nullable required ones) or checks (secrets)."""
    rules = _REDUMP.get(model)
    if rules is None:
        rules = _REDUMP[model] = _redump_rules(model)
    if isinstance(rules, bool):
        return rules
    if isinstance(body, pydantic.BaseModel):
        return False  # dumped by wire name already
    return bool(rules) and _uses_any(body, rules)


#: Request model -> ``True`` (always rewrite) or the Python names that differ from their
#: wire names anywhere in its schema.
_REDUMP: dict[type[pydantic.BaseModel], frozenset[str] | bool] = {}


def _redump_rules(model: type[pydantic.BaseModel]) -> frozenset[str] | bool:
    names: set[str] = set()
    seen: set[type[pydantic.BaseModel]] = set()
    todo: list[Any] = [model]
    while todo:
        kind = todo.pop()
        if isinstance(kind, type) and issubclass(kind, pydantic.BaseModel):
            if kind in seen:
                continue
            seen.add(kind)
            nullable: tuple[str, ...] = getattr(kind, "__nullable_required__", ())
            if issubclass(kind, pydantic.RootModel) or nullable:
                return True
            for name, field in kind.model_fields.items():
                if field.alias not in (None, name) or field.validation_alias not in (None, name):
                    names.add(name)
                todo.append(field.annotation)
                todo.extend(field.metadata)
        elif kind is pydantic.SecretStr:
            return True
        else:
            todo.extend(typing.get_args(kind))
    return frozenset(names)


def _uses_any(value: Any, names: frozenset[str]) -> bool:
    """Whether a key of ``names`` appears in any object of ``value`` (plain JSON-like data,
    models in it already dumped by wire name)."""
    kind = type(value)
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        if not names.isdisjoint(value):
            return True
        values: Any = value.values()
    elif kind is list or isinstance(value, tuple):
        values = value
    else:
        # Any other object JSON holds members in (a dataclass, a generator of mappings) is
        # not looked into here: the checked model writes the body out instead.
        return not isinstance(value, _LEAVES)
    for item in values:  # noqa: SIM110 - a loop: any() over a generator costs more here
        if type(item) not in _PLAIN and _uses_any(item, names):
            return True
    return False


#: Values that are not containers: models (dumped by wire name) and JSON scalars.
_LEAVES = (
    str,
    int,
    float,
    enum.Enum,
    date,
    time,
    timedelta,
    Decimal,
    UUID,
    bytes,
    pydantic.SecretStr,
    pydantic.BaseModel,
)


def _wire_data(value: Any) -> Any:
    """A caller's body with the models in it reduced to their set fields and secrets
    revealed, ready for ``to_json``."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: v if type(v) in _PLAIN else _wire_data(v) for k, v in value.items()}
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(
            mode="json", by_alias=True, exclude_unset=True, context=WIRE, warnings=False
        )
    if isinstance(value, Mapping):
        return {k: _wire_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_wire_data(v) for v in value]
    if isinstance(value, pydantic.SecretStr):
        return value.get_secret_value()
    return value


# ---------------------------------------------------------------------------- the request

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
    return keep(_BASES, base, ref, 256)


def request_url(base: str, path: str, query: Sequence[tuple[str, Any]]) -> httpx.URL:
    """``httpx.URL(base + path, params=query or None)``, cheaply. ``query`` values are
    strings (see :func:`encode_query`)."""
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
    # Most calls of an application go to a few dozen URLs: each is encoded once. (An
    # httpx.URL is never changed in place, so one object can serve every request to it.)
    key = (base, path)
    known = _URLS.get(key)
    if known is None:
        full = normalize_path(quote(ref.path + path, safe=PATH_SAFE))
        plain = httpx.URL.__new__(httpx.URL)
        plain._uri_reference = ref._replace(path=full, query=None)
        known = keep(_URLS, key, plain, _MAX_URLS)
    if encoded is None:
        return known
    url = httpx.URL.__new__(httpx.URL)
    url._uri_reference = known._uri_reference._replace(query=quote(encoded, safe=QUERY_SAFE))
    return url


#: (base URL, path) -> the URL without a query.
_URLS: dict[tuple[str, str], httpx.URL] = {}
_MAX_URLS = 1024


_BODY_HEADERS = frozenset({"host", "content-length", "transfer-encoding"})


def new_request(
    method: str, url: httpx.URL | str, headers: Mapping[str, str], content: object
) -> httpx.Request:
    """``httpx.Request(method, url, headers=headers, content=content)``, cheaply when
    ``content`` is bytes or ``None`` and the headers leave ``Host`` and the length to httpx."""
    if not (
        _FAST_REQUEST
        and isinstance(url, httpx.URL)
        and (content is None or type(content) is bytes)
        and url.host
    ):
        return _built_by_httpx(method, url, headers, content)
    # What httpx.Request(method, url, headers=[Host, *headers, Content-Length], stream=...)
    # and read() leave, without its per-header type dispatch, its copy of the URL and its
    # join of the one chunk.
    listed = [(b"Host", b"host", url.netloc)]
    for item in headers.items():
        triple = _ENCODED.get(item)
        if triple is None:
            key, value = item
            if type(key) is not str or type(value) is not str or key.lower() in _BODY_HEADERS:
                return _built_by_httpx(method, url, headers, content)
            raw = key.encode("ascii")  # httpx's encoding of str headers, with its errors
            triple = (raw, raw.lower(), value.encode("ascii"))
            # Not kept: what may be a credential (a module-wide cache outlives its
            # client), nor an idempotency key (one per call).
            if _SECRET_HEADER.search(key) is None:
                keep(_ENCODED, item, triple, _MAX_ENCODED)
        listed.append(triple)
    method = method.upper()
    body = b""
    if content:
        body = content
        listed.append((b"Content-Length", b"content-length", str(len(body)).encode()))
    elif method in ("POST", "PUT", "PATCH"):
        listed.insert(1, (b"Content-Length", b"content-length", b"0"))
    built = httpx.Headers.__new__(httpx.Headers)
    built._list = listed
    built._encoding = None
    request = httpx.Request.__new__(httpx.Request)
    request.method = method
    request.url = url
    request.headers = built
    request.extensions = {}
    request.stream = httpx.ByteStream(body)
    request._content = body
    return request


def _built_by_httpx(
    method: str, url: httpx.URL | str, headers: Mapping[str, str], content: object
) -> httpx.Request:
    """:func:`new_request` the way httpx builds it (with its checks and errors)."""
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


#: (name, value) -> the header as httpx holds it: most headers of a client's calls are the
#: same few, encoded once. Headers whose names look secret are encoded every time.
_ENCODED: dict[tuple[str, str], tuple[bytes, bytes, bytes]] = {}
_MAX_ENCODED = 4096


def _builds_like_httpx() -> bool:
    """Whether this httpx's ``Request`` and ``Headers`` hold exactly the attributes
    :func:`new_request` sets (else it leaves building them to httpx)."""
    try:
        request = httpx.Request(
            "GET", "http://x/", headers=[("A", "b")], stream=httpx.ByteStream(b"")
        )
        request.read()
        return set(vars(request)) == {
            "method",
            "url",
            "headers",
            "extensions",
            "stream",
            "_content",
        } and vars(request.headers) == {"_list": [(b"A", b"a", b"b")], "_encoding": None}
    except Exception:  # pragma: no cover - another httpx
        return False


_FAST_REQUEST = _builds_like_httpx()
