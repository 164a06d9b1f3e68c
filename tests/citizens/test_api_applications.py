"""`GET /api/v1/applications/` and `/api/v1/applications/{number}/` (SPEC §5)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from callcenter.roles import AGENT, PBX, PRINT_DESK, SUPERVISOR
from citizens.models import ApplicationStatus

from .factories import application

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/applications/"
DOB = datetime.date(1990, 5, 17)
RESULT_FIELDS = {
    "application_number", "full_name", "date_of_birth", "sex", "cccd_number", "old_id_number",
    "phone", "province_code", "province_name", "receiving_unit", "lodged_on", "status",
    "rejection_reason", "timeline", "working_days", "legal_limit_working_days",
    "overdue_working_days", "score", "exact",
}  # fmt: skip


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(api_client_for, officer):
    return api_client_for(officer)


@pytest.fixture
def citizen(db):
    return application(
        "Nguyễn Văn Hùng",
        date_of_birth=DOB,
        province="001",
        status=ApplicationStatus.RECEIVED,
        lodged_on=datetime.date(2022, 3, 1),
        old_id_number="012345678",
    )


# Look-ups name their purpose (SPEC §9): these give a written one.
PURPOSE = "Công dân hỏi tình trạng hồ sơ qua thư"


def get(client, path, **params):
    params.setdefault("purpose", PURPOSE)
    return client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")


# --- each search kind ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ({"cccd_number": "{cccd}"}, "cccd"),
        ({"old_id_number": "012345678"}, "old_id"),
        ({"full_name": "nguyen van hung", "date_of_birth": "1990-05-17"}, "name_dob"),
        ({"q": "Nguyen Hung", "province": "001"}, "fuzzy"),
        ({"q": "Ngyen Van Hung", "birth_year": "1990"}, "fuzzy"),
    ],
)
def test_each_search_kind_answers_a_list_of_matches(api, citizen, params, kind):
    params = {k: v.format(cccd=citizen.cccd_number) for k, v in params.items()}

    response = get(api, SEARCH, **params)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"kind", "count", "next", "previous", "results"}
    assert body["kind"] == kind
    assert body["count"] == len(body["results"]) == 1
    result = body["results"][0]
    assert set(result) == RESULT_FIELDS
    assert result["application_number"] == citizen.application_number
    assert result["cccd_number"] == citizen.cccd_number
    assert result["date_of_birth"] == "1990-05-17"
    assert result["timeline"] == [{"status": "received", "date": "2022-03-01"}]
    assert result["legal_limit_working_days"] == 7
    assert result["working_days"] > 7
    assert result["overdue_working_days"] == result["working_days"] - 7


def test_cccd_search_accepts_the_number_typed_with_spaces(api, citizen):
    spaced = f"{citizen.cccd_number[:3]} {citizen.cccd_number[3:6]} {citizen.cccd_number[6:]}"

    response = get(api, SEARCH, cccd_number=spaced)

    assert response.status_code == 200
    assert [r["application_number"] for r in response.json()["results"]] == [
        citizen.application_number
    ]


def test_search_result_marks_exact_and_close_matches(api, citizen):
    close = application("Nguyễn Hùng", date_of_birth=DOB)

    body = get(api, SEARCH, full_name="NGUYỄN VĂN HÙNG", date_of_birth="1990-05-17").json()

    assert [(r["application_number"], r["exact"]) for r in body["results"]] == [
        (citizen.application_number, True),
        (close.application_number, False),
    ]
    assert body["results"][0]["score"] == 1.0
    assert 0 < body["results"][1]["score"] < 1


def test_search_that_finds_nobody_is_an_empty_list(api, citizen):
    body = get(api, SEARCH, cccd_number="001090999999").json()

    assert (body["count"], body["results"]) == (0, [])


def test_delivered_application_shows_every_step_in_order(api):
    done = application(status=ApplicationStatus.DELIVERED, lodged_on=datetime.date(2022, 3, 1))

    result = get(api, SEARCH, cccd_number=done.cccd_number).json()["results"][0]

    assert result["timeline"] == [
        {"status": "received", "date": "2022-03-01"},
        {"status": "approved", "date": "2022-03-03"},
        {"status": "printing", "date": "2022-03-04"},
        {"status": "printed", "date": "2022-03-07"},
        {"status": "dispatched", "date": "2022-03-09"},
        {"status": "delivered", "date": "2022-03-21"},
    ]
    assert (result["working_days"], result["overdue_working_days"]) == (4, 0)


def test_rejected_application_shows_the_reason_and_the_rejection_step(api):
    rejected = application(status=ApplicationStatus.REJECTED, lodged_on=datetime.date(2022, 3, 1))

    result = get(api, SEARCH, cccd_number=rejected.cccd_number).json()["results"][0]

    assert result["status"] == "rejected"
    assert result["rejection_reason"] == "fingerprint_unreadable"
    assert result["timeline"] == [
        {"status": "received", "date": "2022-03-01"},
        {"status": "rejected", "date": "2022-03-06"},
    ]


# --- one application ------------------------------------------------------------------


def test_opening_an_application_answers_it_with_its_timeline(api, citizen):
    response = get(api, f"{SEARCH}{citizen.application_number}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == RESULT_FIELDS
    assert body["application_number"] == citizen.application_number
    assert body["full_name"] == "Nguyễn Văn Hùng"
    assert body["timeline"] == [{"status": "received", "date": "2022-03-01"}]
    assert body["overdue_working_days"] == body["working_days"] - 7 > 0


def test_opening_an_unknown_application_is_404(api, citizen):
    assert get(api, f"{SEARCH}2022001999999999/").status_code == 404


# --- bad input: 400 naming the field, never 500 ---------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cccd_number": "0010900123"}, "cccd_number"),  # 10 digits
        ({"cccd_number": "00109001234A"}, "cccd_number"),
        ({"cccd_number": "abcdefghijkl"}, "cccd_number"),
        ({"cccd_number": "999090012345"}, "cccd_number"),  # no such province
        ({"old_id_number": "1234567890"}, "old_id_number"),  # 10 digits
        ({"old_id_number": "12345678x"}, "old_id_number"),
        ({"full_name": "Nguyễn Văn An", "date_of_birth": "2023-02-30"}, "date_of_birth"),
        ({"full_name": "Nguyễn Văn An", "date_of_birth": "17/05/1990"}, "date_of_birth"),
        ({"full_name": "Nguyễn Văn An", "date_of_birth": "1899-12-31"}, "date_of_birth"),
        ({"full_name": "Nguyễn Văn An"}, "date_of_birth"),
        ({"q": "Nguyễn Văn An", "birth_year": "3000"}, "birth_year"),
        ({"q": "Nguyễn Văn An", "birth_year": "abc"}, "birth_year"),
        ({"q": "Nguyễn Văn An", "birth_year": "1800"}, "birth_year"),
        ({"q": "Nguyễn Văn An"}, "q"),
        ({"q": "Nguyễn Văn An", "province": "999"}, "province"),
        ({"q": "x" * 10_000, "province": "001"}, "q"),
        ({"full_name": "x" * 10_000, "date_of_birth": "1990-05-17"}, "full_name"),
        ({"cccd_number": "001090012345", "ticket": "xyz"}, "ticket"),
        ({}, "non_field_errors"),
        ({"q": "   ", "province": ""}, "non_field_errors"),
    ],
)
def test_bad_search_input_is_400_naming_the_field(api, citizen, params, field):
    response = get(api, SEARCH, **params)

    assert response.status_code == 400
    body = response.json()
    assert field in body
    assert all(isinstance(m, str) and m for m in body[field])


def test_future_date_of_birth_is_400(api, citizen):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = get(api, SEARCH, full_name="Nguyễn Văn An", date_of_birth=tomorrow.isoformat())

    assert response.status_code == 400
    assert "date_of_birth" in response.json()


def test_cccd_number_with_a_future_birth_year_is_400(api, citizen):
    # Sex/century digit 3 with year 99: a woman born in 2099.
    response = get(api, SEARCH, cccd_number="001399000001")

    assert response.status_code == 400
    assert "cccd_number" in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"full_name": "\u0301", "date_of_birth": "1990-05-17"}, "full_name"),
        ({"q": "\u0301\u0300", "province": "001"}, "q"),
    ],
)
def test_name_that_folds_to_nothing_is_400_not_a_server_error(api, citizen, params, field):
    # Lone combining accents: no letters left once accents are removed.
    response = get(api, SEARCH, **params)

    assert response.status_code == 400
    assert field in response.json()


def test_error_messages_are_human_readable_in_english_on_request(api, citizen):
    body = get(api, SEARCH, cccd_number="0010900123").json()

    assert "12 digits" in " ".join(body["cccd_number"])


# --- who may search ------------------------------------------------------------------


@pytest.mark.parametrize("role", [AGENT, SUPERVISOR, PRINT_DESK, PBX])
def test_only_officers_may_search_records(api_client_for, users, citizen, role):
    client = api_client_for(users[role])

    assert get(client, SEARCH, cccd_number=citizen.cccd_number).status_code == 403
    assert get(client, f"{SEARCH}{citizen.application_number}/").status_code == 403


def test_anonymous_search_and_open_are_401(api_client_for, citizen):
    client = api_client_for(None)

    assert get(client, SEARCH, cccd_number=citizen.cccd_number).status_code == 401
    assert get(client, f"{SEARCH}{citizen.application_number}/").status_code == 401


def test_officer_may_search_with_a_browser_session(client, officer, citizen):
    client.force_login(officer)

    response = client.get(SEARCH, {"cccd_number": citizen.cccd_number, "purpose": PURPOSE})

    assert response.status_code == 200
    assert response.json()["count"] == 1
