"""Generated from ``specs/amentum/atmosphere-1.1.1.yaml``; do not edit."""
