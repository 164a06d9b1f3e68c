"""The live wallboard (SPEC §8.3): who is doing what, who is waiting, today so far.

`snapshot()` is what GET /api/v1/wallboard/ and the /wallboard/ page show. Any change
that moves a figure (a PBX event, an agent's status, a ticket's step, a callback)
calls `changed()` after its commit: the cached snapshot is dropped and the open
wallboards are told over server-sent events to fetch it again.
"""

import datetime
import logging

from django.db.models import Count, Min, Q
from django.utils import timezone

from callbacks.models import Callback
from callcenter import cache
from callcenter.people import staff_name
from presence import services as presence_services
from presence.models import AgentStatus, BreakReason, Status
from tickets.models import Call, Ticket
from tickets.models import Status as TicketStatus

from . import stats

logger = logging.getLogger(__name__)
CHANNEL = "wallboard"
CACHE_KEY = "wallboard:snapshot"
CACHE_SECONDS = 5
# Ringing calls older than this are taken as lost by the PBX, not waiting.
WAITING_AT_MOST = datetime.timedelta(hours=1)


def _agents(now) -> dict:
    rows = AgentStatus.objects.select_related("agent", "agent__agent_profile")
    agents = [
        {
            "username": row.agent.username,
            "name": staff_name(row.agent),
            "extension": getattr(getattr(row.agent, "agent_profile", None), "extension", ""),
            "status": row.status,
            "reason": row.reason,
            "reason_label": str(BreakReason(row.reason).label) if row.reason else "",
            "since": row.since,
            "seconds_in_status": int((now - row.since).total_seconds()),
        }
        for row in rows
    ]
    # By extension (101, 102 … 120), then name: the seats' order in the room.
    agents.sort(key=lambda a: (a["extension"] == "", a["extension"].zfill(6), a["name"]))
    counts = {status: 0 for status in Status.values}
    for agent in agents:
        counts[agent["status"]] += 1
    return {"counts": counts, "list": agents}


def agents_now() -> dict:
    """Each agent's status now, for the dashboard's today strip."""
    return _agents(timezone.now())


def _waiting(now) -> tuple[int, int | None]:
    ringing = Call.objects.filter(
        pbx_call_id__isnull=False,
        answered_at__isnull=True,
        ended_at__isnull=True,
        started_at__gte=now - WAITING_AT_MOST,
    ).aggregate(n=Count("id"), oldest=Min("started_at"))
    oldest = ringing["oldest"]
    return ringing["n"], int((now - oldest).total_seconds()) if oldest else None


def snapshot() -> dict:
    """Everything the wallboard shows, computed now."""
    presence_services.expire_wrap_ups()
    now = timezone.now()
    today = timezone.localdate()
    (day,) = stats.daily(today, today)
    waiting, longest = _waiting(now)
    queue = Ticket.objects.filter(status=TicketStatus.ESCALATED).aggregate(
        n=Count("id"), oldest=Min("escalated_at")
    )
    oldest = queue["oldest"]
    return {
        "at": now,
        "agents": _agents(now),
        "calls_waiting": waiting,
        "longest_wait_seconds": longest,
        "answered": day["pbx_calls_answered"],
        "abandoned": day["pbx_calls_abandoned"],
        "service_level": day["service_level_percent"],
        "callbacks_pending": Callback.objects.filter(status=Callback.Status.PENDING).count(),
        "callbacks_due": Callback.objects.filter(
            Q(status=Callback.Status.PENDING) & Q(next_attempt_at__lte=now)
        ).count(),
        "queue_length": queue["n"],
        "oldest_escalated_hours": round((now - oldest).total_seconds() / 3600, 1)
        if oldest
        else None,
        "sla_breaches_today": day["sla_breaches"],
    }


def current() -> dict:
    """The snapshot, computed at most once per change for all open wallboards."""
    board = cache.get(CACHE_KEY)
    if board is None:  # none cached, or Redis is down (callcenter.cache)
        board = snapshot()
        cache.set(CACHE_KEY, board, CACHE_SECONDS)
    return board


def changed(**kwargs) -> None:
    """A figure moved: drop the cached snapshot and tell the open wallboards."""
    from django_eventstream import send_event

    cache.delete(CACHE_KEY)
    try:
        send_event(CHANNEL, "changed", {"at": timezone.now().isoformat()})
    except Exception:  # the wallboards poll as well: a lost push is late, not wrong
        logger.warning("wallboard: could not push the change", exc_info=True)
