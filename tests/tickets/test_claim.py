"""The officers' work on an escalated ticket (SPEC §3, §5; issue 3): claim, release,
link an application, resolve with a code that fits it; their API twins and the queue."""

import datetime
import functools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from citizens.models import ApplicationStatus
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket, ticket_for
from tickets import selectors, services
from tickets.lifecycle import NotTicketHolder, TransitionNotAllowed
from tickets.models import Category, Priority, Status, Ticket, TicketEvent

TICKETS = "/api/v1/tickets/"
QUEUE = "/api/v1/queue/"


def url(reference, action=""):
    return f"{TICKETS}{reference}/" + (f"{action}/" if action else "")


def held_by(officer, ticket):
    """An escalated ticket claimed by the officer."""
    return services.ticket_claim(ticket=ticket, actor=officer)


def reload(ticket):
    return Ticket.objects.select_related("assignee", "linked_application").get(pk=ticket.pk)


def race(*calls):
    """Run the calls at the same moment, one thread each; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # what the call raised is the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


# --- claim ----------------------------------------------------------------------------


def test_claiming_an_escalated_ticket_assigns_it_to_the_officer(agent, officer):
    ticket = escalated_ticket(agent)
    before = timezone.now()

    services.ticket_claim(ticket=ticket, actor=officer)

    ticket = reload(ticket)
    assert ticket.status == Status.ASSIGNED
    assert ticket.assignee == officer
    assert before <= ticket.assigned_at <= timezone.now()
    event = ticket.events.order_by("-id").first()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "claim",
        officer,
        Status.ESCALATED,
        Status.ASSIGNED,
    )


def test_claim_by_second_officer_is_refused_naming_the_holder(agent, officer, other_officer):
    ticket = held_by(officer, escalated_ticket(agent))
    events = ticket.events.count()

    with pytest.raises(TransitionNotAllowed) as refused:
        services.ticket_claim(ticket=ticket, actor=other_officer)

    assert officer.username in refused.value.message
    assert reload(ticket).assignee == officer
    assert ticket.events.count() == events


@pytest.mark.parametrize("arrange", ["open", "resolved"])
def test_claiming_a_ticket_that_is_not_in_the_queue_is_refused(agent, officer, arrange):
    ticket = ticket_for(agent, resolve_now=arrange == "resolved")

    with pytest.raises(TransitionNotAllowed):
        services.ticket_claim(ticket=ticket, actor=officer)

    assert reload(ticket).assignee is None


def test_claim_through_the_api_answers_the_assigned_ticket(agent, officer, api_client_for):
    ticket = escalated_ticket(agent)

    response = api_client_for(officer).post(url(ticket.reference, "claim"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reference"], body["status"], body["assignee"]) == (
        ticket.reference,
        Status.ASSIGNED,
        officer.username,
    )
    assert body["assigned_at"]
    assert body["history"][-1]["action"] == "claim"
    assert reload(ticket).assignee == officer


def test_claim_of_a_held_ticket_through_the_api_is_409_naming_the_holder(
    agent, officer, other_officer, api_client_for
):
    ticket = held_by(officer, escalated_ticket(agent))

    response = api_client_for(other_officer).post(
        url(ticket.reference, "claim"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert officer.username in response.json()["detail"]
    assert reload(ticket).assignee == officer


def test_claim_of_an_open_ticket_through_the_api_is_409(agent, officer, api_client_for):
    ticket = ticket_for(agent)

    response = api_client_for(officer).post(url(ticket.reference, "claim"))

    assert response.status_code == 409
    assert response.json()["detail"]
    assert reload(ticket).status == Status.OPEN


def test_claim_of_an_unknown_ticket_through_the_api_is_404(officer, api_client_for):
    response = api_client_for(officer).post(url("2601-99999", "claim"))

    assert response.status_code == 404


# --- the claim race -------------------------------------------------------------------


def claim_in_thread(ticket, officer):
    return lambda: services.ticket_claim(ticket=Ticket.objects.get(pk=ticket.pk), actor=officer)


@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_once_one_wins_and_the_other_is_told_who(
    agent, officer, other_officer
):
    ticket = escalated_ticket(agent)

    outcomes = race(claim_in_thread(ticket, officer), claim_in_thread(ticket, other_officer))

    won = [o for o in outcomes if isinstance(o, Ticket)]
    lost = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    holder = reload(ticket).assignee
    assert holder == won[0].assignee
    assert holder.username in lost[0].message
    assert reload(ticket).status == Status.ASSIGNED
    assert TicketEvent.objects.filter(ticket=ticket, action="claim").count() == 1


@pytest.mark.django_db(transaction=True)
def test_claim_race_has_exactly_one_winner_every_time(agent, officer, other_officer):
    tickets = [escalated_ticket(agent) for _ in range(10)]

    for ticket in tickets:
        outcomes = race(claim_in_thread(ticket, officer), claim_in_thread(ticket, other_officer))

        assert sorted(type(o).__name__ for o in outcomes) == ["Ticket", "TransitionNotAllowed"]
        winner = next(o for o in outcomes if isinstance(o, Ticket)).assignee
        assert reload(ticket).assignee == winner
        assert TicketEvent.objects.filter(ticket=ticket, action="claim").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_once_through_the_api_get_200_and_409(
    agent, officer, other_officer, api_client_for
):
    clients = {user.username: api_client_for(user) for user in (officer, other_officer)}

    for ticket in [escalated_ticket(agent) for _ in range(10)]:
        path = url(ticket.reference, "claim")
        claims = [functools.partial(client.post, path) for client in clients.values()]
        responses = dict(zip(clients, race(*claims), strict=True))

        codes = {name: getattr(r, "status_code", r) for name, r in responses.items()}
        assert sorted(map(str, codes.values())) == ["200", "409"], codes
        winner = next(name for name, code in codes.items() if code == 200)
        loser = next(name for name, code in codes.items() if code == 409)
        assert responses[winner].json()["assignee"] == winner
        assert winner in responses[loser].json()["detail"]
        assert reload(ticket).assignee.username == winner
        assert TicketEvent.objects.filter(ticket=ticket, action="claim").count() == 1


# --- release --------------------------------------------------------------------------


def test_release_by_the_holder_puts_the_ticket_back_in_the_queue(agent, officer):
    ticket = held_by(officer, escalated_ticket(agent))

    services.ticket_release(ticket=ticket, actor=officer, note="Cần bộ phận khác xử lý")

    ticket = reload(ticket)
    assert (ticket.status, ticket.assignee, ticket.assigned_at) == (Status.ESCALATED, None, None)
    assert ticket in selectors.officer_queue()
    assert ticket.events.filter(action="release", actor=officer).count() == 1
    assert ticket.notes.get().text == "Cần bộ phận khác xử lý"


def test_release_by_another_officer_is_refused(agent, officer, other_officer):
    ticket = held_by(officer, escalated_ticket(agent))

    with pytest.raises(NotTicketHolder):
        services.ticket_release(ticket=ticket, actor=other_officer)

    assert reload(ticket).assignee == officer


def test_release_through_the_api_answers_the_escalated_ticket(agent, officer, api_client_for):
    ticket = held_by(officer, escalated_ticket(agent))

    response = api_client_for(officer).post(url(ticket.reference, "release"), {}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["assignee"], body["assigned_at"]) == (
        Status.ESCALATED,
        None,
        None,
    )
    assert reload(ticket).status == Status.ESCALATED


def test_release_through_the_api_by_a_non_holder_is_403(
    agent, officer, other_officer, api_client_for
):
    ticket = held_by(officer, escalated_ticket(agent))

    response = api_client_for(other_officer).post(url(ticket.reference, "release"))

    assert response.status_code == 403
    assert response.json()["detail"]
    ticket = reload(ticket)
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, officer)


def test_release_of_an_unclaimed_ticket_through_the_api_is_409(agent, officer, api_client_for):
    ticket = escalated_ticket(agent)

    response = api_client_for(officer).post(url(ticket.reference, "release"))

    assert response.status_code == 409
    assert reload(ticket).status == Status.ESCALATED


# --- link an application --------------------------------------------------------------


def test_holder_links_an_application_with_a_history_row(agent, officer):
    ticket = held_by(officer, escalated_ticket(agent))
    application = card_application()

    services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=application.application_number
    )

    assert reload(ticket).linked_application == application
    event = ticket.events.get(action="link")
    assert event.actor == officer
    assert event.changes == {"application": application.application_number, "previous": ""}


def test_linking_another_application_replaces_the_link_and_records_the_previous(agent, officer):
    ticket = held_by(officer, escalated_ticket(agent))
    first = card_application(application_number="HS2203000001")
    second = card_application(application_number="HS2203000002")
    services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=first.application_number
    )

    services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=second.application_number
    )

    assert reload(ticket).linked_application == second
    last = ticket.events.filter(action="link").order_by("-id").first()
    assert last.changes == {"application": "HS2203000002", "previous": "HS2203000001"}


def test_link_through_the_api_sets_the_link(agent, officer, api_client_for):
    ticket = held_by(officer, escalated_ticket(agent))
    application = card_application()

    response = api_client_for(officer).post(
        url(ticket.reference, "link-application"),
        {"application_number": application.application_number},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["history"][-1]["action"] == "link"
    assert reload(ticket).linked_application == application


def test_linked_application_shows_in_the_api_ticket(agent, officer, api_client_for):
    ticket = held_by(officer, escalated_ticket(agent))
    application = card_application()
    client = api_client_for(officer)

    linked = client.post(
        url(ticket.reference, "link-application"),
        {"application_number": application.application_number},
        format="json",
    )
    detail = client.get(url(ticket.reference))

    assert linked.json().get("linked_application") == application.application_number
    assert detail.json().get("linked_application") == application.application_number


def test_link_of_an_unknown_application_is_400_naming_application_number(
    agent, officer, api_client_for
):
    ticket = held_by(officer, escalated_ticket(agent))

    response = api_client_for(officer).post(
        url(ticket.reference, "link-application"),
        {"application_number": "HS9999999999"},
        format="json",
    )

    assert response.status_code == 400
    assert "application_number" in response.json()
    assert reload(ticket).linked_application is None


@pytest.mark.parametrize("payload", [{}, {"application_number": ""}, {"application_number": 42}])
def test_link_without_an_application_number_is_400(agent, officer, api_client_for, payload):
    ticket = held_by(officer, escalated_ticket(agent))

    response = api_client_for(officer).post(
        url(ticket.reference, "link-application"), payload, format="json"
    )

    assert response.status_code == 400
    assert "application_number" in response.json()


def test_link_while_the_ticket_is_not_assigned_is_409(agent, officer, api_client_for):
    ticket = escalated_ticket(agent)
    application = card_application()

    response = api_client_for(officer).post(
        url(ticket.reference, "link-application"),
        {"application_number": application.application_number},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"]
    assert reload(ticket).linked_application is None


def test_link_by_a_non_holder_is_403(agent, officer, other_officer, api_client_for):
    ticket = held_by(officer, escalated_ticket(agent))
    application = card_application()

    response = api_client_for(other_officer).post(
        url(ticket.reference, "link-application"),
        {"application_number": application.application_number},
        format="json",
    )

    assert response.status_code == 403
    assert reload(ticket).linked_application is None
    assert not ticket.events.filter(action="link").exists()


# --- resolve with a code that fits the records ----------------------------------------

S = ApplicationStatus
# What the spec says each records-based code needs; None: no linked application.
FITS = {
    "card_at_local_police": {S.DISPATCHED},
    "must_reapply": {S.REJECTED},
    "in_processing": {S.RECEIVED, S.APPROVED, S.PRINTING, S.PRINTED},
    "not_found": {None},
}
FIT_CASES = [
    pytest.param(code, status, status in fitting, id=f"{code} with {status or 'nothing'}")
    for code, fitting in FITS.items()
    for status in [None, *ApplicationStatus.values]
]


def held_with_application(agent, officer, status):
    ticket = held_by(officer, escalated_ticket(agent))
    if status is not None:
        application = card_application(status=status)
        services.ticket_link_application(
            ticket=ticket, actor=officer, application_number=application.application_number
        )
    return reload(ticket)


@pytest.mark.parametrize(("code", "status", "fits"), FIT_CASES)
def test_resolution_code_must_fit_the_linked_application(agent, officer, code, status, fits):
    ticket = held_with_application(agent, officer, status)

    if fits:
        services.ticket_resolve(ticket=ticket, actor=officer, resolution_code=code)
        assert (reload(ticket).status, reload(ticket).resolution_code) == (Status.RESOLVED, code)
    else:
        with pytest.raises(ValidationError) as refused:
            services.ticket_resolve(ticket=ticket, actor=officer, resolution_code=code)
        assert list(refused.value.message_dict) == ["resolution_code"]
        assert (reload(ticket).status, reload(ticket).resolution_code) == (Status.ASSIGNED, "")


@pytest.mark.parametrize("code", ["answered", "complaint_forwarded", "duplicate"])
@pytest.mark.parametrize("status", [None, S.DELIVERED, S.REJECTED])
def test_codes_that_state_no_finding_fit_any_application(agent, officer, code, status):
    ticket = held_with_application(agent, officer, status)

    services.ticket_resolve(ticket=ticket, actor=officer, resolution_code=code)

    assert reload(ticket).resolution_code == code


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("card_at_local_police", S.DISPATCHED),
        ("must_reapply", S.REJECTED),
        ("in_processing", S.PRINTING),
        ("not_found", None),
    ],
)
def test_fitting_resolution_through_the_api_is_200(agent, officer, api_client_for, code, status):
    ticket = held_with_application(agent, officer, status)

    response = api_client_for(officer).post(
        url(ticket.reference, "resolve"),
        {"resolution_code": code, "resolution_note": "Đã báo công dân"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["resolution_code"]) == (
        Status.RESOLVED,
        code,
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("card_at_local_police", S.PRINTING),
        ("card_at_local_police", None),
        ("must_reapply", S.DISPATCHED),
        ("in_processing", S.DELIVERED),
        ("in_processing", S.REJECTED),
        ("not_found", S.RECEIVED),
    ],
)
def test_misfit_resolution_through_the_api_is_400_naming_resolution_code(
    agent, officer, api_client_for, code, status
):
    ticket = held_with_application(agent, officer, status)

    response = api_client_for(officer).post(
        url(ticket.reference, "resolve"), {"resolution_code": code}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["resolution_code"]
    assert body["resolution_code"][0]
    assert reload(ticket).status == Status.ASSIGNED


def test_reprinted_cannot_be_chosen_through_the_api(agent, officer, api_client_for):
    ticket = held_with_application(agent, officer, S.PRINTED)

    response = api_client_for(officer).post(
        url(ticket.reference, "resolve"), {"resolution_code": "reprinted"}, format="json"
    )

    assert response.status_code == 400
    assert "resolution_code" in response.json()
    assert reload(ticket).status == Status.ASSIGNED


# --- the queue API --------------------------------------------------------------------


def queued(agent, minutes_ago, *, category=Category.DELAYED_CARD, priority=Priority.NORMAL):
    ticket = escalated_ticket(agent, category=category)
    escalated_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Ticket.objects.filter(pk=ticket.pk).update(escalated_at=escalated_at, priority=priority)
    return reload(ticket)


def queue_references(response):
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_queue_lists_only_escalated_unclaimed_tickets(
    agent, officer, other_officer, api_client_for
):
    waiting = escalated_ticket(agent)
    ticket_for(agent)
    ticket_for(agent, resolve_now=True)
    held_by(other_officer, escalated_ticket(agent))
    released = held_by(officer, escalated_ticket(agent))
    services.ticket_release(ticket=released, actor=officer)

    response = api_client_for(officer).get(QUEUE)

    assert sorted(queue_references(response)) == sorted([waiting.reference, released.reference])


def test_queue_puts_high_priority_then_complaints_then_the_oldest_first(
    agent, officer, api_client_for
):
    newer = queued(agent, 180)
    complaint = queued(agent, 60, category=Category.COMPLAINT)
    high = queued(agent, 10, priority=Priority.HIGH)
    oldest = queued(agent, 300)
    high_complaint = queued(agent, 2, category=Category.COMPLAINT, priority=Priority.HIGH)

    response = api_client_for(officer).get(QUEUE)

    assert queue_references(response) == [
        t.reference for t in (high_complaint, high, complaint, oldest, newer)
    ]


def test_queue_is_paginated(agent, officer, api_client_for):
    for minutes in (30, 20, 10):
        queued(agent, minutes)
    client = api_client_for(officer)

    first = client.get(QUEUE, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"] is not None


def test_queue_items_carry_their_age_in_seconds(agent, officer, api_client_for):
    ticket = queued(agent, 120)

    item = api_client_for(officer).get(QUEUE).json()["results"][0]

    assert item["reference"] == ticket.reference
    assert isinstance(item["age_seconds"], int)
    assert 120 * 60 <= item["age_seconds"] <= 120 * 60 + 60
    assert item["escalated_at"]


def test_empty_queue_is_an_empty_page(officer, api_client_for):
    response = api_client_for(officer).get(QUEUE)

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
