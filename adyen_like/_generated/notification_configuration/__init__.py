"""Generated from ``specs/adyen/NotificationConfigurationService-v6.json``; do not edit."""
