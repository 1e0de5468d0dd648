"""Chunks of ``adyen_like.types.recurring``."""
