"""The search service (SPEC §3 card application; issue 3 §3) on PostgreSQL, and its
SQLite fallback ranking."""

import datetime

import pytest
from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from callcenter.calendar import is_working_day
from citizens import search
from citizens.models import ApplicationStatus, CardApplication
from citizens.text import fold

from .factories import application

pytestmark = pytest.mark.django_db

DOB = datetime.date(1990, 5, 17)


@pytest.fixture(autouse=True)
def empty_cache():
    """The vocabulary of names is cached (in Redis on the suite): start each test clean."""
    cache.clear()
    yield
    cache.clear()


def numbers(matches):
    return [m.application.application_number for m in matches]


def count_working_days(start, end):
    """Working days after `start` up to and including `end`, counted one by one."""
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days


# --- exact look-ups -----------------------------------------------------------------


def test_cccd_search_finds_only_the_application_with_that_number():
    wanted = application("Nguyễn Văn An")
    application("Nguyễn Văn An")

    matches = search.by_cccd(wanted.cccd_number)

    assert numbers(matches) == [wanted.application_number]
    assert matches[0].exact and matches[0].score == 1.0


def test_cccd_search_for_an_unknown_number_finds_nothing():
    application()
    assert search.by_cccd("001090999999") == []


def test_old_id_search_finds_the_citizen():
    wanted = application("Lê Thị Hoa", sex="F", old_id_number="012345678")
    application("Lê Thị Hoa", sex="F", old_id_number="012345679")
    application("Lê Thị Hoa", sex="F")

    assert numbers(search.by_old_id("012345678")) == [wanted.application_number]


# --- full name + date of birth --------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["nguyen van an", "NGUYỄN VĂN AN", "Nguyễn Văn An", "  nguyễn   VĂN an ", "Nguyen Van An"],
)
def test_name_and_birth_search_ignores_accents_case_and_spacing(typed):
    wanted = application("Nguyễn Văn An", date_of_birth=DOB)
    application("Phạm Thị Lan", sex="F", date_of_birth=DOB)

    matches = search.by_name_and_birth(typed, DOB)

    assert numbers(matches) == [wanted.application_number]
    assert matches[0].exact


@pytest.mark.parametrize("typed", ["Đặng Văn Đạt", "đặng văn đạt", "dang van dat", "DANG VAN DAT"])
def test_d_with_stroke_folds_to_d_in_name_search(typed):
    wanted = application("Đặng Văn Đạt", date_of_birth=DOB)

    matches = search.by_name_and_birth(typed, DOB)

    assert numbers(matches) == [wanted.application_number]
    assert matches[0].exact


def test_fold_turns_both_cases_of_d_with_stroke_into_plain_d():
    assert fold("Đặng") == fold("đặng") == fold("dang") == "dang"
    assert fold("ĐỖ ĐỨC ĐẠT") == "do duc dat"


def test_set_name_fills_the_folded_keys():
    app = CardApplication()
    app.set_name("  Đặng   Thị  Thu Hương ")

    assert app.full_name == "Đặng Thị Thu Hương"
    assert (app.name_key, app.family_key, app.given_key) == ("dang thi thu huong", "dang", "huong")


def test_exact_namesakes_are_told_apart_by_date_of_birth():
    first = application("Nguyễn Văn An", date_of_birth=DOB)
    second = application("Nguyễn Văn An", date_of_birth=datetime.date(1991, 2, 2))

    assert numbers(search.by_name_and_birth("Nguyen Van An", DOB)) == [first.application_number]
    assert numbers(search.by_name_and_birth("Nguyen Van An", datetime.date(1991, 2, 2))) == [
        second.application_number
    ]


def test_name_and_birth_search_on_another_day_finds_nobody():
    application("Nguyễn Văn An", date_of_birth=DOB)
    assert search.by_name_and_birth("Nguyễn Văn An", datetime.date(1990, 5, 18)) == []


def test_missing_middle_name_is_found_as_a_close_match_after_exact_ones():
    with_middle = application("Nguyễn Văn An", date_of_birth=DOB)
    without_middle = application("Nguyễn An", date_of_birth=DOB)

    matches = search.by_name_and_birth("Nguyễn An", DOB)

    assert numbers(matches) == [without_middle.application_number, with_middle.application_number]
    assert matches[0].exact and matches[0].score == 1.0
    assert not matches[1].exact and 0 < matches[1].score < 1


def test_one_letter_typo_is_found_as_a_close_match():
    wanted = application("Trần Thị Hương", sex="F", date_of_birth=DOB)
    application("Trần Thị Lan", sex="F", date_of_birth=DOB)

    matches = search.by_name_and_birth("Tran Thi Huomg", DOB)

    assert numbers(matches) == [wanted.application_number]
    assert 0 < matches[0].score < 1 and not matches[0].exact


