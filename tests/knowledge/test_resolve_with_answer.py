"""Resolving with a published answer: the console's suggestions, the console and the
API (`answer` on create and resolve), and the figures."""

import pytest
from django.utils import timezone

from knowledge.models import Answer
from reporting import stats
from tickets.models import Status, Ticket
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db

TICKET = {
    "caller_phone": "0912 345 678",
    "category": "regulation_question",
    "summary": "Hỏi mất thẻ căn cước thì làm lại thế nào",
}


def test_console_suggests_answers_as_the_summary_is_typed(client_for, agent, published_answers):
    response = client_for(agent).post(
        "/answers/suggest/", {"summary": "mất thẻ căn cước", "category": "regulation_question"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    first = page.split('id="suggestion-first"')[1].split("</details>")[0]
    assert "Bị mất thẻ căn cước thì phải làm gì?" in first
    assert 'name="answer" value="mat-the-can-cuoc"' in first
    assert page.count("<details") == 3


def test_no_suggestions_for_a_delayed_card(client_for, agent, published_answers):
    response = client_for(agent).post(
        "/answers/suggest/", {"summary": "mất thẻ căn cước", "category": "delayed_card"}
    )
    assert "suggestion" not in response.content.decode()


def test_suggestions_are_for_staff_only(client, published_answers):
    assert client.post("/answers/suggest/", {"summary": "mất thẻ"}).status_code == 302


def test_console_resolves_with_the_answer_and_shows_its_text(client_for, agent, published_answers):
    client = client_for(agent)
    response = client.post("/console/", {**TICKET, "answer": "mat-the-can-cuoc"})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.status == Status.RESOLVED and ticket.resolution_code == "answered"
    assert ticket.answer.slug == "mat-the-can-cuoc"
    assert ticket.events.get(action="resolve").changes["answer"] == "mat-the-can-cuoc"
    page = client.get(response.url).content.decode()
    assert 'id="created-answer"' in page and "Điều 24 Luật Căn cước" in page


def test_console_refuses_an_unknown_answer(client_for, agent):
    response = client_for(agent).post("/console/", {**TICKET, "answer": "no-such-answer"})
    assert response.status_code == 400 and not Ticket.objects.exists()


def test_api_create_with_answer(api_client_for, agent, published_answers):
    body = {**TICKET, "resolve_now": True, "answer": "mat-the-can-cuoc"}
    response = api_client_for(agent).post("/api/v1/tickets/", body, format="json")
    assert response.status_code == 201
    assert response.json()["answer"] == "mat-the-can-cuoc"
    assert response.json()["status"] == "resolved"


@pytest.mark.parametrize(
    "changes", [{"answer": "mat-the-can-cuoc"}, {"resolve_now": True, "answer": "nope"}]
)
def test_api_create_refuses_a_misplaced_or_unknown_answer(
    api_client_for, agent, published_answers, changes
):
    response = api_client_for(agent).post("/api/v1/tickets/", {**TICKET, **changes}, format="json")
    assert response.status_code == 400 and "answer" in response.json()
    assert not Ticket.objects.exists()


def test_api_resolve_with_answer(api_client_for, agent, published_answers):
    ticket = ticket_create(actor=agent, caller_phone="+84912345678", category="regulation_question",
                           summary="Hỏi lệ phí")  # fmt: skip
    response = api_client_for(agent).post(
        f"/api/v1/tickets/{ticket.reference}/resolve/",
        {"resolution_code": "answered", "answer": "le-phi-cap-doi-cap-lai"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["answer"] == "le-phi-cap-doi-cap-lai"


def test_a_draft_answer_cannot_be_used(api_client_for, agent, published_answers):
    Answer.objects.filter(slug="mat-the-can-cuoc").update(status=Answer.Status.DRAFT)
    body = {**TICKET, "resolve_now": True, "answer": "mat-the-can-cuoc"}
    assert api_client_for(agent).post("/api/v1/tickets/", body, format="json").status_code == 400


def test_daily_figures_count_answers_used(agent, published_answers):
    for slug, category in (("mat-the-can-cuoc", "regulation_question"), ("vneid-la-gi", "other")):
        ticket_create(actor=agent, caller_phone="+84912345678", category=category, summary="Hỏi",
                      resolve_now=True, answer=slug)  # fmt: skip
    ticket_create(actor=agent, caller_phone="+84912345678", category="regulation_question",
                  summary="Hỏi", resolve_now=True)  # fmt: skip
    today = timezone.localdate()
    (row,) = stats.daily(today, today)
    assert row["answers_used"] == 2 and row["regulation_resolved_with_answer"] == 1


def test_reopening_unlinks_the_answer(agent, supervisor, published_answers):
    from tickets.services import ticket_reopen

    ticket = ticket_create(actor=agent, caller_phone="+84912345678", category="regulation_question",
                           summary="Hỏi", resolve_now=True, answer="vneid-la-gi")  # fmt: skip
    ticket = ticket_reopen(actor=supervisor, ticket=ticket)
    assert ticket.answer_id is None
