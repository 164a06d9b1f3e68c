"""The access log of citizens' records: written by every search and every opening,
through the API and the pages; browsed by supervisors; edited by nobody."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from callcenter.roles import AGENT, OFFICER, PBX, PRINT_DESK, SUPERVISOR
from citizens.models import RecordAccess
from tests.conftest import make_user

from .factories import application

pytestmark = pytest.mark.django_db

DOB = datetime.date(1990, 5, 17)
TICKET = "2611-00001"
# Look-ups name their purpose (SPEC §9): these without a ticket give this one.
PURPOSE = "Công dân hỏi tình trạng hồ sơ qua thư"
ACCESS_LOG = "/records/access-log/"
ADMIN = "/admin/citizens/recordaccess/"


def with_purpose(params: dict) -> dict:
    return params if params.get("ticket") else {"purpose": PURPOSE, **params}


@pytest.fixture(autouse=True)
def held_ticket(officer):
    """TICKET, held by the officer: the ticket a look-up may name."""
    from tests.factories import escalated_ticket
    from tickets import services
    from tickets.models import Ticket

    agent = make_user("agent_log", AGENT)
    ticket = services.ticket_claim(ticket=escalated_ticket(agent), actor=officer)
    Ticket.objects.filter(pk=ticket.pk).update(reference=TICKET)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(db):
    return application(
        "Nguyễn Văn Hùng", date_of_birth=DOB, province="001", old_id_number="012345678"
    )


@pytest.fixture
def namesake(citizen):
    """A second Nguyễn Văn Hùng in Hà Nội, born another year."""
    return application("Nguyễn Văn Hùng", date_of_birth=datetime.date(1985, 1, 2), province="001")


def search_cases(citizen):
    """(kind, request parameters, what the log must hold as the query)."""
    return [
        ("cccd", {"cccd_number": citizen.cccd_number}, {"cccd_number": citizen.cccd_number}),
        ("old_id", {"old_id_number": "012345678"}, {"old_id_number": "012345678"}),
        (
            "name_dob",
            {"full_name": "nguyen van hung", "date_of_birth": "1990-05-17"},
            {"full_name": "nguyen van hung", "date_of_birth": "1990-05-17"},
        ),
        ("fuzzy", {"q": "Nguyen Hung", "province": "001"}, {"q": "Nguyen Hung", "province": "001"}),
        (
            "fuzzy",
            {"q": "Nguyen Hung", "birth_year": "1990"},
            {"q": "Nguyen Hung", "birth_year": 1990},
        ),
    ]


KINDS = ["cccd", "old_id", "name_dob", "fuzzy_province", "fuzzy_year"]
EXPECTED_COUNTS = {"cccd": 1, "old_id": 1, "name_dob": 1, "fuzzy_province": 2, "fuzzy_year": 1}


def case(citizen, name):
    return search_cases(citizen)[KINDS.index(name)]


def search_via_api(api_client_for, officer, params):
    return api_client_for(officer).get("/api/v1/applications/", with_purpose(params))


def search_via_page(client_for, officer, params):
    # The page takes the search as a POST: no personal data in URLs.
    return client_for(officer).post("/records/search/", with_purpose(params))


@pytest.fixture(params=["api", "page"])
def searched(request, api_client_for, client_for, officer):
    """Run a search as the officer through the API or the page."""

    def run(params):
        if request.param == "api":
            return search_via_api(api_client_for, officer, params)
        return search_via_page(client_for, officer, params)

    return run


# --- every search writes exactly one row ------------------------------------------


@pytest.mark.parametrize("name", KINDS)
def test_every_search_writes_one_access_row(searched, officer, citizen, namesake, name):
    kind, params, query = case(citizen, name)

    response = searched(params)

    assert response.status_code == 200
    row = RecordAccess.objects.get()
    assert row.user == officer
    assert row.action == RecordAccess.Action.SEARCH
    assert row.search_kind == kind
    assert row.query == query
    assert row.ticket_reference == ""
    assert row.result_count == EXPECTED_COUNTS[name]
    assert row.application_number == ""
    assert abs(timezone.now() - row.at) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("name", KINDS)
def test_search_for_a_ticket_logs_the_ticket_reference(searched, citizen, namesake, name):
    _, params, query = case(citizen, name)

    response = searched({**params, "ticket": TICKET})

    assert response.status_code == 200
    row = RecordAccess.objects.get()
    assert row.ticket_reference == TICKET
    assert row.query == query  # the ticket is not part of what was searched


def test_search_that_finds_nobody_is_logged_with_zero_results(searched):
    response = searched({"cccd_number": "001090999999"})

    assert response.status_code == 200
    assert RecordAccess.objects.get().result_count == 0


@pytest.mark.parametrize(
    "params",
    [
        {"cccd_number": "0010900123"},
        {"full_name": "Nguyễn Văn Hùng", "date_of_birth": "2023-02-30"},
        {"q": "Nguyễn Văn Hùng"},
        {},
        {"cccd_number": "001090012345", "ticket": "xyz"},
    ],
)
def test_rejected_search_writes_nothing(searched, citizen, params):
    response = searched(params)

    assert response.status_code == 400
    assert not RecordAccess.objects.exists()


def test_each_search_adds_its_own_row(searched, officer, citizen):
    searched({"cccd_number": citizen.cccd_number})
    searched({"old_id_number": "012345678"})

    assert sorted(RecordAccess.objects.values_list("search_kind", flat=True)) == ["cccd", "old_id"]


# --- opening an application -----------------------------------------------------------


@pytest.fixture(params=["api", "page"])
def opened(request, api_client_for, client_for, officer):
    def run(number, **params):
        if request.param == "api":
            return api_client_for(officer).get(
                f"/api/v1/applications/{number}/", with_purpose(params)
            )
        return client_for(officer).get(f"/records/applications/{number}/", with_purpose(params))

    return run


def test_opening_an_application_is_logged(opened, officer, citizen):
    response = opened(citizen.application_number)

    assert response.status_code == 200
    row = RecordAccess.objects.get()
    assert (row.user, row.action) == (officer, RecordAccess.Action.OPEN)
    assert row.application_number == citizen.application_number
    assert row.ticket_reference == ""
    assert row.purpose == PURPOSE


def test_opening_an_application_for_a_ticket_logs_the_ticket(opened, citizen):
    opened(citizen.application_number, ticket=TICKET)

    assert RecordAccess.objects.get().ticket_reference == TICKET


def test_opening_an_unknown_application_writes_nothing(opened, citizen):
    assert opened("2022001999999999").status_code == 404
    assert not RecordAccess.objects.exists()


@pytest.mark.parametrize("ticket", ["xyz", "2611-00001-extra-long"])
def test_opening_for_a_malformed_ticket_is_400_and_writes_nothing(opened, citizen, ticket):
    assert opened(citizen.application_number, ticket=ticket).status_code == 400
    assert not RecordAccess.objects.exists()


# --- who may use the records pages ---------------------------------------------------


@pytest.mark.parametrize("role", [AGENT, SUPERVISOR, PRINT_DESK, PBX])
def test_records_pages_are_for_officers_only(client_for, users, citizen, role):
    client = client_for(users[role])

    assert client.post("/records/search/", {"cccd_number": citizen.cccd_number}).status_code == 403
    assert client.get(f"/records/applications/{citizen.application_number}/").status_code == 403
    assert not RecordAccess.objects.exists()


def test_records_pages_send_anonymous_visitors_to_login(client, citizen):
    responses = [
        client.post("/records/search/", {"cccd_number": citizen.cccd_number}),
        client.get(f"/records/applications/{citizen.application_number}/"),
    ]
    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not RecordAccess.objects.exists()


# --- the supervisors' page ------------------------------------------------------------


@pytest.fixture
def logged(officer, other_officer, citizen):
    """Three rows: officer_a searched today for a ticket and yesterday without one;
    officer_b opened the application today."""
    today = RecordAccess.objects.create(
        user=officer, action="search", search_kind="cccd", ticket_reference=TICKET,
        query={"cccd_number": citizen.cccd_number}, result_count=1,
    )  # fmt: skip
    yesterday = RecordAccess.objects.create(
        user=officer, action="search", search_kind="fuzzy",
        query={"q": "Nguyen Hung", "province": "001"}, result_count=7,
    )  # fmt: skip
    RecordAccess.objects.filter(pk=yesterday.pk).update(
        at=timezone.now() - datetime.timedelta(days=1)
    )
    opened = RecordAccess.objects.create(
        user=other_officer, action="open", application_number=citizen.application_number,
        ticket_reference="2611-00002", result_count=1,
    )  # fmt: skip
    return {"today": today, "yesterday": yesterday, "opened": opened}


def listed(response):
    return {row.pk for row in response.context["page"]}


def test_supervisor_sees_every_access_row(client_for, supervisor, logged):
    response = client_for(supervisor).get(ACCESS_LOG)

    assert response.status_code == 200
    assert listed(response) == {row.pk for row in logged.values()}
    content = response.content.decode()
    assert TICKET in content and "officer_b" in content
    assert logged["opened"].application_number in content


def test_access_log_filters_by_user(client_for, supervisor, logged):
    response = client_for(supervisor).get(ACCESS_LOG, {"user": "officer_b"})

    assert listed(response) == {logged["opened"].pk}


def test_access_log_filters_by_ticket(client_for, supervisor, logged):
    response = client_for(supervisor).get(ACCESS_LOG, {"ticket": TICKET})

    assert listed(response) == {logged["today"].pk}


def test_access_log_filters_by_day(client_for, supervisor, logged):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client_for(supervisor).get(ACCESS_LOG, {"day": yesterday.isoformat()})

    assert response.status_code == 200
    assert listed(response) == {logged["yesterday"].pk}


@pytest.mark.parametrize("day", ["2023-02-30", "yesterday", "9" * 50])
def test_access_log_with_an_invalid_day_is_400(client_for, supervisor, logged, day):
    response = client_for(supervisor).get(ACCESS_LOG, {"day": day})

    assert response.status_code == 400


@pytest.mark.parametrize("role", [AGENT, OFFICER, PRINT_DESK, PBX])
def test_access_log_page_is_for_supervisors_only(client_for, users, logged, role):
    assert client_for(users[role]).get(ACCESS_LOG).status_code == 403


def test_access_log_page_sends_anonymous_visitors_to_login(client, logged):
    response = client.get(ACCESS_LOG)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_access_log_page_reads_a_bounded_number_of_queries(
    client_for, supervisor, officer, django_assert_max_num_queries
):
    RecordAccess.objects.bulk_create(
        RecordAccess(user=officer, action="search", search_kind="cccd", result_count=1)
        for _ in range(60)
    )
    client = client_for(supervisor)

    # Three of them update the session's row (SAVEPOINT, UPDATE, RELEASE).
    with django_assert_max_num_queries(11):
        response = client.get(ACCESS_LOG)

    assert response.status_code == 200
    assert len(response.context["page"]) == 50


# --- the admin: readable by supervisors, changeable by nobody --------------------------


@pytest.fixture
def staff_supervisor(supervisor):
    supervisor.is_staff = True
    supervisor.save()
    return supervisor


def test_supervisor_can_browse_the_access_log_in_the_admin(client_for, staff_supervisor, logged):
    response = client_for(staff_supervisor).get(ADMIN)

    assert response.status_code == 200
    assert TICKET in response.content.decode()


def test_nobody_can_add_an_access_row_in_the_admin(client_for, staff_supervisor, logged):
    client = client_for(staff_supervisor)

    assert client.get(f"{ADMIN}add/").status_code == 403
    assert client.post(f"{ADMIN}add/", {"action": "search"}).status_code == 403
    assert RecordAccess.objects.count() == 3


def test_access_row_in_the_admin_is_read_only(client_for, staff_supervisor, logged):
    client = client_for(staff_supervisor)
    row = logged["today"]

    page = client.get(f"{ADMIN}{row.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()

    response = client.post(f"{ADMIN}{row.pk}/change/", {"ticket_reference": "2611-99999"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.ticket_reference == TICKET


def test_nobody_can_delete_an_access_row_in_the_admin(client_for, staff_supervisor, logged):
    client = client_for(staff_supervisor)
    row = logged["today"]

    assert client.post(f"{ADMIN}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(ADMIN, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})

    assert RecordAccess.objects.filter(pk=row.pk).exists()


def test_even_a_superuser_cannot_change_the_access_log_in_the_admin(client, logged):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.com", "x-pass-123")
    client.force_login(root)
    row = logged["today"]

    assert client.get(f"{ADMIN}add/").status_code == 403
    assert client.post(f"{ADMIN}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RecordAccess.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("role", [AGENT, OFFICER])
def test_staff_without_the_permission_cannot_see_the_access_log_in_the_admin(
    client_for, users, logged, role
):
    user = users[role]
    user.is_staff = True
    user.save()

    assert client_for(user).get(ADMIN).status_code == 403


def test_what_was_searched_is_shown_by_the_criteria_labels(client_for, supervisor, logged):
    content = client_for(supervisor).get(ACCESS_LOG).content.decode()

    assert "Tên (gần đúng): Nguyen Hung" in content  # q, in the page's language
    assert "q=Nguyen Hung" not in content and "{" not in content.split("<tbody>")[1]


def test_where_records_were_shown_is_said_in_the_readers_language(client_for, supervisor):
    from citizens.services import records_shown

    records_shown(user=supervisor, what="ticket page", tickets=[TICKET])
    records_shown(
        user=supervisor,
        what="reprint batch %(number)s, as %(form)s",
        what_args={"number": 7, "form": "CSV"},
        applications=["2022001000000001"],
    )
    stored = RecordAccess.objects.order_by("-id").first().query
    assert stored["shown"] == "reprint batch 7, as CSV"  # the log keeps the English

    content = client_for(supervisor).get(ACCESS_LOG).content.decode()
    rows = content.split("<tbody>")[1]
    assert "Hiển thị tại: đợt in lại 7, tệp CSV · Số hồ sơ: 2022001000000001" in rows
    # A ticket page showed no application: no empty "Applications" criterion.
    assert f"Hiển thị tại: trang phiếu · Phiếu: {TICKET}" in rows and "ticket page" not in rows
