"""Statistics against a small fixture whose figures are worked out by hand."""

import datetime

import pytest
from django.utils import timezone

from reporting import stats
from reprints.models import ReprintItem
from tests.citizens.factories import application
from tickets.models import Call, Category, Channel, Status, Ticket

HANOI = datetime.timezone(datetime.timedelta(hours=7))
DAY1, DAY2 = datetime.date(2026, 11, 17), datetime.date(2026, 11, 18)  # Tuesday, Wednesday
NOV20, NOV25 = datetime.date(2026, 11, 20), datetime.date(2026, 11, 25)
pytestmark = pytest.mark.django_db


def at(day, clock):
    return datetime.datetime.combine(day, datetime.time.fromisoformat(clock), tzinfo=HANOI)


def ticket(n, agent, created, **fields):
    fields.setdefault("category", Category.OTHER)
    return Ticket.objects.create(
        reference=f"2611-9{n:04d}", caller_phone="+84912345678", summary="x",
        created_by=agent, created_at=created, **fields,
    )  # fmt: skip


def call(agent, ticket_, started, seconds):
    Call.objects.create(
        ticket=ticket_, caller_phone="+84912345678", agent=agent, started_at=started,
        answered_at=started, ended_at=started + datetime.timedelta(seconds=seconds),
    )  # fmt: skip


@pytest.fixture
def fixture(agent, officer):
    # Day 1, 09:00: answered at first contact in a 300 s call.
    t1 = ticket(1, agent, at(DAY1, "09:05"), status=Status.RESOLVED,
                resolution_code="answered", resolved_at=at(DAY1, "09:05"))  # fmt: skip
    call(agent, t1, at(DAY1, "09:00"), 300)
    # Day 1, 18:00 (after the shift): a delayed card, escalated, claimed and resolved on day 2.
    # Its clocks start at day 2's opening (07:30): claim due 4 business hours later,
    # resolve due 5 business days later (24 November is a holiday); claimed after 30
    # minutes, resolved after 2.5 hours of business time.
    t2 = ticket(2, agent, at(DAY1, "18:02"), category=Category.DELAYED_CARD,
                status=Status.RESOLVED, escalated_at=at(DAY1, "18:02"), assignee=officer,
                assigned_at=at(DAY2, "08:00"), resolved_at=at(DAY2, "10:00"),
                claim_due_at=at(DAY2, "11:30"), resolve_due_at=at(NOV25, "17:30"),
                claim_business_seconds=1800, resolve_business_seconds=9000)  # fmt: skip
    call(agent, t2, at(DAY1, "18:00"), 120)
    # Day 2, 08:00: a complaint, escalated, still waiting: its claim deadline (12:10)
    # passes on day 2, its resolve deadline (two business days) on Friday 20 at 08:10.
    t3 = ticket(3, agent, at(DAY2, "08:10"), category=Category.COMPLAINT,
                status=Status.ESCALATED, escalated_at=at(DAY2, "08:10"),
                claim_due_at=at(DAY2, "12:10"), resolve_due_at=at(NOV20, "08:10"))  # fmt: skip
    call(agent, t3, at(DAY2, "08:00"), 600)
    # Day 2: a Zalo message, still open, no call.
    ticket(4, agent, at(DAY2, "09:00"), channel=Channel.ZALO)
    # Day 2: t2's card put on the reprint list at 10:00, printed on Friday 20.
    item = ReprintItem.objects.create(
        application=application(), reason="slow_printing", requested_at=at(DAY2, "10:00"),
        active=False, outcome=ReprintItem.Outcome.PRINTED, marked_at=at(NOV20, "15:00"),
    )  # fmt: skip
    item.tickets.add(t2)


