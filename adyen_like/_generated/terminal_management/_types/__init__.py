"""Chunks of ``adyen_like.types.terminal_management``."""
