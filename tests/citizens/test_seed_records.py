"""Simulated card applications: `manage.py seed_records` (COPY on PostgreSQL), the
bulk_create path, and the generator's realism (issue 3 §2)."""

import collections
import datetime

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from citizens import quality, validators
from citizens.loading import load_orm
from citizens.models import IN_PROGRESS, TIMELINE, CardApplication, RejectionReason
from citizens.provinces import provinces
from citizens.search import LEGAL_WORKING_DAYS, describe
from citizens.seeding import DEFECTS, RecordGenerator, as_dates
from citizens.text import fold

STEP_FIELDS = [name for _, name in TIMELINE]  # lodged_on … delivered_on
# How many steps after lodging each status has reached.
STEPS_REACHED = {"received": 0, "approved": 1, "printing": 2, "printed": 3, "dispatched": 4,
                 "delivered": 5, "rejected": 0}  # fmt: skip
SNAPSHOT = ("application_number", "full_name", "cccd_number", "date_of_birth", "status")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def generated():
    """20,000 generated rows as model field values: large enough for proportions."""
    return [as_dates(row) for row in RecordGenerator(seed=7, start=1).rows(20_000)]


def share(rows, predicate):
    return sum(1 for row in rows if predicate(row)) / len(rows)


def seeded_defect(row: dict) -> bool:
    """One of the defects the generator seeds on purpose (seeding.DEFECTS)."""
    return bool(quality.row_findings({**row, "id": 0}, datetime.date.today()))


def repeats(numbers) -> int:
    """Numbers given more than once: only the seeded shared numbers."""
    return sum(count - 1 for count in collections.Counter(numbers).values())


def few_shared(numbers) -> bool:
    return repeats(numbers) <= max(3, 5 * DEFECTS["shared_number"] * len(numbers))


def field_errors(row: dict) -> list[str]:
    """What is wrong with one application (as field values); empty when it is sound or
    one of the seeded defects."""
    if seeded_defect(row):
        return []
    errors = []
    number = row["cccd_number"]
    try:
        assert validators.validate_cccd_number(number) == number
        validators.validate_cccd_matches_birth_date(number, row["date_of_birth"])
    except Exception as exc:  # noqa: BLE001 - reported below with the row
        errors.append(f"cccd: {exc}")
    if (int(number[3]) % 2 == 1) != (row["sex"] == "F"):
        errors.append("cccd sex digit disagrees with sex")
    if row["name_key"] != fold(row["full_name"]):
        errors.append("name_key is not fold(full_name)")
    words = row["name_key"].split()
    if (row["family_key"], row["given_key"]) != (words[0], words[-1]):
        errors.append("family_key/given_key are not the first/last folded words")
    if not datetime.date(2021, 1, 1) <= row["lodged_on"] <= datetime.date(2026, 6, 30):
        errors.append("lodged outside 2021 – mid-2026")
    if row["old_id_number"] and len(row["old_id_number"]) not in (9, 12):
        errors.append("old ID is not 9 or 12 digits")
    errors += timeline_errors(row)
    return errors


def timeline_errors(row: dict) -> list[str]:
    dates = [row[name] for name in STEP_FIELDS]
    reached = STEPS_REACHED[row["status"]]
    if any(d is None for d in dates[: reached + 1]) or any(dates[reached + 1 :]):
        return [f"steps reached do not fit status {row['status']}"]
    if dates[: reached + 1] != sorted(dates[: reached + 1]):
        return ["step dates out of order"]
    rejected = row["status"] == "rejected"
    if rejected != bool(row["rejected_on"]) or rejected != bool(row["rejection_reason"]):
        return ["rejection date or reason without rejection (or the reverse)"]
    if rejected and row["rejected_on"] < row["lodged_on"]:
        return ["rejected before lodging"]
    return []


def table_rows() -> list[dict]:
    fields = [f.name for f in CardApplication._meta.fields if f.name != "id"]
    return list(CardApplication.objects.order_by("id").values(*fields))


def snapshot() -> list[tuple]:
    return list(CardApplication.objects.order_by("application_number").values_list(*SNAPSHOT))


def empty_table():
    CardApplication.objects.all().delete()


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            [CardApplication._meta.db_table],
        )
        return {row[0] for row in cursor.fetchall()}


# --- the command on PostgreSQL (COPY from several processes) -----------------------


