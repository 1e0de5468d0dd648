"""Common REST patch: a typed builder for the operations and a reference applier.

Build the JSON array a ``PATCH`` request carries::

    patch = (
        Patch()
        .add("/fruits/-", "pineapple")
        .increment("/user/payment", 1000)
        .move(from_="/surname", to="/lastName")
    )
    patch.to_json()
    # [{"operation": "add", "field": "/fruits/-", "value": "pineapple"}, ...]

:func:`apply_patch` applies operations to a JSON document the way a Common REST server
does; the in-memory test server uses it. Arrays have *list* semantics (ordered,
duplicates allowed) unless their field is named in ``set_fields``, which gives them *set*
semantics (unordered, no duplicates).

How each operation behaves in :func:`apply_patch`:

``add``
    Missing parent objects are created. ``/list/-`` appends one element (an array value
    becomes one nested element); ``/list/3`` inserts at that index. Adding to an existing
    array field without an index appends the value (or every element of an array value) to
    a list, and merges it into a set. After any add to a set the set holds no duplicates
    (ones it held before are dropped too). Any other target is replaced.
``remove``
    ``/list/2`` deletes that element. With a value, the matching elements are taken out of
    an array (every element of an array value), or a single-valued field equal to the value
    is removed. Without a value, the field is removed. A missing field is left alone.
``replace``
    ``/list/1`` replaces that element; otherwise the field is set to the value, and a
    ``null`` value removes it.
``increment``
    Adds a number (a numeric string is accepted too) to a number field (or to one
    indexed array element that is a number). The field must exist; an array field is
    refused, as the increment is a single number.
``copy`` / ``move``
    Read the value at ``from`` (``move`` then removes it) and ``add`` it at ``field``.
    A ``move`` into a place inside the value being moved (``/a`` to ``/a/b``) is refused.
``transform``
    Handed to the ``transform`` callback (the current value and the transform spec give
    the new value); without one the operation is refused as not supported.
"""

from __future__ import annotations

import copy as _copy
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

from .._sentinels import NOT_GIVEN, NotGiven, is_given
from ._errors import InvalidArgumentError
from ._pointers import APPEND, JsonPointer, PointerLike, is_index

__all__ = [
    "OPERATIONS",
    "Patch",
    "PatchError",
    "PatchOperation",
    "PatchOperationName",
    "Transformer",
    "apply_patch",
]

PatchOperationName: TypeAlias = Literal[
    "add", "copy", "increment", "move", "remove", "replace", "transform"
]

#: Every patch operation name.
OPERATIONS: Final[frozenset[str]] = frozenset(
    {"add", "copy", "increment", "move", "remove", "replace", "transform"}
)

#: Server-side transform hook: ``(current value or None, transform spec) -> new value``.
Transformer: TypeAlias = Callable[[Any, Any], Any]

_Number: TypeAlias = int | float


