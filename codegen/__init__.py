"""Code generator for the vendor packages (a development tool; not installed).

``python -m codegen`` regenerates every vendor's ``_generated/`` package from ``specs/``;
``python -m codegen --check`` regenerates into a temporary folder and fails when the result
differs from the committed files; ``python -m codegen reduce`` rebuilds ``specs/`` from the
collected vendor files. See ``codegen/README.md``.
"""
