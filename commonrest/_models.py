"""Base classes for API models.

Models are lenient on the way in (a server that adds a field, leaves one out, sends
``null``, a longer string or a new enum value must not break a client) and validated on the
way out: every request body is checked against a :class:`RequestModel` (the schema as the
spec writes it) before anything is sent.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, ClassVar, TypeAlias, TypeVar, Union

import pydantic
from pydantic import ConfigDict
from typing_extensions import Self

from ._lazy import publish
from ._lenient import validate_leniently
from ._repr_masks import REPR_KEYS, REPR_MASKS

__all__ = [
    "WIRE",
    "Int64",
    "Model",
    "NullableRequestModel",
    "OpenEnum",
    "RequestModel",
    "Secret",
    "StrEnum",
]

_E = TypeVar("_E", bound=enum.Enum)

#: A field typed ``OpenEnum[Status]`` accepts every member of ``Status`` and keeps any
#: other string as a plain ``str``, so a value the vendor adds later still parses.
# ``Union`` rather than ``_E | str``: subscripting a ``types.UnionType`` that holds a TypeVar
# (``OpenEnum[Status]``) is not reliable on Python 3.10.
OpenEnum: TypeAlias = Annotated[Union[_E, str], pydantic.Field(union_mode="left_to_right")]  # noqa: UP007


#: Serialisation context of a request body on its way to the server: secrets are written
#: out as given. Everywhere else (``to_json``, ``model_dump_json``) they stay masked.
WIRE: dict[str, Any] = {"commonrest.wire": True}


#: What a secret looks like in ``to_dict()``, ``to_json()`` and ``str()``.
SECRET_MASK = str(pydantic.SecretStr("x" * 10))


def _secret_json(value: pydantic.SecretStr, info: pydantic.SerializationInfo) -> str:
    context = info.context
    if context is not None and context.get("commonrest.wire"):
        given = value.get_secret_value()
        if given == SECRET_MASK:
            # a body rebuilt from to_dict()/to_json() of a model: sending it would store
            # the asterisks in place of the secret
            raise ValueError("masked secret")
        return given
    return str(value)


#: A secret field (``format: password``): masked in ``repr``, ``str`` and JSON dumps, sent
#: to the server exactly as given.
Secret: TypeAlias = Annotated[
    pydantic.SecretStr,
    pydantic.PlainSerializer(_secret_json, return_type=str, when_used="json"),
]


def _kept_if_inexact(value: Any, handler: pydantic.ValidatorFunctionWrapHandler) -> Any:
    # Lax mode would turn True into 1 and 10.0 into 10, and a float with a fraction
    # fails with pydantic's own error: kept as given instead, the value reaches the strict
    # request check, which refuses it before sending (with an SDK error naming the field);
    # in a response it is kept, as every unexpected value is.
    if isinstance(value, (bool, float, Decimal)):
        return value
    return handler(value)


#: A 64-bit integer field of a lenient model (Adyen's minor-unit ``value``): an ``int``
#: like any other, except that a ``bool``, ``float`` or ``Decimal`` is kept as given, not
#: converted, so that a request carrying one is refused rather than sent as ``1``.
#: It is written out as it is held (an int serialiser would also turn ``True`` into ``1``).
Int64: TypeAlias = Annotated[
    int,
    pydantic.WrapValidator(_kept_if_inexact),
    pydantic.PlainSerializer(lambda value: value, return_type=Any),
]


def _masked(value: Any, sensitive: bool) -> Any:
    """What ``repr()`` shows of a value: card numbers and IBANs masked to their last four;
    a sensitive field's other values replaced whole."""
    from ._redaction import REDACTED, mask_card_numbers, mask_ibans

    text = value if isinstance(value, str) else str(value)
    masked = mask_ibans(mask_card_numbers(text))
    if masked != text:
        return masked
    if sensitive:
        return REDACTED
    return value


def _masked_inside(value: Any, keys: frozenset[str]) -> Any:
    """What ``repr()`` shows of a dict or list value (``additionalData``, a field the
    server added): every card number and IBAN in it masked, and the values under the
    vendor's sensitive ``keys`` replaced, at any depth."""
    from ._redaction import _scrub_value

    return _scrub_value(value, None, keys)