def test_unrelated_name_on_the_same_birthday_is_not_a_match():
    application("Phạm Thị Lan", sex="F", date_of_birth=DOB)
    assert search.by_name_and_birth("Nguyễn Văn Hùng", DOB) == []


def test_different_given_name_on_the_same_birthday_is_not_a_close_match():
    # Neither a typo nor a missing middle name: another person who happens to share
    # the family and middle name and the birthday.
    wanted = application("Nguyễn Văn An", date_of_birth=DOB)
    application("Nguyễn Văn Bình", date_of_birth=DOB)
    application("Nguyễn Văn Hùng", date_of_birth=DOB)

    assert numbers(search.by_name_and_birth("Nguyễn Văn An", DOB)) == [wanted.application_number]


def test_swapped_middle_names_are_a_close_match_not_an_exact_one():
    other = application("Nguyễn Ngọc Bảo Anh", sex="F", date_of_birth=DOB)

    matches = search.by_name_and_birth("Nguyễn Bảo Ngọc Anh", DOB)

    assert numbers(matches) == [other.application_number]
    assert not matches[0].exact


def test_name_and_birth_results_are_capped():
    for _ in range(search.MAX_RESULTS + 5):
        application("Nguyễn Văn An", date_of_birth=DOB)

    assert len(search.by_name_and_birth("Nguyễn Văn An", DOB)) == search.MAX_RESULTS


# --- fuzzy name within a province or a birth year -------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Nguyễn Hùng",  # no middle name
        "nguyen van hunh",  # typo in the given name
        "Ngyen Van Hung",  # typo in the family name
        "NGUYỄN VĂN HÙNG",
    ],
)
def test_fuzzy_search_within_a_province_finds_misspelt_names(typed):
    wanted = application("Nguyễn Văn Hùng", province="001", date_of_birth=DOB)
    application("Trần Thị Lan", sex="F", province="001")

    matches = search.fuzzy(typed, province="001")

    assert numbers(matches) == [wanted.application_number]


@pytest.mark.parametrize("typed", ["Nguyễn Hùng", "nguyen van hunh", "Ngyen Van Hung"])
def test_fuzzy_search_within_a_birth_year_finds_misspelt_names(typed):
    wanted = application("Nguyễn Văn Hùng", province="079", date_of_birth=DOB)
    application("Nguyễn Văn Hùng", province="079", date_of_birth=datetime.date(1989, 12, 31))
    application("Nguyễn Văn Hùng", province="079", date_of_birth=datetime.date(1991, 1, 1))

    matches = search.fuzzy(typed, birth_year=1990)

    assert numbers(matches) == [wanted.application_number]


def test_fuzzy_search_never_returns_someone_from_another_province():
    home = [application("Nguyễn Văn Hùng", province="001") for _ in range(3)]
    application("Nguyễn Văn Hùng", province="079")
    application("Nguyễn Hùng", province="048")
    application("Nguyễn Văn Hưng", province="079")

    matches = search.fuzzy("Nguyễn Văn Hùng", province="001")

    assert sorted(numbers(matches)) == sorted(a.application_number for a in home)
    assert {m.application.province_code for m in matches} == {"001"}


def test_fuzzy_results_are_ranked_exact_first_then_by_closeness():
    exact = application("Nguyễn Văn An", province="001")
    no_middle = application("Nguyễn An", province="001")
    other_given = application("Nguyễn Văn Anh", province="001")
    application("Nguyễn Thị Lan", sex="F", province="001")

    matches = search.fuzzy("nguyen van an", province="001")

    assert numbers(matches) == [
        exact.application_number,
        # Same family and given name, no middle name: ahead of a closer-looking but
        # different given name.
        no_middle.application_number,
        other_given.application_number,
    ]
    assert [m.exact for m in matches] == [True, False, False]
    assert all(0 < m.score < 1 for m in matches[1:])


def test_fuzzy_results_are_capped_and_keep_exact_names_first():
    exact = {application("Nguyễn Văn An", province="001").application_number for _ in range(25)}
    application("Nguyễn An", province="001")

    matches = search.fuzzy("Nguyễn Văn An", province="001")

    assert len(matches) == search.MAX_RESULTS
    assert set(numbers(matches)) <= exact
    assert all(m.exact for m in matches)


