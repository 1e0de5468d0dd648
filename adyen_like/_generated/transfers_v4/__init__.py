"""Generated from ``specs/adyen/TransferService-v4.json``; do not edit."""
