"""`{% load held %}`: the personal-data page shows the held data's codes and times as
people read them — labels in the reader's language, local time — while the JSON and
XLSX exports keep the codes and ISO times (privacy.holdings)."""

import datetime

from django import template
from django.utils import formats, timezone

from callbacks.models import Callback
from citizens.models import RecordAccess
from tickets.models import Status

register = template.Library()

CHOICES = {
    "ticket_status": Status,
    "callback_status": Callback.Status,
    "channel": RecordAccess.Channel,
    "action": RecordAccess.Action,
}


@register.filter
def label(code, kind: str):
    """The label of a stored code (`kind` names its choices); unknown codes as they are."""
    try:
        return CHOICES[kind](code).label
    except (KeyError, ValueError):
        return code


@register.filter
def when(iso):
    """An ISO date-time of the held data as 30/11/2026 17:00, in local time."""
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "d/m/Y H:i")
