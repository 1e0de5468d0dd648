"""Generated from ``specs/airflow/airflow-core-3.3.2-v2-simple-auth-manager-generated.yaml``; do not edit."""
# ruff: noqa: E501
