"""Rules for a contact's input, written once.

The console form and the API's serializers both call these functions and report the
messages they return under the same field names, so the same bad input gets the same
answer on the page and in the API. Each function takes already-typed values and
returns `{field: [messages]}` (empty when all is well).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Channel

# How far ahead of our clock a reported time may be, and how far back a call may be.
CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_CALL_AGE = datetime.timedelta(days=30)

# What identifies the citizen on each channel other than the phone.
DIGITS_ID = re.compile(r"^[0-9]{5,32}$")


def call_time_errors(*, channel: str, started, ended) -> dict[str, list[str]]:
    """A call's start and end: on the phone channel only, within the last 30 days,
    not in the future, the end after the start."""
    now = timezone.now()
    errors = {}
    if (started or ended) and channel != Channel.PHONE:
        key = "call_started_at" if started else "call_ended_at"
        return {key: [_("Call times: only for contacts on the phone channel.")]}
    if started and started > now + CLOCK_SKEW:
        errors["call_started_at"] = [_("Call start: cannot be in the future.")]
    elif started and started < now - MAX_CALL_AGE:
        errors["call_started_at"] = [_("Call start: more than 30 days ago.")]
    if ended and ended > now + CLOCK_SKEW:
        errors["call_ended_at"] = [_("Call end: cannot be in the future.")]
    elif ended and started and ended < started:
        errors["call_ended_at"] = [_("Call end: cannot be before the call start.")]
    elif ended and not started:
        errors["call_started_at"] = [_("Call start: required when the call end is given.")]
    return errors


def event_time_error(at: datetime.datetime) -> str:
    """A PBX event's time, by the same window as a call's start ("" when fine)."""
    now = timezone.now()
    if at > now + CLOCK_SKEW:
        return _("At: cannot be in the future.")
    if at < now - MAX_CALL_AGE:
        return _("At: more than 30 days ago.")
    return ""


def contact_errors(data: dict) -> dict[str, list[str]]:
    """Each channel has its own way of reaching the citizen: the phone channel a caller
    phone, Zalo and Facebook their numeric user id, e-mail an address (stored in lower
    case), a walk-in a phone or a name. Normalises `contact` in place."""
    channel = data["channel"]
    contact = data["contact"] = data.get("contact", "").strip()
    if channel == Channel.PHONE:
        if not data.get("caller_phone"):
            return {"caller_phone": [_("Caller phone: required for the phone channel.")]}
        if contact:
            return {"contact": [_("Contact: not used on the phone channel.")]}
        return {}
    if data.get("call_id"):
        return {"call_id": [_("Call id: only for the phone channel.")]}
    if channel == Channel.WALK_IN:
        if contact:
            return {"contact": [_("Contact: not used for walk-in visits.")]}
        if not data.get("caller_phone") and not data.get("caller_name"):
            return {"caller_name": [_("Full name: required for a walk-in without a phone.")]}
        return {}
    if not contact:
        return {"contact": [_("Contact: required for this channel.")]}
    if channel == Channel.EMAIL:
        return _email_errors(data, contact)
    if not DIGITS_ID.match(contact):
        if channel == Channel.ZALO:
            return {"contact": [_("Contact: a Zalo user id (digits).")]}
        return {"contact": [_("Contact: a Facebook page-scoped id (digits).")]}
    return {}


def _email_errors(data: dict, contact: str) -> dict[str, list[str]]:
    try:
        validate_email(contact)
    except ValidationError:
        return {"contact": [_("Contact: not a valid e-mail address.")]}
    data["contact"] = contact.lower()
    return {}
