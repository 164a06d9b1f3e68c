"""Celery tasks of the records app: thin, bounded in time."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
    soft_time_limit=1500, time_limit=1800,
)  # fmt: skip
def build_quality_report() -> int:
    """Run the data-quality checks into a new stored report; returns its id."""
    return services.quality_report_build().pk
