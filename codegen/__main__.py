"""Command line: ``python -m codegen [--check] [--jobs N]`` or ``python -m codegen reduce``."""

from __future__ import annotations

import argparse
import time

from . import generate, reduce


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        choices=["generate", "reduce"],
        default="generate",
        help="generate (default): write <vendor>/_generated from specs/; "
        "reduce: rebuild specs/ from the collected vendor files",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and exit 1 if it differs from the repository",
    )
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.command == "reduce":
        for path in reduce.run():
            print(f"wrote {path}")
        return 0
    if args.check:
        return generate.check(jobs=args.jobs)
    for folder in generate.generate(jobs=args.jobs):
        print(f"wrote {folder}")
    print(f"done in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
