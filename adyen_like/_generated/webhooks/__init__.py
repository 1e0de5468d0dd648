"""Generated from ``specs/adyen/Webhooks-v1.json``; do not edit."""
