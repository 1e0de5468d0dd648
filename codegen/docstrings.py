"""Docstrings of generated methods, written from the spec's structure in our own words.

Every sentence here is built from facts (the operation's name, resource, HTTP method,
parameters and their schemas, declared statuses, paging, retry safety, deprecation); the
spec's ``description`` and ``summary`` prose is never read, so none of it can reach the
generated code. The layout is Google style: a one-line summary, the request line, then
``Args``, ``Returns``, ``Raises`` and ``Note`` sections.

The ``Raises`` section is where each declared status is typed: it is built from the same
status list that used to be emitted as a run-time ``RESPONSES`` table, and from the core's one
status-to-class map (``commonrest._errors.error_class_for``), so it cannot drift from what
the client raises.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from typing import Any

from commonrest._errors import error_class_for

from .arguments import _facts
from .config import Spec
from .spec import Document, Operation, Param

#: Width of a docstring line after the method body's eight spaces of indentation.
_WIDTH = 84

#: First words of method names that are verbs; a name starting otherwise (Amentum's
#: ``geoid_height``) is described by its HTTP method.
_VERBS = frozenset(
    (
        "get",
        "list",
        "create",
        "delete",
        "update",
        "patch",
        "check",
        "clear",
        "cancel",
        "set",
        "test",
        "search",
        "revoke",
        "upgrade",
        "try",
        "transfer",
        "sync",
        "store",
        "route",
        "return",
        "reset",
        "request",
        "reparse",
        "grant",
        "disable",
        "decline",
        "complete",
        "clone",
        "approve",
        "apply",
        "wait",
        "void",
        "unpause",
        "unfavorite",
        "favorite",
        "trigger",
        "tag",
        "submit",
        "stream",
        "schedule",
        "resolve",
        "refund",
        "read",
        "publish",
        "payout",
        "pause",
        "notify",
        "materialize",
        "login",
        "logout",
        "initiate",
        "retrieve",
        "find",
        "authorise",
        "authorize",
        "capture",
        "adjust",
        "register",
        "confirm",
        "store",
        "send",
        "post",
        "put",
        "enable",
        "import",
        "export",
        "run",
        "start",
        "stop",
        "mark",
        "accept",
        "assign",
        "discover",
        "donate",
        "enqueue",
    )
)
_PREPOSITIONS = frozenset(("by", "for", "with", "without", "from", "to", "in", "under"))
_METHOD_VERBS = {
    "GET": "Get",
    "POST": "Send",
    "PUT": "Replace",
    "PATCH": "Change",
    "DELETE": "Delete",
    "HEAD": "Check",
}
_LOCATIONS = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: Enum values listed in full up to this many; beyond, the count and the type are given.
_MAX_VALUES = 12


@dataclass
class Argument:
    """One parameter of the generated signature."""

    name: str
    annotation: str
    text: str


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeio" else "a ") + noun


def _words(name: str) -> str:
    return name.replace("_", " ").strip()


def nouns(spec: Spec, resource: str) -> tuple[str, str]:
    """The resource's singular and plural noun, as words."""
    if resource in spec.nouns:
        one, many = spec.nouns[resource]
        return _words(one), _words(many)
    many = _words(resource)
    if many.endswith("ies"):
        one = many[:-3] + "y"
    elif many.endswith(("sses", "xes", "uses")):
        one = many[:-2]
    elif many.endswith("s") and not many.endswith("ss"):
        one = many[:-1]
    else:
        one = many
    return one, many


def summary(op: Operation, spec: Spec, *, paged: bool, streamed: bool) -> str:
    """One sentence: what the operation does, from its name, resource and HTTP method."""
    one, many = nouns(spec, op.resource)
    words = op.name.split("_")
    on_one = any(p.location == "path" for p in op.params)
    if words == ["bulk"]:
        text = f"{_METHOD_VERBS.get(op.method, op.method.capitalize())} {many} in bulk"
    elif words[0] in _VERBS:
        verb, rest = words[0].capitalize(), words[1:]
        if not rest and words[0] in (_words(one), _words(many)):
            text = f"{verb} (``{op.resource}``)"  # the verb is the noun: ``auth.login``
        elif not rest or _words("_".join(rest)) in (one, many):
            text = f"List the {many}" if verb == "List" else f"{verb} {_article(one)}"
        elif rest == ["many"]:
            text = f"{verb} several {many} at once"
        else:
            what = _words("_".join(rest))
            if on_one and rest[0] in _PREPOSITIONS:
                text = f"{verb} {_article(one)} {what}"
            elif on_one:
                text = f"{verb} {_article(one)}'s {what}"
            else:
                text = f"{verb} {what} (``{op.resource}``)"
    else:
        text = f"{_METHOD_VERBS.get(op.method, op.method.capitalize())} {_words(op.name)}"
        text += f" (``{op.resource}``)"
    if paged:
        text += ", a page at a time"
    elif streamed:
        text += ", as a stream of items"
    return text + "."


