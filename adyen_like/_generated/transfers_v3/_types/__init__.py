"""Chunks of ``adyen_like.types.transfers_v3``."""
