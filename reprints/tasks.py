"""Celery tasks: thin, take IDs, retry transient errors, bounded in time."""

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from callcenter.sms import get_backend

from . import notify, services
from .models import ReprintBatch, ReprintPolicy

logger = logging.getLogger(__name__)
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY, soft_time_limit=120, time_limit=180)
def build_reprint_batch() -> int | None:
    """Batch every pending reprint request now; returns the batch number."""
    batch = services.batch_build()
    if batch is None:
        logger.info("reprint batch: nothing pending")
        return None
    notify_print_desk.delay(batch.pk)
    return batch.number


@shared_task(**RETRY, soft_time_limit=120, time_limit=180)
def scheduled_reprint_batch() -> int | None:
    """Run by beat after each working day: builds a batch once the supervisor's
    interval has passed since the last one. A missed day is caught up at the next."""
    last = ReprintBatch.objects.order_by("-created_at").values_list("created_at", flat=True)
    interval = datetime.timedelta(days=ReprintPolicy.current().interval_days)
    # A little slack, so a run a few minutes earlier than the last one still counts.
    if last and timezone.now() - last[0] < interval - datetime.timedelta(hours=2):
        return None
    return build_reprint_batch()


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def notify_print_desk(batch_id: int) -> None:
    batch = ReprintBatch.objects.get(pk=batch_id)
    notify.print_desk_new_batch(batch)
    services.batch_mark_sent(batch=batch)


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def send_sms_outbox() -> int:
    return services.sms_send_pending(backend=get_backend())
