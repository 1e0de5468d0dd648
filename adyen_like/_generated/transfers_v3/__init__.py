"""Generated from ``specs/adyen/TransferService-v3.json``; do not edit."""
