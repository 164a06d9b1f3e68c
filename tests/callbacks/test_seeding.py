"""seed_demo gives the second release something to show on first start: repeat callers
and missed calls with their callbacks, made through the real services."""

import pytest
from django.core.management import call_command

from callbacks.models import Callback, CallbackAttempt
from tickets.models import Call, CallEvent, Ticket

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_repeat_callers_and_missed_calls_with_callbacks():
    call_command("seed_demo", records=0, days=12, per_day=40)

    assert Ticket.objects.filter(contact_count__gt=1).exists()
    assert Call.objects.filter(follow_up=True).count() == sum(
        t.contact_count - 1 for t in Ticket.objects.filter(contact_count__gt=1)
    )
    abandoned = Call.objects.filter(pbx_call_id__startswith="demo-missed-", answered_at=None)
    assert abandoned.count() > Call.objects.exclude(pbx_call_id__startswith="demo-").count()
    assert CallEvent.objects.filter(call__in=abandoned).count() == 2 * abandoned.count()
    # Every missed call is counted on exactly one callback of its number.
    assert sum(Callback.objects.values_list("missed_calls", flat=True)) == abandoned.count()
    statuses = set(Callback.objects.values_list("status", flat=True))
    assert {"reached", "given_up", "wrong_number"} <= statuses
    for callback in Callback.objects.exclude(status="pending"):
        assert callback.attempts == CallbackAttempt.objects.filter(callback=callback).count()
        assert callback.first_attempt_at >= callback.first_missed_at
