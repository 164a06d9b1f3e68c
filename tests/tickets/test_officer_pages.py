"""The officer's pages (SPEC §4; issue 3): the queue with "my tickets", claiming, and
the ticket work page with its records search, link, fitting resolution and release."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from callcenter.roles import AGENT, SUPERVISOR
from citizens.models import ApplicationStatus
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket, ticket_for
from tickets import services
from tickets.models import Category, Priority, Status, Ticket

IDENTITY = {
    "caller_name": "Nguyễn Văn An",
    "date_of_birth": datetime.date(1990, 5, 17),
    "cccd_number": "001090012345",
    "old_id_number": "012345678",
}
SEARCH_FIELDS = ("cccd_number", "old_id_number", "full_name", "date_of_birth", "q")


def held_by(officer, ticket):
    return services.ticket_claim(ticket=ticket, actor=officer)


def reload(ticket):
    return Ticket.objects.get(pk=ticket.pk)


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(content, table_id):
    match = re.search(rf'<table id="{table_id}">(.*?)</table>', content, re.S)
    assert match, f"no table #{table_id}"
    return match.group(1)


def listed(content, table_id):
    """Ticket references linked from a table, in order."""
    return re.findall(r'href="/tickets/([\d-]+)/"', section(content, table_id))


def messages_of(response):
    return re.findall(r'<li class="msg msg-(\w+)">(.*?)</li>', response.content.decode(), re.S)


def search_form(content):
    match = re.search(r'<form[^>]*class="record-search".*?</form>', content, re.S)
    return match and match.group(0)


def input_value(form, name):
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', form)
    assert tag, f"no input {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def selected_option(content, name):
    select = re.search(rf'<select name="{name}".*?</select>', content, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', select)


def queued(agent, minutes_ago, *, category=Category.DELAYED_CARD, priority=Priority.NORMAL):
    ticket = escalated_ticket(agent, category=category)
    escalated_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Ticket.objects.filter(pk=ticket.pk).update(escalated_at=escalated_at, priority=priority)
    return ticket


# --- the queue page -------------------------------------------------------------------


def test_queue_page_lists_escalated_tickets_in_the_order_to_take_them(agent, officer, client_for):
    newer = queued(agent, 180)
    complaint = queued(agent, 60, category=Category.COMPLAINT)
    high = queued(agent, 10, priority=Priority.HIGH)
    oldest = queued(agent, 300)
    open_ticket = ticket_for(agent)

    content = page(client_for(officer).get("/queue/"))

    assert listed(content, "queue") == [t.reference for t in (high, complaint, oldest, newer)]
    assert open_ticket.reference not in content


def test_queue_page_offers_a_claim_button_per_ticket(agent, officer, client_for):
    tickets = [queued(agent, 30), queued(agent, 20)]

    content = page(client_for(officer).get("/queue/"))

    for ticket in tickets:
        assert f'action="/tickets/{ticket.reference}/claim/"' in section(content, "queue")


def test_queue_page_lists_the_officers_own_tickets_under_my_tickets(
    agent, officer, other_officer, client_for
):
    mine = held_by(officer, escalated_ticket(agent))
    theirs = held_by(other_officer, escalated_ticket(agent))
    waiting = escalated_ticket(agent)

    content = page(client_for(officer).get("/queue/"))

    assert listed(content, "my-tickets") == [mine.reference]
    assert listed(content, "queue") == [waiting.reference]
    assert theirs.reference not in content


def test_claim_button_takes_the_officer_to_the_ticket_page(agent, officer, client_for):
    ticket = escalated_ticket(agent)

    response = client_for(officer).post(f"/tickets/{ticket.reference}/claim/")

    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()
    ticket = reload(ticket)
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, officer)


def test_claim_lost_to_another_officer_returns_to_the_queue_naming_the_holder(
    agent, officer, other_officer, client_for
):
    ticket = held_by(other_officer, escalated_ticket(agent))
    client = client_for(officer)

    response = client.post(f"/tickets/{ticket.reference}/claim/")
    queue = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == "/queue/"
    [(level, text)] = messages_of(queue)
    assert level == "error"
    assert other_officer.username in text
    assert reload(ticket).assignee == other_officer


def test_claim_page_action_refuses_get(agent, officer, client_for):
    ticket = escalated_ticket(agent)

    response = client_for(officer).get(f"/tickets/{ticket.reference}/claim/")

    assert response.status_code == 405
    assert reload(ticket).status == Status.ESCALATED


# --- the ticket work page -------------------------------------------------------------


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        pytest.param(IDENTITY, {"cccd_number": "001090012345"}, id="cccd number first"),
        pytest.param(
            {k: v for k, v in IDENTITY.items() if k != "cccd_number"},
            {"old_id_number": "012345678"},
            id="else old id",
        ),
        pytest.param(
            {"caller_name": "Nguyễn Văn An", "date_of_birth": datetime.date(1990, 5, 17)},
            {"full_name": "Nguyễn Văn An", "date_of_birth": "1990-05-17"},
            id="else name and date of birth",
        ),
    ],
)
def test_holder_sees_the_records_search_prefilled_from_the_ticket(
    agent, officer, client_for, known, expected
):
    ticket = held_by(officer, escalated_ticket(agent, identity=known))

    form = search_form(page(client_for(officer).get(ticket.get_absolute_url())))

    assert form, "no records search form"
    assert {name: input_value(form, name) for name in SEARCH_FIELDS} == {
        name: expected.get(name, "") for name in SEARCH_FIELDS
    }
    assert input_value(form, "ticket") == ticket.reference
    assert re.search(r'hx-trigger="[^"]*\bload\b', form), "the search does not run at once"


def test_holder_sees_the_release_button(agent, officer, client_for):
    ticket = held_by(officer, escalated_ticket(agent))

    content = page(client_for(officer).get(ticket.get_absolute_url()))

    assert f'action="/tickets/{ticket.reference}/release/"' in content


def test_prefilled_search_finds_the_application_and_offers_to_link_it(agent, officer, client_for):
    ticket = held_by(officer, escalated_ticket(agent, identity=IDENTITY))
    application = card_application(cccd_number=IDENTITY["cccd_number"])
    client = client_for(officer)
    form = search_form(page(client.get(ticket.get_absolute_url())))
    method = re.search(r'method="(\w+)"', form).group(1).lower()
    action = re.search(r'action="([^"]+)"', form).group(1)

    results = page(
        getattr(client, method)(
            action, {name: input_value(form, name) for name in ("ticket", *SEARCH_FIELDS)}
        )
    )

    link = re.search(
        rf'<form[^>]*action="/tickets/{ticket.reference}/link/".*?</form>', results, re.S
    )
    assert link, "no link form"
    assert input_value(link.group(0), "application_number") == application.application_number


def test_link_from_the_page_shows_the_application_with_its_timeline(agent, officer, client_for):
    ticket = held_by(officer, escalated_ticket(agent, identity=IDENTITY))
    application = card_application(status=ApplicationStatus.DISPATCHED, step_days=3)
    client = client_for(officer)

    response = client.post(
        f"/tickets/{ticket.reference}/link/",
        {"application_number": application.application_number},
    )
    content = page(client.get(response["Location"]))

    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()
    assert reload(ticket).linked_application == application
    linked = re.search(r'<section class="linked".*?</section>', content, re.S)
    assert linked, "no linked application on the ticket page"
    assert application.application_number in linked.group(0)
    days = re.findall(r"<time>([\d/]+)</time>", linked.group(0))
    assert days == ["01/03/2022", "04/03/2022", "07/03/2022", "10/03/2022", "13/03/2022"]


def test_link_of_an_unknown_application_from_the_page_shows_a_message(agent, officer, client_for):
    ticket = held_by(officer, escalated_ticket(agent))
    client = client_for(officer)

    response = client.post(
        f"/tickets/{ticket.reference}/link/", {"application_number": "HS9999999999"}
    )
    follow = client.get(response["Location"])

    assert response.status_code == 302
    assert [level for level, _ in messages_of(follow)] == ["error"]
    assert "HS9999999999" in messages_of(follow)[0][1]
    assert reload(ticket).linked_application is None


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (ApplicationStatus.DISPATCHED, "card_at_local_police"),
        (ApplicationStatus.REJECTED, "must_reapply"),
        (ApplicationStatus.PRINTING, "in_processing"),
        (ApplicationStatus.RECEIVED, "in_processing"),
    ],
)
def test_resolve_form_preselects_the_code_that_fits_the_linked_application(
    agent, officer, client_for, status, code
):
    ticket = held_by(officer, escalated_ticket(agent))
    application = card_application(status=status)
    services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=application.application_number
    )

    content = page(client_for(officer).get(ticket.get_absolute_url()))

    assert selected_option(content, "resolution_code") == [code]


def test_fitting_resolution_from_the_page_resolves_the_ticket(agent, officer, client_for):
    ticket = held_by(officer, escalated_ticket(agent))
    application = card_application(status=ApplicationStatus.DISPATCHED)
    services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=application.application_number
    )

    response = client_for(officer).post(
        f"/tickets/{ticket.reference}/resolve/",
        {"resolution_code": "card_at_local_police", "resolution_note": "Nhận tại công an quận"},
    )

    assert response.status_code == 302
    ticket = reload(ticket)
    assert (ticket.status, ticket.resolution_code) == (Status.RESOLVED, "card_at_local_police")


def test_misfit_resolution_from_the_page_shows_a_message_and_changes_nothing(
    agent, officer, client_for
):
    ticket = held_by(officer, escalated_ticket(agent))
    application = card_application(status=ApplicationStatus.DISPATCHED)
    services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=application.application_number
    )
    events = ticket.events.count()
    client = client_for(officer)

    response = client.post(
        f"/tickets/{ticket.reference}/resolve/", {"resolution_code": "must_reapply"}
    )
    follow = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()
    assert [level for level, _ in messages_of(follow)] == ["error"]
    ticket = reload(ticket)
    assert (ticket.status, ticket.resolution_code) == (Status.ASSIGNED, "")
    assert ticket.events.count() == events


def test_release_from_the_page_puts_the_ticket_back_in_the_queue(agent, officer, client_for):
    ticket = held_by(officer, escalated_ticket(agent))
    client = client_for(officer)

    response = client.post(f"/tickets/{ticket.reference}/release/")
    queue = page(client.get(response["Location"]))

    assert response.status_code == 302
    assert response["Location"] == "/queue/"
    assert listed(queue, "queue") == [ticket.reference]
    assert ticket.reference not in section(queue, "my-tickets")
    ticket = reload(ticket)
    assert (ticket.status, ticket.assignee) == (Status.ESCALATED, None)


def test_release_from_the_page_by_another_officer_changes_nothing(
    agent, officer, other_officer, client_for
):
    ticket = held_by(officer, escalated_ticket(agent))
    client = client_for(other_officer)

    response = client.post(f"/tickets/{ticket.reference}/release/")
    follow = client.get(response["Location"])

    assert response.status_code == 302
    assert [level for level, _ in messages_of(follow)] == ["error"]
    assert reload(ticket).assignee == officer


# --- who sees the records search ------------------------------------------------------


@pytest.mark.parametrize("role", [AGENT, SUPERVISOR])
def test_agents_and_supervisors_never_see_the_records_search(
    agent, officer, users, client_for, role
):
    ticket = held_by(officer, escalated_ticket(agent, identity=IDENTITY))

    content = page(client_for(users[role]).get(ticket.get_absolute_url()))

    assert search_form(content) is None
    assert "/records/search/" not in content


@pytest.mark.parametrize("role", [AGENT, SUPERVISOR])
def test_records_search_stays_hidden_even_on_a_ticket_assigned_to_them(
    agent, users, client_for, role
):
    ticket = escalated_ticket(agent, identity=IDENTITY)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.ASSIGNED, assignee=users[role])

    content = page(client_for(users[role]).get(ticket.get_absolute_url()))

    assert search_form(content) is None


def test_another_officer_does_not_see_the_search_on_a_held_ticket(
    agent, officer, other_officer, client_for
):
    ticket = held_by(officer, escalated_ticket(agent, identity=IDENTITY))

    content = page(client_for(other_officer).get(ticket.get_absolute_url()))

    assert search_form(content) is None
    assert f'action="/tickets/{ticket.reference}/release/"' not in content
