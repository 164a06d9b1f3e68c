"""Simulated history (seed_tickets): an officer holds what a real one would — a few
dozen recent tickets, not every ticket stalled since the history began."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from callcenter.roles import AGENT, OFFICER
from tests.conftest import make_user
from tickets.models import Status, Ticket
from tickets.seeding import STALLED_FOR_AT_MOST, seed_tickets

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    agents = [make_user(f"seed_agent_{i}", AGENT) for i in range(4)]
    officers = [make_user(f"seed_officer_{i}", OFFICER) for i in range(3)]
    return agents, officers


def test_officers_hold_only_recent_tickets_a_few_dozen_each(staff):
    seed_tickets(days=60, per_day=120, seed=3)
    held = Ticket.objects.filter(status=Status.ASSIGNED)

    per_officer = Counter(held.values_list("assignee", flat=True))
    oldest = min(held.values_list("assigned_at", flat=True))

    assert Ticket.objects.filter(status=Status.RESOLVED, assignee__isnull=False).count() > 500
    assert 0 < max(per_officer.values()) <= 40
    assert oldest > timezone.now() - STALLED_FOR_AT_MOST - datetime.timedelta(hours=1)
