"""Regenerate every vendor's ``_generated`` package and its public types modules
(``<vendor>/types/<key>.py``, or ``<vendor>/types.py`` for a vendor of one spec) from
``specs/``."""

from __future__ import annotations

import ast
import difflib
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .chunks import split_models
from .config import ROOT, SPECS, TYPES_TITLES, VENDORS, Spec, Vendor
from .emit import ResourceWriter, attr_path, catalog_module, group_resources, mixin_module
from .models import GENERATED_MARK, generate_models
from .reduce import load
from .spec import prepare

#: The generated files are compared byte for byte by ``--check``: these tools shape them.
TOOL_VERSIONS = {"datamodel-code-generator": "0.89.0", "ruff": "0.17.6"}

MIXINS = {
    "adyen_like": "AdyenResources",
    "airflow_like": "AirflowResources",
    "airbyte_like": "AirbyteResources",
    "amentum_like": "AmentumResources",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def types_path(vendor: Vendor, spec: Spec) -> Path:
    """Where ``spec``'s public models module goes, relative to the repository root."""
    return Path(*vendor.types_module(spec).split(".")).with_suffix(".py")


def types_docstring(vendor: Vendor, spec: Spec) -> str:
    name, titles = TYPES_TITLES[vendor.package]
    if spec.models_only:
        how = (
            "Payloads are parsed, never sent: every field is optional and unknown fields are\n"
            "kept, so a notification that leaves out a field the spec calls required still\n"
            "parses."
        )
    else:
        how = (
            "Response models are lenient (every field optional, no length, pattern or range\n"
            "checks); request bodies built from them are checked against the spec before\n"
            "sending."
        )
    return (
        f"Models of {titles[spec.key]} ({name}).\n\n{how}\n\nGenerated from ``specs/{spec.file}``."
    )


def generate_spec(vendor: Vendor, spec: Spec, out_root: Path) -> list[tuple[str, str, str]]:
    """Write one spec's subpackage of ``_generated`` and its types module; return its
    (attribute path, module, class) entries."""
    doc, ops = prepare(spec, load(SPECS / spec.file))
    bodies = [op.body_schema for op in ops if op.body_schema is not None]
    models = generate_models(
        doc,
        spec.key,
        spec.file,
        bodies,
        docstring=types_docstring(vendor, spec),
    )
    pkg = out_root / vendor.package / "_generated" / spec.key
    _write(
        pkg / "__init__.py",
        f'"""Generated from ``specs/{spec.file}``; do not edit."""\n',
    )
    if models.requests_source:
        _write(pkg / "_requests.py", models.requests_source)
    entries = []
    roots: dict[str, set[str]] = {}
    for res in group_resources(spec, ops, models):
        writer = ResourceWriter(vendor, spec, doc, models)
        source = writer.write(res)
        _write(pkg / f"{res.module}.py", source)
        entries.append((attr_path(spec, res), f"{spec.key}.{res.module}", res.cls))
        roots[res.module] = _imported(source) & models.names
    if roots:
        public, chunks = split_models(
            models.source,
            public=vendor.types_module(spec),
            package=f"{vendor.package}._generated.{spec.key}._types",
            roots=roots,
            header=GENERATED_MARK,
        )
        _write(out_root / types_path(vendor, spec), public)
        _write(
            pkg / "_types" / "__init__.py", f'"""Chunks of ``{vendor.types_module(spec)}``."""\n'
        )
        for chunk, text in chunks.items():
            _write(pkg / "_types" / f"{chunk}.py", text)
    else:  # payloads only: no call loads them, one module
        _write(out_root / types_path(vendor, spec), models.source)
    return entries


def _imported(source: str) -> set[str]:
    """The names a generated module imports."""
    return {
        alias.asname or alias.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def generated_types_files(root: Path, vendor: Vendor) -> set[str]:
    """The types modules under ``root`` the generator wrote (they start with its mark),
    relative to ``root``; the hand-written ``types/__init__.py`` is not one of them."""
    base = root / vendor.package
    candidates = [base / "types.py", *sorted((base / "types").glob("*.py"))]
    return {
        str(path.relative_to(root))
        for path in candidates
        if path.is_file() and path.read_text(encoding="utf-8").startswith(GENERATED_MARK + "\n")
    }


def _spec_job(args: tuple[str, str, str]) -> list[tuple[str, str, str]]:
    package, key, out = args
    vendor = next(v for v in VENDORS if v.package == package)
    spec = next(s for s in vendor.specs if s.key == key)
    return generate_spec(vendor, spec, Path(out))


def check_tools() -> None:
    """Fail early, and clearly, when a tool that shapes the output has another version."""
    from importlib.metadata import PackageNotFoundError, version

    for name, wanted in TOOL_VERSIONS.items():
        try:
            found = version(name)
        except PackageNotFoundError:
            found = "not installed"
        if found != wanted:
            raise SystemExit(
                f"codegen: {name} {wanted} is needed (found {found}); other versions write "
                f"other code. Install it with: pip install '{name}=={wanted}'"
            )


def generate(out_root: Path = ROOT, *, jobs: int | None = None) -> list[Path]:
    """Generate into ``out_root/<vendor>/_generated`` and the vendors' types modules;
    return the generated folders and types modules."""
    check_tools()
    folders = []
    work = []
    for vendor in VENDORS:
        gen = out_root / vendor.package / "_generated"
        if gen.exists():
            shutil.rmtree(gen)
        gen.mkdir(parents=True)
        folders.append(gen)
        # a spec that went away leaves no stale types module behind
        for name in generated_types_files(out_root, vendor):
            (out_root / name).unlink()
        for spec in vendor.specs:
            work.append((vendor.package, spec.key, str(out_root)))
            folders.append(out_root / types_path(vendor, spec))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_spec_job, work))
    by_vendor: dict[str, list[tuple[str, str, str]]] = {}
    for (package, _, _), entries in zip(work, results, strict=True):
        by_vendor.setdefault(package, []).extend(entries)
    for vendor in VENDORS:
        gen = out_root / vendor.package / "_generated"
        entries = by_vendor.get(vendor.package, [])
        _write(
            gen / "__init__.py",
            '"""Code generated from ``specs/`` by ``python -m codegen``; do not edit.\n\n'
            "Nothing is imported here: resource modules load on first use.\n"
            '"""\n',
        )
        _write(gen / "catalog.py", catalog_module(vendor, entries))
        _write(gen / "client_mixin.py", mixin_module(vendor, entries, MIXINS[vendor.package]))
    _format(folders)
    return folders


