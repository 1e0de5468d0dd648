"""Chunks of ``airflow_like.types.v1``."""
