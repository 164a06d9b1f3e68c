"""Answers (SPEC §8.5): the shipped ones, search, history, supervisors' editing, API."""

import json

import pytest

from knowledge import search, services
from knowledge.models import Answer
from knowledge.seeding import DATA, seed_answers

pytestmark = pytest.mark.django_db


def test_at_least_30_answers_ship_each_citing_the_law():
    entries = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(entries) >= 30
    for entry in entries:
        assert any(w in entry["legal_basis"] for w in ("Luật", "Nghị định", "Thông tư"))
        assert entry["question"] and entry["answer"] and entry["question_en"]


def test_seeding_publishes_once_and_keeps_edits(supervisor):
    assert seed_answers() >= 30
    answer = Answer.objects.get(slug="mat-the-can-cuoc")
    services.answer_update(actor=supervisor, slug=answer.slug, question="Mất thẻ?")
    assert seed_answers() == 0
    assert Answer.objects.get(slug="mat-the-can-cuoc").question == "Mất thẻ?"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Tôi bị mất thẻ căn cước thì làm lại thế nào", "mat-the-can-cuoc"),
        ("toi bi mat the can cuoc", "mat-the-can-cuoc"),
        ("lệ phí đổi thẻ bao nhiêu tiền", "le-phi-cap-doi-cap-lai"),
        ("bao lâu thì có thẻ", "thoi-han-7-ngay-lam-viec"),
        ("chuyển nhà có phải đổi thẻ", "doi-noi-cu-tru"),
        ("THẺ BỊ GÃY", "the-bi-hong"),
    ],
)
def test_search_is_accent_insensitive_and_ranked(published_answers, text, slug):
    assert search.search(text, limit=3)[0].slug == slug


def test_search_ignores_drafts_and_empty_text(published_answers, supervisor):
    answer = Answer.objects.get(slug="mat-the-can-cuoc")
    services.answer_update(actor=supervisor, slug=answer.slug, status=Answer.Status.DRAFT)
    assert "mat-the-can-cuoc" not in [a.slug for a in search.search("mất thẻ căn cước")]
    assert search.search("tôi thì là") == []


def test_every_save_is_a_revision(supervisor):
    answer = services.answer_create(
        actor=supervisor, slug="thu", question="Hỏi?", answer="Đáp.", legal_basis="Điều 1",
        category="other", tags=["a"],
    )  # fmt: skip
    services.answer_update(actor=supervisor, slug=answer.slug, answer="Đáp mới.")
    first, second = answer.revisions.order_by("number")
    assert (first.content["answer"], second.content["answer"]) == ("Đáp.", "Đáp mới.")
    assert second.editor == supervisor and answer.status == Answer.Status.DRAFT


def test_supervisor_edits_an_answer_in_the_product(client_for, supervisor, published_answers):
    client = client_for(supervisor)
    page = client.get("/answers/mat-the-can-cuoc/edit/")
    assert page.status_code == 200
    data = {**page.context["form"].initial, "answer": "Làm thủ tục cấp lại.", "tags": "mất"}
    response = client.post("/answers/mat-the-can-cuoc/edit/", data)
    assert response.status_code == 302
    answer = Answer.objects.get(slug="mat-the-can-cuoc")
    assert answer.answer == "Làm thủ tục cấp lại." and answer.tags == ["mất"]
    assert answer.revisions.count() == 2
    assert "Làm thủ tục cấp lại." in client.get("/answers/mat-the-can-cuoc/").content.decode()


def test_supervisor_writes_a_new_answer(client_for, supervisor):
    data = {
        "slug": "moi", "question": "Câu hỏi mới?", "answer": "Trả lời.",
        "legal_basis": "Điều 19 Luật Căn cước", "category": "issuance", "tags": "",
        "status": "published", "question_en": "", "answer_en": "",
    }  # fmt: skip
    assert client_for(supervisor).post("/answers/new/", data).status_code == 302
    assert Answer.objects.get(slug="moi").status == "published"


@pytest.mark.parametrize("role", ["agent", "officer"])
def test_other_staff_read_answers_but_do_not_edit(request, client_for, role, published_answers):
    client = client_for(request.getfixturevalue(role))
    assert client.get("/answers/").status_code == 200
    assert client.get("/answers/mat-the-can-cuoc/edit/").status_code == 403
    assert client.get("/answers/new/").status_code == 403


def test_api_lists_published_answers_best_match_first(api_client_for, agent, published_answers):
    response = api_client_for(agent).get("/api/v1/answers/", {"q": "mất thẻ"})
    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    first = body["results"][0]
    assert first["slug"] == "mat-the-can-cuoc"
    assert {"slug", "question", "answer", "category", "updated_at"} <= set(first)


def test_api_one_answer_by_slug(api_client_for, officer, published_answers):
    client = api_client_for(officer)
    assert client.get("/api/v1/answers/mat-the-can-cuoc/").json()["slug"] == "mat-the-can-cuoc"
    assert client.get("/api/v1/answers/nothing-here/").status_code == 404


@pytest.mark.parametrize("role", ["print_desk", "pbx", None])
def test_api_is_for_staff(api_client_for, users, role, published_answers):
    client = api_client_for(users[role] if role else None)
    assert client.get("/api/v1/answers/").status_code == (403 if role else 401)