def _ruff(*args: str) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    cmd = [str(ruff) if ruff.exists() else "ruff", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")


def _format(folders: list[Path]) -> None:
    config = str(ROOT / "pyproject.toml")
    paths = [str(f) for f in folders]
    # unused imports go, imports are sorted, then the code is formatted
    _ruff(
        "check",
        "--config",
        config,
        "--no-cache",
        "--fix-only",
        "--select",
        "F401,I,UP,RUF022",
        *paths,
    )
    _ruff("format", "--config", config, "--no-cache", "--quiet", *paths)
    # Paths, enum values and aliases can be longer than a line; nothing to wrap there.
    ruff = Path(sys.executable).with_name("ruff")
    proc = subprocess.run(
        [
            str(ruff) if ruff.exists() else "ruff",
            "check",
            "--config",
            config,
            "--no-cache",
            "--select",
            "E501",
            "--output-format",
            "json",
            *paths,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for name in sorted({item["filename"] for item in json.loads(proc.stdout or "[]")}):
        path = Path(name)
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        path.write_text(f"{first}\n# ruff: noqa: E501\n{rest}", encoding="utf-8")


def check(*, jobs: int | None = None) -> int:
    """Regenerate into a temporary folder and compare with the committed output: every
    ``_generated`` tree and every generated types module (a hand-edited one differs; one
    the generator no longer writes is reported)."""
    with tempfile.TemporaryDirectory(prefix="codegen-check-") as tmp:
        generate(Path(tmp), jobs=jobs)
        problems = compare(Path(tmp), ROOT)
    if problems:
        print(f"codegen --check: {problems} generated file(s) differ; run `python -m codegen`")
        return 1
    print("codegen --check: generated code is up to date")
    return 0


def compare(fresh: Path, committed: Path, vendors: tuple[Vendor, ...] = VENDORS) -> int:
    """Print and count the differences between a fresh output tree and the committed one."""
    problems = 0
    for vendor in vendors:
        gen_fresh = fresh / vendor.package / "_generated"
        gen_committed = committed / vendor.package / "_generated"
        problems += _compare(gen_fresh, gen_committed, _files(gen_fresh), _files(gen_committed))
        expected = {str(types_path(vendor, s)) for s in vendor.specs}
        problems += _compare(
            fresh,
            committed,
            generated_types_files(fresh, vendor),
            # a hand edit may drop the mark: the expected paths are compared anyway
            generated_types_files(committed, vendor)
            | {name for name in expected if (committed / name).is_file()},
        )
    return problems


def _files(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def _compare(fresh: Path, committed: Path, a: set[str], b: set[str]) -> int:
    """Report the files ``a`` (under ``fresh``) and ``b`` (under ``committed``) that differ."""
    problems = 0
    for name in sorted(a - b):
        print(f"missing from the repository: {committed / name}")
        problems += 1
    for name in sorted(b - a):
        print(f"not produced by the generator: {committed / name}")
        problems += 1
    for name in sorted(a & b):
        if not filecmp.cmp(fresh / name, committed / name, shallow=False):
            problems += 1
            diff = difflib.unified_diff(
                (committed / name).read_text().splitlines(),
                (fresh / name).read_text().splitlines(),
                str(committed / name),
                "regenerated",
                lineterm="",
                n=1,
            )
            print("\n".join(list(diff)[:40]))
    return problems
