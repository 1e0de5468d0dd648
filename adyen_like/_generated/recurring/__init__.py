"""Generated from ``specs/adyen/RecurringService-v68.json``; do not edit."""
