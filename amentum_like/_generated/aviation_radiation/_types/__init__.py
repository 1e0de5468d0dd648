"""Chunks of ``amentum_like.types.aviation_radiation``."""
