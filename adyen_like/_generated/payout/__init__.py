"""Generated from ``specs/adyen/PayoutService-v68.json``; do not edit."""