class PatchError(InvalidArgumentError):
    """A patch cannot be applied. ``status`` is the HTTP status a server would answer."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _pointer(value: PointerLike, name: str) -> JsonPointer:
    try:
        pointer = JsonPointer.parse(value)
    except ValueError as exc:
        raise InvalidArgumentError(f"{name}: {exc}") from None
    if not pointer.tokens:
        raise InvalidArgumentError(f"{name} must name a field, got the whole resource ({value!r})")
    return pointer


# A JSON number written as a string, as the reference's own increment example sends it.
_NUMERIC_STRING = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _check_increment(value: object, name: str) -> _Number | str:
    """An increment amount: a finite number, or a numeric string (kept as given, for the
    wire). Anything else (other strings, booleans, nan, infinities) is refused."""
    if isinstance(value, str):
        if not _NUMERIC_STRING.fullmatch(value):
            raise InvalidArgumentError(
                f"{name} must be a number or a numeric string such as '1000', got {value!r}"
            )
        if not math.isfinite(float(value)):  # "1e999"
            raise InvalidArgumentError(f"{name} must be a finite number, got {value!r}")
        return value
    return _check_number(value, name)


def _check_number(value: object, name: str) -> _Number:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentError(
            f"{name} must be a number, got {type(value).__name__} ({value!r})"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be a finite number, got {value!r}")
    return value


@dataclass(frozen=True)
class PatchOperation:
    """One patch operation: ``operation`` on ``field``, with ``value`` and/or ``from_``."""

    operation: PatchOperationName
    field: JsonPointer
    value: Any = NOT_GIVEN
    from_: JsonPointer | None = None

    def __post_init__(self) -> None:
        if self.operation not in OPERATIONS:
            raise InvalidArgumentError(
                f"operation must be one of {', '.join(sorted(OPERATIONS))}, got {self.operation!r}"
            )
        object.__setattr__(self, "field", _pointer(self.field, "field"))
        if self.from_ is not None:
            object.__setattr__(self, "from_", _pointer(self.from_, "from"))
        if self.operation in ("copy", "move"):
            if self.from_ is None:
                raise InvalidArgumentError(f"a {self.operation} operation needs 'from'")
            if is_given(self.value):
                raise InvalidArgumentError(f"a {self.operation} operation takes no value")
        elif self.from_ is not None:
            raise InvalidArgumentError(
                f"'from' is only allowed with copy and move, not {self.operation}"
            )
        if self.operation in ("add", "replace", "increment", "transform") and not is_given(
            self.value
        ):
            raise InvalidArgumentError(f"a {self.operation} operation needs a value")

    def to_json(self) -> dict[str, Any]:
        """The operation as it goes on the wire."""
        out: dict[str, Any] = {"operation": self.operation, "field": str(self.field)}
        if self.from_ is not None:
            out["from"] = str(self.from_)
        if is_given(self.value):
            out["value"] = self.value
        return out

    @classmethod
    def from_json(cls, data: object) -> PatchOperation:
        """Read one operation from its JSON form (``ValueError`` when malformed)."""
        if not isinstance(data, Mapping):
            raise InvalidArgumentError(f"a patch operation must be a JSON object, got {data!r}")
        unknown = set(data) - {"operation", "field", "value", "from"}
        if unknown:
            raise InvalidArgumentError(
                f"unknown patch operation member(s): {', '.join(sorted(unknown))}"
            )
        operation = data.get("operation")
        fld = data.get("field")
        frm = data.get("from")
        if not isinstance(operation, str):
            raise InvalidArgumentError(f"patch 'operation' must be a string, got {operation!r}")
        if not isinstance(fld, str):
            raise InvalidArgumentError(f"patch 'field' must be a string, got {fld!r}")
        if frm is not None and not isinstance(frm, str):
            raise InvalidArgumentError(f"patch 'from' must be a string, got {frm!r}")
        value = data.get("value", NOT_GIVEN)
        return cls(
            operation.lower(),  # type: ignore[arg-type]  # checked in __post_init__
            JsonPointer.parse(fld),
            value,
            JsonPointer.parse(frm) if frm is not None else None,
        )


class Patch:
    """An immutable list of patch operations; each method returns a longer patch."""

    __slots__ = ("_ops",)

    def __init__(self, operations: Iterable[PatchOperation] = ()) -> None:
        ops = tuple(operations)
        for op in ops:
            if not isinstance(op, PatchOperation):
                raise InvalidArgumentError(f"expected PatchOperation, got {type(op).__name__}")
        self._ops = ops

    @classmethod
    def from_json(cls, data: object) -> Patch:
        """Read a patch from its JSON array form."""
        if not isinstance(data, Sequence) or isinstance(data, (str, bytes)):
            raise InvalidArgumentError(f"a patch must be a JSON array of operations, got {data!r}")
        return cls(PatchOperation.from_json(item) for item in data)

    @property
    def operations(self) -> tuple[PatchOperation, ...]:
        """The operations, in the order they apply."""
        return self._ops

    def _with(self, op: PatchOperation) -> Patch:
        return Patch((*self._ops, op))

    def add(self, field: PointerLike, value: Any) -> Patch:
        """Make ``field`` contain ``value`` (``/list/-`` appends one element)."""
        return self._with(PatchOperation("add", JsonPointer.parse(field), value))

    def remove(self, field: PointerLike, value: Any | NotGiven = NOT_GIVEN) -> Patch:
        """Remove the field, one indexed element, or (with ``value``) matching values."""
        return self._with(PatchOperation("remove", JsonPointer.parse(field), value))

    def replace(self, field: PointerLike, value: Any) -> Patch:
        """Replace whatever ``field`` holds with ``value``."""
        return self._with(PatchOperation("replace", JsonPointer.parse(field), value))

    def increment(self, field: PointerLike, by: int | float | str) -> Patch:
        """Add ``by`` (may be negative) to a number field. A numeric string (``"1000"``,
        ``"-2.5"``) is sent as given, as the reference does; other strings, booleans,
        ``nan`` and infinities are refused."""
        return self._with(
            PatchOperation("increment", JsonPointer.parse(field), _check_increment(by, "by"))
        )

    def copy(self, *, from_: PointerLike, to: PointerLike) -> Patch:
        """Add the value found at ``from_`` to ``to``."""
        return self._with(
            PatchOperation("copy", JsonPointer.parse(to), from_=_pointer(from_, "from_"))
        )

    def move(self, *, from_: PointerLike, to: PointerLike) -> Patch:
        """Remove the value at ``from_`` and add it to ``to``."""
        return self._with(
            PatchOperation("move", JsonPointer.parse(to), from_=_pointer(from_, "from_"))
        )

    def transform(self, field: PointerLike, spec: Any) -> Patch:
        """Ask the server to compute a field's new value (``spec`` is server-specific)."""
        return self._with(PatchOperation("transform", JsonPointer.parse(field), spec))

    def __add__(self, other: Patch) -> Patch:
        if not isinstance(other, Patch):
            return NotImplemented
        return Patch((*self._ops, *other._ops))

    def to_json(self) -> list[dict[str, Any]]:
        """The JSON array sent as the body of a ``PATCH`` request."""
        return [op.to_json() for op in self._ops]

    def __iter__(self) -> Iterator[PatchOperation]:
        return iter(self._ops)

    def __len__(self) -> int:
        return len(self._ops)

    def __bool__(self) -> bool:
        return bool(self._ops)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Patch):
            return NotImplemented
        return self._ops == other._ops

    def __hash__(self) -> int:
        return hash(self._ops)

    def __repr__(self) -> str:
        return f"Patch({self.to_json()!r})"


