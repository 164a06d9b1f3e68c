"""Figures of citizen self-service and published answers per day (SPEC §8.5), merged
into the daily rows of reporting.stats: public look-ups found, not found and refused by
the limits, callbacks asked for on the self-service page, tickets resolved with an
answer, and of those the regulation questions."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from callbacks.models import Callback
from citizens.models import RecordAccess
from tickets.models import Category, Ticket

Outcome = RecordAccess.Outcome
EMPTY_PUBLIC = {
    "self_service_found": 0,
    "self_service_not_found": 0,
    "self_service_limited": 0,
    "self_service_callbacks": 0,
    "answers_used": 0,
    "regulation_resolved_with_answer": 0,
}


def _per_day(queryset, field, **aggregates) -> dict:
    day = TruncDate(field, tzinfo=timezone.get_current_timezone())
    rows = queryset.annotate(day=day).values("day").annotate(**aggregates).order_by()
    return {row.pop("day"): row for row in rows}


def daily_public(start: datetime.datetime, end: datetime.datetime) -> dict:
    """{day: figures} for the days between `start` and `end` that have any."""
    lookups = _per_day(
        RecordAccess.objects.filter(
            channel=RecordAccess.Channel.SELF_SERVICE, at__gte=start, at__lt=end
        ),
        "at",
        **{
            f"self_service_{outcome}": Count("id", filter=Q(outcome=outcome))
            for outcome in Outcome.values
        },
    )
    callbacks = _per_day(
        Callback.objects.filter(requested_at__gte=start, requested_at__lt=end),
        "requested_at",
        self_service_callbacks=Count("id"),
    )
    answered = _per_day(
        Ticket.objects.filter(resolved_at__gte=start, resolved_at__lt=end, answer__isnull=False),
        "resolved_at",
        answers_used=Count("id"),
        regulation_resolved_with_answer=Count(
            "id", filter=Q(category=Category.REGULATION_QUESTION)
        ),
    )
    days = set(lookups) | set(callbacks) | set(answered)
    return {
        day: {
            **EMPTY_PUBLIC,
            **lookups.get(day, {}),
            **callbacks.get(day, {}),
            **answered.get(day, {}),
        }
        for day in days
    }
