"""Generated from ``specs/adyen/PaymentService-v68.json``; do not edit."""
