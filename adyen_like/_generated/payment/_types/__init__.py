"""Chunks of ``adyen_like.types.payment``."""
