"""Generated from ``specs/amentum/gravity-1.1.1.yaml``; do not edit."""
