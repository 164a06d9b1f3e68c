"""POST /api/v1/public/application-status/ (SPEC §8.5): found, not found, bad input."""

import datetime
import json
import unicodedata

import pytest

from citizens.models import ApplicationStatus, RecordAccess
from tests.citizens.factories import application

URL = "/api/v1/public/application-status/"
pytestmark = pytest.mark.django_db


def test_found_gives_step_dates_unit_and_next_step(public_api, delayed, ask):
    response = public_api.post(URL, ask(delayed), format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "found", "status", "status_label", "steps", "receiving_unit", "next_step",
    }  # fmt: skip
    assert body["found"] is True
    assert body["status"] == "printing"
    assert body["receiving_unit"] == "Công an phường Hoàn Kiếm"
    assert [s["status"] for s in body["steps"]] == ["received", "approved", "printing"]
    assert body["steps"][0]["date"] == delayed.lodged_on.isoformat()
    assert "7" in body["next_step"]


def test_found_discloses_no_number_phone_or_address(public_api, delayed, ask):
    text = json.dumps(public_api.post(URL, ask(delayed), format="json").json())
    for secret in ("001188123456", "012345678", "0912345678", "84912345678", "1988-02-29"):
        assert secret not in text
    assert delayed.application_number not in text
    assert "province" not in text


@pytest.mark.parametrize(
    "changes",
    [
        {"full_name": "Trần Thị Hoa Mai"},
        {"date_of_birth": "1988-03-01"},
        {"id_last4": "9999"},
        {"full_name": "Nobody At All", "id_last4": "0000"},
    ],
)
def test_every_miss_is_the_same_not_found(public_api, delayed, ask, changes):
    response = public_api.post(URL, ask(delayed, **changes), format="json")
    assert response.status_code == 200
    assert response.json() == {"found": False}


def test_old_id_last_digits_find_it_too(public_api, delayed, ask):
    response = public_api.post(URL, ask(delayed, id_last4="5678"), format="json")
    assert response.json()["found"] is True


@pytest.mark.parametrize(
    "name",
    [
        "tran thi hoa",
        "TRẦN THỊ HOÀ",  # old-style tone mark
        unicodedata.normalize("NFD", "Trần Thị Hòa"),
        "  Trần   Thị Hòa ",
    ],
)
def test_accents_tone_marks_and_nfd_find_the_same_person(public_api, delayed, ask, name):
    response = public_api.post(URL, ask(delayed, full_name=name), format="json")
    assert response.json()["found"] is True


def test_dd_mm_yyyy_date_is_accepted(public_api, delayed, ask):
    response = public_api.post(URL, ask(delayed, date_of_birth="29/02/1988"), format="json")
    assert response.json()["found"] is True


def test_latest_application_is_the_one_answered(public_api, delayed, ask):
    application(
        "Trần Thị Hòa",
        date_of_birth=delayed.date_of_birth,
        sex="F",
        status=ApplicationStatus.DELIVERED,
        lodged_on=datetime.date(2021, 3, 2),
        cccd_number="001188123456",
    )
    assert public_api.post(URL, ask(delayed), format="json").json()["status"] == "printing"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": (datetime.date.today() + datetime.timedelta(days=2)).isoformat()},
         "date_of_birth"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth"),
        ({"full_name": "A" * 200}, "full_name"),
        ({"full_name": "12345"}, "full_name"),
        ({"id_last4": "12a4"}, "id_last4"),
        ({"id_last4": "123"}, "id_last4"),
        ({"id_last4": "12345"}, "id_last4"),
        ({"id_last4": 1234}, "id_last4"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_field(public_api, delayed, ask, changes, field):
    response = public_api.post(URL, ask(delayed, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert "found" not in response.json()


def test_missing_fields_are_named(public_api):
    response = public_api.post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"full_name", "date_of_birth", "id_last4"}


def test_every_look_up_is_in_the_access_log(public_api, delayed, ask):
    public_api.post(URL, ask(delayed), format="json", REMOTE_ADDR="203.0.113.7")
    public_api.post(URL, ask(delayed, id_last4="0000"), format="json", REMOTE_ADDR="203.0.113.7")
    found, missed = RecordAccess.objects.order_by("id")
    assert found.channel == missed.channel == RecordAccess.Channel.SELF_SERVICE
    assert found.user is None and found.client_address == "203.0.113.7"
    assert (found.outcome, missed.outcome) == ("found", "not_found")
    assert found.application_number == delayed.application_number
    assert missed.query == {"full_name": "Trần Thị Hòa", "date_of_birth": "1988-02-29",
                            "id_last4": "0000"}  # fmt: skip


def test_cors_is_closed_by_default(public_api, delayed, ask):
    response = public_api.post(URL, ask(delayed), format="json", HTTP_ORIGIN="https://oa.example")
    assert "access-control-allow-origin" not in response.headers


def test_an_allowed_origin_gets_cors(public_api, delayed, ask, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://oa.example"]
    response = public_api.post(URL, ask(delayed), format="json", HTTP_ORIGIN="https://oa.example")
    assert response.headers["access-control-allow-origin"] == "https://oa.example"


def test_public_endpoints_are_in_the_schema(public_api):
    schema = public_api.get("/api/schema/?format=json").json()
    assert "/api/v1/public/application-status/" in schema["paths"]
    assert "/api/v1/public/ticket-status/" in schema["paths"]
    operation = schema["paths"]["/api/v1/public/application-status/"]["post"]
    assert operation.get("security", []) in ([], [{}])  # no log-in
    assert "429" in operation["responses"]


def test_supervisors_filter_the_access_log_for_self_service(
    public_api, delayed, ask, client_for, supervisor
):
    public_api.post(URL, ask(delayed), format="json", REMOTE_ADDR="203.0.113.9")
    RecordAccess.objects.create(user=supervisor, action=RecordAccess.Action.SEARCH)
    page = client_for(supervisor).get("/records/access-log/", {"channel": "self_service"})
    assert page.status_code == 200
    assert list(page.context["page"]) == list(RecordAccess.objects.filter(channel="self_service"))
    assert "203.0.113.9" in page.content.decode()