@pytest.mark.django_db(transaction=True)
def test_seed_records_loads_the_requested_number_of_sound_applications():
    call_command("seed_records", count=2000, seed=7, workers=2)

    rows = table_rows()
    assert len(rows) == CardApplication.objects.count() == 2000
    bad = {row["application_number"]: field_errors(row) for row in rows if field_errors(row)}
    assert bad == {}
    assert few_shared([row["cccd_number"] for row in rows])
    assert len({row["application_number"] for row in rows}) == 2000


@pytest.mark.django_db(transaction=True)
def test_seed_records_rebuilds_the_search_indexes_it_drops_during_the_load():
    call_command("seed_records", count=500, seed=7, workers=2)

    assert {index.name for index in CardApplication._meta.indexes} <= index_names()


@pytest.mark.django_db(transaction=True)
def test_stuck_applications_are_well_past_the_legal_limit():
    call_command("seed_records", count=2000, seed=7, workers=2)

    stuck = CardApplication.objects.filter(status__in=IN_PROGRESS)
    assert stuck.exists()
    assert all(describe(app).overdue_days > LEGAL_WORKING_DAYS for app in stuck)


@pytest.mark.django_db(transaction=True)
def test_same_seed_and_workers_give_the_same_records_in_a_fresh_table():
    call_command("seed_records", count=2000, seed=7, workers=2)
    first = snapshot()
    empty_table()

    call_command("seed_records", count=2000, seed=7, workers=2)

    assert snapshot() == first


@pytest.mark.django_db(transaction=True)
def test_another_seed_gives_other_records():
    call_command("seed_records", count=300, seed=7, workers=1)
    first = snapshot()
    empty_table()

    call_command("seed_records", count=300, seed=8, workers=1)

    assert [row[1:3] for row in snapshot()] != [row[1:3] for row in first]


@pytest.mark.django_db(transaction=True)
def test_copy_and_bulk_create_load_the_same_records():
    call_command("seed_records", count=1000, seed=7, workers=1)
    copied = table_rows()
    empty_table()

    load_orm(count=1000, seed=7, start=1)

    assert table_rows() == copied


@pytest.mark.django_db(transaction=True)
def test_seeding_twice_adds_records_without_repeating_any_cccd_number():
    call_command("seed_records", count=2000, seed=7, workers=2)
    first = set(CardApplication.objects.values_list("cccd_number", flat=True))
    last_id = CardApplication.objects.order_by("-id").values_list("id", flat=True)[0]
    call_command("seed_records", count=2000, seed=7, workers=2)

    numbers = list(CardApplication.objects.values_list("cccd_number", flat=True))
    assert len(numbers) == 4000
    # The second run's numbers are new ones: none was given in the first run (within a
    # run, the seeded shared numbers repeat the person's just before, at DEFECTS' rate,
    # which the other tests count).
    second = CardApplication.objects.filter(id__gt=last_id).values_list("cccd_number", flat=True)
    assert not first & set(second)
    assert CardApplication.objects.values("application_number").distinct().count() == 4000


@pytest.mark.django_db
def test_seed_records_refuses_a_count_below_one():
    with pytest.raises(CommandError):
        call_command("seed_records", count=0)
    assert not CardApplication.objects.exists()


# --- the bulk_create path (SQLite) --------------------------------------------------


@pytest.mark.django_db
def test_bulk_create_path_loads_sound_applications():
    load_orm(count=1500, seed=7, start=1)

    rows = table_rows()
    assert len(rows) == 1500
    bad = {row["application_number"]: field_errors(row) for row in rows if field_errors(row)}
    assert bad == {}
    assert few_shared([row["cccd_number"] for row in rows])


@pytest.mark.django_db
def test_bulk_create_path_forgets_the_cached_vocabulary():
    from citizens.search import vocabulary

    assert vocabulary("family_key") == []

    load_orm(count=200, seed=7, start=1)

    assert "nguyen" in vocabulary("family_key")


# --- the generator: reproducible and realistic --------------------------------------


def test_generator_is_reproducible():
    first = list(RecordGenerator(seed=7, start=1).rows(2000))
    second = list(RecordGenerator(seed=7, start=1).rows(2000))

    assert first == second
    assert first != list(RecordGenerator(seed=8, start=1).rows(2000))


def test_generated_rows_are_sound(generated):
    bad = [(row["application_number"], field_errors(row)) for row in generated if field_errors(row)]
    assert bad == []