def _fields_named(cls: type[pydantic.BaseModel], keys: frozenset[str]) -> frozenset[str]:
    """The Python names of ``cls``'s fields whose wire names are among ``keys``."""
    return frozenset(n for n, f in cls.model_fields.items() if (f.alias or n) in keys)


class StrEnum(str, enum.Enum):
    """String enum whose ``str()`` is its wire value (like :class:`enum.StrEnum`, 3.10-safe)."""

    def __str__(self) -> str:
        return str(self.value)


class Model(pydantic.BaseModel):
    """Base of every vendor model.

    - unknown fields from the server are kept (``model_extra``) and sent back on re-serialise;
    - fields are addressed by their Python (snake_case) name or their wire alias;
    - booleans sent as the strings ``"true"``/``"false"`` parse as booleans (pydantic's lax
      mode), which some vendors do on versioned endpoints;
    - ``repr()`` lists only the fields that were set (and unknown ones kept).
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        use_enum_values=False,
        arbitrary_types_allowed=False,
        # Build validators on first use: a vendor's models module defines hundreds of
        # classes and an application touches a few of them.
        defer_build=True,
    )

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # Only what the server sent or the caller gave: a model with dozens of optional
        # fields stays readable in a notebook or a log line.
        given = self.model_fields_set
        cls = type(self)
        masks = REPR_MASKS.get((cls.__module__, cls.__qualname__)) if REPR_MASKS else None
        # The vendor's sensitive member names (card and bank data), by wire name: a field
        # of such a name is masked whole, and so are such members inside dict fields.
        keys = REPR_KEYS.get(cls.__module__.partition(".")[0], frozenset())
        sensitive = _fields_named(cls, keys) if keys else frozenset()
        for name, value in super().__repr_args__():
            if name is None or name in given or (self.model_extra and name in self.model_extra):
                if masks and name in masks and value is not None:
                    value = masks[name](value)
                elif isinstance(value, str) or (name in sensitive and value is not None):
                    value = _masked(value, name in sensitive)
                elif isinstance(value, (dict, list)):
                    value = _masked_inside(value, keys)
                yield name, value

    def to_dict(self, *, by_alias: bool = True, exclude_unset: bool = True) -> dict[str, Any]:
        """The model as JSON-compatible Python data, with wire names by default.

        Only fields that were set (given by the caller or present in the response) are
        included unless ``exclude_unset=False``.
        """
        # warnings off: a value of an unexpected type kept from a response is written as is
        return self.model_dump(
            mode="json", by_alias=by_alias, exclude_unset=exclude_unset, warnings=False
        )

    def to_json(self, *, indent: int | None = None, exclude_unset: bool = True) -> str:
        """The model serialised as a JSON string with wire names."""
        return self.model_dump_json(
            indent=indent, by_alias=True, exclude_unset=exclude_unset, warnings=False
        )

    @classmethod
    def from_json(cls, data: str | bytes) -> Self:
        """Parse JSON text as a client reads a response: straight into the model, and when
        a value has an unexpected type, kept raw on its field (see :mod:`.lenient`)."""
        try:
            return cls.model_validate_json(data)
        except pydantic.ValidationError as exc:
            raw = data.encode() if isinstance(data, str) else data
            result: Self = validate_leniently(cls.model_validate, raw, exc)
            return result


class RequestModel(Model):
    """Base of the strict request-validation classes (``_generated/<spec>/_requests.py``).

    Strict types (no string for a number, no boolean for an integer, no number for a
    string), the spec's lengths, patterns and ranges, 64- and 32-bit integer ranges from
    ``format``.
    """

    model_config = ConfigDict(strict=True)


class NullableRequestModel(RequestModel):
    """A request class with fields the spec requires but allows ``null`` for: the caller
    may leave them out, and they are then sent as ``null``. (A separate base, so that only
    these classes pay for a hook on every instance.)"""

    #: Python names of those fields (a class lists its own; inherited lists count too).
    __nullable_required__: ClassVar[tuple[str, ...]] = ()

    def model_post_init(self, context: Any, /) -> None:
        given = self.__pydantic_fields_set__
        for cls in type(self).__mro__:
            # counted as given, so ``exclude_unset`` dumps write them out as null
            given.update(cls.__dict__.get("__nullable_required__", ()))


publish(__name__, globals())
