"""Reading a response that does not quite match its model.

The generated response models already accept missing fields, ``null``, unknown fields and
enum values, and any length or range. What is left to fail is a value of another type than
the spec promised (a number where a string was declared) or a tagged union with a tag the
client does not know. Neither should cost the caller the whole result, so:

1. the body is validated as usual (the only step taken when it is valid: no cost on the
   happy path);
2. on a validation error, every offending value is taken out of the parsed JSON (the
   innermost object key holding it) and the rest is validated again;
3. the raw values are then put back, as they came, on the objects they belong to.

A field restored this way holds a value of another type than its annotation says: the
price of keeping what the server sent. A body whose top level has the wrong shape (a list
where an object was expected) still fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pydantic

__all__ = ["validate_leniently"]

#: Each pass removes at least one value; a body needing more passes is not "roughly right".
_MAX_PASSES = 8

_Path = tuple[str | int, ...]


def validate_leniently(
    validate: Callable[[Any], Any], content: bytes, error: pydantic.ValidationError
) -> Any:
    """Validate ``content`` (JSON text) with ``validate`` (a ``validate_python``), keeping
    values of unexpected types raw. Raises ``error`` (the first failure) when the body cannot
    be read this way."""
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        raise error from None
    removed: list[tuple[_Path, Any]] = []
    exc = error
    for _ in range(_MAX_PASSES):
        paths = {_data_path(data, err["loc"]) for err in exc.errors(include_url=False)}
        if () in paths:
            raise error from None
        for path in sorted(paths, key=len, reverse=True):
            parent = _at(data, path[:-1])
            if isinstance(parent, dict) and path[-1] in parent:
                removed.append((path, parent.pop(path[-1])))
        try:
            result = validate(data)
        except pydantic.ValidationError as again:
            exc = again
            continue
        for path, value in reversed(removed):
            _restore(result, path, value)
        return result
    raise error from None


def _data_path(data: Any, loc: tuple[str | int, ...]) -> _Path:
    """The part of an error location that addresses the JSON data, cut back to the last
    object key (so a value can be removed without shifting list positions). Location parts
    that are not in the data (union member names, tags) end the path."""
    path: list[str | int] = []
    last_key = 0
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
            last_key = len(path)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        else:
            break
    return tuple(path[:last_key])


def _at(data: Any, path: _Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _restore(result: Any, path: _Path, value: Any) -> None:
    """Put ``value`` back at ``path`` (JSON keys and list positions) inside the validated
    objects; a path that no longer leads anywhere (the union took another branch) is left."""
    node = result
    for i, part in enumerate(path):
        if isinstance(node, pydantic.RootModel):
            node = node.root
        last = i == len(path) - 1
        if isinstance(node, pydantic.BaseModel) and isinstance(part, str):
            name = _field_name(type(node), part)
            if last:
                if name is None:
                    extra = node.__pydantic_extra__
                    if extra is None:
                        return
                    extra[part] = value
                else:
                    node.__dict__[name] = value
                    node.__pydantic_fields_set__.add(name)
                return
            node = getattr(node, name) if name else (node.__pydantic_extra__ or {}).get(part)
        elif isinstance(node, dict) and isinstance(part, str):
            if last:
                node[part] = value
                return
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return


def _field_name(cls: type[pydantic.BaseModel], key: str) -> str | None:
    fields = cls.model_fields
    if key in fields:
        return key
    for name, info in fields.items():
        if info.alias == key or info.validation_alias == key:
            return name
    return None
