"""The access review (SPEC §9): staff look-ups that need a second look — made without
a ticket, far above the officer's peers, outside the shift, or one record opened by
several officers. Findings are plain JSON (codes, not labels) so a digest can be
stored and shown in any language."""

import datetime
import statistics

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.calendar import shift_is_open
from citizens.models import RecordAccess

NO_TICKET = "no_ticket"
ABOVE_PEERS = "above_peers"
OUTSIDE_SHIFT = "outside_shift"
SHARED_RECORD = "shared_record"
LABELS = {
    NO_TICKET: _("Look-up without a ticket"),
    ABOVE_PEERS: _("Far more look-ups than the peers"),
    OUTSIDE_SHIFT: _("Look-up outside the shift"),
    SHARED_RECORD: _("One record opened by several officers"),
}
# Far above peers: at least this many look-ups, and this many times the peers' median.
PEER_FLOOR = 20
PEER_FACTOR = 3
# Several officers: this many different users opened the same application.
SHARED_BY = 3
ROW_LIMIT = 500


def _staff(first: datetime.date, last: datetime.date):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tz)
    return RecordAccess.objects.filter(at__gte=start, at__lt=end, user__isnull=False)


def _row(code, access) -> dict:
    return {
        "code": code,
        "id": access.pk,
        "at": timezone.localtime(access.at).strftime("%d/%m/%Y %H:%M"),
        "user": access.user.username,
        "action": access.action,
        "ticket": access.ticket_reference,
        "application_number": access.application_number,
        "purpose": getattr(access, "purpose", ""),
    }


def _without_ticket(rows):
    # Searches and opened applications; a page that shows records it reached another
    # way (a ticket the officer works, a batch, a quality list) logs `list` rows.
    lookups = rows.filter(ticket_reference="").exclude(action=RecordAccess.Action.LIST)
    return [_row(NO_TICKET, a) for a in lookups[:ROW_LIMIT]]


def _outside_shift(rows):
    found = []
    for access in rows.iterator():
        if not shift_is_open(access.at):
            found.append(_row(OUTSIDE_SHIFT, access))
            if len(found) >= ROW_LIMIT:
                break
    return found


def _above_peers(rows):
    per_user = list(rows.values("user__username").annotate(n=Count("id")).order_by("-n"))
    found = []
    for entry in per_user:
        peers = [other["n"] for other in per_user if other is not entry]
        median = statistics.median(peers) if peers else 0
        if entry["n"] >= PEER_FLOOR and entry["n"] >= PEER_FACTOR * max(median, 1):
            found.append(
                {
                    "code": ABOVE_PEERS,
                    "user": entry["user__username"],
                    "count": entry["n"],
                    "peer_median": median,
                }  # fmt: skip
            )
    return found


def _shared_records(rows):
    opened = (
        rows.exclude(application_number="")
        .values("application_number")
        .annotate(users=Count("user", distinct=True))
        .filter(users__gte=SHARED_BY)
        .order_by("-users")[:ROW_LIMIT]
    )
    return [
        {"code": SHARED_RECORD, "application_number": o["application_number"], "count": o["users"]}
        for o in opened
    ]


def findings(first: datetime.date, last: datetime.date) -> list[dict]:
    rows = _staff(first, last).select_related("user").order_by("at")
    return _without_ticket(rows) + _above_peers(rows) + _outside_shift(rows) + _shared_records(rows)


def label(code: str) -> str:
    return str(LABELS.get(code, code))
