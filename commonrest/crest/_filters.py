"""Common REST query filters: a typed tree, a builder, a renderer, a parser and an evaluator.

Build filters from Python::

    from commonrest.crest._filters import field, true

    f = (field("/name").eq("Alice") & field("/age").gt(30)) | ~field("/manager").pr()
    f.render()         # '/name eq "Alice" and /age gt 30 or !(/manager pr)'
    to_query_param(f)  # the same, percent-encoded for a URL query string

or check a string someone wrote by parsing it into the same tree::

    parse('/name sw "A" and !(/disabled eq true)')

Operator precedence follows the Common REST grammar: ``!`` binds tightest, then ``and``,
then ``or``. Rendering adds only the parentheses needed to read back the very same tree
(:func:`parse` of :meth:`Filter.render` gives an equal tree), with one deliberate
exception: a ``!`` operand is always written in parentheses.

String values are written as JSON strings (RFC 7159 escaping: ``\\`` becomes ``\\\\``), so
a backslash in a value is ``%5C%5C`` once :func:`to_query_param` has URL-encoded the filter.

:func:`evaluate` runs a filter against a JSON document; the in-memory server uses it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeAlias
from urllib.parse import quote_plus

from ._errors import InvalidArgumentError
from ._pointers import JsonPointer, PointerLike

__all__ = [
    "STANDARD_OPERATORS",
    "And",
    "Comparison",
    "ExtendedMatcher",
    "FieldRef",
    "Filter",
    "FilterSyntaxError",
    "FilterValue",
    "Literal",
    "Not",
    "Or",
    "Presence",
    "all_of",
    "and_",
    "any_of",
    "as_filter",
    "compile_filter",
    "evaluate",
    "false",
    "field",
    "not_",
    "or_",
    "parse",
    "render",
    "to_query_param",
    "true",
]

#: A value on the right of a comparison: a JSON string, number or boolean.
FilterValue: TypeAlias = str | int | float | bool

#: The comparison operators every Common REST server understands.
STANDARD_OPERATORS: Final = frozenset({"eq", "co", "sw", "lt", "le", "gt", "ge"})

_RESERVED_WORDS: Final = frozenset({"and", "or", "pr", "true", "false"})
# The grammar lets an extended operator be any ASCII text without white space. Left out
# here: control characters, and the four characters the tokenizer reads as structure
# ("(" and ")" group, '"' and "'" open a string), which an operator could not survive in
# without making the filter ambiguous. So: "!", "#" to "&", and "*" to "~".
_EXTENDED_OPERATOR = re.compile(r"[!#-&*-~]+")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_MAX_DEPTH: Final = 100

#: Signature of a server-side extended operator: ``(field value, assertion) -> matches``.
ExtendedMatcher: TypeAlias = Callable[[Any, FilterValue], bool]


# --------------------------------------------------------------------------- tree


class Filter:
    """Base of every filter node. Combine with ``&`` (and), ``|`` (or) and ``~`` (not)."""

    __slots__ = ()

    def __and__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return and_(self, other)

    def __or__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return or_(self, other)

    def __invert__(self) -> Filter:
        return Not(self)

    def render(self) -> str:
        """The filter in Common REST string form (not yet URL-encoded)."""
        return _render(self)

    def to_query_param(self) -> str:
        """The rendered filter percent-encoded for a URL query string."""
        return to_query_param(self)

    def __str__(self) -> str:
        return self.render()


def _check_field_for_filter(pointer: JsonPointer) -> None:
    for token in pointer.tokens:
        if any(ch.isspace() or ch in "()" for ch in token):
            raise InvalidArgumentError(
                f"field {str(pointer)!r}: a query filter cannot name a field whose name "
                "contains white space or parentheses"
            )


def _check_value(value: object) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidArgumentError(f"filter value must be a finite number, got {value!r}")
        return
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidArgumentError(f"filter value {value!r} is not valid Unicode text") from exc
        return
    raise InvalidArgumentError(
        "filter value must be a string, a number or a boolean, "
        f"got {type(value).__name__} ({value!r})"
    )


def _check_operator(operator: object) -> str:
    if not isinstance(operator, str):
        raise InvalidArgumentError(f"operator must be a string, got {type(operator).__name__}")
    lowered = operator.lower()
    if lowered in STANDARD_OPERATORS:
        return lowered
    if lowered in _RESERVED_WORDS or not _EXTENDED_OPERATOR.fullmatch(operator):
        raise InvalidArgumentError(
            f"operator {operator!r} is neither a standard operator "
            f"({', '.join(sorted(STANDARD_OPERATORS))}) nor a valid extended operator "
            "(printable ASCII without white space, parentheses or quotes, and not one of "
            f"the words {', '.join(sorted(_RESERVED_WORDS))})"
        )
    return operator


@dataclass(frozen=True, repr=False, eq=False)
class Comparison(Filter):
    """``field operator value``: a standard (``eq``, ``co``...) or extended comparison."""

    field: JsonPointer
    operator: str
    value: FilterValue

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", JsonPointer.parse(self.field))
        _check_field_for_filter(self.field)
        object.__setattr__(self, "operator", _check_operator(self.operator))
        _check_value(self.value)

    @property
    def extended(self) -> bool:
        """True for an extended (server-defined) operator."""
        return self.operator not in STANDARD_OPERATORS

    def _key(self) -> tuple[JsonPointer, str, str, FilterValue]:
        # The value's type takes part: 1, 1.0 and true are different JSON values.
        return (self.field, self.operator, type(self.value).__name__, self.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Comparison):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Comparison({str(self.field)!r}, {self.operator!r}, {self.value!r})"


@dataclass(frozen=True, repr=False)
class Presence(Filter):
    """``field pr``: the field exists and is not null."""

    field: JsonPointer

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", JsonPointer.parse(self.field))
        _check_field_for_filter(self.field)

    def __repr__(self) -> str:
        return f"Presence({str(self.field)!r})"


@dataclass(frozen=True)
class Literal(Filter):
    """``true`` (matches everything) or ``false`` (matches nothing)."""

    value: bool

    def __post_init__(self) -> None:
        if not isinstance(self.value, bool):
            raise InvalidArgumentError(f"Literal value must be a bool, got {self.value!r}")


def _check_operands(kind: str, operands: tuple[Filter, ...]) -> None:
    if len(operands) < 2:
        raise InvalidArgumentError(f"{kind} needs at least two operands, got {len(operands)}")
    for op in operands:
        if not isinstance(op, Filter):
            raise InvalidArgumentError(f"{kind} operands must be filters, got {type(op).__name__}")


@dataclass(frozen=True)
class And(Filter):
    """All operands match. Build with ``a & b`` or :func:`and_`."""

    operands: tuple[Filter, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))
        _check_operands("And", self.operands)


@dataclass(frozen=True)
class Or(Filter):
    """At least one operand matches. Build with ``a | b`` or :func:`or_`."""

    operands: tuple[Filter, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))
        _check_operands("Or", self.operands)


@dataclass(frozen=True)
class Not(Filter):
    """The operand does not match. Build with ``~f`` or :func:`not_`."""

    operand: Filter

    def __post_init__(self) -> None:
        if not isinstance(self.operand, Filter):
            raise InvalidArgumentError(
                f"Not operand must be a filter, got {type(self.operand).__name__}"
            )


# ------------------------------------------------------------------------ builder


class FieldRef:
    """A field about to be compared: ``field("/age").ge(18)``."""

    __slots__ = ("pointer",)

    def __init__(self, pointer: PointerLike) -> None:
        self.pointer = JsonPointer.parse(pointer)
        _check_field_for_filter(self.pointer)

    def __repr__(self) -> str:
        return f"field({str(self.pointer)!r})"

    def eq(self, value: FilterValue) -> Comparison:
        """Equal to ``value``."""
        return Comparison(self.pointer, "eq", value)

    def co(self, value: FilterValue) -> Comparison:
        """Contains ``value`` (a substring, or an element of an array)."""
        return Comparison(self.pointer, "co", value)

    def sw(self, value: FilterValue) -> Comparison:
        """Starts with ``value``."""
        return Comparison(self.pointer, "sw", value)

    def lt(self, value: FilterValue) -> Comparison:
        """Less than ``value``."""
        return Comparison(self.pointer, "lt", value)

    def le(self, value: FilterValue) -> Comparison:
        """Less than or equal to ``value``."""
        return Comparison(self.pointer, "le", value)

    def gt(self, value: FilterValue) -> Comparison:
        """Greater than ``value``."""
        return Comparison(self.pointer, "gt", value)

    def ge(self, value: FilterValue) -> Comparison:
        """Greater than or equal to ``value``."""
        return Comparison(self.pointer, "ge", value)

    def pr(self) -> Presence:
        """Present and not null."""
        return Presence(self.pointer)

    def matches(self, operator: str, value: FilterValue) -> Comparison:
        """Compare with a named operator, typically a server's extended operator."""
        return Comparison(self.pointer, operator, value)

    # Friendlier aliases.
    contains = co
    starts_with = sw
    present = pr