def test_names_tied_on_closeness_share_their_places_by_lodging_date():
    """Within a province the search ranks names, then fetches each name's latest
    applications: two different names equally close to the query still interleave by
    lodging date, as ranking the rows one by one would."""
    ha_old = application("Nguyễn Hà An", lodged_on=datetime.date(2024, 1, 1))
    le = application("Nguyễn Lê An", lodged_on=datetime.date(2024, 3, 1))
    ha_new = application("Nguyễn Hà An", lodged_on=datetime.date(2024, 2, 1))

    matches = search.fuzzy("nguyen van an", province="001")

    assert len({m.score for m in matches}) == 1  # the same closeness: a tie to break
    assert numbers(matches) == [
        le.application_number,
        ha_new.application_number,
        ha_old.application_number,
    ]


def test_a_tie_across_names_is_capped_at_the_latest_applications():
    lodged = [datetime.date(2023, 1, 1) + datetime.timedelta(days=3 * i) for i in range(30)]
    rows = [
        application("Nguyễn Hà An" if i % 2 else "Nguyễn Lê An", lodged_on=day)
        for i, day in enumerate(lodged)
    ]

    matches = search.fuzzy("nguyen van an", province="001")

    latest = sorted(rows, key=lambda a: a.lodged_on, reverse=True)[: search.MAX_RESULTS]
    assert numbers(matches) == [a.application_number for a in latest]


@pytest.mark.parametrize("typed", ["nguyen van an", "ngyen an", "tran thi hoa", "le van"])
def test_ranking_names_finds_what_ranking_every_row_finds(typed):
    """The province search's two steps (rank the distinct names, then fetch their
    latest applications) against `_similar` over every candidate row, on a crowd of
    namesakes, misspellings and people elsewhere."""
    names = [
        "Nguyễn Văn An",
        "Nguyễn An",
        "Nguyễn Văn Anh",
        "Nguyễn Thị An",
        "Nguyên Văn An",
        "Nguyễn Hà An",
        "Nguyễn Lê An",
        "Trần Thị Hoa",
        "Trần Hoa",
        "Trần Thị Hòa",
        "Lê Văn",
        "Lê Văn Văn",
        "Lê Thị Vân",
        "Nguyễn Văn Ân",
    ]
    for i in range(60):
        application(
            names[i % len(names)],
            province="001" if i % 5 else "079",
            lodged_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=(i * 37) % 700),
        )
    words = fold(typed).split()
    families = search.close_words(words[0], "family_key")
    givens = search.close_words(words[-1], "given_key")
    rows = CardApplication.objects.filter(
        province_code="001", family_key__in=families, given_key__in=givens
    )

    by_name = search._similar_in_province("001", families, givens, " ".join(words), 20)
    by_row = search._similar(rows, " ".join(words), 20)

    assert by_name  # the crowd has someone close to every query here
    assert [(m.score, m.application.lodged_on) for m in by_name] == [
        (m.score, m.application.lodged_on) for m in by_row
    ]
    assert len(set(numbers(by_name))) == len(by_name)  # nobody twice


def test_fuzzy_search_of_a_name_that_folds_to_nothing_finds_nothing():
    application()
    assert search.fuzzy("\u0301 ", province="001") == []


# --- how long it has taken ------------------------------------------------------------


def test_application_stuck_in_received_counts_working_days_past_the_limit():
    lodged = datetime.date(2022, 3, 1)
    stuck = application(status=ApplicationStatus.RECEIVED, lodged_on=lodged)

    match = search.by_cccd(stuck.cccd_number)[0]

    expected = count_working_days(lodged, timezone.localdate())
    assert match.working_days == expected
    assert match.overdue_days == expected - search.LEGAL_WORKING_DAYS
    assert match.stuck and match.in_progress


@pytest.mark.parametrize("status", [ApplicationStatus.APPROVED, ApplicationStatus.PRINTING])
def test_application_stuck_in_approval_or_printing_is_overdue(status):
    stuck = application(status=status, lodged_on=datetime.date(2022, 3, 1))

    match = search.by_cccd(stuck.cccd_number)[0]

    assert match.overdue_days == match.working_days - search.LEGAL_WORKING_DAYS > 0


def test_delivered_application_counts_working_days_until_printed_and_is_not_overdue():
    # Lodged Tue 2022-03-01, printed Mon 2022-03-07: Wed, Thu, Fri, Mon.
    done = application(status=ApplicationStatus.DELIVERED, lodged_on=datetime.date(2022, 3, 1))

    match = search.by_cccd(done.cccd_number)[0]

    assert match.working_days == 4
    assert match.overdue_days == 0 and not match.stuck and not match.in_progress


