"""Correction requests (SPEC §10; issue 15): filing one from a ticket, the lists per
receiving unit and their files, the police's answer and what the ticket does."""

import csv
import datetime
import io

import openpyxl
import pytest

from callcenter.errors import Conflict
from citizens.models import CardApplication
from corrections import services
from corrections.models import CorrectionList, CorrectionRequest
from reprints.models import SmsMessage
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket
from tests.reprints.test_reprint_api import celery_eager, linked_ticket
from tests.tickets.test_claim import held_by, reload
from tickets.models import ResolutionCode, Status

pytestmark = pytest.mark.django_db
UNIT_A = "Công an quận Ba Đình"
UNIT_B = "Công an phường Hoàn Kiếm"


def url(reference):
    return f"/api/v1/tickets/{reference}/corrections/"


def filed(agent, officer, *, unit=UNIT_A, field="full_name", value="Nguyễn Văn Ân", phone=None,
          app=None):  # fmt: skip
    app = app or card_application("Nguyễn Văn An", receiving_unit=unit)
    ticket = linked_ticket(agent, officer, app, phone=phone or "+84912345678")
    request = services.correction_request(
        actor=officer, ticket=ticket, field=field, correct_value=value, evidence="Giấy khai sinh"
    )
    return reload(ticket), request


# --- filing ---------------------------------------------------------------------------