def field(pointer: PointerLike) -> FieldRef:
    """Start a comparison on a field given as a JSON pointer (``"/name"`` or ``"name"``)."""
    return FieldRef(pointer)


def true() -> Literal:
    """The filter that matches every resource."""
    return Literal(True)


def false() -> Literal:
    """The filter that matches no resource."""
    return Literal(False)


def not_(operand: Filter) -> Not:
    """Negate a filter (same as ``~operand``)."""
    return Not(operand)


def _flatten(kind: type[And] | type[Or], filters: Iterable[Filter]) -> tuple[Filter, ...]:
    out: list[Filter] = []
    for f in filters:
        if not isinstance(f, Filter):
            raise InvalidArgumentError(f"expected a filter, got {type(f).__name__} ({f!r})")
        if isinstance(f, kind):
            out.extend(f.operands)
        else:
            out.append(f)
    return tuple(out)


def and_(first: Filter, second: Filter, *more: Filter) -> And:
    """All of two or more filters; nested ``And`` operands are merged into one."""
    return And(_flatten(And, (first, second, *more)))


def or_(first: Filter, second: Filter, *more: Filter) -> Or:
    """Any of two or more filters; nested ``Or`` operands are merged into one."""
    return Or(_flatten(Or, (first, second, *more)))


def all_of(filters: Iterable[Filter]) -> Filter:
    """All filters of a possibly short list: none gives ``true``, one gives itself."""
    items = _flatten(And, filters)
    if not items:
        return Literal(True)
    if len(items) == 1:
        return items[0]
    return And(items)


