"""Celery tasks of the reporting app."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError

from . import summary

logger = logging.getLogger(__name__)

# One refresh at a time, across workers; the lock expires with the task's time limit.
REFRESH_LOCK = "stats-summary-refresh"


@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
    soft_time_limit=1500, time_limit=1800,
)  # fmt: skip
def refresh_stats_summary() -> int:
    """Store finished days' statistics that are missing or stale (reporting.summary)."""
    if not cache.add(REFRESH_LOCK, 1, timeout=1800):
        logger.info("stats summary: a refresh is already running")
        return 0
    try:
        stored = summary.refresh()
    finally:
        cache.delete(REFRESH_LOCK)
    logger.info("stats summary: %d days stored", stored)
    return stored