def test_generated_numbers_are_unique_but_for_the_seeded_shared_ones(generated):
    assert few_shared([row["cccd_number"] for row in generated])
    assert len({row["application_number"] for row in generated}) == len(generated)


def test_parallel_parts_never_share_a_cccd_number():
    parts = [
        RecordGenerator(seed=7, start=1 + i * 5000, part=i, parts=3).rows(5000) for i in range(3)
    ]
    numbers = [row[7] for rows in parts for row in rows]

    assert len(numbers) == 15_000 and few_shared(numbers)


def test_application_number_starts_with_the_lodging_year_and_province(generated):
    assert all(
        row["application_number"][:7] == f"{row['lodged_on'].year}{row['province_code']}"
        for row in generated
        if row["province_code"] in provinces()  # not a seeded unknown code
    )


def test_most_were_lodged_in_the_2021_22_campaign_the_rest_since(generated):
    years = collections.Counter(row["lodged_on"].year for row in generated)

    assert set(years) == {2021, 2022, 2023, 2024, 2025, 2026}
    assert 0.4 < years[2021] / len(generated) < 0.5
    assert 0.82 < (years[2021] + years[2022]) / len(generated) < 0.94


def test_nguyen_is_the_family_name_of_about_a_third_of_citizens(generated):
    assert 0.30 <= share(generated, lambda r: r["full_name"].split()[0] == "Nguyễn") <= 0.45


def test_common_family_names_come_in_their_real_order(generated):
    counts = collections.Counter(row["full_name"].split()[0] for row in generated)

    assert [name for name, _ in counts.most_common(4)] == ["Nguyễn", "Trần", "Lê", "Phạm"]
    assert counts["Đặng"] > 0 and counts["Đỗ"] > 0


def test_names_keep_their_diacritics(generated):
    assert share(generated, lambda r: r["full_name"] != fold(r["full_name"])) > 0.9


def test_exact_namesakes_are_common(generated):
    counts = collections.Counter(row["name_key"] for row in generated)

    assert counts.most_common(1)[0][1] >= 20
    assert sum(1 for c in counts.values() if c > 1) > 500


def test_older_people_mostly_have_van_or_thi_as_middle_name_the_young_less_so(generated):
    def middle_share(sex, old, word):
        group = [
            r for r in generated
            if r["sex"] == sex and (r["date_of_birth"].year < 1985) == old
        ]  # fmt: skip
        return share(group, lambda r: r["full_name"].split()[1] == word)

    assert middle_share("M", True, "Văn") > 0.5
    assert middle_share("F", True, "Thị") > 0.6
    assert middle_share("M", False, "Văn") < 0.4
    assert middle_share("F", False, "Thị") < 0.4


def test_status_mix_is_mostly_delivered_with_some_rejected_and_some_stuck(generated):
    statuses = collections.Counter(row["status"] for row in generated)
    total = len(generated)

    assert statuses["delivered"] / total > 0.75
    assert 0.01 < statuses["rejected"] / total < 0.06
    for status in ("received", "approved", "printing"):
        assert 0.005 < statuses[status] / total < 0.04, status
    assert 0.02 < sum(statuses[s] for s in IN_PROGRESS) / total < 0.10


def test_every_rejected_application_has_a_known_reason(generated):
    reasons = collections.Counter(
        r["rejection_reason"] for r in generated if r["status"] == "rejected"
    )

    # A few have none recorded: a seeded defect (seeding.DEFECTS).
    assert set(reasons) - {""} <= set(RejectionReason.values)
    assert reasons[""] <= 0.1 * sum(reasons.values())
    assert reasons["fingerprint_unreadable"] > 0 and reasons["data_mismatch"] > 0


def test_some_older_citizens_have_a_nine_digit_old_id(generated):
    with_old_id = [r for r in generated if r["old_id_number"]]

    assert 0.03 < len(with_old_id) / len(generated) < 0.4
    assert all(len(r["old_id_number"]) == 9 and r["old_id_number"].isdigit() for r in with_old_id)
    assert all(r["date_of_birth"].year < 1990 for r in with_old_id)


def test_applicants_were_born_before_the_records_begin(generated):
    assert all(datetime.date(1900, 1, 1) <= r["date_of_birth"] < r["lodged_on"] for r in generated)
