"""The public pages: /tra-cuu/ per language, leave your number, /hoi-dap/."""

import pytest

from callbacks.models import Callback
from citizens.models import ApplicationStatus
from tests.citizens.factories import application

pytestmark = pytest.mark.django_db


def look_up(client, app, **changes):
    data = {
        "full_name": app.full_name,
        "date_of_birth": app.date_of_birth.strftime("%d/%m/%Y"),
        "id_last4": app.cccd_number[-4:],
    } | changes
    return client.post("/tra-cuu/", data)


def test_form_is_vietnamese_first_with_an_english_switch(client):
    page = client.get("/tra-cuu/").content.decode()
    assert 'lang="vi"' in page and "Họ và tên" in page and "English" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/tra-cuu/"})
    page = client.get("/tra-cuu/").content.decode()
    assert 'lang="en"' in page and "Full name" in page and "Tiếng Việt" in page


def test_delayed_card_offers_a_callback(client, delayed):
    page = look_up(client, delayed).content.decode()
    assert "Công an phường Hoàn Kiếm" in page
    assert 'id="callback-form"' in page
    for secret in ("001188123456", "012345678", "0912345678", delayed.application_number):
        assert secret not in page


def test_leaving_a_number_creates_a_callback_linked_to_the_application(client, delayed):
    page = look_up(client, delayed).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    done = client.post("/tra-cuu/goi-lai/", {"token": token, "phone": "0987 654 321"})
    assert done.status_code == 200 and 'id="callback-done"' in done.content.decode()
    callback = Callback.objects.get()
    assert str(callback.phone) == "+84987654321"
    assert callback.application == delayed and callback.missed_calls == 0
    assert callback.requested_at is not None and callback.status == "pending"


def test_a_forged_token_creates_nothing(client, delayed):
    response = client.post("/tra-cuu/goi-lai/", {"token": str(delayed.pk), "phone": "0987654321"})
    assert response.status_code == 400
    assert not Callback.objects.exists()


def test_a_card_on_time_offers_no_callback(client):
    import datetime

    today = datetime.date.today()
    on_time = application(status=ApplicationStatus.RECEIVED, lodged_on=today)
    page = look_up(client, on_time).content.decode()
    assert 'id="callback-form"' not in page and 'id="next-step"' in page


def test_a_miss_is_one_not_found(client, delayed):
    page = look_up(client, delayed, id_last4="0000")
    assert page.status_code == 200 and 'id="not-found"' in page.content.decode()
    assert "Hoàn Kiếm" not in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_of_birth": "1988-02-30"}, "không có ngày này"),
        ({"date_of_birth": "30/2/1988"}, "không có ngày này"),
        ({"date_of_birth": "ngày 5"}, "05/09/1990"),
        ({"id_last4": "12a"}, "nhập đúng 4 chữ số cuối"),
        ({"date_of_birth": "01/01/2999"}, "tương lai"),
        ({"id_last4": "12"}, "id_last4"),
        ({"full_name": "x" * 200}, "full_name"),
    ],
)
def test_bad_input_is_a_form_error(client, delayed, changes, message):
    page = look_up(client, delayed, **changes)
    assert page.status_code == 400
    assert message in page.content.decode()


def test_a_wrong_date_does_not_hide_what_is_wrong_with_the_last_4_digits(client, delayed):
    page = look_up(client, delayed, date_of_birth="31/02/1990", id_last4="12ab")
    content = page.content.decode()
    assert page.status_code == 400
    assert "không có ngày này" in content and "nhập đúng 4 chữ số cuối" in content


def test_answers_page_lists_and_searches_published_answers(client, published_answers):
    page = client.get("/hoi-dap/").content.decode()
    assert "Bị mất thẻ căn cước thì phải làm gì?" in page
    page = client.get("/hoi-dap/", {"q": "mat the"}).content.decode()
    assert "/hoi-dap/mat-the-can-cuoc/" in page


def test_each_answer_has_its_page_with_the_legal_basis(client, published_answers):
    page = client.get("/hoi-dap/mat-the-can-cuoc/")
    assert page.status_code == 200
    assert "Điều 24 Luật Căn cước" in page.content.decode()


def test_answer_page_in_english(client, published_answers):
    client.post("/i18n/setlang/", {"language": "en", "next": "/hoi-dap/"})
    page = client.get("/hoi-dap/mat-the-can-cuoc/").content.decode()
    assert "I lost my identity card" in page


def test_in_english_an_answer_written_in_vietnamese_only_says_so(client, published_answers):
    from knowledge.models import Answer

    Answer.objects.filter(slug="mat-the-can-cuoc").update(question_en="", answer_en="")
    client.post("/i18n/setlang/", {"language": "en", "next": "/hoi-dap/"})

    listed = client.get("/hoi-dap/").content.decode()
    shown = client.get("/hoi-dap/mat-the-can-cuoc/").content.decode()

    item = listed.split('href="/hoi-dap/mat-the-can-cuoc/"')[1].split("</li>")[0]
    assert 'lang="vi"' in item and "(in Vietnamese)" in item
    assert "written in Vietnamese only" in shown and 'id="answer-title" lang="vi"' in shown


def test_a_draft_has_no_public_page(client, published_answers):
    from knowledge import services
    from knowledge.models import Answer

    answer = Answer.objects.get(slug="mat-the-can-cuoc")
    services.answer_update(actor=None, slug=answer.slug, status=Answer.Status.DRAFT)
    assert client.get("/hoi-dap/mat-the-can-cuoc/").status_code == 404
