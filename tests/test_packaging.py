"""The distribution's metadata as PyPI and pip show it: version, licence, classifiers, and
a long description written for users of the package (not for the checkout)."""

from __future__ import annotations

import re
from importlib.metadata import metadata, version
from pathlib import Path

import commonrest

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_the_installed_distributions() -> None:
    assert commonrest.__version__ == version("commonrest")
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]|rc)?\d*", commonrest.__version__)
    # the changelog has a section for it
    assert f"## {commonrest.__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_the_licence_file_matches_the_metadata() -> None:
    meta = metadata("commonrest")
    assert meta["License-Expression"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_classifiers_say_python_versions_typing_and_status() -> None:
    classifiers = metadata("commonrest").get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    minimum = metadata("commonrest")["Requires-Python"]
    assert minimum == ">=3.10"
    assert "Programming Language :: Python :: 3.10" in classifiers
    # the licence is given by its SPDX expression, not by a (deprecated) classifier
    assert not [c for c in classifiers if c.startswith("License ::")]


def test_the_pypi_description_is_for_users_of_the_package() -> None:
    meta = metadata("commonrest")
    assert meta["Description-Content-Type"] == "text/markdown"
    description = meta.get_payload()  # type: ignore[attr-defined]
    assert description.strip() == (ROOT / "README.pypi.md").read_text(encoding="utf-8").strip()
    assert "pip install commonrest" in description
    for checkout_only in ("tasks.py", ".venv", ".ci/run"):
        assert checkout_only not in description