def test_holder_files_a_correction_and_the_ticket_waits(agent, officer, api_client_for):
    app = card_application("Nguyễn Văn An", date_of_birth=datetime.date(2004, 3, 2))
    ticket = linked_ticket(agent, officer, app)

    response = api_client_for(officer).post(
        url(ticket.reference),
        {"field": "date_of_birth", "correct_value": "2004-03-12", "evidence": "Giấy khai sinh"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("field", "recorded_value", "correct_value", "status")} == {
        "field": "date_of_birth",
        "recorded_value": "2004-03-02",
        "correct_value": "2004-03-12",
        "status": "open",
    }
    assert body["tickets"] == [ticket.reference]
    assert reload(ticket).status == Status.AWAITING_CORRECTION
    assert ticket.events.last().action == "request_correction"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("date_of_birth", "2004-02-30", "not a date"),
        ("date_of_birth", "2999-01-01", "future"),
        ("cccd_number", "00120400012", "12 digits"),
        ("cccd_number", "999204000123", "province code"),
        ("sex", "X", "M (male)"),
        ("province_code", "003", "63 province codes"),
        ("full_name", "Nguyễn V4n An", "letters only"),
        ("old_id_number", "12345", "9 or 12 digits"),
    ],
)
def test_a_correct_value_failing_its_fields_rule_is_a_400_naming_it(
    agent, officer, api_client_for, field, value, words
):
    ticket = linked_ticket(agent, officer, card_application())

    response = api_client_for(officer).post(
        url(ticket.reference),
        {"field": field, "correct_value": value, "evidence": "CCCD gốc"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["correct_value"]
    assert words in response.json()["correct_value"][0]
    assert reload(ticket).status == Status.ASSIGNED
    assert not CorrectionRequest.objects.exists()


def test_the_page_form_gives_the_same_message_as_the_api(agent, officer, api_client_for):
    from corrections.forms import CorrectionForm

    ticket = linked_ticket(agent, officer, card_application())
    data = {"field": "cccd_number", "correct_value": "00120400012", "evidence": "x"}
    form = CorrectionForm(data)
    response = api_client_for(officer).post(url(ticket.reference), data, format="json")

    assert not form.is_valid()
    assert form.errors["correct_value"] == response.json()["correct_value"]


def test_the_value_already_on_record_is_refused(agent, officer, api_client_for):
    ticket = linked_ticket(agent, officer, card_application("Nguyễn Văn An"))

    response = api_client_for(officer).post(
        url(ticket.reference),
        {"field": "full_name", "correct_value": "Nguyễn  Văn An", "evidence": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["correct_value"]


def test_without_a_linked_application_is_a_409(agent, officer, api_client_for):
    ticket = held_by(officer, escalated_ticket(agent))

    response = api_client_for(officer).post(
        url(ticket.reference),
        {"field": "sex", "correct_value": "F", "evidence": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert "link" in response.json()["detail"]


def test_an_officer_not_holding_the_ticket_is_refused(
    agent, officer, other_officer, api_client_for
):
    ticket = linked_ticket(agent, officer, card_application())

    response = api_client_for(other_officer).post(
        url(ticket.reference),
        {"field": "sex", "correct_value": "F", "evidence": "x"},
        format="json",
    )

    assert response.status_code == 403
    assert not CorrectionRequest.objects.exists()


def test_agents_and_supervisors_may_not_file(agent, supervisor, officer, api_client_for):
    ticket = linked_ticket(agent, officer, card_application())
    for user in (agent, supervisor):
        response = api_client_for(user).post(
            url(ticket.reference), {"field": "sex", "correct_value": "F", "evidence": "x"}
        )
        assert response.status_code == 403


def test_two_tickets_asking_the_same_change_share_one_request(agent, officer):
    app = card_application("Nguyễn Văn An")
    _, first = filed(agent, officer, app=app)
    second_ticket, second = filed(agent, officer, app=app, phone="+84987654321")

    assert first.pk == second.pk
    assert set(first.tickets.values_list("pk", flat=True)) >= {second_ticket.pk}


def test_an_application_never_has_two_open_requests_for_one_field(agent, officer):
    app = card_application("Nguyễn Văn An")
    filed(agent, officer, app=app, value="Nguyễn Văn Ân")
    other = linked_ticket(agent, officer, app, phone="+84987654321")

    with pytest.raises(Conflict):
        services.correction_request(
            actor=officer, ticket=other, field="full_name", correct_value="Trần Văn An",
            evidence="x",
        )  # fmt: skip

    assert CorrectionRequest.objects.count() == 1
    assert reload(other).status == Status.ASSIGNED


def test_the_holder_may_file_a_second_field_while_waiting(agent, officer):
    ticket, _ = filed(agent, officer)
    services.correction_request(
        actor=officer, ticket=ticket, field="sex", correct_value="F", evidence="x"
    )
    assert CorrectionRequest.objects.filter(tickets=ticket).count() == 2


# --- lists ----------------------------------------------------------------------------


def test_a_build_makes_one_numbered_list_per_receiving_unit(agent, officer):
    _, a1 = filed(agent, officer, unit=UNIT_A)
    _, b1 = filed(agent, officer, unit=UNIT_B, phone="+84912000002")
    _, a2 = filed(agent, officer, unit=UNIT_A, phone="+84912000003")

    built = services.correction_lists_build()

    assert [(c.number, c.receiving_unit) for c in built] == [(1, UNIT_B), (2, UNIT_A)] or [
        (c.number, c.receiving_unit) for c in built
    ] == [(1, UNIT_A), (2, UNIT_B)]
    by_unit = {c.receiving_unit: c for c in built}
    assert set(by_unit[UNIT_A].requests.values_list("pk", flat=True)) == {a1.pk, a2.pk}
    assert list(by_unit[UNIT_B].requests.values_list("pk", flat=True)) == [b1.pk]
    assert set(CorrectionRequest.objects.values_list("status", flat=True)) == {"sent"}
    assert services.correction_lists_build() == []  # nothing left: no empty list
    assert CorrectionList.objects.count() == 2


def test_the_list_files_carry_every_request(agent, officer, supervisor, api_client_for):
    ticket, request = filed(agent, officer)
    (correction_list,) = services.correction_lists_build()
    client = api_client_for(supervisor)

    response = client.get(f"/api/v1/correction-lists/{correction_list.number}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == str(request.pk)
    assert "Nguyễn Văn An" in row and "Nguyễn Văn Ân" in row and "Giấy khai sinh" in row
    assert row[-1] == ticket.reference

    response = client.get(f"/api/v1/correction-lists/{correction_list.number}/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert len(values) == 2 and values[1][-1] == ticket.reference

    listed = client.get("/api/v1/correction-lists/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["receiving_unit"] == UNIT_A
    assert listed["results"][0]["request_count"] == 1


def test_run_is_202_for_supervisors_only(supervisor, officer, api_client_for):
    with celery_eager():
        assert api_client_for(supervisor).post("/api/v1/correction-lists/run/").status_code == 202
        assert api_client_for(officer).post("/api/v1/correction-lists/run/").status_code == 403
    assert api_client_for(officer).get("/api/v1/correction-lists/").status_code == 403


def test_corrections_list_filters_by_status(agent, officer, supervisor, api_client_for):
    filed(agent, officer)
    filed(agent, officer, field="sex", value="F", phone="+84912000009")
    services.correction_lists_build()
    filed(agent, officer, unit=UNIT_B, phone="+84912000010")

    for user in (officer, supervisor):
        client = api_client_for(user)
        assert client.get("/api/v1/corrections/?status=sent").json()["count"] == 2
        assert client.get("/api/v1/corrections/?status=open").json()["count"] == 1
        assert client.get("/api/v1/corrections/").json()["count"] == 3
    bad = api_client_for(supervisor).get("/api/v1/corrections/?status=nope")
    assert bad.status_code == 400 and list(bad.json()) == ["status"]
    assert api_client_for(agent).get("/api/v1/corrections/").status_code == 403


# --- answers --------------------------------------------------------------------------


def test_corrected_changes_the_record_resolves_the_ticket_and_texts_the_caller(
    agent, officer, supervisor, api_client_for
):
    ticket, request = filed(agent, officer)
    services.correction_lists_build()

    response = api_client_for(supervisor).post(
        f"/api/v1/corrections/{request.pk}/answer/", {"outcome": "corrected"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "corrected"
    ticket = reload(ticket)
    assert ticket.status == Status.RESOLVED
    assert ticket.resolution_code == ResolutionCode.CORRECTED
    app = CardApplication.objects.get(pk=request.application_id)
    assert (app.full_name, app.name_key) == ("Nguyễn Văn Ân", "nguyen van an")
    message = SmsMessage.objects.get(ticket_reference=ticket.reference)
    assert message.phone == "+84912345678"
    assert CorrectionList.objects.get().done_at is not None


def test_a_ticket_with_two_requests_resolves_when_the_last_is_corrected(agent, officer, supervisor):
    ticket, name = filed(agent, officer)
    sex = services.correction_request(
        actor=officer, ticket=ticket, field="sex", correct_value="F", evidence="x"
    )
    services.correction_lists_build()

    services.correction_answer(actor=supervisor, request=name, outcome="corrected")
    assert reload(ticket).status == Status.AWAITING_CORRECTION
    services.correction_answer(actor=supervisor, request=sex, outcome="corrected")
    assert reload(ticket).status == Status.RESOLVED
    assert CardApplication.objects.get(pk=sex.application_id).sex == "F"


def test_refused_sends_the_ticket_back_to_its_officer_with_the_reason(
    agent, officer, supervisor, api_client_for
):
    ticket, request = filed(agent, officer)
    services.correction_lists_build()
    client = api_client_for(supervisor)

    assert (
        client.post(f"/api/v1/corrections/{request.pk}/answer/", {"outcome": "refused"}).status_code
        == 400
    )
    response = client.post(
        f"/api/v1/corrections/{request.pk}/answer/",
        {"outcome": "refused", "note": "Không khớp sổ hộ tịch"},
        format="json",
    )

    assert response.status_code == 200
    ticket = reload(ticket)
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, officer)
    assert "Không khớp sổ hộ tịch" in ticket.notes.last().text
    assert CardApplication.objects.get(pk=request.application_id).full_name == "Nguyễn Văn An"
    assert not SmsMessage.objects.exists()


def test_an_open_or_answered_request_cannot_be_answered(agent, officer, supervisor, api_client_for):
    _, request = filed(agent, officer)
    client = api_client_for(supervisor)
    answer = f"/api/v1/corrections/{request.pk}/answer/"

    assert client.post(answer, {"outcome": "corrected"}).status_code == 409  # not sent yet
    services.correction_lists_build()
    assert client.post(answer, {"outcome": "corrected"}).status_code == 200
    assert client.post(answer, {"outcome": "corrected"}).status_code == 409
    assert api_client_for(officer).post(answer, {"outcome": "corrected"}).status_code == 403


# --- pages ----------------------------------------------------------------------------


def test_the_ticket_page_offers_the_form_with_the_values_on_record(agent, officer, client_for):
    app = card_application("Nguyễn Văn An", cccd_number="001090012345")
    ticket = linked_ticket(agent, officer, app)

    page = client_for(officer).get(ticket.get_absolute_url()).content.decode()

    assert 'id="correction-form"' in page
    assert "001090012345" in page


def test_the_page_form_files_a_request(agent, officer, client_for):
    ticket = linked_ticket(agent, officer, card_application("Nguyễn Văn An"))
    client = client_for(officer)

    response = client.post(
        f"/tickets/{ticket.reference}/corrections/",
        {"field": "cccd_number", "correct_value": "123", "evidence": "x"},
        follow=True,
    )
    assert "12" in response.content.decode()
    assert not CorrectionRequest.objects.exists()

    client.post(
        f"/tickets/{ticket.reference}/corrections/",
        {"field": "sex", "correct_value": "f", "evidence": "CCCD gốc"},
    )
    request = CorrectionRequest.objects.get()
    assert (request.correct_value, request.recorded_value) == ("F", "M")
    assert reload(ticket).status == Status.AWAITING_CORRECTION


def test_supervisor_builds_lists_and_answers_on_the_pages(agent, officer, supervisor, client_for):
    ticket, request = filed(agent, officer)
    client = client_for(supervisor)

    with celery_eager():
        client.post("/corrections/run/")
    correction_list = CorrectionList.objects.get()
    page = client.get("/corrections/").content.decode()
    assert f"#{correction_list.number}" in page and UNIT_A in page
    assert client.get(f"/corrections/{correction_list.number}/export.csv").status_code == 200

    client.post(f"/corrections/requests/{request.pk}/answer/", {"outcome": "corrected"})
    assert reload(ticket).status == Status.RESOLVED
    for user in (agent, officer):
        assert client_for(user).get("/corrections/").status_code == 403


def test_a_formula_typed_as_evidence_is_written_as_text(agent, officer, supervisor, api_client_for):
    app = card_application("Nguyễn Văn An")
    ticket = linked_ticket(agent, officer, app)
    services.correction_request(
        actor=officer, ticket=ticket, field="sex", correct_value="F",
        evidence='=HYPERLINK("http://x","bấm")',
    )  # fmt: skip
    (correction_list,) = services.correction_lists_build()

    response = api_client_for(supervisor).get(
        f"/api/v1/correction-lists/{correction_list.number}/export.csv"
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][8] == '\'=HYPERLINK("http://x","bấm")'