def any_of(filters: Iterable[Filter]) -> Filter:
    """Any filter of a possibly short list: none gives ``false``, one gives itself."""
    items = _flatten(Or, filters)
    if not items:
        return Literal(False)
    if len(items) == 1:
        return items[0]
    return Or(items)


def as_filter(value: Filter | str) -> Filter:
    """A filter as given, or parsed from its string form (raising on a syntax error)."""
    if isinstance(value, Filter):
        return value
    if isinstance(value, str):
        return parse(value)
    raise InvalidArgumentError(
        f"query filter must be a Filter or a string, got {type(value).__name__} ({value!r})"
    )


# ----------------------------------------------------------------------- rendering


def _render_value(value: FilterValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False)


def _render(node: Filter, depth: int = 0) -> str:
    if depth > _MAX_DEPTH:
        raise InvalidArgumentError(f"query filter is nested more than {_MAX_DEPTH} levels deep")
    if isinstance(node, Comparison):
        return f"{node.field} {node.operator} {_render_value(node.value)}"
    if isinstance(node, Presence):
        return f"{node.field} pr"
    if isinstance(node, Literal):
        return "true" if node.value else "false"
    if isinstance(node, Not):
        return f"!({_render(node.operand, depth + 1)})"
    if isinstance(node, And):
        parts = []
        for op in node.operands:
            text = _render(op, depth + 1)
            parts.append(f"({text})" if isinstance(op, (And, Or)) else text)
        return " and ".join(parts)
    if isinstance(node, Or):
        parts = []
        for op in node.operands:
            text = _render(op, depth + 1)
            parts.append(f"({text})" if isinstance(op, Or) else text)
        return " or ".join(parts)
    raise InvalidArgumentError(f"not a query filter node: {node!r}")


