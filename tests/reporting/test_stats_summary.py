"""The daily summary table gives exactly the live figures, however tickets change."""

import datetime

import pytest
from django.utils import timezone

from reporting import stats, summary
from reporting.models import DailySummary
from reporting.tasks import REFRESH_LOCK, refresh_stats_summary
from tests.reporting.test_stats import DAY1, fixture  # noqa: F401 (a fixture)
from tickets import services
from tickets.models import Ticket
from tickets.seeding import seed_tickets

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

    services.ticket_reopen(ticket=t2, actor=agent)

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
    services.ticket_claim(ticket=t3, actor=officer)
    services.ticket_resolve(ticket=t3, actor=officer, resolution_code="complaint_forwarded")

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


def at_days_ago(days, clock="10:00"):
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(clock)))


def old_ticket(agent, officer, **times):
    """A ticket whose steps fall on different finished days."""
    return Ticket.objects.create(
        reference=f"2611-8{Ticket.objects.count():04d}", caller_phone="+84912345678",
        summary="x", category="complaint", created_by=agent, assignee=officer, **times,
    )  # fmt: skip


def test_reopen_recomputes_the_old_escalation_claim_and_deadline_days(agent, officer):
    ticket = old_ticket(
        agent, officer, status="resolved", resolution_code="complaint_forwarded",
        created_at=at_days_ago(12), escalated_at=at_days_ago(11),
        claim_due_at=at_days_ago(11, "14:00"), assigned_at=at_days_ago(10),
        claim_business_seconds=3600, resolve_due_at=at_days_ago(9),
        resolved_at=at_days_ago(8), resolve_business_seconds=7200,
    )  # fmt: skip
    first = timezone.localdate() - datetime.timedelta(days=14)
    refresh_stats_summary()

    services.ticket_reopen(ticket=ticket, actor=agent)

    assert_same_as_live(first, timezone.localdate())


def test_release_recomputes_the_old_claim_day(agent, officer):
    ticket = old_ticket(
        agent, officer, status="assigned", created_at=at_days_ago(6),
        escalated_at=at_days_ago(6), assigned_at=at_days_ago(5), claim_business_seconds=3600,
    )  # fmt: skip
    first = timezone.localdate() - datetime.timedelta(days=7)
    refresh_stats_summary()

    services.ticket_release(ticket=ticket, actor=officer)

    assert_same_as_live(first, timezone.localdate())


def test_a_call_logged_late_counts_on_the_day_it_was_taken(agent):
    from tests.factories import ticket_for

    refresh_stats_summary()
    started = timezone.now() - datetime.timedelta(days=1)
    ticket_for(
        agent, call_started_at=started, call_ended_at=started + datetime.timedelta(minutes=5)
    )

    day = timezone.localdate(started)
    assert summary.daily(day, day) == stats.daily(day, day)
    assert summary.daily(day, day)[0]["calls"] == 1


def test_a_day_marked_while_a_refresh_computes_stays_stale(fixture, monkeypatch):  # noqa: F811
    t2 = Ticket.objects.get(reference="2611-90002")
    computed = stats.daily

    def change_meanwhile(first, last):
        rows = computed(first, last)
        services.ticket_reopen(ticket=t2, actor=t2.created_by)  # while the refresh computes
        return rows

    monkeypatch.setattr(stats, "daily", change_meanwhile)
    summary.refresh()
    monkeypatch.setattr(stats, "daily", computed)

    assert DailySummary.objects.get(day=DAY1 + datetime.timedelta(days=1)).stale is True
    assert_same_as_live(DAY1, timezone.localdate())
