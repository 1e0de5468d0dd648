"""Every vendor's public ``types`` module: the generated models under a documented name,
loaded only when imported."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from codegen.config import VENDORS

#: (types module, generated models module) of every spec
MODULES = [
    (
        f"{v.package}.types" if len(v.specs) == 1 else f"{v.package}.types.{s.key}",
        f"{v.package}._generated.{s.key}.models",
    )
    for v in VENDORS
    for s in v.specs
]


@pytest.mark.parametrize(("public", "generated"), MODULES, ids=[m for m, _ in MODULES])
def test_types_module_exports_every_generated_model(public: str, generated: str) -> None:
    types_module = importlib.import_module(public)
    models = importlib.import_module(generated)
    assert types_module.__all__ == models.__all__
    assert types_module.__all__
    for name in types_module.__all__:
        assert getattr(types_module, name) is getattr(models, name), name


def test_types_subpackages_load_their_modules_on_first_use() -> None:
    code = (
        "import sys, adyen_like, adyen_like.types as t\n"
        "def models():\n"
        "    return sorted(m for m in sys.modules if '_generated' in m and m.endswith('.models'))\n"
        "assert not models(), 'loaded early'\n"
        "assert t.payment.PaymentRequest.__name__ == 'PaymentRequest'\n"
        "loaded = models()\n"
        "assert loaded == ['adyen_like._generated.payment.models'], loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        importlib.import_module("airflow_like.types").nope  # noqa: B018
