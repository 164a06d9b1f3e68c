"""The daily summary table gives exactly the live figures, however tickets change."""

import datetime

import pytest
from django.utils import timezone

from tests.tickets.test_stats import DAY1, fixture  # noqa: F401 (a fixture)
from tickets import services, stats, summary
from tickets.models import DailySummary, Ticket
from tickets.seeding import seed_tickets
from tickets.tasks import REFRESH_LOCK, refresh_stats_summary

pytestmark = pytest.mark.django_db


def assert_same_as_live(first, last):
    assert summary.daily(first, last) == stats.daily(first, last)
    assert summary.per_person(first, last) == stats.per_person(first, last)
    assert summary.by_hour(first, last) == stats.by_hour(first, last)


def test_refresh_stores_every_finished_day_and_reads_equal_live(fixture, monkeypatch):  # noqa: F811
    today = timezone.localdate()

    stored = refresh_stats_summary()

    assert stored == summary.HISTORY_DAYS
    assert DailySummary.objects.filter(stale=False).count() == stored
    assert_same_as_live(DAY1, today)
    # Only today is computed live: the finished days come from the table.
    ranges = []
    live = stats.daily
    monkeypatch.setattr(stats, "daily", lambda a, b: ranges.append((a, b)) or live(a, b))
    summary.daily(DAY1, today)
    assert ranges == [(today, today)]
    # A second refresh has nothing to do.
    assert refresh_stats_summary() == 0


def test_a_change_to_an_old_ticket_is_seen_before_the_next_refresh(fixture, officer, agent):  # noqa: F811
    refresh_stats_summary()
    t2 = Ticket.objects.get(reference="2611-90002")

    services.ticket_reopen(ticket=t2, user=agent)

    # Reopening undid day 2's resolution: every day since is live until refreshed.
    assert DailySummary.objects.filter(stale=True).exists()
    assert_same_as_live(DAY1, timezone.localdate())
    assert summary.daily(DAY1, DAY1 + datetime.timedelta(days=1))[1]["resolved"] == 0

    refresh_stats_summary()

    assert not DailySummary.objects.filter(stale=True).exists()
    assert_same_as_live(DAY1, timezone.localdate())


def test_resolving_an_old_ticket_marks_its_days(fixture, officer):  # noqa: F811
    refresh_stats_summary()
    t3 = Ticket.objects.get(reference="2611-90003")
    services.ticket_claim(ticket=t3, officer=officer)
    services.ticket_resolve(ticket=t3, user=officer, resolution_code="complaint_forwarded")

    stale = set(DailySummary.objects.filter(stale=True).values_list("day", flat=True))
    assert stale == {DAY1 + datetime.timedelta(days=1), datetime.date(2026, 11, 20)}
    assert_same_as_live(DAY1, timezone.localdate())


def test_summary_equals_live_over_seeded_weeks(agent, officer):
    seed_tickets(days=25, per_day=40, seed=7)
    first = timezone.localdate() - datetime.timedelta(days=26)

    assert refresh_stats_summary() > 0

    assert_same_as_live(first, timezone.localdate())
    assert_same_as_live(first + datetime.timedelta(days=3), first + datetime.timedelta(days=9))


def test_a_refresh_already_running_is_not_started_twice(fixture):  # noqa: F811
    from django.core.cache import cache

    cache.add(REFRESH_LOCK, 1)
    try:
        assert refresh_stats_summary() == 0
        assert not DailySummary.objects.exists()
    finally:
        cache.delete(REFRESH_LOCK)


def test_a_calendar_exception_for_a_past_day_marks_it(fixture):  # noqa: F811
    from callcenter.models import CalendarDay

    refresh_stats_summary()
    CalendarDay.objects.create(date=DAY1, kind=CalendarDay.Kind.CLOSED, reason="storm")

    assert DailySummary.objects.get(day=DAY1).stale is True
    assert summary.daily(DAY1, DAY1)[0]["calls_in_shift"] == 0
    assert_same_as_live(DAY1, timezone.localdate())
