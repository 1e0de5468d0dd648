"""Chunks of ``airbyte_like.types``."""
