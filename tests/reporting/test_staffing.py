"""The staffing forecast (SPEC §8.4): Erlang C through pyworkforce, checked against a
published worked example, and the API over seeded history."""

import datetime

import pytest
from django.utils import timezone
from pyworkforce.queuing import ErlangC

from callcenter.calendar import is_working_day
from presence.models import StatusInterval
from reporting import staffing
from tickets.models import Call

pytestmark = pytest.mark.django_db


def test_erlang_c_gives_the_worked_example_of_call_centre_helper():
    """ "Erlang C Formula – Made Simple With an Easy Worked Example" (Call Centre Helper,
    callcentrehelper.com): 100 calls in 30 minutes, 180 s handle time, 80 % answered in
    20 s: 10 Erlangs; 13 agents answer 79.6 %, 14 agents 88.8 % — 14 needed, 20 with
    30 % shrinkage."""
    erlang = ErlangC(transactions=100, aht=3, asa=20 / 60, interval=30, shrinkage=0.3)
    assert round(erlang.waiting_probability(positions=11), 4) == 0.6821
    assert round(erlang.service_level(positions=13), 3) == 0.796
    assert round(erlang.service_level(positions=14), 3) == 0.888
    needed = erlang.required_positions(service_level=0.8, max_occupancy=1.0)
    assert (needed["raw_positions"], needed["positions"]) == (14, 20)


def weekday_before(weeks: int, *, weekday: int = 1) -> datetime.date:
    day = timezone.localdate()
    day -= datetime.timedelta(days=(day.weekday() - weekday) % 7 or 7)
    return day - datetime.timedelta(weeks=weeks - 1)


def a_past_tuesday_with_four_working_weeks_before() -> datetime.date:
    """The latest past Tuesday whose four previous Tuesdays are all working days: a
    public holiday among them would count as missing (24/11/2026 is one)."""
    target = weekday_before(1)
    while not all(is_working_day(target - datetime.timedelta(weeks=n)) for n in (0, 1, 2, 3, 4)):
        target -= datetime.timedelta(weeks=1)
    return target


def calls_at(day, hour, minute, count, handle=180):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    Call.objects.bulk_create(
        Call(caller_phone="+84912345678", started_at=start, answered_at=start,
             ended_at=start + datetime.timedelta(seconds=handle))
        for _ in range(count)
    )  # fmt: skip


def test_the_forecast_is_the_mean_of_the_same_weekday_over_four_weeks(supervisor):
    target = a_past_tuesday_with_four_working_weeks_before()
    history = [target - datetime.timedelta(weeks=n) for n in (1, 2, 3, 4)]
    for count, day in zip((80, 100, 120, 100), history, strict=True):
        calls_at(day, 9, 0, count)
    result = staffing.forecast(target)
    nine = next(r for r in result["results"] if timezone.localtime(r["start"]).hour == 9
                and timezone.localtime(r["start"]).minute == 0)  # fmt: skip

    assert result["weeks_of_history"] == 4
    assert nine["forecast_calls"] == 100 and nine["aht_seconds"] == 180
    # The worked example's load: 14 on the phones, 20 with 30 % shrinkage.
    assert (nine["agents_needed_on_phones"], nine["agents_needed"]) == (14, 20)
    # The smallest staff reaching the target: one fewer does not.
    erlang = ErlangC(transactions=100, aht=3, asa=20 / 60, interval=30)
    assert erlang.service_level(positions=13) < 0.8 <= erlang.service_level(positions=14)


def test_a_past_day_shows_the_seats_ready_and_the_service_level_they_gave(agent, other_agent):
    target = a_past_tuesday_with_four_working_weeks_before()
    for n in (1, 2, 3, 4):
        calls_at(target - datetime.timedelta(weeks=n), 9, 0, 100)
    nine = timezone.make_aware(datetime.datetime.combine(target, datetime.time(9, 0)))
    for user in (agent, other_agent):
        StatusInterval.objects.create(
            agent=user, status="ready", started_at=nine, ended_at=nine + datetime.timedelta(hours=1)
        )
    rows = staffing.forecast(target)["results"]
    row = next(r for r in rows if r["start"] == nine)
    assert row["agents_ready"] == 2.0
    assert row["expected_service_level"] == 0.0  # 2 seats for 10 Erlangs


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "date"),
        ("date=2026-02-30", "date"),
        ("date=2026-12-01&service_level=1", "service_level"),
        ("date=2026-12-01&service_level=0", "service_level"),
        ("date=2026-12-01&service_level=x", "service_level"),
        ("date=2026-12-01&shrinkage=1", "shrinkage"),
        ("date=2026-12-01&answer_seconds=0", "answer_seconds"),
    ],
)
def test_bad_staffing_input_is_a_400_naming_the_field(query, field, supervisor, api_client_for):
    response = api_client_for(supervisor).get(f"/api/v1/stats/staffing/?{query}")
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize("role", ["agent", "officer", "print_desk", "pbx"])
def test_the_forecast_is_for_supervisors(role, users, api_client_for):
    response = api_client_for(users[role]).get("/api/v1/stats/staffing/?date=2026-12-01")
    assert response.status_code == 403


def test_the_api_answers_one_row_per_half_hour_of_the_shift(supervisor, api_client_for):
    body = api_client_for(supervisor).get("/api/v1/stats/staffing/?date=2026-12-01").json()
    assert len(body["results"]) == 20
    assert set(body["results"][0]) == {
        "start", "forecast_calls", "aht_seconds", "agents_needed", "agents_needed_on_phones",
        "agents_ready", "expected_service_level",
    }  # fmt: skip
