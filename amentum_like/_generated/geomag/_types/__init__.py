"""Chunks of ``amentum_like.types.geomag``."""