def render(node: Filter | str) -> str:
    """The Common REST string form of a filter; a string is parsed first, so it is checked."""
    return _render(as_filter(node))


def to_query_param(node: Filter | str) -> str:
    """A filter percent-encoded (UTF-8) for use as a URL query parameter value.

    Everything but ASCII letters, digits and ``-._~`` is percent-encoded, and a space
    becomes ``+`` (the form the reference's own example uses, ``_id+eq+'test%5C%5C'``, and
    the form httpx sends): ``"`` is ``%22``, ``(``/``)`` are ``%28``/``%29``, ``!`` is
    ``%21``, a literal ``+`` is ``%2B`` and a JSON-escaped backslash (``\\\\``) is
    ``%5C%5C``. The result is exactly what follows ``_queryFilter=`` in a request this
    package sends.
    """
    return quote_plus(render(node), safe="")


# ------------------------------------------------------------------------- parsing


class FilterSyntaxError(InvalidArgumentError):
    """A query filter string does not follow the grammar; ``position`` is 0-based."""

    def __init__(self, message: str, text: str, position: int) -> None:
        self.reason = message
        self.text = text
        self.position = position
        caret = " " * position + "^"
        super().__init__(
            f"invalid query filter at position {position}: {message}\n  {text}\n  {caret}"
        )


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "!", "string", "word"
    text: str  # raw text for words, decoded text for strings
    start: int
    end: int


_ESCAPES: Final = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "'": "'",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}


