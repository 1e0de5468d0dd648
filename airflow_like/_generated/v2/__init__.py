"""Generated from ``specs/airflow/airflow-core-3.3.2-v2-rest-api-generated.yaml``; do not edit."""
