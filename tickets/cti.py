"""Calls as the PBX reports them (POST /api/v1/cti/events/).

Each call is identified by the PBX's call id; each of its events (ringing, answered,
hangup) is kept once, so a repeated event changes nothing, and the call's times are
set from whichever events have arrived, in any order. A call hung up before it was
answered is abandoned.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callcenter.models import AgentProfile

from . import hooks
from .models import Call, CallEvent

Kind = CallEvent.Kind


@dataclasses.dataclass(frozen=True)
class Outcome:
    call: Call
    duplicate: bool


def _agent_for(extension: str):
    profile = AgentProfile.objects.select_related("user").filter(extension=extension).first()
    return profile.user if profile else None


def _check_order(call: Call) -> None:
    """The PBX's own times must follow ringing → answered → hangup."""
    answered, ended = call.answered_at, call.ended_at
    if answered and answered < call.started_at:
        raise ValidationError({"at": [_("At: the call was answered before it rang.")]})
    if ended and ended < (answered or call.started_at):
        raise ValidationError({"at": [_("At: the call ended before it began.")]})


@transaction.atomic
def call_event(
    *, call_id: str, event: str, at: datetime.datetime, caller_number, agent_extension: str
) -> Outcome:
    """Record one PBX event and bring its call up to date."""
    agent = _agent_for(agent_extension) if agent_extension else None
    call, _created = Call.objects.select_for_update().get_or_create(
        pbx_call_id=call_id,
        defaults={
            "caller_phone": caller_number or "",
            "started_at": at,
            "extension": agent_extension,
            "agent": agent,
        },
    )
    seen = set(CallEvent.objects.filter(call=call).values_list("event", flat=True))
    if event in seen:
        rings_another_seat = agent_extension and agent_extension != call.extension
        if event == Kind.RINGING and Kind.ANSWERED not in seen and rings_another_seat:
            # A queue rings the next seat (or a first one after the caller joined): the
            # pop-up follows the ringing phone; no second event is recorded.
            call.extension, call.agent = agent_extension, agent
            call.save(update_fields=["extension", "agent"])
        return Outcome(call, duplicate=True)
    if event == Kind.RINGING or (Kind.RINGING not in seen and at < call.started_at):
        # The ringing time is the start; before it arrives, the earliest event stands in.
        call.started_at = at
    if event == Kind.ANSWERED:
        call.answered_at = at
    if event == Kind.HANGUP:
        call.ended_at = at
    if agent_extension and (
        event == Kind.ANSWERED or (event == Kind.RINGING and Kind.ANSWERED not in seen)
    ):
        # The extension that answers is the agent who takes the call.
        call.extension, call.agent = agent_extension, agent
    _check_order(call)
    call.save()
    CallEvent.objects.create(call=call, event=event, at=at, extension=agent_extension)
    # An event reported after midnight changes a finished day's call figures.
    hooks.days_touched(days={timezone.localdate(call.started_at)})
    _tell(call, event)
    hooks.call_event_recorded(call=call, event=event)
    return Outcome(call, duplicate=False)


def _tell(call: Call, event: str) -> None:
    """Let the apps above know that a caller was answered or given up on."""
    if not call.caller_phone:
        return
    if event == Kind.ANSWERED:
        hooks.caller_reached(phone=str(call.caller_phone), actor=call.agent, ticket=call.ticket)
    elif event == Kind.HANGUP and call.answered_at is None:
        hooks.call_abandoned(call=call)


def incoming_for(agent) -> Call | None:
    """The call to pop up on an agent's console: the latest call to their extension in
    the last half hour that is not logged as a ticket yet and was not abandoned."""
    extension = getattr(getattr(agent, "agent_profile", None), "extension", "")
    if not extension:
        return None
    since = timezone.now() - datetime.timedelta(minutes=30)
    call = (
        Call.objects.filter(
            extension=extension,
            pbx_call_id__isnull=False,
            ticket__isnull=True,
            started_at__gte=since,
        )
        .order_by("-started_at")
        .first()
    )
    if call is None or (call.ended_at and not call.answered_at):
        return None
    return call


def call_to_log(agent, *, pk: int | None = None, pbx_call_id: str = "") -> Call | None:
    """The agent's PBX call that a new ticket is to take: by our id (the console's
    pop-up) or the PBX's (the API); None when there is none. One that has a ticket
    already is returned too: ticket_create refuses it (CallAlreadyLogged)."""
    if not pk and not pbx_call_id:
        return None
    lookup = {"pk": pk} if pk else {"pbx_call_id": pbx_call_id}
    return Call.objects.filter(agent=agent, **lookup).first()


def state(call: Call) -> str:
    if call.ended_at:
        return "ended" if call.answered_at else "abandoned"
    return "answered" if call.answered_at else "ringing"
