"""What ``help()``, ``inspect.signature``, IDEs and Jupyter show for a bound operation.

An operation is declared as a function returning a :class:`~commonrest._operations.Call`
(``-> Call[DAG]``), but a caller gets what the client's mode makes of it: ``DAG`` on a sync
client, a coroutine of it on an async one, an ``APIResponse[DAG]`` through
``with_raw_response``, a pager of items for a paged operation, a stream for a streamed one.
The signature shown is the declared parameters (without ``self``) and that return type,
written as text in the same style as the declared annotations.
"""

from __future__ import annotations

import inspect
from typing import Any

#: Runner (the client method a descriptor uses) -> the sync and async result classes.
_CONTAINERS = {"_paginate": ("SyncPager", "AsyncPager"), "_stream": ("SyncStream", "AsyncStream")}


def _arguments(text: str) -> list[str]:
    """The top-level arguments of ``Name[a, b[c, d]]``: ``["a", "b[c, d]"]``."""
    inner = text[text.index("[") + 1 : text.rindex("]")]
    out: list[str] = []
    depth = start = 0
    for i, ch in enumerate(inner):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(inner[start:i].strip())
            start = i + 1
    out.append(inner[start:].strip())
    return out


def _declared_result(annotation: Any) -> str | None:
    """What a call's result is, from the declared return annotation: ``R`` of
    ``Call[R]``/``StreamCall[R]``, the item of ``PagedCall[Page, Item]``, the same inside the
    ``tuple[OperationInfo, ...]`` of a dynamic operation."""
    if annotation is inspect.Signature.empty:
        return None
    if not isinstance(annotation, str):
        annotation = inspect.formatannotation(annotation)
    text = annotation.strip()
    if text.startswith(("tuple[", "Tuple[")):
        args = _arguments(text)
        if len(args) != 2:
            return None
        text = args[1]
    if "[" not in text:
        return None
    args = _arguments(text)
    if text.startswith(("PagedCall[", "commonrest._operations.PagedCall[")):
        return args[1] if len(args) == 2 else None
    return args[0] if len(args) == 1 else None


def public_signature(fn: Any, runner: str, *, client: Any) -> inspect.Signature:
    """The signature of ``fn`` bound to ``client`` (its mode: async or not, raw or not)."""
    is_async = inspect.iscoroutinefunction(client._execute)
    raw = bool(getattr(client, "_raw", False))
    sig = inspect.signature(fn)
    result = _declared_result(sig.return_annotation)
    returns: Any = inspect.Signature.empty
    if result is not None:
        if runner in _CONTAINERS:
            returns = f"{_CONTAINERS[runner][is_async]}[{result}]"
        else:
            returns = f"APIResponse[{result}]" if raw else result
            if is_async:
                returns = f"Coroutine[Any, Any, {returns}]"
    return sig.replace(parameters=list(sig.parameters.values())[1:], return_annotation=returns)


__all__ = ["public_signature"]