def test_rejected_application_counts_working_days_until_rejection():
    # Lodged Tue 2022-03-01, rejected Sun 2022-03-06: Wed, Thu, Fri.
    rejected = application(status=ApplicationStatus.REJECTED, lodged_on=datetime.date(2022, 3, 1))

    match = search.by_cccd(rejected.cccd_number)[0]

    assert (match.working_days, match.overdue_days) == (3, 0)


def test_application_lodged_today_is_not_overdue():
    fresh = application(status=ApplicationStatus.RECEIVED, lodged_on=timezone.localdate())

    match = search.by_cccd(fresh.cccd_number)[0]

    assert (match.working_days, match.overdue_days) == (0, 0)


# --- the SQLite fallback ----------------------------------------------------------------


def annotated(key):
    """Rows as `search._similar` hands them to the fallback: with `same_ends`."""
    words = key.split()
    return CardApplication.objects.annotate(
        same_ends=Case(
            When(family_key=words[0], given_key=words[-1], then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def test_fallback_ranks_same_ends_first_then_by_ratio_then_latest_lodged():
    older = application("Nguyễn Văn An", lodged_on=datetime.date(2021, 6, 1))
    newer = application("Nguyễn Văn An", lodged_on=datetime.date(2022, 6, 1))
    no_middle = application("Nguyễn An")
    other_given = application("Nguyễn Văn Anh")
    application("Nguyễn Thị Lan", sex="F")

    matches = search._similar_fallback(annotated("nguyen van an"), "nguyen van an", 10)

    assert numbers(matches) == [
        newer.application_number,
        older.application_number,
        no_middle.application_number,
        other_given.application_number,
    ]
    assert [m.score for m in matches[:2]] == [1.0, 1.0]
    assert all(search.SIMILAR_NAME_FALLBACK <= m.score < 1 for m in matches[2:])


def test_fallback_keeps_only_the_best_up_to_the_limit():
    best = application("Nguyễn Văn An")
    application("Nguyễn An")
    application("Nguyễn Văn Anh")

    matches = search._similar_fallback(annotated("nguyen van an"), "nguyen van an", 1)

    assert numbers(matches) == [best.application_number]


@pytest.fixture
def without_postgresql(monkeypatch):
    monkeypatch.setattr(search, "_postgres", lambda: False)


@pytest.mark.usefixtures("without_postgresql")
@pytest.mark.parametrize("typed", ["Nguyễn Hùng", "nguyen van hunh", "Ngyen Van Hung"])
def test_fallback_fuzzy_search_finds_the_same_people(typed):
    wanted = application("Nguyễn Văn Hùng", province="001", date_of_birth=DOB)
    application("Nguyễn Văn Hùng", province="079", date_of_birth=DOB)
    application("Trần Thị Lan", sex="F", province="001")

    assert numbers(search.fuzzy(typed, province="001")) == [wanted.application_number]


@pytest.mark.usefixtures("without_postgresql")
def test_fallback_name_and_birth_search_puts_exact_before_missing_middle_name():
    with_middle = application("Nguyễn Văn An", date_of_birth=DOB)
    without_middle = application("Nguyễn An", date_of_birth=DOB)

    matches = search.by_name_and_birth("nguyen an", DOB)

    assert numbers(matches) == [without_middle.application_number, with_middle.application_number]
    assert matches[0].exact and not matches[1].exact


# --- vocabulary of names --------------------------------------------------------------


def test_vocabulary_lists_each_recorded_name_once():
    application("Nguyễn Văn An")
    application("Nguyễn Thị Hoa", sex="F")
    application("Đặng Văn An")

    assert sorted(search.vocabulary("family_key")) == ["dang", "nguyen"]
    assert sorted(search.vocabulary("given_key")) == ["an", "hoa"]


@pytest.mark.usefixtures("without_postgresql")
def test_fallback_vocabulary_lists_each_recorded_name_once():
    application("Nguyễn Văn An")
    application("Nguyễn Thị Hoa", sex="F")
    application("Đặng Văn An")

    assert sorted(search.vocabulary("family_key")) == ["dang", "nguyen"]


def test_vocabulary_is_cached_until_forgotten():
    application("Nguyễn Văn An")
    assert search.vocabulary("family_key") == ["nguyen"]

    application("Trịnh Văn An")
    assert search.vocabulary("family_key") == ["nguyen"]

    search.forget_vocabulary()
    assert sorted(search.vocabulary("family_key")) == ["nguyen", "trinh"]


def test_misspelt_new_family_name_is_found_once_the_vocabulary_is_forgotten():
    application("Nguyễn Văn An", province="001")
    search.vocabulary("family_key")
    wanted = application("Trịnh Văn An", province="001")

    search.forget_vocabulary()

    assert numbers(search.fuzzy("Trinhh Van An", province="001")) == [wanted.application_number]
