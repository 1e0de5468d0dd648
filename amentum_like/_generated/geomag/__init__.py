"""Generated from ``specs/amentum/global-magnet-1.3.0.yaml``; do not edit."""
