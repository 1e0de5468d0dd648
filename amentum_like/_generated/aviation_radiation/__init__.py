"""Generated from ``specs/amentum/aviation_radiation-1.5.0.yaml``; do not edit."""
