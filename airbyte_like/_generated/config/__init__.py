"""Generated from ``specs/airbyte/config-platform-v0.50.56.yaml``; do not edit."""