def _literal(value: str) -> Any:
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def _values(values: Any, annotation: str) -> str:
    listed = ", ".join(f"``{v}``" for v in values)
    enum = annotation.split(" | ")[0] if " | str" in annotation else ""
    if len(values) > _MAX_VALUES:
        return f"one of {len(values)} values" + (f" (see ``{enum}``)" if enum else "")
    return f"one of {listed}"


def constraints(doc: Document, schema: Any, annotation: str) -> list[str]:
    """What the schema states about a value: format, range, length, pattern, values."""
    raw, nullable = _facts(doc, schema)
    facts = {k: _literal(v) for k, v in raw.items() if k != "items"}
    out: list[str] = []
    if "format" in facts:
        out.append(f"format ``{facts['format']}``")
    low = facts.get("minimum", facts.get("exclusive_minimum"))
    high = facts.get("maximum", facts.get("exclusive_maximum"))
    if low is not None:
        out.append(f"{'greater than' if 'exclusive_minimum' in facts else 'at least'} {low}")
    if high is not None:
        out.append(f"{'less than' if 'exclusive_maximum' in facts else 'at most'} {high}")
    if "min_length" in facts and facts["min_length"] == facts.get("max_length"):
        out.append(f"exactly {facts['min_length']} characters")
    else:
        if "min_length" in facts:
            out.append(f"at least {facts['min_length']} characters")
        if "max_length" in facts:
            out.append(f"at most {facts['max_length']} characters")
    if "pattern" in facts:
        out.append(f"matching ``{facts['pattern']}``")
    if "enum" in facts:
        out.append(_values(facts["enum"], annotation))
    resolved = doc.resolve(schema) if isinstance(schema, dict) else {}
    items = resolved.get("items") if isinstance(resolved, dict) else None
    if isinstance(resolved, dict) and resolved.get("type") == "array" and items:
        inner = constraints(doc, items, "")
        if inner:
            out.append("each item " + ", ".join(inner))
    if nullable:
        out.append("``None`` allowed")
    return out


def _shown_type(annotation: str) -> tuple[str, bool]:
    """The type a caller passes and whether it may be left out."""
    if annotation.startswith("NotGivenOr[") and annotation.endswith("]"):
        return annotation[len("NotGivenOr[") : -1], True
    return annotation, False


def parameter(doc: Document, p: Param, annotation: str) -> Argument:
    shown, optional = _shown_type(annotation)
    where = f"{_LOCATIONS.get(p.location, p.location)} parameter"
    text = f"{where}, sent as ``{p.wire}``." if p.wire != p.py else f"{where}."
    if p.required:
        text += " Required."
    else:
        default = doc.resolve(p.schema).get("default") if isinstance(p.schema, dict) else None
        text += " Sent only when given"
        text += f" (the spec's default: ``{default!r}``)." if default is not None else "."
    facts = constraints(doc, p.schema, shown)
    if facts:
        text += " Value: " + ", ".join(facts) + "."
    return Argument(p.py, shown + (", optional" if optional else ""), text)


def body(
    doc: Document,
    op: Operation,
    annotation: str,
    model: str | None,
    fields: dict[str, str],
) -> Argument:
    """The ``body`` argument: what it is sent as and what it must hold."""
    media = op.body_content_type or "application/json"
    text = f"Request body, sent as ``{media}``"
    if model:
        text += (
            f": {_article('``' + model + '``')} or a mapping of its fields (Python or wire names),"
            " checked against the spec's schema before anything is sent"
        )
    text += "." if op.body_required else "; optional, no body is sent unless given."
    schema = doc.resolve(op.body_schema) if isinstance(op.body_schema, dict) else {}
    required = [fields.get(w, w) for w in schema.get("required") or [] if isinstance(w, str)]
    if model and required:
        text += " Required fields: " + ", ".join(f"``{f}``" for f in required) + "."
    shown = annotation.replace(" | NotGiven", "").replace(" = NOT_GIVEN", "")
    return Argument("body", shown + ("" if op.body_required else ", optional"), text)


