"""Data-subject requests (SPEC §9, issue 14): all held about a phone or ID number, in
the API and on the supervisor's page, exported, corrected, erased — each logged."""

import io
import json

import pytest
from openpyxl import load_workbook

from privacy.models import SubjectRequest
from tests.factories import ticket_for
from tests.privacy.conftest import CCCD, PHONE
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_api_finds_everything_held_about_a_phone(api_client_for, supervisor, subject_data):
    response = api_client_for(supervisor).get("/api/v1/personal-data/", {"phone": "0912 345 678"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"tickets", "calls", "callbacks", "lookups"}
    assert [t["reference"] for t in body["tickets"]] == [subject_data.reference]
    assert body["tickets"][0]["notes"][0]["text"] == "Gọi lại cho anh An"
    assert len(body["calls"]) == 1 and len(body["callbacks"]) == 1
    assert response["Cache-Control"] == "no-store"
    logged = SubjectRequest.objects.get()
    assert (logged.actor, logged.kind, logged.phone) == (supervisor, "search", PHONE)


def test_api_by_id_number_lists_the_staff_look_ups(api_client_for, supervisor, subject_data):
    body = api_client_for(supervisor).get("/api/v1/personal-data/", {"id_number": CCCD}).json()

    assert [t["reference"] for t in body["tickets"]] == [subject_data.reference]
    assert body["lookups"][0]["user"] == "officer_a"
    assert body["lookups"][0]["ticket"] == subject_data.reference


@pytest.mark.parametrize(
    "query, field",
    [({}, "detail"), ({"phone": "abc"}, "phone"), ({"id_number": "12ab"}, "id_number"),
     ({"phone": "0912345678", "id_number": CCCD}, "detail"), ({"id_number": "1\x00"}, "id_number")],
)  # fmt: skip
def test_api_refuses_bad_input_with_400_naming_the_field(api_client_for, supervisor, query, field):
    response = api_client_for(supervisor).get("/api/v1/personal-data/", query)
    assert response.status_code == 400 and field in response.json()
    assert not SubjectRequest.objects.exists()


def test_page_search_is_posted_and_shows_who_looked(client_for, supervisor, subject_data):
    client = client_for(supervisor)
    assert client.get("/privacy/personal-data/").status_code == 200

    response = client.post("/privacy/personal-data/", {"id_number": CCCD})

    page = response.content.decode()
    assert response.status_code == 200
    assert subject_data.reference in page and "officer_a" in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_page_says_codes_by_their_labels_and_times_in_local_time(
    client_for, supervisor, subject_data
):
    from django.utils import timezone

    page = client_for(supervisor).post("/privacy/personal-data/", {"id_number": CCCD})
    rows = page.content.decode().split('id="lookups"')[1]
    ticket = Ticket.objects.get(pk=subject_data.pk)

    # The codes (search, staff, the ticket's status) are said in the page's language.
    assert "Tìm kiếm" in rows and "Cán bộ" in rows and ">search<" not in rows
    assert ticket.get_status_display() in page.content.decode()
    created = timezone.localtime(ticket.created_at).strftime("%d/%m/%Y %H:%M")
    assert (
        created in page.content.decode()
        and ticket.created_at.isoformat()[:16] not in page.content.decode()
    )


def test_page_exports_json_and_xlsx(client_for, supervisor, subject_data):
    client = client_for(supervisor)

    as_json = client.post("/privacy/personal-data/", {"phone": PHONE, "export": "json"})
    as_xlsx = client.post("/privacy/personal-data/", {"phone": PHONE, "export": "xlsx"})

    assert json.loads(as_json.content)["tickets"][0]["caller_name"] == "Nguyễn Văn An"
    assert "attachment" in as_json["Content-Disposition"]
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames[0] and book.worksheets[0]["A2"].value == subject_data.reference
    kinds = list(SubjectRequest.objects.order_by("at").values_list("kind", "details__format"))
    assert kinds == [("export", "json"), ("export", "xlsx")]


def test_export_neutralises_formula_cells(client_for, supervisor, agent):
    ticket_for(agent, phone=PHONE, identity={"caller_name": "=HYPERLINK(1)"})
    response = client_for(supervisor).post(
        "/privacy/personal-data/", {"phone": PHONE, "export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [cell.value for cell in sheet["E"]]
    assert "'=HYPERLINK(1)" in names


def test_correction_is_recorded_with_its_reason(client_for, supervisor, subject_data):
    response = client_for(supervisor).post(
        "/privacy/personal-data/",
        {"action": "correct", "phone": PHONE, "reference": subject_data.reference,
         "field": "caller_name", "value": "Nguyễn Văn Ân", "reason": "Công dân yêu cầu sửa tên"},
    )  # fmt: skip

    assert response.status_code == 200
    assert Ticket.objects.get(pk=subject_data.pk).caller_name == "Nguyễn Văn Ân"
    request = SubjectRequest.objects.get(kind="correction")
    assert request.reason == "Công dân yêu cầu sửa tên"
    assert TicketEvent.objects.filter(ticket=subject_data, action="personal_data_corrected")


def test_correction_without_a_reason_changes_nothing(client_for, supervisor, subject_data):
    response = client_for(supervisor).post(
        "/privacy/personal-data/",
        {"action": "correct", "phone": PHONE, "reference": subject_data.reference,
         "field": "cccd_number", "value": "123", "reason": "short"},
    )  # fmt: skip
    assert response.status_code == 400
    assert Ticket.objects.get(pk=subject_data.pk).cccd_number == CCCD
    assert not SubjectRequest.objects.exists()


def test_erasure_is_recorded_and_leaves_the_figures(client_for, supervisor, subject_data):
    response = client_for(supervisor).post(
        "/privacy/personal-data/",
        {"action": "erase", "phone": PHONE, "reason": "Công dân yêu cầu xóa dữ liệu"},
    )

    ticket = Ticket.objects.get(pk=subject_data.pk)
    assert response.status_code == 200
    assert (ticket.caller_name, str(ticket.caller_phone), ticket.summary) == ("", "", "")
    assert ticket.status == subject_data.status and ticket.category == subject_data.category
    erased = SubjectRequest.objects.get(kind="erasure")
    assert erased.details["tickets"] == 1 and erased.reason.startswith("Công dân")