def _read_string(text: str, start: int) -> tuple[str, int]:
    quote_char = text[start]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == quote_char:
            return "".join(out), i + 1
        if ch == "\\":
            if i + 1 >= len(text):
                break
            esc = text[i + 1]
            if esc == "u":
                hexdigits = text[i + 2 : i + 6]
                if len(hexdigits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in hexdigits):
                    raise FilterSyntaxError("'\\u' must be followed by 4 hex digits", text, i)
                code = int(hexdigits, 16)
                i += 6
                # Join a UTF-16 surrogate pair written as two escapes.
                if 0xD800 <= code <= 0xDBFF and text[i : i + 2] == "\\u":
                    low_digits = text[i + 2 : i + 6]
                    if len(low_digits) == 4 and all(
                        c in "0123456789abcdefABCDEF" for c in low_digits
                    ):
                        low = int(low_digits, 16)
                        if 0xDC00 <= low <= 0xDFFF:
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                if 0xD800 <= code <= 0xDFFF:
                    raise FilterSyntaxError("unpaired UTF-16 surrogate escape", text, i - 6)
                out.append(chr(code))
                continue
            if esc not in _ESCAPES or (esc == "'" and quote_char != "'"):
                raise FilterSyntaxError(f"invalid escape sequence '\\{esc}'", text, i)
            out.append(_ESCAPES[esc])
            i += 2
            continue
        out.append(ch)
        i += 1
    raise FilterSyntaxError("unterminated string value", text, start)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()!":
            tokens.append(_Token(ch, ch, i, i + 1))
            i += 1
        elif ch in "\"'":
            value, end = _read_string(text, i)
            tokens.append(_Token("string", value, i, end))
            i = end
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in "()":
                i += 1
            tokens.append(_Token("word", text[start:i], start, i))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def error(self, message: str, token: _Token | None = None) -> FilterSyntaxError:
        position = token.start if token is not None else len(self.text)
        return FilterSyntaxError(message, self.text, position)

    def peek(self, offset: int = 0) -> _Token | None:
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def next(self) -> _Token | None:
        tok = self.peek()
        if tok is not None:
            self.pos += 1
        return tok

    def is_word(self, tok: _Token | None, *words: str) -> bool:
        return tok is not None and tok.kind == "word" and tok.text.lower() in words

    def parse(self) -> Filter:
        if not self.tokens:
            raise self.error("the filter is empty")
        result = self.parse_or(0)
        tok = self.peek()
        if tok is not None:
            if tok.kind == ")":
                raise self.error("')' without a matching '('", tok)
            raise self.error(f"expected 'and', 'or' or the end, got {tok.text!r}", tok)
        return result

    def check_depth(self, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise self.error(f"nested more than {_MAX_DEPTH} levels deep", self.peek())

    def parse_or(self, depth: int) -> Filter:
        self.check_depth(depth)
        operands = [self.parse_and(depth)]
        while self.is_word(self.peek(), "or"):
            self.next()
            operands.append(self.parse_and(depth))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self, depth: int) -> Filter:
        operands = [self.parse_not(depth)]
        while self.is_word(self.peek(), "and"):
            self.next()
            operands.append(self.parse_not(depth))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self, depth: int) -> Filter:
        tok = self.peek()
        if tok is not None and tok.kind == "!":
            self.next()
            return Not(self.parse_primary(depth + 1))
        return self.parse_primary(depth)

    def parse_primary(self, depth: int) -> Filter:
        self.check_depth(depth)
        tok = self.next()
        if tok is None:
            raise self.error("expected a filter expression, got the end of the filter")
        if tok.kind == "(":
            inner = self.parse_or(depth + 1)
            closing = self.next()
            if closing is None or closing.kind != ")":
                raise self.error("expected ')'", closing)
            return inner
        if tok.kind != "word":
            what = "a string value" if tok.kind == "string" else repr(tok.text)
            raise self.error(f"expected a field, '(', '!', 'true' or 'false', got {what}", tok)
        lowered = tok.text.lower()
        if lowered in ("true", "false"):
            following = self.peek()
            if following is None or following.kind == ")" or self.is_word(following, "and", "or"):
                return Literal(lowered == "true")
        if lowered in ("and", "or"):
            raise self.error(f"expected a filter expression before {tok.text!r}", tok)
        try:
            pointer = JsonPointer.parse(tok.text)
            _check_field_for_filter(pointer)
        except ValueError as exc:
            raise self.error(str(exc), tok) from None
        op = self.next()
        if op is None:
            raise self.error(f"expected an operator or 'pr' after the field {tok.text!r}")
        if op.kind not in ("word", "!"):
            raise self.error(f"expected an operator or 'pr' after the field {tok.text!r}", op)
        if op.kind == "word" and op.text.lower() == "pr":
            return Presence(pointer)
        try:
            operator = _check_operator(self.operator_text(op))
        except ValueError as exc:
            raise self.error(str(exc), op) from None
        value = self.parse_value()
        return Comparison(pointer, operator, value)

    def operator_text(self, first: _Token) -> str:
        """The whole operator starting at ``first``. An extended operator may start with
        ``!``, which the tokenizer splits off (``!=`` gives ``!`` then ``=``), so tokens
        that touch are joined again. Only here: elsewhere ``!`` is "not"."""
        text, end = first.text, first.end
        while (nxt := self.peek()) is not None and nxt.start == end and nxt.kind in ("word", "!"):
            self.next()
            text, end = text + nxt.text, nxt.end
        return text

    def parse_value(self) -> FilterValue:
        tok = self.next()
        if tok is None:
            raise self.error("expected a value (a quoted string, a number, true or false)")
        if tok.kind == "string":
            return tok.text
        if tok.kind != "word":
            raise self.error(
                f"expected a value (a quoted string, a number, true or false), got {tok.text!r}",
                tok,
            )
        lowered = tok.text.lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        match = _JSON_NUMBER.fullmatch(tok.text)
        if match is None:
            hint = " (strings must be quoted)" if tok.text[:1].isalpha() else ""
            raise self.error(
                f"expected a value (a quoted string, a number, true or false), "
                f"got {tok.text!r}{hint}",
                tok,
            )
        if match.group(1) is None and match.group(2) is None:
            return int(tok.text)
        number = float(tok.text)
        if not math.isfinite(number):
            raise self.error(f"number {tok.text!r} is out of range", tok)
        return number