def returns(
    result: str,
    statuses: list[tuple[str, str]],
    *,
    page: str | None,
    item: str | None,
    streamed: bool,
) -> tuple[str, str]:
    """The ``Returns`` entry: the type a sync client returns, and what it holds."""
    if page is not None and item is not None:
        return (
            f"SyncPager[{item}]",
            f"A pager of ``{item}`` items (``AsyncPager`` on an async client); each "
            f"``{page}`` page is requested as iteration reaches it. ``.pages()`` and "
            "``.first_page()`` give the pages themselves.",
        )
    if streamed:
        return (
            f"SyncStream[{result}]",
            f"A stream of ``{result}`` items (``AsyncStream`` on an async client), each "
            "parsed from one line of the body as it arrives.",
        )
    ok = [(s, t) for s, t in statuses if s.startswith("2")]
    if result == "None":
        what = "The response has no body."
    elif len(ok) > 1 and len({t for _, t in ok}) > 1:
        what = "The parsed body, by status: " + "; ".join(f"{s}: ``{t}``" for s, t in ok) + "."
    elif result == "str":
        what = "The body as text."
    elif result == "bytes":
        what = "The body's bytes, as received."
    else:
        codes = ", ".join(s for s, _ in ok) or "success"
        what = f"The parsed body of a {codes} response."
    what += (
        " An async client returns a coroutine of it; ``with_raw_response`` an "
        "``APIResponse`` around it (status, headers, attempts)."
    )
    return result, what


def raises(
    statuses: list[tuple[str, str]], *, checked: bool, models: set[str]
) -> list[tuple[str, str]]:
    """``Raises`` entries: one per exception class the declared statuses map to."""
    by_class: dict[str, list[str]] = {}
    bodies: dict[str, set[str]] = {}
    for status, kind in statuses:
        if status.startswith(("1", "2", "3")):
            continue
        if status.isdigit():
            name = error_class_for(int(status)).__name__
        elif status.upper() == "4XX":
            name = "ClientError"
        elif status.upper() == "5XX":
            name = "ServerError"
        else:
            continue
        by_class.setdefault(name, []).append(status)
        if kind in models:
            bodies.setdefault(name, set()).add(kind)
    out: list[tuple[str, str]] = []
    for name, codes in sorted(by_class.items(), key=lambda item: min(item[1])):
        text = f"Declared status {', '.join(codes)}"
        body_types = sorted(bodies.get(name, ()))
        if body_types:
            text += " (body: " + " or ".join(f"``{b}``" for b in body_types) + ")"
        out.append((name, text + "."))
    out.append(
        (
            "APIStatusError",
            "Any other non-2xx status, as the subclass for its code. Every one keeps "
            "the status, headers and parsed body (``.body``).",
        )
    )
    if checked:
        out.append(
            (
                "InvalidArgumentError",
                "When an argument breaks what the spec declares; raised before anything is sent.",
            )
        )
    out.append(("APIConnectionError", "When no response arrives (connection or timeout)."))
    return out


def retry_note(op: Operation, spec: Spec) -> str:
    """Whether a failed attempt is repeated, and why that is safe (or is not done)."""
    if op.method in _SAFE_METHODS:
        return (
            f"Retried on a transient failure: {op.method} is idempotent, so repeating it "
            "cannot apply a change twice."
        )
    if op.read_only:
        return (
            f"Retried on a transient failure: this {op.method} only reads, so repeating "
            "it changes nothing."
        )
    if spec.idempotency_keys:
        return (
            "Retried on a transient failure with the same idempotency key on every attempt, "
            "so the service applies it once; the client adds a key unless one is given "
            "(``with_options(idempotency_key=...)``) or ``auto_idempotency_keys`` is off, "
            "in which case it is not repeated once it may have been received."
        )
    return (
        f"Not repeated once the request may have been received: {op.method} is not "
        "idempotent and the API takes no idempotency key; only a failure before any byte "
        "was sent is retried."
    )


def render(
    lines: list[str],
    *,
    args: list[Argument],
    returns_entry: tuple[str, str],
    raises_entries: list[tuple[str, str]],
    notes: list[str],
) -> str:
    """A Google-style docstring body (without the quotes), indented for a method."""
    pad = " " * 8

    def wrap(text: str, indent: str, hang: str = "    ") -> list[str]:
        return textwrap.wrap(
            text,
            _WIDTH,
            initial_indent=indent,
            subsequent_indent=indent + hang,
            break_long_words=False,
            break_on_hyphens=False,
        )

    out = list(lines)
    if args:
        out += ["", "Args:"]
        for a in args:
            out += wrap(f"{a.name} ({a.annotation}): {a.text}", "    ")
    out += ["", "Returns:"]
    out += wrap(f"{returns_entry[0]}: {returns_entry[1]}", "    ")
    out += ["", "Raises:"]
    for name, text in raises_entries:
        out += wrap(f"{name}: {text}", "    ")
    if notes:
        out += ["", "Note:"]
        for n in notes:
            out += wrap(n, "    ", "")
    text = "\n".join((pad + line) if line else "" for line in out)
    return text.lstrip() + "\n" + pad
