"""Chunks of ``airflow_like.types.auth``."""