# --------------------------------------------------------------------- application


def _json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: ``true`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(type(a) is type(b) or (_is_number(a) and _is_number(b))) and a == b


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _contains(items: list[Any], value: Any) -> bool:
    return any(_json_equal(item, value) for item in items)


def _dedupe(items: list[Any]) -> None:
    """Drop repeated elements in place, keeping the first of each."""
    kept: list[Any] = []
    for item in items:
        if not _contains(kept, item):
            kept.append(item)
    items[:] = kept


class _Applier:
    def __init__(
        self, document: dict[str, Any], set_fields: frozenset[JsonPointer], transform: Any
    ) -> None:
        self.doc = document
        self.set_fields = set_fields
        self.transform_fn: Transformer | None = transform

    def is_set(self, pointer: JsonPointer) -> bool:
        return pointer in self.set_fields

    def container(self, pointer: JsonPointer, *, create: bool) -> Any:
        """The object or array holding ``pointer``'s last token."""
        current: Any = self.doc
        tokens = pointer.tokens
        for i, token in enumerate(tokens[:-1]):
            nxt = tokens[i + 1]
            if isinstance(current, dict):
                if token not in current or current[token] is None:
                    if not create:
                        raise PatchError(f"field {str(pointer)!r}: {token!r} does not exist")
                    current[token] = [] if nxt == APPEND or is_index(nxt) else {}
                current = current[token]
            elif isinstance(current, list):
                if not is_index(token) or int(token) >= len(current):
                    raise PatchError(f"field {str(pointer)!r}: no array element {token!r}")
                current = current[int(token)]
            else:
                raise PatchError(
                    f"field {str(pointer)!r}: {token!r} is inside a value that is neither "
                    "an object nor an array"
                )
        if not isinstance(current, (dict, list)):
            raise PatchError(
                f"field {str(pointer)!r}: the parent is neither an object nor an array"
            )
        return current

    def read(self, pointer: JsonPointer) -> Any:
        found, value = pointer.resolve(self.doc)
        if not found:
            raise PatchError(f"field {str(pointer)!r} does not exist")
        return value

    def add(self, pointer: JsonPointer, value: Any) -> None:
        parent = self.container(pointer, create=True)
        last = pointer.tokens[-1]
        if isinstance(parent, list):
            if self.is_set(pointer.parent):
                # A set has no positions: the element joins it, and repeats are dropped.
                parent.append(value)
                _dedupe(parent)
            elif last == APPEND:
                parent.append(value)
            elif is_index(last) and int(last) <= len(parent):
                parent.insert(int(last), value)
            else:
                raise PatchError(
                    f"field {str(pointer)!r}: {last!r} is not a valid position in an array "
                    f"of {len(parent)} element(s)"
                )
            return
        existing = parent.get(last)
        if isinstance(existing, list):
            existing.extend(value if isinstance(value, list) else [value])
            if self.is_set(pointer):
                _dedupe(existing)
            return
        if isinstance(value, list) and self.is_set(pointer):
            value = list(value)
            _dedupe(value)
        parent[last] = value

    def remove(self, pointer: JsonPointer, value: Any) -> None:
        try:
            parent = self.container(pointer, create=False)
        except PatchError:
            return  # nothing there to remove
        last = pointer.tokens[-1]
        if isinstance(parent, list):
            if not is_index(last) or int(last) >= len(parent):
                raise PatchError(
                    f"field {str(pointer)!r}: {last!r} is not an element of an array of "
                    f"{len(parent)} element(s)"
                )
            del parent[int(last)]
            return
        if last not in parent:
            return
        if not is_given(value) or value is None:
            del parent[last]
            return
        current = parent[last]
        if isinstance(current, list):
            doomed = value if isinstance(value, list) else [value]
            current[:] = [item for item in current if not _contains(doomed, item)]
        elif _json_equal(current, value):
            del parent[last]

    def replace(self, pointer: JsonPointer, value: Any) -> None:
        parent = self.container(pointer, create=value is not None)
        last = pointer.tokens[-1]
        if isinstance(parent, list):
            if not is_index(last) or int(last) >= len(parent):
                raise PatchError(
                    f"field {str(pointer)!r}: {last!r} is not an element of an array of "
                    f"{len(parent)} element(s)"
                )
            parent[int(last)] = value
        elif value is None:
            parent.pop(last, None)
        else:
            parent[last] = value

    def increment(self, pointer: JsonPointer, amount: Any) -> None:
        if isinstance(amount, str):
            if not _NUMERIC_STRING.fullmatch(amount):
                raise PatchError(
                    f"increment of {str(pointer)!r}: the value must be a number, got {amount!r}"
                )
            amount = float(amount) if any(c in amount for c in ".eE") else int(amount)
        if not _is_number(amount) or (isinstance(amount, float) and not math.isfinite(amount)):
            raise PatchError(
                f"increment of {str(pointer)!r}: the value must be a number, got {amount!r}"
            )
        parent = self.container(pointer, create=False)
        last = pointer.tokens[-1]
        if isinstance(parent, list):
            if not is_index(last) or int(last) >= len(parent):
                raise PatchError(f"increment: field {str(pointer)!r} does not exist")
            key: Any = int(last)
        else:
            if last not in parent or parent[last] is None:
                raise PatchError(f"increment: field {str(pointer)!r} does not exist")
            key = last
        current = parent[key]
        if isinstance(current, list):
            raise PatchError(
                f"increment: field {str(pointer)!r} is an array; an increment applies to "
                "a single number"
            )
        if _is_number(current):
            parent[key] = current + amount
        else:
            raise PatchError(f"increment: field {str(pointer)!r} is not a number ({current!r})")

    def apply(self, op: PatchOperation) -> None:
        if op.operation == "add":
            self.add(op.field, op.value)
        elif op.operation == "remove":
            self.remove(op.field, op.value)
        elif op.operation == "replace":
            self.replace(op.field, op.value)
        elif op.operation == "increment":
            self.increment(op.field, op.value)
        elif op.operation in ("copy", "move"):
            assert op.from_ is not None
            source, target = op.from_.tokens, op.field.tokens
            if op.operation == "move" and target[: len(source)] == source and target != source:
                raise PatchError(
                    f"move from {str(op.from_)!r} to {str(op.field)!r}: a value cannot be "
                    "moved inside itself"
                )
            value = _copy.deepcopy(self.read(op.from_))
            if op.operation == "move":
                self.remove(op.from_, NOT_GIVEN)
            self.add(op.field, value)
        else:  # transform
            if self.transform_fn is None:
                raise PatchError("the transform patch operation is not supported", status=501)
            found, current = op.field.resolve(self.doc)
            self.replace(op.field, self.transform_fn(current if found else None, op.value))


def apply_patch(
    document: Mapping[str, Any],
    operations: Patch | Iterable[PatchOperation | Mapping[str, Any]],
    *,
    set_fields: Collection[PointerLike] = (),
    transform: Transformer | None = None,
) -> dict[str, Any]:
    """Apply patch operations to a copy of ``document`` and return the copy.

    ``operations`` may be a :class:`Patch` or its JSON form. Operations apply in order and
    all-or-nothing: on error :class:`PatchError` is raised and nothing is returned.
    """
    if isinstance(operations, Patch):
        ops = operations.operations
    else:
        ops = tuple(
            op if isinstance(op, PatchOperation) else PatchOperation.from_json(op)
            for op in operations
        )
    result = _copy.deepcopy(dict(document))
    applier = _Applier(result, frozenset(JsonPointer.parse(p) for p in set_fields), transform)
    for op in ops:
        applier.apply(op)
    return result
