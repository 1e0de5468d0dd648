"""Generated from ``specs/amentum/ocean-1.1.1.yaml``; do not edit."""
