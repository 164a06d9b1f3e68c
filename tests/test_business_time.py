import datetime

import pytest

from callcenter.calendar import (
    add_business_seconds,
    business_seconds_between,
    is_working_day,
    shift_is_open,
    working_days_between,
)
from callcenter.models import CalendarDay

HANOI = datetime.timezone(datetime.timedelta(hours=7))
# December 2026 has no public holiday (24 November is Vietnam Cultural Day).
HOUR = 3600


def at(day: str, clock: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=HANOI)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "seconds"),
    [
        (at("2026-12-08", "09:00"), at("2026-12-08", "11:30"), 2.5 * HOUR),
        # Overnight: half an hour before closing, half an hour after opening.
        (at("2026-12-08", "17:00"), at("2026-12-09", "08:00"), 1 * HOUR),
        # Outside the shift entirely.
        (at("2026-12-08", "18:00"), at("2026-12-09", "07:00"), 0),
        # Over a weekend: Friday evening to Monday morning.
        (at("2026-12-11", "17:00"), at("2026-12-14", "08:00"), 1 * HOUR),
        # A whole working week: five shifts of ten hours.
        (at("2026-12-07", "00:00"), at("2026-12-14", "00:00"), 50 * HOUR),
        # Over Tết 2022 (31 Jan – 4 Feb are public holidays): nothing in between counts.
        (at("2022-01-28", "17:00"), at("2022-02-07", "08:00"), 1 * HOUR),
        (at("2026-12-08", "10:00"), at("2026-12-08", "09:00"), 0),
    ],
)
def test_business_time_counts_only_shift_hours_on_working_days(start, end, seconds):
    assert business_seconds_between(start, end) == seconds


@pytest.mark.django_db
def test_a_working_day_swap_makes_a_saturday_count():
    saturday = datetime.date(2026, 12, 12)
    assert not is_working_day(saturday)
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING, reason="swap")

    assert is_working_day(saturday)
    assert business_seconds_between(at("2026-12-11", "17:00"), at("2026-12-14", "08:00")) == (
        11 * HOUR
    )
    assert working_days_between(datetime.date(2026, 12, 11), datetime.date(2026, 12, 14)) == 2


@pytest.mark.django_db
def test_an_extra_closed_day_does_not_count_and_closes_the_shift():
    wednesday = datetime.date(2026, 12, 9)
    CalendarDay.objects.create(date=wednesday, kind=CalendarDay.Kind.CLOSED)

    assert not is_working_day(wednesday)
    assert not shift_is_open(at("2026-12-09", "10:00"))
    assert business_seconds_between(at("2026-12-08", "17:00"), at("2026-12-10", "08:00")) == (
        1 * HOUR
    )
    assert working_days_between(datetime.date(2026, 12, 8), datetime.date(2026, 12, 10)) == 1


@pytest.mark.django_db
def test_removing_an_exception_restores_the_rule_at_once():
    wednesday = datetime.date(2026, 12, 9)
    day = CalendarDay.objects.create(date=wednesday, kind=CalendarDay.Kind.CLOSED)
    assert not is_working_day(wednesday)

    day.delete()

    assert is_working_day(wednesday)


@pytest.mark.django_db
def test_supervisor_manages_calendar_exceptions_in_the_admin(supervisor, client_for):
    supervisor.is_staff = True
    supervisor.save()
    client = client_for(supervisor)

    response = client.post(
        "/admin/callcenter/calendarday/add/",
        {"date": "2026-12-26", "kind": "working", "reason": "swap for 2 January"},
    )

    assert response.status_code == 302
    assert is_working_day(datetime.date(2026, 12, 26))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "seconds", "due"),
    [
        (at("2026-12-08", "09:00"), 4 * HOUR, at("2026-12-08", "13:00")),
        # Escalated after the shift: the clock starts at the next opening.
        (at("2026-12-08", "18:02"), 4 * HOUR, at("2026-12-09", "11:30")),
        # Over the night and the weekend: Friday 16:30 plus 2 hours is Monday 08:30.
        (at("2026-12-11", "16:30"), 2 * HOUR, at("2026-12-14", "08:30")),
        # Two business days from mid-morning end mid-morning two working days later.
        (at("2026-12-09", "08:10"), 20 * HOUR, at("2026-12-11", "08:10")),
        # Reaching closing time exactly stays at closing time.
        (at("2026-12-08", "07:30"), 10 * HOUR, at("2026-12-08", "17:30")),
        # Over Tết 2022 (31 Jan – 4 Feb): Friday 17:00 plus 1 hour is the Monday after.
        (at("2022-01-28", "17:00"), 1 * HOUR, at("2022-02-07", "08:00")),
    ],
)
def test_adding_business_time_skips_nights_weekends_and_holidays(start, seconds, due):
    assert add_business_seconds(start, seconds) == due
    assert business_seconds_between(start, due) == seconds


@pytest.mark.django_db
def test_adding_business_time_uses_a_working_day_swap():
    CalendarDay.objects.create(
        date=datetime.date(2026, 12, 12), kind=CalendarDay.Kind.WORKING, reason="swap"
    )
    assert add_business_seconds(at("2026-12-11", "16:30"), 2 * HOUR) == at("2026-12-12", "08:30")
