"""Code generated from ``specs/`` by ``python -m codegen``; do not edit.

Nothing is imported here: resource modules load on first use.
"""
