#!/usr/bin/env python3
"""Project commands that work on a fresh machine with nothing but Python 3.10+.

    python3 tasks.py tour    # offline tour of every client against local fakes
    python3 tasks.py test    # the full test suite

Both create (or reuse) a virtualenv in .venv and install the project with its dev extra
there; set COMMONREST_VENV to use another location.
"""

from __future__ import annotations

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


def _stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]


def ensure_venv() -> None:
    """Create the virtualenv and install the project, unless it is already up to date."""
    marker = VENV / ".commonrest-installed"
    if PY.exists() and marker.exists() and marker.read_text() == _stamp():
        return
    if not PY.exists():
        print(f"creating virtualenv in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    print("installing commonrest with its dev extra (first run only)", flush=True)
    subprocess.run(
        [
            str(PY),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}[dev]",
        ],
        check=True,
    )
    marker.write_text(_stamp())


def run(*args: str) -> int:
    return subprocess.run([str(PY), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in ("tour", "test"):
        print(__doc__)
        return 2
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
