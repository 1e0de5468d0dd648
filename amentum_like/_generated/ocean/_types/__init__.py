"""Chunks of ``amentum_like.types.ocean``."""
