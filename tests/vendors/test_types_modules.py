"""Every vendor's public ``types`` module: the generated models, defined there under a
documented name, loaded only when imported."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.config import VENDORS

#: the public types module of every spec
MODULES = [v.types_module(s) for v in VENDORS for s in v.specs]


@pytest.mark.parametrize("public", MODULES)
def test_types_module_defines_and_exports_its_models(public: str) -> None:
    types_module = importlib.import_module(public)
    assert types_module.__all__
    assert types_module.__file__ is not None
    # The module itself, or the chunks it loads its models from on first use.
    files: list[str | None] = [types_module.__file__]
    chunks = getattr(types_module, "_CHUNKS", None)
    if chunks is not None:
        files = [
            importlib.import_module(f"{chunks}.{chunk}").__file__
            for chunk in sorted(set(types_module._WHERE.values()))
        ]
    # (pydantic also registers parametrized generics such as ``RootModel[list[X]]`` in the
    # module's namespace, so the class statements are what the module defines)
    defined = {
        node.name
        for file in files
        if file is not None
        for node in ast.parse(Path(file).read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef)
    }
    assert defined
    # every class defined here is exported, and every export is there
    assert defined <= set(types_module.__all__)
    for name in types_module.__all__:
        assert hasattr(types_module, name), name


def test_types_subpackages_load_their_modules_on_first_use() -> None:
    code = (
        "import sys, adyen_like, adyen_like.types as t\n"
        "def models():\n"
        "    return sorted(m for m in sys.modules if m.startswith('adyen_like.types.'))\n"
        "assert not models(), 'loaded early'\n"
        "assert t.payment.PaymentRequest.__name__ == 'PaymentRequest'\n"
        "loaded = models()\n"
        "assert loaded == ['adyen_like.types.payment'], loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        importlib.import_module("airflow_like.types").nope  # noqa: B018
