"""Python names from wire names: snake_case, PascalCase, and safe identifiers."""

from __future__ import annotations

import builtins
import keyword
import re

KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))

_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")


def snake(name: str) -> str:
    """``getDagRuns`` -> ``get_dag_runs``; ``DAGRun`` -> ``dag_run``; ``API-Key`` ->
    ``api_key``; ``post-authorise3ds2`` -> ``post_authorise3ds2``."""
    s = _ACRONYM.sub(r"\1_\2", name)
    s = _CAMEL.sub(r"\1_\2", s)
    s = _NON_WORD.sub("_", s).strip("_").lower()
    s = re.sub(r"_+", "_", s)
    if not s:
        s = "value"
    if s[0].isdigit():
        s = "n" + s
    return s


def pascal(name: str) -> str:
    """``dag_runs`` / ``dag-runs`` / ``dagRuns`` -> ``DagRuns``."""
    return "".join(part[:1].upper() + part[1:] for part in snake(name).split("_"))


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word if word.endswith("s") else word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def safe(name: str, *, avoid_builtins: bool = True) -> str:
    """An identifier that is no keyword (and, by default, no builtin): ``from`` ->
    ``from_``, ``id`` -> ``id_``."""
    if name in KEYWORDS or (avoid_builtins and name in BUILTINS) or name == "self":
        return name + "_"
    return name
