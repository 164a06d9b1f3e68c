"""What the bridge does with one event, in its one database thread: the same CTI
service and agent-status service the HTTP API and the console use, with the same
validation as POST /api/v1/cti/events/."""

import datetime
import logging
import time

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, close_old_connections, connection

from callcenter.models import AgentProfile
from presence.services import status_from_pause
from tickets import cti
from tickets.api.cti import CallEventSerializer
from tickets.models import Call

from . import health
from .mapping import CallEvent, Pause

log = logging.getLogger("pbx.bridge")
# A database that went away: a new connection after these pauses, then the event is given up.
RETRY_PAUSES = (0.5, 1, 2, 4, 8)


def record(item: CallEvent | Pause, *, at: datetime.datetime, kind: str) -> str:
    """Apply one event; says what came of it: recorded, duplicate or skipped."""
    for pause in (*RETRY_PAUSES, None):
        close_old_connections()
        try:
            outcome = _apply(item, at)
        except (OperationalError, InterfaceError) as error:
            connection.close()
            if pause is None:
                raise
            log.warning("database unavailable (%s), retrying in %s s", error, pause)
            time.sleep(pause)
            continue
        if outcome != "skipped":
            health.stamp(kind, "event")
        return outcome
    raise AssertionError("unreachable")


def close_connection() -> None:
    """In the database thread: `connection` is that thread's own."""
    connection.close()


def _agent(extension: str):
    profile = AgentProfile.objects.select_related("user").filter(extension=extension).first()
    return profile.user if profile else None


def _apply(item: CallEvent | Pause, at: datetime.datetime) -> str:
    if isinstance(item, Pause):
        return _pause(item)
    if item.known_only and not Call.objects.filter(pbx_call_id=item.call_id).exists():
        log.debug("%s of a call the hotline does not know, skipped", item.event)
        return "skipped"
    if item.extension and _agent(item.extension) is None:
        if item.event == "ringing":
            log.info("ringing on extension %s, which is no agent's: skipped", item.extension)
            return "skipped"
        log.warning("%s on extension %s, which is no agent's", item.event, item.extension)
    data = _validated(item, at)
    if data is None:
        return "skipped"
    try:
        outcome = cti.call_event(**data)
    except ValidationError as error:
        log.warning("%s of call %s refused: %s", item.event, item.call_id, error.messages)
        return "skipped"
    return "duplicate" if outcome.duplicate else "recorded"


def _validated(item: CallEvent, at: datetime.datetime) -> dict | None:
    payload = {
        "call_id": item.call_id,
        "event": item.event,
        "caller_number": item.caller_number,
        "agent_extension": item.extension,
        "at": at.isoformat(),
    }
    serializer = CallEventSerializer(data=payload)
    if not serializer.is_valid() and set(serializer.errors) == {"caller_number"}:
        # An internal extension or a malformed caller id: the call counts, without a number.
        log.info("caller number of call %s unreadable, recorded as withheld", item.call_id)
        serializer = CallEventSerializer(data={**payload, "caller_number": None})
    if not serializer.is_valid():
        log.warning("event of call %s skipped: %s", item.call_id, dict(serializer.errors))
        return None
    return serializer.validated_data


def _pause(item: Pause) -> str:
    agent = _agent(item.extension) if item.extension else None
    if agent is None:
        log.info("pause of extension %r, which is no agent's: skipped", item.extension)
        return "skipped"
    status_from_pause(agent=agent, paused=item.paused, reason_text=item.reason_text)
    return "recorded"