def test_daily_figures_match_the_hand_count(fixture):
    day1, day2 = stats.daily(DAY1, DAY2)

    assert day1["calls"] == 2 and day1["calls_in_shift"] == 1 and day1["calls_outside_shift"] == 1
    assert day1["tickets"] == 2
    assert day1["tickets_by_category"]["other"] == 1
    assert day1["tickets_by_category"]["delayed_card"] == 1
    assert day1["tickets_by_channel"]["phone"] == 2
    assert (day1["first_contact_resolved"], day1["escalated"], day1["resolved"]) == (1, 1, 1)
    assert day1["average_handle_seconds"] == 210
    assert day1["open_backlog_end_of_day"] == 1
    # t2, created at 18:02, is still open at midnight: 5 h 58 min.
    assert day1["oldest_open_age_hours"] == 6.0
    assert (day1["average_claim_business_seconds"], day1["average_resolve_business_seconds"]) == (
        None, None,
    )  # fmt: skip
    assert (day1["sla_breaches"], day1["reprints_requested"], day1["reprints_printed"]) == (0, 0, 0)

    assert (day2["calls"], day2["calls_in_shift"], day2["calls_outside_shift"]) == (1, 1, 0)
    assert day2["tickets_by_category"]["complaint"] == 1
    assert day2["tickets_by_channel"] == {"phone": 1, "zalo": 1, "facebook": 0,
                                          "email": 0, "walk_in": 0}  # fmt: skip
    assert (day2["first_contact_resolved"], day2["escalated"], day2["resolved"]) == (0, 1, 1)
    assert day2["average_handle_seconds"] == 600
    assert day2["open_backlog_end_of_day"] == 2
    # t3 (08:10) is the oldest open ticket at midnight: 15 h 50 min.
    assert day2["oldest_open_age_hours"] == 15.8
    assert day2["average_claim_business_seconds"] == 1800
    assert day2["average_resolve_business_seconds"] == 9000
    assert (day2["sla_breaches"], day2["sla_breaches_claim"], day2["sla_breaches_resolve"]) == (
        1, 1, 0,
    )  # fmt: skip
    assert (day2["reprints_requested"], day2["reprints_printed"]) == (1, 0)


def test_resolve_deadline_breach_and_printing_fall_on_their_own_day(fixture):
    (thursday, friday) = stats.daily(datetime.date(2026, 11, 19), NOV20)

    assert thursday["sla_breaches"] == 0
    assert (friday["sla_breaches"], friday["sla_breaches_resolve"]) == (1, 1)
    assert friday["reprints_printed"] == 1
    # t3 has waited since Wednesday 08:10: 2 days 15 h 50 min at Friday's end.
    assert friday["oldest_open_age_hours"] == 63.8


def test_a_day_without_anything_is_a_row_of_zeros(fixture):
    (row,) = stats.daily(datetime.date(2026, 11, 20), datetime.date(2026, 11, 20))
    assert (row["calls"], row["tickets"], row["average_handle_seconds"]) == (0, 0, None)
    assert row["open_backlog_end_of_day"] == 2


def test_per_agent_and_per_officer_figures(fixture, agent, officer):
    people = stats.per_person(DAY1, DAY2)

    (row,) = people["agents"]
    assert row == {
        **row, "username": agent.username, "calls": 3, "average_handle_seconds": 340,
        "tickets": 4, "first_contact_resolved": 1, "callbacks_made": 0, "ready_seconds": 0,
        "occupancy_percent": None,
    }  # fmt: skip
    assert people["officers"] == [{"username": officer.username, "claimed": 1, "resolved": 1}]


def test_stats_api_is_for_supervisors_and_validates_the_range(
    fixture, supervisor, agent, officer, api_client_for
):
    url = "/api/v1/stats/daily/?from=2026-11-17&to=2026-11-18"
    body = api_client_for(supervisor).get(url).json()
    assert [row["calls"] for row in body["results"]] == [2, 1]
    assert (
        api_client_for(supervisor).get("/api/v1/stats/agents/?from=2026-11-17").status_code == 200
    )
    for user in (agent, officer):
        assert api_client_for(user).get(url).status_code == 403
    assert api_client_for(None).get(url).status_code == 401
    bad = api_client_for(supervisor)
    assert "from" in bad.get("/api/v1/stats/daily/?from=2026-02-30").json()
    assert "to" in bad.get("/api/v1/stats/daily/?from=2026-11-18&to=2026-11-17").json()
    assert "to" in bad.get("/api/v1/stats/daily/?from=2020-01-01&to=2026-11-17").json()


def test_time_in_each_status_per_agent_and_occupancy(agent, supervisor, api_client_for):
    from presence.models import StatusInterval

    day = datetime.date(2026, 11, 17)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    hour = datetime.timedelta(hours=1)
    for status, reason, start, length in [
        ("ready", "", at, hour), ("on_call", "", at + hour, 2 * hour),
        ("wrap_up", "", at + 3 * hour, hour), ("break", "lunch", at + 4 * hour, hour),
        # Across midnight: two hours on the 17th, one on the 18th.
        ("ready", "", at + 14 * hour, 3 * hour),
    ]:  # fmt: skip
        StatusInterval.objects.create(agent=agent, status=status, reason=reason,
                                      started_at=start, ended_at=start + length)  # fmt: skip
    (row,) = stats.per_person(day, day)["agents"]
    assert (row["ready_seconds"], row["on_call_seconds"], row["wrap_up_seconds"]) == (
        3 * 3600, 2 * 3600, 3600,
    )  # fmt: skip
    assert row["break_seconds"]["lunch"] == 3600
    assert row["occupancy_percent"] == 50.0
    body = api_client_for(supervisor).get("/api/v1/stats/agents/?from=2026-11-18&to=2026-11-18")
    assert body.json()["agents"][0]["ready_seconds"] == 3600
