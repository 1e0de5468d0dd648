"""A Griffe extension for the docs build: show the Sphinx roles our docstrings use
(``:class:`Timeout```, ``:func:`~commonrest.crest.parse```) as code.

The docstrings are written for ``help()`` and editors as much as for the site, and
mkdocstrings does not read Sphinx roles, which would otherwise appear verbatim. They
become plain code rather than links: a role's target is often relative to the module it
is written in, and an unresolved link would fail the strict build.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|mod|func|meth|data|attr|exc|obj):`(~?)\.?([^`]+)`")


def _as_code(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


class SphinxRoles(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ":" in obj.docstring.value:
            obj.docstring.value = _ROLE.sub(_as_code, obj.docstring.value)
