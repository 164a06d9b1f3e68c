"""Celery tasks: thin, take IDs, retry transient errors, bounded in time."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from callcenter.calendar import is_working_day

from . import services

logger = logging.getLogger(__name__)
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY, soft_time_limit=120, time_limit=180)
def build_correction_lists() -> list[int]:
    """Put every open correction request on its unit's new list; returns the numbers."""
    numbers = [c.number for c in services.correction_lists_build()]
    logger.info("correction lists built: %s", numbers or "none")
    return numbers


@shared_task(**RETRY, soft_time_limit=120, time_limit=180)
def scheduled_correction_lists() -> list[int]:
    """Run by beat after the shift: builds on working days only (the calendar's)."""
    if not is_working_day(timezone.localdate()):
        return []
    return build_correction_lists()
