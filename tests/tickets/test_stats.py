"""Statistics against a small fixture whose figures are worked out by hand."""

import datetime

import pytest

from tickets import stats
from tickets.models import Call, Category, Channel, Status, Ticket

HANOI = datetime.timezone(datetime.timedelta(hours=7))
DAY1, DAY2 = datetime.date(2026, 11, 17), datetime.date(2026, 11, 18)  # Tuesday, Wednesday
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
    t2 = ticket(2, agent, at(DAY1, "18:02"), category=Category.DELAYED_CARD,
                status=Status.RESOLVED, escalated_at=at(DAY1, "18:02"), assignee=officer,
                assigned_at=at(DAY2, "08:00"), resolved_at=at(DAY2, "10:00"))  # fmt: skip
    call(agent, t2, at(DAY1, "18:00"), 120)
    # Day 2, 08:00: a complaint, escalated, still waiting.
    t3 = ticket(3, agent, at(DAY2, "08:10"), category=Category.COMPLAINT,
                status=Status.ESCALATED, escalated_at=at(DAY2, "08:10"))  # fmt: skip
    call(agent, t3, at(DAY2, "08:00"), 600)
    # Day 2: a Zalo message, still open, no call.
    ticket(4, agent, at(DAY2, "09:00"), channel=Channel.ZALO)


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

    assert (day2["calls"], day2["calls_in_shift"], day2["calls_outside_shift"]) == (1, 1, 0)
    assert day2["tickets_by_category"]["complaint"] == 1
    assert day2["tickets_by_channel"] == {"phone": 1, "zalo": 1, "facebook": 0,
                                          "email": 0, "walk_in": 0}  # fmt: skip
    assert (day2["first_contact_resolved"], day2["escalated"], day2["resolved"]) == (0, 1, 1)
    assert day2["average_handle_seconds"] == 600
    assert day2["open_backlog_end_of_day"] == 2


def test_a_day_without_anything_is_a_row_of_zeros(fixture):
    (row,) = stats.daily(datetime.date(2026, 11, 20), datetime.date(2026, 11, 20))
    assert (row["calls"], row["tickets"], row["average_handle_seconds"]) == (0, 0, None)
    assert row["open_backlog_end_of_day"] == 2


def test_per_agent_and_per_officer_figures(fixture, agent, officer):
    people = stats.per_person(DAY1, DAY2)

    assert people["agents"] == [
        {"username": agent.username, "calls": 3, "average_handle_seconds": 340, "tickets": 4,
         "first_contact_resolved": 1},
    ]  # fmt: skip
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
