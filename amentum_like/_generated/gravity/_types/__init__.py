"""Chunks of ``amentum_like.types.gravity``."""
