"""Partial names (issue 15): an officer who heard only "chị Hoa, họ Nguyễn, ở Hà Nội"
gets the best candidates — one or two words matching the family and/or given name —
best first and capped, in the API and on the ticket page's search."""

import datetime

import pytest
from django.core.cache import cache

from citizens import search
from citizens.models import ApplicationStatus

from .factories import application

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/applications/"
PURPOSE = "Công dân gọi hỏi về thẻ chậm"  # a look-up names its purpose (SPEC §9)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def names(matches) -> list[str]:
    return [m.application.full_name for m in matches]


@pytest.fixture
def hanoi(db):
    people = {
        "hoa": application("Nguyễn Thị Hoa", sex="F", province="001"),
        "an": application("Nguyễn Văn An", province="001"),
        "tran_hoa": application("Trần Thị Hoa", sex="F", province="001"),
        "hcm": application("Nguyễn Thị Hoa", sex="F", province="079"),
        "typo": application("Nguyen Thi Hoa", sex="F", province="001"),  # no accents on record
        "le": application("Lê Văn Nguyên", province="001"),  # Nguyên as the given name
    }
    search.forget_vocabulary()
    return people


def test_a_bare_family_name_narrowed_by_province_finds_its_people(hanoi, api_client_for, officer):
    response = api_client_for(officer).get(
        SEARCH, {"q": "nguyen", "province": "001", "purpose": PURPOSE}
    )

    assert response.status_code == 200, response.content
    found = {r["application_number"] for r in response.json()["results"]}
    expected = {hanoi[k].application_number for k in ("hoa", "an", "typo", "le")}
    assert found == expected  # the family name, or the given name; not in Hồ Chí Minh City
    assert all(r["score"] == search.PARTIAL_SCORE and not r["exact"]
               for r in response.json()["results"])  # fmt: skip


def test_given_name_and_family_name_in_either_order(hanoi):
    in_order = names(search.fuzzy("nguyen hoa", province="001"))
    reversed_ = names(search.fuzzy("Hoa Nguyễn", province="001"))

    assert set(in_order) == {"Nguyễn Thị Hoa", "Nguyen Thi Hoa"}
    assert set(reversed_) == {"Nguyễn Thị Hoa", "Nguyen Thi Hoa"}


def test_middle_and_given_name_find_the_person(hanoi):
    assert names(search.fuzzy("van an", province="001")) == ["Nguyễn Văn An"]
    assert set(names(search.fuzzy("nguyen thi", province="001"))) == {
        "Nguyễn Thị Hoa", "Nguyen Thi Hoa"
    }  # fmt: skip


def test_a_misspelt_given_name_alone_is_found_after_exact_ones(hanoi):
    found = names(search.fuzzy("hoaa", province="001"))
    assert set(found) >= {"Nguyễn Thị Hoa", "Trần Thị Hoa"}


def test_candidates_in_progress_come_first_then_the_latest(db):
    old = application("Phạm Văn Bình", province="002", lodged_on=datetime.date(2021, 3, 2))
    new = application("Phạm Văn Cường", province="002", lodged_on=datetime.date(2022, 9, 1))
    stuck = application("Phạm Văn Dũng", province="002", status=ApplicationStatus.PRINTING,
                        lodged_on=datetime.date(2021, 6, 1))  # fmt: skip
    search.forget_vocabulary()

    found = [m.application.pk for m in search.fuzzy("pham", province="002")]

    assert found == [stuck.pk, new.pk, old.pk]


def test_partial_results_are_capped(db):
    for i in range(search.MAX_RESULTS + 5):
        application("Đỗ Văn Tú", province="004", lodged_on=datetime.date(2022, 1, 3 + i % 20))
    search.forget_vocabulary()

    assert len(search.fuzzy("do", province="004")) == search.MAX_RESULTS


def test_the_ticket_page_search_lists_the_candidates(hanoi, client_for, officer):
    response = client_for(officer).post(
        "/records/search/", {"q": "nguyen", "province": "001", "ticket": "", "purpose": PURPOSE}
    )

    assert response.status_code == 200
    assert hanoi["hoa"].application_number in response.content.decode()


def test_the_page_says_which_fields_a_search_did_not_use(hanoi, client_for, officer):
    citizen = hanoi["hoa"]
    response = client_for(officer).post(
        "/records/search/",
        {"cccd_number": citizen.cccd_number, "full_name": "Trần Văn Khác", "q": "tran",
         "province": "001", "ticket": "", "purpose": PURPOSE},
    )  # fmt: skip

    notice = response.content.decode().split('id="search-ignored"')[1].split("</p>")[0]
    assert "Số CCCD" in notice and "Họ và tên" in notice and "Tỉnh" in notice
    assert citizen.application_number in response.content.decode()


def test_a_search_using_every_field_given_says_nothing_of_the_kind(hanoi, client_for, officer):
    response = client_for(officer).post(
        "/records/search/", {"q": "nguyen", "province": "001", "ticket": "", "purpose": PURPOSE}
    )

    assert 'id="search-ignored"' not in response.content.decode()
