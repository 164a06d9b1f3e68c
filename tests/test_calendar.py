"""The business calendar: working days in Vietnam, public holidays included (SPEC §3)."""

import datetime
import random

import holidays
import pytest

from callcenter.calendar import add_working_days, is_working_day, working_days_between

# The calendar reads the supervisors' exceptions (CalendarDay) from the database.
pytestmark = pytest.mark.django_db

D = datetime.date
# Tết 2022 as the `holidays` package lists it: Mon 31 Jan (Lunar New Year's Eve)
# to Fri 4 Feb, a whole working week.
TET_2022 = [D(2022, 1, 31), D(2022, 2, 1), D(2022, 2, 2), D(2022, 2, 3), D(2022, 2, 4)]


def count_one_by_one(start, end):
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days


def test_holidays_package_lists_tet_2022_as_the_week_of_31_january():
    listed = holidays.country_holidays("VN", years=2022)

    assert all(day in listed for day in TET_2022)
    assert D(2022, 1, 28) not in listed and D(2022, 2, 7) not in listed


@pytest.mark.parametrize("day", TET_2022)
def test_tet_days_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2022, 3, 5), False),  # Saturday
        (D(2022, 3, 6), False),  # Sunday
        (D(2022, 3, 7), True),  # Monday
        (D(2022, 4, 11), False),  # Hùng Kings' day (observed)
        (D(2022, 9, 2), False),  # National Day
        (D(2022, 1, 3), False),  # New Year's Day (observed)
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_working_days_across_a_weekend_skip_saturday_and_sunday():
    # Fri 4 Mar 2022 → Mon 7 Mar: only the Monday counts.
    assert working_days_between(D(2022, 3, 4), D(2022, 3, 7)) == 1
    # Thu 3 Mar → Tue 8 Mar: Fri, Mon, Tue.
    assert working_days_between(D(2022, 3, 3), D(2022, 3, 8)) == 3


def test_a_full_week_without_holidays_has_five_working_days():
    assert working_days_between(D(2022, 3, 7), D(2022, 3, 14)) == 5


def test_working_days_across_tet_2022_skip_the_holiday_week():
    # Fri 28 Jan → Mon 7 Feb: the week between is Tết; only 7 Feb counts.
    assert working_days_between(D(2022, 1, 28), D(2022, 2, 7)) == 1
    # Thu 27 Jan → Tue 8 Feb: Fri 28 Jan, Mon 7 Feb, Tue 8 Feb.
    assert working_days_between(D(2022, 1, 27), D(2022, 2, 8)) == 3


def test_working_days_across_the_new_year_skip_both_years_holidays():
    # Thu 30 Dec 2021 → Tue 4 Jan 2022: Fri 31 Dec and Tue 4 Jan (Mon 3 Jan is the
    # observed New Year's Day).
    assert working_days_between(D(2021, 12, 30), D(2022, 1, 4)) == 2


def test_a_span_entirely_within_tet_has_no_working_days():
    # After Mon 31 Jan up to and including Fri 4 Feb: all Tết.
    assert working_days_between(D(2022, 1, 31), D(2022, 2, 4)) == 0


def test_end_before_start_is_zero():
    assert working_days_between(D(2022, 3, 10), D(2022, 3, 1)) == 0


def test_same_day_is_zero():
    assert working_days_between(D(2022, 3, 7), D(2022, 3, 7)) == 0


def test_adding_working_days_across_a_weekend():
    assert add_working_days(D(2022, 3, 4), 1) == D(2022, 3, 7)
    assert add_working_days(D(2022, 3, 3), 3) == D(2022, 3, 8)


def test_adding_working_days_across_tet_2022():
    assert add_working_days(D(2022, 1, 28), 1) == D(2022, 2, 7)
    # The legal 7 working days from Wed 26 Jan: Thu 27, Fri 28, then 7–11 Feb.
    assert add_working_days(D(2022, 1, 26), 7) == D(2022, 2, 11)


def test_adding_zero_working_days_is_the_same_day():
    assert add_working_days(D(2022, 2, 1), 0) == D(2022, 2, 1)


def test_working_days_between_agrees_with_a_day_by_day_count():
    rng = random.Random(20220201)
    first = D(2019, 1, 1).toordinal()
    for _ in range(500):
        start = D.fromordinal(first + rng.randrange(2600))
        end = start + datetime.timedelta(days=rng.randrange(-30, 800))
        assert working_days_between(start, end) == count_one_by_one(start, end), (start, end)


def test_add_working_days_is_the_inverse_of_working_days_between():
    rng = random.Random(7)
    first = D(2020, 1, 1).toordinal()
    for _ in range(300):
        start = D.fromordinal(first + rng.randrange(1500))
        days = rng.randrange(1, 60)
        end = add_working_days(start, days)
        assert is_working_day(end), (start, days)
        assert working_days_between(start, end) == days, (start, days)
