#!/usr/bin/env python3
"""Project commands that work on a fresh machine with nothing but Python 3.10+.

    python3 tasks.py tour            # offline tour of every client against local fakes
    python3 tasks.py test [ARGS]     # the test suite (ARGS go to pytest)
    python3 tasks.py docs            # build the docs site strictly and run its notebooks
    python3 tasks.py docs --serve    # serve it on http://127.0.0.1:8000, rebuilt on changes

Each creates (or reuses) a virtualenv in .venv and installs the project there, editable,
with its dev extra (and the docs extra for ``docs``); set COMMONREST_VENV to use another
location.
"""

# No "from __future__ import annotations" and every annotation quoted: this file must
# run far enough on any Python 3 to say which version it needs.
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("COMMONREST_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
PACKAGES = ("commonrest", "adyen_like", "airflow_like", "airbyte_like", "amentum_like")
MINIMUM = (3, 10)
COMMANDS = ("tour", "test", "docs")


def python_problem(version: "tuple[int, ...]") -> "str | None":
    """The one line to print when this interpreter cannot run the project, else None."""
    if tuple(version[:2]) < MINIMUM:
        found = ".".join(str(part) for part in version[:3])
        return f"commonrest needs Python 3.10 or newer (this is Python {found})"
    return None


def _stamp() -> str:
    """Changes when the install must be redone: the project's metadata, or the set of
    modules (the editable install links each module, so a new one needs a reinstall)."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
    return digest.hexdigest()[:16]


def ensure_venv(extras: "tuple[str, ...]" = ("dev",)) -> None:
    """Create the virtualenv and install the project with ``extras``, unless an install
    with at least those extras is already up to date."""
    marker = VENV / ".commonrest-installed"
    if PY.exists() and marker.exists():
        stamp, _, installed = marker.read_text().partition(" ")
        if stamp == _stamp() and set(extras) <= set(installed.split(",")):
            return
    if not PY.exists():
        print(f"creating virtualenv in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    print(f"installing commonrest[{','.join(extras)}] into {VENV} (first run only)", flush=True)
    subprocess.run(
        [
            str(PY),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            # a link tree of the five packages only: mypy and pyright outside the checkout
            # follow it, as they cannot follow the default mode's import hook
            "--config-settings",
            "editable_mode=strict",
            "-e",
            f"{ROOT}[{','.join(extras)}]",
        ],
        check=True,
    )
    marker.write_text(f"{_stamp()} {','.join(extras)}")


def run(*args: str, env: "dict[str, str] | None" = None) -> int:
    return subprocess.run([str(PY), *args], cwd=ROOT, env=env).returncode


def docs(args: "list[str]") -> int:
    """Build the site (warnings fail) and run the notebooks; with ``--serve``, serve it
    instead, rebuilding on every change (mkdocs serve builds it first)."""
    # the banners the theme and a plugin print about the future of MkDocs (docs/site.md)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    if "--serve" in args:
        print("building, then serving the docs on http://127.0.0.1:8000 (Ctrl-C stops)")
        try:
            return run("-m", "mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", env=env)
        except KeyboardInterrupt:
            return 0
    code = run("-m", "mkdocs", "build", "--strict", env=env)
    return code if code != 0 else run("docs/notebooks/run.py", env=env)


def main(argv: "list[str]") -> int:
    problem = python_problem(sys.version_info[:3])
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    if len(argv) < 1 or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    if argv[0] == "docs":
        ensure_venv(("dev", "docs"))
        return docs(argv[1:])
    ensure_venv()
    if argv[0] == "tour":
        return run("tour.py", *argv[1:])
    code = run("-m", "pytest", *argv[1:])
    if code == 5:
        print("error: pytest collected no tests", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
