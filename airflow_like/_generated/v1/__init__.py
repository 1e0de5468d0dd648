"""Generated from ``specs/airflow/airflow-2.10.5-v1.yaml``; do not edit."""
