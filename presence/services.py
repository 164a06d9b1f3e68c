"""Every change of an agent's status: set on the console, moved by PBX events, back to
ready after the wrap-up time, offline on logging out or when the seat goes idle. Each
change closes the agent's open interval and opens the next, in one transaction."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import hooks
from .models import AgentStatus, BreakReason, Status, StatusInterval

# What an agent may choose on the console; on_call and wrap_up follow the PBX.
CHOSEN = (Status.READY, Status.BREAK, Status.OFFLINE)


def status_errors(status: str, reason: str) -> dict[str, list[str]]:
    """The rule for a status an agent sets, shared by the console and the API."""
    if status not in CHOSEN:
        return {"status": [_("Status: choose ready, break or offline.")]}
    if status == Status.BREAK and reason not in BreakReason.values:
        return {
            "reason": [_("Reason: say why you take a break (lunch, meeting, training, other).")]
        }
    if status != Status.BREAK and reason:
        return {"reason": [_("Reason: only for a break.")]}
    return {}


def _current(agent, at) -> AgentStatus:
    """The agent's status row, locked; created offline the first time."""
    row, _created = AgentStatus.objects.select_for_update().get_or_create(
        agent=agent, defaults={"status": Status.OFFLINE, "since": at}
    )
    return row


def _change(row: AgentStatus, status: str, reason: str, at: datetime.datetime) -> AgentStatus:
    if (row.status, row.reason) == (status, reason):
        return row
    at = max(at, row.since)
    StatusInterval.objects.filter(agent_id=row.agent_id, ended_at__isnull=True).update(ended_at=at)
    if status != Status.OFFLINE:
        StatusInterval.objects.create(
            agent_id=row.agent_id, status=status, reason=reason, started_at=at
        )
    row.status, row.reason, row.since = status, reason, at
    row.save(update_fields=["status", "reason", "since"])
    transaction.on_commit(hooks.status_changed)
    return row


@transaction.atomic
def status_set(*, actor, status: str, reason: str = "") -> AgentStatus:
    """The agent chooses ready, a break (with its reason) or offline."""
    errors = status_errors(status, reason)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    return _change(_current(actor, now), status, reason, now)


@transaction.atomic
def status_from_call(*, call, event: str) -> AgentStatus | None:
    """A PBX event on the agent's extension: answered puts them on the call, the hang-up
    of an answered call into wrap-up (also when the answer is reported after the
    hang-up: events arrive in any order)."""
    if call.agent_id is None:
        return None
    if event == "answered" and call.ended_at is None:
        return _change(_current(call.agent, call.answered_at), Status.ON_CALL, "", call.answered_at)
    if call.answered_at and call.ended_at and event in ("answered", "hangup"):
        row = _current(call.agent, call.ended_at)
        if row.status in (Status.ON_CALL, Status.READY) or event == "answered":
            return _change(row, Status.WRAP_UP, "", call.ended_at)
    return None


# Words in a PBX pause reason (Asterisk's PausedReason, typed at the phone or set by a
# FreePBX/Issabel button) and the break they mean; anything else is "other".
PAUSE_WORDS = {
    BreakReason.LUNCH: ("lunch", "ăn trưa", "an trua", "nghỉ trưa", "nghi trua"),
    BreakReason.MEETING: ("meeting", "họp", "hop"),
    BreakReason.TRAINING: ("training", "đào tạo", "dao tao", "học"),
}


def break_reason_for(reason_text: str) -> str:
    text = (reason_text or "").strip().lower()
    for reason, words in PAUSE_WORDS.items():
        if any(word in text for word in words):
            return reason
    return BreakReason.OTHER


@transaction.atomic
def status_from_pause(*, agent, paused: bool, reason_text: str = "") -> AgentStatus:
    """The PBX paused the agent's queue membership (a break, its reason read from the
    PBX's text) or unpaused it (ready again, when it was a break)."""
    now = timezone.now()
    row = _current(agent, now)
    if paused:
        return _change(row, Status.BREAK, break_reason_for(reason_text), now)
    if row.status == Status.BREAK:
        return _change(row, Status.READY, "", now)
    return row


@transaction.atomic
def status_after_logging(*, agent) -> AgentStatus:
    """The agent logged the call: wrap-up is over."""
    row = _current(agent, timezone.now())
    if row.status == Status.WRAP_UP:
        return _change(row, Status.READY, "", timezone.now())
    return row


@transaction.atomic
def status_offline(*, agent) -> None:
    """Logged out (or idle): the seat is empty."""
    row = _current(agent, timezone.now())
    _change(row, Status.OFFLINE, "", timezone.now())


def expire_wrap_ups(now: datetime.datetime | None = None) -> int:
    """Agents in wrap-up for WRAP_UP_SECONDS are ready again, from the moment it ran out."""
    now = now or timezone.now()
    limit = datetime.timedelta(seconds=settings.WRAP_UP_SECONDS)
    done = 0
    for agent_id in AgentStatus.objects.filter(
        status=Status.WRAP_UP, since__lte=now - limit
    ).values_list("agent_id", flat=True):
        with transaction.atomic():
            row = AgentStatus.objects.select_for_update().get(agent_id=agent_id)
            if row.status == Status.WRAP_UP and row.since <= now - limit:
                _change(row, Status.READY, "", row.since + limit)
                done += 1
    return done


def mark_idle_offline(now: datetime.datetime | None = None) -> int:
    """Agents whose console has made no request for the idle time are offline (a call in
    progress keeps them on it)."""
    now = now or timezone.now()
    idle = now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    done = 0
    stale = AgentStatus.objects.filter(last_seen_at__lt=idle).exclude(
        status__in=[Status.OFFLINE, Status.ON_CALL]
    )
    for agent_id in stale.values_list("agent_id", flat=True):
        with transaction.atomic():
            row = AgentStatus.objects.select_for_update().get(agent_id=agent_id)
            if row.last_seen_at and row.last_seen_at < idle:
                _change(row, Status.OFFLINE, "", row.last_seen_at)
                done += 1
    return done


def seen(*, agent) -> None:
    """The agent's console made a request (recorded at most once a minute)."""
    now = timezone.now()
    AgentStatus.objects.filter(agent=agent).exclude(
        last_seen_at__gte=now - datetime.timedelta(minutes=1)
    ).update(last_seen_at=now)
