"""Demo data of agent status: each agent's day over the seeded month, from their calls.

An agent signs in a little before the shift, is on each of their calls from its answer
to its end, in wrap-up for up to a minute after it, ready in between, and at lunch
from about 11:30 for an hour; offline after the shift. Written in bulk, as the services
would have recorded it.
"""

import datetime
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from callcenter.calendar import is_working_day, shift_hours
from tickets.models import Call

from .models import AgentStatus, Status, StatusInterval

WRAP_UP = datetime.timedelta(seconds=45)


def seed_presence(*, days: int, stdout=None, seed: int = 11) -> int:
    """Status intervals of every agent for the last `days` days; returns how many."""
    rng = random.Random(seed)
    agents = list(get_user_model().objects.filter(groups__name="agent"))
    if not agents or StatusInterval.objects.exists():
        return 0
    today = timezone.localdate()
    made = 0
    for offset in range(days, 0, -1):
        day = today - datetime.timedelta(days=offset)
        if is_working_day(day):
            made += _day(rng, agents, day)
    AgentStatus.objects.bulk_create(
        [AgentStatus(agent=a, status=Status.OFFLINE, since=timezone.now()) for a in agents],
        ignore_conflicts=True,
    )
    if stdout is not None:
        stdout.write(f"{made} agent status intervals.")
    return made


def _at(day, time, minutes=0.0):
    moment = timezone.make_aware(datetime.datetime.combine(day, time))
    return moment + datetime.timedelta(minutes=minutes)


@transaction.atomic
def _day(rng, agents, day) -> int:
    opens, closes = shift_hours()
    start, end = _at(day, opens), _at(day, closes)
    calls = defaultdict(list)
    rows = Call.objects.filter(
        agent__in=agents, started_at__gte=start, started_at__lt=end, answered_at__isnull=False
    ).values_list("agent_id", "answered_at", "ended_at")
    for agent_id, answered, ended in rows.order_by("answered_at"):
        calls[agent_id].append((answered, ended or answered + datetime.timedelta(minutes=5)))
    intervals = []
    for agent in agents:
        lunch = _at(day, datetime.time(11, 30), rng.uniform(-15, 15))
        steps = [(_at(day, opens, rng.uniform(-10, 5)), Status.READY, "")]
        steps.append((lunch, Status.BREAK, "lunch"))
        steps.append((lunch + datetime.timedelta(hours=1), Status.READY, ""))
        mine = [c for c in calls.get(agent.pk, [])
                if not lunch <= c[0] < lunch + datetime.timedelta(hours=1)]  # fmt: skip
        for n, (answered, ended) in enumerate(mine):
            # Wrap-up ends at the next call if that comes sooner.
            after = min(ended + WRAP_UP, mine[n + 1][0]) if n + 1 < len(mine) else ended + WRAP_UP
            steps += [(answered, Status.ON_CALL, ""), (ended, Status.WRAP_UP, ""),
                      (after, Status.READY, "")]  # fmt: skip
        steps.sort(key=lambda step: step[0])
        off = end + datetime.timedelta(minutes=rng.uniform(0, 10))
        for (began, status, reason), (following, *_rest) in zip(
            steps, [*steps[1:], (off, None, "")], strict=True
        ):
            if following > began:
                intervals.append(StatusInterval(agent=agent, status=status, reason=reason,
                                                started_at=began, ended_at=following))  # fmt: skip
    StatusInterval.objects.bulk_create(intervals, batch_size=5000)
    return len(intervals)
