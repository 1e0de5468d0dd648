"""Small ForgeRock conventions a client needs: secret ids (durations live in ``durations``).

A secret id names a secret held by the platform's secrets service. It is one or more
groups of ASCII letters and digits joined by single dots: ``storage.signing.key`` and
``am2`` are valid; ``.key``, ``a..b``, ``a-b`` and ``key.`` are not.
"""

from __future__ import annotations

import re
from typing import Annotated, Final, TypeAlias

import pydantic

from ._errors import InvalidArgumentError

__all__ = ["SECRET_ID_PATTERN", "SecretId", "is_valid_secret_id", "validate_secret_id"]

#: The pattern a secret id must match in full.
SECRET_ID_PATTERN: Final = re.compile(r"[a-zA-Z0-9]+(?:\.[a-zA-Z0-9]+)*")


def is_valid_secret_id(value: object) -> bool:
    """True when ``value`` is a string that is a valid secret id."""
    return isinstance(value, str) and SECRET_ID_PATTERN.fullmatch(value) is not None


def validate_secret_id(value: object, *, name: str = "secret_id") -> str:
    """Return ``value`` if it is a valid secret id, else raise ``ValueError``.

    ``name`` is the parameter name used in the message.
    """
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, got {type(value).__name__}")
    if SECRET_ID_PATTERN.fullmatch(value) is None:
        raise InvalidArgumentError(
            f"{name} {value!r} is not a valid secret id: expected ASCII letters and digits "
            "in one or more groups separated by single dots (for example 'crypto.signing.key')"
        )
    return value


def _validate(value: str) -> str:
    return validate_secret_id(value)


#: A ``str`` field type for pydantic models that only accepts valid secret ids.
SecretId: TypeAlias = Annotated[str, pydantic.AfterValidator(_validate)]
