"""Celery tasks: thin, retry transient errors, bounded in time."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.idempotency import forget_old_keys as idempotency_keys_forgotten

from . import review, services

logger = logging.getLogger(__name__)
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY, soft_time_limit=1800, time_limit=1900)
def erase_expired_personal_data() -> dict:
    """Nightly: personal data past RETENTION_MONTHS, access-log rows past
    ACCESS_LOG_YEARS."""
    counts = services.retention_erase()
    idempotency_keys_forgotten()
    logger.info("retention erasure: %s", counts)
    return counts


@shared_task(**RETRY, soft_time_limit=300, time_limit=360)
def access_review_digest(day: str | None = None) -> int:
    """Daily: yesterday's look-ups that need a second look, kept for the review page
    and mailed to the supervisors who have an address."""
    day = datetime.date.fromisoformat(day) if day else timezone.localdate() - datetime.timedelta(1)
    digest = services.access_digest_build(day=day)
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name="supervisor")
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if digest.findings and recipients:
        send_mail(
            _("Access review %(day)s: %(count)d look-ups to check")
            % {"day": day.isoformat(), "count": len(digest.findings)},  # fmt: skip
            "\n".join(
                f"{review.label(f['code'])}: {f.get('user') or f.get('application_number')}"
                for f in digest.findings
            ),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    return len(digest.findings)
