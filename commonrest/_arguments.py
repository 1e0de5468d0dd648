"""Checking a call's path, query and header arguments against what the spec declares.

Each generated operation carries a compact declaration of its parameters
(:class:`Parameter`: Python name, wire name, location, type, format, bounds, enum values).
:class:`ArgumentChecks` turns those into one small test per parameter, once per operation,
and runs them on every call before anything is built or sent. A refused argument raises
:class:`~commonrest.InvalidArgumentError` naming the parameter (its Python name and,
when it differs, its wire name), the value given and what was expected.

The rules, where the spec declares a type:

- ``integer``: an ``int`` (or anything with ``__index__``), never a ``bool``; within the
  bounds of its ``int32``/``int64`` format and of ``minimum``/``maximum`` (inclusive or
  exclusive);
- ``number``: an ``int``, ``float`` or ``Decimal``, never a ``bool``, finite (``nan`` and
  ``inf`` mean nothing to an API), within its bounds;
- ``boolean``: ``True`` or ``False`` only;
- ``string``: a ``str`` (or a member of a ``str`` enum; a ``datetime``/``date`` for those
  formats, a ``UUID`` for ``uuid``), within ``minLength``/``maxLength``, matching
  ``pattern``. An ``int`` is refused, not converted: the signature says ``str``, and a
  rule that took ints would have to take floats and bools too, whose text is not what
  anyone meant;
- ``enum`` (and ``const``): one of the listed values (an enum member counts as its value);
- ``array``: a list, tuple or set whose every item passes the item's rules.

``None`` for an optional parameter leaves it out of the request (as ``NOT_GIVEN`` does);
for a required one it is refused unless the spec allows ``null``. A path value must also
be a usable segment (not ``""``, ``.`` or ``..``), and a header value printable ASCII. The
value of a secret parameter (a header credential) is never shown in a message.
"""

from __future__ import annotations

import enum
import math
import operator
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._calls import Number, Parameter
from ._errors import InvalidArgumentError
from ._headers import header_value_problem
from ._redaction import mask_card_numbers
from ._sentinels import NOT_GIVEN

if TYPE_CHECKING:
    from ._calls import Call, OperationInfo

__all__ = ["ArgumentChecks", "Parameter"]


