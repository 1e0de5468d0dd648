"""Fields whose values ``repr()`` and ``str()`` of a model show masked.

Some fields hold secrets that no type can mark: an untyped connector configuration whose
secret properties only the connector's specification names. A vendor registers, by module
and class name, a masker per such field (before its models module is even imported, so
registering costs no import of pydantic); :class:`~commonrest.Model` applies it when it
shows the model. The value itself, ``to_dict()`` and what is sent are never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["REPR_KEYS", "REPR_MASKS", "mask_in_repr", "mask_keys_in_repr"]

#: (module, class name) -> field name -> what ``repr()``/``str()`` show of its value.
REPR_MASKS: dict[tuple[str, str], dict[str, Callable[[Any], Any]]] = {}


def mask_in_repr(module: str, fields: Mapping[str, Mapping[str, Callable[[Any], Any]]]) -> None:
    """Make ``repr()`` and ``str()`` of the models of ``module`` (class name -> field name
    -> masker) show the masker's result for those fields."""
    for name, maskers in fields.items():
        REPR_MASKS.setdefault((module, name), {}).update(maskers)


#: top-level package -> JSON member names whose values ``repr()``/``str()`` of its models
#: show as ``[redacted]`` inside dict and list fields (Adyen's ``additionalData``).
REPR_KEYS: dict[str, frozenset[str]] = {}


def mask_keys_in_repr(package: str, keys: frozenset[str]) -> None:
    """Make ``repr()`` and ``str()`` of the models of ``package`` hide the values under
    ``keys`` wherever they occur inside a dict or list field."""
    REPR_KEYS[package] = REPR_KEYS.get(package, frozenset()) | keys
