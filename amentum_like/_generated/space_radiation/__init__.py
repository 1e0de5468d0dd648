"""Generated from ``specs/amentum/space_radiation-1.1.2.yaml``; do not edit."""
