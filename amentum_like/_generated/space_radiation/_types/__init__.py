"""Chunks of ``amentum_like.types.space_radiation``."""
