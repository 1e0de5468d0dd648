"""Chunks of ``adyen_like.types.payout``."""
