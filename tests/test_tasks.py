"""tasks.py, the first command a new user runs: it must refuse an old interpreter in one
line before touching anything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Runs tasks.py as ``python3 tasks.py tour`` would, with the interpreter reporting an
#: older version (everything else, including the virtualenv location, is real).
_OLD_PYTHON = """
import runpy, sys
sys.version_info = ({major}, {minor}, 18, "final", 0)
sys.argv = ["tasks.py", "tour"]
runpy.run_path({tasks!r}, run_name="__main__")
"""


def _run_as(version: tuple[int, int], venv: Path) -> subprocess.CompletedProcess[str]:
    code = _OLD_PYTHON.format(major=version[0], minor=version[1], tasks=str(ROOT / "tasks.py"))
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"COMMONREST_VENV": str(venv), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_an_old_python_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    done = _run_as((3, 9), venv)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "commonrest needs Python 3.10 or newer (this is Python 3.9.18)\n"
    assert not venv.exists()  # nothing was created or installed


def test_a_supported_python_gets_past_the_check(tmp_path: Path) -> None:
    # an unknown command stops right after the check, with the usage text
    code = (
        "import runpy, sys\n"
        "sys.argv = ['tasks.py', 'nothing-such']\n"
        f"runpy.run_path({str(ROOT / 'tasks.py')!r}, run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "needs Python" not in done.stderr
    assert "python3 tasks.py docs --serve" in done.stdout


def test_the_install_is_visible_to_static_checkers_outside_the_checkout(tmp_path: Path) -> None:
    """mypy and pyright find installed packages on the paths of ``sys.path``, including
    those listed in ``.pth`` files; they never run the import hook that setuptools'
    default editable mode relies on. So every package must be reachable from a path
    outside the checkout: a link tree (strict editable mode) or a regular install."""
    code = "import json, sys\nprint(json.dumps([p for p in sys.path if p]))\n"
    done = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    paths = [Path(p) for p in json.loads(done.stdout)]
    for package in ("commonrest", "adyen_like", "airflow_like", "airbyte_like", "amentum_like"):
        found = [p for p in paths if (p / package / "__init__.py").is_file() and p != ROOT]
        assert found, (
            f"{package} is importable only through an import hook, so mypy run outside the "
            "checkout would see no types: install with python3 tasks.py (editable_mode=strict)"
        )
        typed = found[0] / package / "py.typed"
        assert typed.is_file(), f"{typed} missing: checkers would ignore the package's types"
