"""Celery tasks of agent status: thin wrappers over services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), max_retries=2, soft_time_limit=20, time_limit=30)
def presence_tick() -> int:
    """Run by beat every 10 seconds: wrap-ups that ran out, idle seats offline."""
    return services.expire_wrap_ups() + services.mark_idle_offline()