def parse(text: str) -> Filter:
    """Parse the Common REST string form into a filter tree.

    Accepts what servers accept: keywords and operators in any case, strings in double
    or single quotes with JSON escapes, fields with or without a leading ``/``. Raises
    :class:`FilterSyntaxError` (an ``InvalidArgumentError``, so also a ``ValueError``)
    pointing at the first offending position.
    """
    if not isinstance(text, str):
        raise InvalidArgumentError(f"query filter must be a string, got {type(text).__name__}")
    return _Parser(text).parse()


# ---------------------------------------------------------------------- evaluation


def _values_at(pointer: JsonPointer, document: Any) -> list[Any]:
    found, value = pointer.resolve(document)
    if not found or value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None]
    return [value]


def _kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _compare(a: Any, b: Any, case_sensitive: bool) -> int:
    if isinstance(a, str) and isinstance(b, str) and not case_sensitive:
        a, b = a.casefold(), b.casefold()
    return int(a > b) - int(a < b)


def _match(op: str, actual: Any, expected: FilterValue, case_sensitive: bool) -> bool:
    kind = _kind(expected)
    if _kind(actual) != kind:
        return False
    if op in ("co", "sw") and isinstance(actual, str) and isinstance(expected, str):
        a, e = (actual, expected) if case_sensitive else (actual.casefold(), expected.casefold())
        return e in a if op == "co" else a.startswith(e)
    c = _compare(actual, expected, case_sensitive)
    if op in ("eq", "co", "sw"):
        return c == 0
    if op == "lt":
        return c < 0
    if op == "le":
        return c <= 0
    if op == "gt":
        return c > 0
    return c >= 0  # ge


def compile_filter(
    node: Filter | str,
    *,
    case_sensitive: bool = False,
    extended: Mapping[str, ExtendedMatcher] | None = None,
) -> Callable[[Any], bool]:
    """Turn a filter into a predicate over JSON documents, to test many documents fast.

    Same rules as :func:`evaluate`; an unknown extended operator raises ``ValueError``
    here, before any document is looked at.
    """
    tree = as_filter(node)
    ext = {k.lower(): v for k, v in (extended or {}).items()}

    def build(n: Filter) -> Callable[[Any], bool]:
        if isinstance(n, Literal):
            value = n.value
            return lambda doc: value
        if isinstance(n, And):
            parts = [build(op) for op in n.operands]
            return lambda doc: all(p(doc) for p in parts)
        if isinstance(n, Or):
            parts = [build(op) for op in n.operands]
            return lambda doc: any(p(doc) for p in parts)
        if isinstance(n, Not):
            inner = build(n.operand)
            return lambda doc: not inner(doc)
        if isinstance(n, Presence):
            pointer = n.field

            def present(doc: Any) -> bool:
                found, value = pointer.resolve(doc)
                return found and value is not None

            return present
        if isinstance(n, Comparison):
            pointer, operator, expected = n.field, n.operator, n.value
            if n.extended:
                matcher = ext.get(operator.lower())
                if matcher is None:
                    raise InvalidArgumentError(f"unsupported extended filter operator {operator!r}")
                ext_matcher = matcher
                return lambda doc: any(ext_matcher(v, expected) for v in _values_at(pointer, doc))
            return lambda doc: any(
                _match(operator, v, expected, case_sensitive) for v in _values_at(pointer, doc)
            )
        raise InvalidArgumentError(f"not a query filter node: {n!r}")

    return build(tree)


def evaluate(
    node: Filter | str,
    document: Any,
    *,
    case_sensitive: bool = False,
    extended: Mapping[str, ExtendedMatcher] | None = None,
) -> bool:
    """Does ``document`` (a JSON object) match the filter?

    - a comparison on an array field matches when any element matches;
    - values of different JSON types never match (``"1" eq 1`` is false);
    - string comparisons ignore case unless ``case_sensitive``; ``co`` is "contains" and
      ``sw`` "starts with" for strings, and plain equality for numbers and booleans;
    - ``pr`` matches a field that exists and is not null;
    - an extended operator is looked up (ignoring case) in ``extended``; an unknown one
      raises ``ValueError``.
    """
    return compile_filter(node, case_sensitive=case_sensitive, extended=extended)(document)
