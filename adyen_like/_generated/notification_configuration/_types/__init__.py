"""Chunks of ``adyen_like.types.notification_configuration``."""
