"""Generated from ``specs/adyen/MarketPayNotificationService-v6.json``; do not edit."""