_INT_FORMATS: dict[str, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
_ARRAYS = (list, tuple, set, frozenset)
_MAX_SHOWN_VALUES = 10
_MAX_SHOWN_REPR = 80


# ------------------------------------------------------------------------- value tests

#: A test of one value: ``True`` when it is acceptable.
Test = Callable[[Any], bool]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _as_int(value: Any) -> int | None:
    if value.__class__ is int:
        return value
    value = _plain(value)
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _as_number(value: Any) -> Number | Decimal | None:
    cls = value.__class__
    if cls is float:
        return value if math.isfinite(value) else None
    if cls is int:
        return value  # type: ignore[no-any-return]
    value = _plain(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    try:
        return operator.index(value)  # numpy integers and the like
    except TypeError:
        pass
    if hasattr(value, "__float__") and not isinstance(value, (str, bytes)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if math.isfinite(number) else None
    return None


def _bounds_test(p: Parameter, lo: Any, hi: Any) -> Callable[[Any], bool] | None:
    """A test of a number against the declared bounds (``lo``/``hi`` inclusive, already
    narrowed by an integer format; the exclusive bounds come from ``p``)."""
    xlo, xhi = p.exclusive_minimum, p.exclusive_maximum
    if lo is None and hi is None and xlo is None and xhi is None:
        return None

    def test(n: Any) -> bool:
        return (
            (lo is None or n >= lo)
            and (hi is None or n <= hi)
            and (xlo is None or n > xlo)
            and (xhi is None or n < xhi)
        )

    return test


def _inclusive(p: Parameter) -> tuple[Any, Any]:
    """The inclusive bounds: ``minimum``/``maximum`` narrowed by an integer format."""
    lo, hi = p.minimum, p.maximum
    if p.type == "integer" and p.format in _INT_FORMATS:
        flo, fhi = _INT_FORMATS[p.format]
        lo = flo if lo is None else max(lo, flo)
        hi = fhi if hi is None else min(hi, fhi)
    return lo, hi


def _enum_test(values: tuple[Any, ...]) -> Test:
    allowed = frozenset(v for v in values if not isinstance(v, bool))
    bools = tuple(v for v in values if isinstance(v, bool))

    def test(value: Any) -> bool:
        value = _plain(value)
        if isinstance(value, bool):  # True == 1: a bool matches only a bool
            return value in bools
        try:
            return value in allowed
        except TypeError:  # unhashable
            return False

    return test


def _string_test(p: Parameter) -> Test:
    fmt = p.format
    kinds: tuple[type, ...] = (str,)
    if fmt == "date-time":
        kinds = (str, datetime)
    elif fmt == "date":
        kinds = (str, date)
    elif fmt == "uuid":
        kinds = (str, uuid.UUID)
    lo, hi = p.min_length, p.max_length
    pattern = re.compile(p.pattern) if p.pattern else None
    if lo is None and hi is None and pattern is None:

        def simple(value: Any) -> bool:
            return value.__class__ is str or isinstance(_plain(value), kinds)

        return simple

    def test(value: Any) -> bool:
        value = _plain(value)
        if not isinstance(value, kinds):
            return False
        if not isinstance(value, str):
            return True
        if lo is not None and len(value) < lo:
            return False
        if hi is not None and len(value) > hi:
            return False
        return pattern is None or pattern.search(value) is not None

    return test


def _value_test(p: Parameter) -> Test | None:
    """The test of one value against ``p``'s type, format, bounds and enum."""
    kind = p.type
    test: Test | None
    if kind == "integer":
        lo, hi = _inclusive(p)
        bounds = _bounds_test(p, lo, hi)

        def test(value: Any) -> bool:
            n = _as_int(value)
            return n is not None and (bounds is None or bounds(n))

    elif kind == "number":
        lo, hi = _inclusive(p)
        nbounds = _bounds_test(p, lo, hi)

        def test(value: Any) -> bool:
            n = _as_number(value)
            return n is not None and (nbounds is None or nbounds(n))

    elif kind == "boolean":

        def test(value: Any) -> bool:
            return value is True or value is False

    elif kind == "string":
        test = _string_test(p)
    elif kind == "array":
        item = _value_test(p.items) if p.items is not None else None

        def test(value: Any) -> bool:
            if not isinstance(value, _ARRAYS):
                return False
            return item is None or all(item(v) for v in value)

    else:
        test = None
    if p.enum is not None and kind != "array":
        member = _enum_test(p.enum)
        if test is None or (kind == "string" and all(isinstance(v, str) for v in p.enum)):
            return member  # only strings are members: the type needs no test of its own
        typed = test
        return lambda value: typed(value) and member(value)
    return test


# ------------------------------------------------------------------------- descriptions


def _range(p: Parameter) -> str:
    lo, hi = _inclusive(p)
    parts = []
    if lo is not None and hi is not None:
        parts.append(f"from {lo:g} to {hi:g}" if p.type == "number" else f"from {lo} to {hi}")
    elif lo is not None:
        parts.append(f">= {lo}")
    elif hi is not None:
        parts.append(f"<= {hi}")
    if p.exclusive_minimum is not None:
        parts.append(f"> {p.exclusive_minimum}")
    if p.exclusive_maximum is not None:
        parts.append(f"< {p.exclusive_maximum}")
    return " " + " and ".join(parts) if parts else ""


def _values(values: tuple[Any, ...]) -> str:
    shown = ", ".join(repr(v) for v in values[:_MAX_SHOWN_VALUES])
    more = len(values) - _MAX_SHOWN_VALUES
    return shown + (f", ... ({more} more)" if more > 0 else "")


def describe(p: Parameter) -> str:
    """What ``p`` accepts, in words (``"an integer from 1 to 100"``)."""
    kind = p.type
    if p.enum is not None and kind != "array":
        return f"one of {_values(p.enum)}"
    if kind == "integer":
        fmt = f" ({p.format})" if p.format in _INT_FORMATS else ""
        return f"an integer{fmt}{_range(p)}"
    if kind == "number":
        return f"a finite number{_range(p)}"
    if kind == "boolean":
        return "True or False"
    if kind == "string":
        text = {
            "date-time": "a datetime or an ISO 8601 date-time string",
            "date": "a date or an ISO 8601 date string",
            "uuid": "a UUID or its string",
        }.get(p.format or "", "a string")
        if p.min_length is not None and p.max_length is not None:
            text += f" of {p.min_length} to {p.max_length} characters"
        elif p.min_length is not None:
            text += f" of at least {p.min_length} characters"
        elif p.max_length is not None:
            text += f" of at most {p.max_length} characters"
        if p.pattern:
            text += f" matching {p.pattern!r}"
        return text
    if kind == "array":
        what = describe(p.items) if p.items is not None else "anything"
        return f"a list (or tuple or set) whose every item is {what}"
    return "a value"


def _shown(p: Parameter, value: Any) -> str:
    if p.secret:
        return f"a {type(value).__name__} (not shown)"
    text = mask_card_numbers(repr(value))
    if len(text) > _MAX_SHOWN_REPR:
        text = text[: _MAX_SHOWN_REPR - 3] + "..."
    return text


# ------------------------------------------------------------------------- per operation


class _Check:
    """One parameter's compiled test, and how to word its refusal."""

    __slots__ = ("param", "query", "test", "wire")

    def __init__(self, param: Parameter) -> None:
        self.param = param
        self.wire = param.wire_name
        self.test = _value_test(param)
        self.query = param.location == "query"

    def problem(self, value: Any) -> str | None:
        """``None`` when ``value`` is acceptable, else what was expected."""
        p = self.param
        if value is None:
            if p.nullable or not p.required:
                return None
            return describe(p) + " (it is required)"
        test = self.test
        if test is not None and not test(value):
            return describe(p)
        if p.location == "query":
            return None
        if p.location == "path":
            text = str(_plain(value))
            if text in ("", ".", ".."):
                return (
                    "a usable path segment (not empty, '.' or '..', which would change the "
                    "resource addressed)"
                )
        elif p.location == "header":
            text = str(_plain(value))
            problem = header_value_problem(text)
            if problem is not None:
                return f"printable ASCII text (the value contains {problem})"
        return None


class ArgumentChecks:
    """The compiled checks of one operation's parameters, run once per call."""

    __slots__ = ("_groups", "params")

    def __init__(self, params: Sequence[Parameter]) -> None:
        self.params = tuple(params)
        groups: dict[str, list[_Check]] = {"path": [], "query": [], "header": []}
        for p in self.params:
            groups[p.location].append(_Check(p))
        # the Call attribute each location's values are in
        attribute = {"path": "path", "query": "query", "header": "headers"}
        self._groups = tuple(
            (attribute[loc], tuple(checks)) for loc, checks in groups.items() if checks
        )

    @classmethod
    def of(cls, params: Sequence[Parameter]) -> ArgumentChecks | None:
        """The checks of ``params``; ``None`` when there are none."""
        return cls(params) if params else None

    def check(self, call: Call[Any], info: OperationInfo, owner: object = None) -> None:
        """Raise :class:`InvalidArgumentError` for the first refused argument of ``call``.

        ``owner`` (the resource the operation was called on) only words the message."""
        for attribute, checks in self._groups:
            values = getattr(call, attribute)
            if not values:
                continue
            for c in checks:
                value = values.get(c.wire, NOT_GIVEN)
                if value is NOT_GIVEN:
                    continue
                # the common case in one step: a query value that passes its test
                if c.query and value is not None and (c.test is None or c.test(value)):
                    continue
                problem = c.problem(value)
                if problem is not None:
                    raise _refusal(c.param, value, problem, info, owner)


def _refusal(
    p: Parameter, value: Any, expected: str, info: OperationInfo, owner: object
) -> InvalidArgumentError:
    kind = {"path": "path parameter", "query": "query parameter", "header": "header"}
    label = f"{p.name} ({kind[p.location]}"
    label += f" {p.wire_name!r})" if p.wire_name != p.name else ")"
    detail = ""
    if isinstance(value, bool) and p.type in ("integer", "number"):
        detail = " (a bool is not a number)"
    if p.type == "array" and p.items is not None and isinstance(value, _ARRAYS):
        item_test = _value_test(p.items)
        for i, item in enumerate(value):
            if item_test is not None and not item_test(item):
                detail = f" (item {i} is {_shown(p, item)})"
                break
    error = InvalidArgumentError(
        f"{label} must be {expected}, got {_shown(p, value)}{detail}",
        parameter=p.name,
        wire=p.wire_name,
        location=p.location,
    )
    # str(error) then ends with the call, as every error of a call does
    error._name_operation(info.python_name, info.operation_id)
    return error
