"""Chunks of ``amentum_like.types.atmosphere``."""
