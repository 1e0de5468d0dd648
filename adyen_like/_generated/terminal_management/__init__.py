"""Generated from ``specs/adyen/TfmAPIService-v1.json``; do not edit."""
