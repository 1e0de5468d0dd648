"""Command line: ``python -m codegen [generate|reduce|all] [--check] [--jobs N]``."""

from __future__ import annotations

import argparse
import filecmp
import tempfile
import time
from pathlib import Path

from . import generate, reduce
from .config import SOURCE_SPECS, SPECS


def _reduce(check: bool) -> int:
    if not SOURCE_SPECS.is_dir():
        print(f"codegen reduce: the collected vendor files are not there: {SOURCE_SPECS}")
        return 1
    if not check:
        for path in reduce.run():
            print(f"wrote {path}")
        return 0
    with tempfile.TemporaryDirectory(prefix="codegen-reduce-") as tmp:
        differ = [
            path.relative_to(tmp)
            for path in reduce.run(target=Path(tmp))
            if not (SPECS / path.relative_to(tmp)).is_file()
            or not filecmp.cmp(path, SPECS / path.relative_to(tmp), shallow=False)
        ]
    for name in differ:
        print(f"differs from the reduction: {SPECS / name}")
    if differ:
        print(f"codegen reduce --check: {len(differ)} file(s) differ; run `python -m codegen all`")
        return 1
    print("codegen reduce --check: specs/ is up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        choices=["generate", "reduce", "all"],
        default="generate",
        help="generate (default): write <vendor>/_generated from specs/; "
        "reduce: rebuild specs/ from the collected vendor files in ../shared/specs; "
        "all: reduce, then generate",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write into a temporary folder and exit 1 if the result differs from the "
        "repository (generate: the generated code; reduce: specs/; all: both)",
    )
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.command in ("reduce", "all"):
        code = _reduce(args.check)
        if code or args.command == "reduce":
            return code
    if args.check:
        return generate.check(jobs=args.jobs)
    for folder in generate.generate(jobs=args.jobs):
        print(f"wrote {folder}")
    print(f"done in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
