"""The officers' queue page (issue 18): the queue first, a page at a time; the officer's
own tickets below, paged on their own; SLA states in one pass; a fixed query count."""

import datetime
import random
import re

import pytest
from django.utils import timezone

from callcenter import calendar
from callcenter.models import CalendarDay
from callcenter.roles import AGENT
from tests.conftest import make_user
from tests.factories import escalated_ticket
from tickets import services, sla
from tickets.models import Ticket
from tickets.views import QUEUE_PAGE_SIZE

# Session, user, both counts (one query), role groups, the queue's page, the officer's
# page of tickets, SLA targets.
QUEUE_PAGE_QUERIES = 7
HANOI = datetime.timezone(datetime.timedelta(hours=7))


def listed(content, table_id):
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', content, re.S).group(1)
    return re.findall(r'href="/tickets/([\d-]+)/"', table)


def pager(content, label):
    match = re.search(rf'<nav class="pager" aria-label="{label}">(.*?)</nav>', content, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def agents(db):
    return [make_user(f"qp_agent_{i}", AGENT) for i in range(3)]


def queued(agents, n):
    return [escalated_ticket(agents[i % len(agents)]) for i in range(n)]


def held(agents, officer, n):
    return [services.ticket_claim(ticket=t, actor=officer) for t in queued(agents, n)]


@pytest.fixture
def two_hundred_held(agents, officer):
    """The officer holds 200 tickets (claimed in order); 30 wait in the queue."""
    return held(agents, officer, 200), queued(agents, 30)


def test_queue_page_with_200_held_tickets_takes_a_fixed_number_of_queries(
    officer, two_hundred_held, client_for, django_assert_max_num_queries
):
    client = client_for(officer)
    assert client.get("/queue/").status_code == 200  # session and caches warm

    with django_assert_max_num_queries(QUEUE_PAGE_QUERIES):
        response = client.get("/queue/")
    with django_assert_max_num_queries(QUEUE_PAGE_QUERIES):
        later = client.get("/queue/?page=2&mine_page=5")

    assert response.status_code == later.status_code == 200


def test_my_tickets_are_paged_on_their_own_longest_held_first(
    officer, two_hundred_held, client_for
):
    mine, waiting = two_hundred_held
    client = client_for(officer)

    first = client.get("/queue/").content.decode()
    last = client.get("/queue/?mine_page=8").content.decode()

    assert listed(first, "my-tickets") == [t.reference for t in mine[:QUEUE_PAGE_SIZE]]
    assert listed(last, "my-tickets") == [t.reference for t in mine[-QUEUE_PAGE_SIZE:]]
    assert "200" in re.search(r'<section[^>]*id="mine".*?</p>', first, re.S).group(0)
    # The queue stays on its first page while the officer pages through their own.
    assert listed(last, "queue") == listed(first, "queue")
    assert 'href="?mine_page=2#mine"' in pager(first, "Các trang phiếu của tôi")


def test_the_queue_is_paged_and_its_pager_keeps_my_page(officer, two_hundred_held, client_for):
    _, waiting = two_hundred_held
    client = client_for(officer)

    first = client.get("/queue/?mine_page=3").content.decode()
    second = client.get("/queue/?page=2&mine_page=3").content.decode()

    assert listed(first, "queue") == [t.reference for t in waiting[:QUEUE_PAGE_SIZE]]
    assert listed(second, "queue") == [t.reference for t in waiting[QUEUE_PAGE_SIZE:]]
    assert "?mine_page=3&amp;page=2" in first
    assert listed(second, "my-tickets") == listed(first, "my-tickets")


def test_each_held_ticket_shows_its_sla_state(agents, officer, client_for):
    [ticket] = held(agents, officer, 1)
    Ticket.objects.filter(pk=ticket.pk).update(
        escalated_at=timezone.now() - datetime.timedelta(days=60)
    )

    content = client_for(officer).get("/queue/").content.decode()

    row = re.search(rf"<tr>.*?{ticket.reference}.*?</tr>", content, re.S).group(0)
    assert "sla-breached" in row


# --- the one-pass business clock --------------------------------------------------------


def instants(rng, n, start, days):
    """Random instants over `days` from `start`, a third of them on the shift's edges."""
    edges = [datetime.time(7, 30), datetime.time(17, 30), datetime.time(0, 0)]
    for _ in range(n):
        day = start + datetime.timedelta(days=rng.randrange(days))
        if rng.random() < 0.33:
            clock = rng.choice(edges)
        else:
            clock = datetime.time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
        yield datetime.datetime.combine(day, clock, tzinfo=HANOI)


@pytest.mark.django_db
def test_business_clock_agrees_with_the_calendar_day_by_day():
    # A closed weekday and a Saturday worked in a swap, among Tết 2027's holidays.
    CalendarDay.objects.create(date=datetime.date(2027, 2, 19), kind="closed")
    CalendarDay.objects.create(date=datetime.date(2027, 2, 20), kind="working")
    calendar.forget_exceptions()
    rng = random.Random(18)
    now = datetime.datetime(2027, 3, 3, 15, 20, 5, 700000, tzinfo=HANOI)
    clock = sla.BusinessClock(now)

    for start in instants(rng, 400, datetime.date(2026, 11, 1), 130):
        expected = calendar.business_seconds_between(start, now)
        assert abs(clock.since(start) - expected) <= 1, start
