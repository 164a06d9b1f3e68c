"""Who may use the reprint endpoints and pages (SPEC §4, §5; issue 4), for every role.

Each test arranges the same state: ticket A's card in batch 1, ticket B's card pending
for the next batch, and ticket C held by the officer with a linked application. Allowed
roles act so the action succeeds; the other roles are refused with 403 (401 or a login
redirect when anonymous) and change nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest

from callcenter.roles import AGENT, OFFICER, PBX, PRINT_DESK, SUPERVISOR
from reprints import services
from reprints.models import ReprintBatch, ReprintItem, ReprintPolicy, SmsMessage
from tests.reprints.test_reprint_api import (
    XLSX_TYPE,
    application,
    awaiting_reprint,
    celery_eager,
    linked_ticket,
)
from tickets.models import Status, Ticket

ANONYMOUS = "anonymous"
ROLES = (AGENT, OFFICER, SUPERVISOR, PRINT_DESK, PBX, ANONYMOUS)
READERS = frozenset({SUPERVISOR, PRINT_DESK})
SITE_NAME = "1900 0368"


@dataclass
class State:
    batch: ReprintBatch
    item: ReprintItem  # ticket A's, in the batch
    pending: Ticket  # ticket B, waiting for the next batch
    linked: Ticket  # ticket C, held by the officer, not yet on the reprint list


@pytest.fixture
def state(users):
    agent, officer = users[AGENT], users[OFFICER]
    _ticket, item = awaiting_reprint(agent, officer, 1)
    batch = services.batch_build()
    pending, _ = awaiting_reprint(agent, officer, 2)
    linked = linked_ticket(agent, officer, application(3), phone="+84987654321")
    item.refresh_from_db()
    return State(batch=batch, item=item, pending=pending, linked=linked)


@pytest.fixture(autouse=True)
def eager_tasks():
    """`run` builds in-process, so its effect is visible and nothing is left queued."""
    with celery_eager():
        yield


def snapshot():
    """Everything these actions could change."""
    return (
        list(ReprintBatch.objects.order_by("number").values_list("number", "status")),
        list(ReprintItem.objects.order_by("pk").values_list("pk", "batch_id", "outcome")),
        list(Ticket.objects.order_by("pk").values_list("reference", "status")),
        ReprintPolicy.current().interval_days,
        SmsMessage.objects.count(),
    )


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # formatted with number, item and ref (the linked ticket C)
    success: int
    allowed: frozenset
    data: dict = field(default_factory=dict)
    outcome: Callable = lambda response, state: True  # noqa: E731

    def url(self, state) -> str:
        return self.path.format(
            number=state.batch.number, item=state.item.pk, ref=state.linked.reference
        )


def matrix(cases):
    return [
        pytest.param(case, role, id=f"{case.method} {case.name} as {role}")
        for case in cases
        for role in ROLES
    ]


def item_outcome(state):
    return ReprintItem.objects.get(pk=state.item.pk).outcome


def batches_built():
    return ReprintBatch.objects.count()


def ticket_status(ticket):
    return Ticket.objects.get(pk=ticket.pk).status


# --- API ------------------------------------------------------------------------------

API_CASES = [
    Case(
        "batch list",
        "get",
        "/api/v1/reprint-batches/",
        200,
        READERS,
        outcome=lambda r, s: [b["number"] for b in r.json()["results"]] == [s.batch.number],
    ),
    Case(
        "batch detail",
        "get",
        "/api/v1/reprint-batches/{number}/",
        200,
        READERS,
        outcome=lambda r, s: [i["id"] for i in r.json()["items"]] == [s.item.pk],
    ),
    Case(
        "csv export",
        "get",
        "/api/v1/reprint-batches/{number}/export.csv",
        200,
        READERS,
        outcome=lambda r, s: r["Content-Type"].startswith("text/csv"),
    ),
    Case(
        "xlsx export",
        "get",
        "/api/v1/reprint-batches/{number}/export.xlsx",
        200,
        READERS,
        outcome=lambda r, s: r["Content-Type"] == XLSX_TYPE,
    ),
    Case(
        "run",
        "post",
        "/api/v1/reprint-batches/run/",
        202,
        frozenset({SUPERVISOR}),
        outcome=lambda r, s: bool(r.json()["task_id"]) and batches_built() == 2,
    ),
    Case(
        "mark",
        "post",
        "/api/v1/reprint-items/{item}/mark/",
        200,
        frozenset({PRINT_DESK}),
        {"outcome": "printed"},
        outcome=lambda r, s: item_outcome(s) == "printed",
    ),
    Case(
        "request reprint",
        "post",
        "/api/v1/tickets/{ref}/request-reprint/",
        200,
        frozenset({OFFICER}),
        {"reason": "slow_printing"},
        outcome=lambda r, s: ticket_status(s.linked) == Status.AWAITING_REPRINT,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(API_CASES))
def test_api_endpoint_answers_each_role_as_specified(case, role, users, state, api_client_for):
    before = snapshot()
    client = api_client_for(users.get(role))

    response = getattr(client, case.method)(case.url(state), case.data, format="json")

    if role == ANONYMOUS:
        assert response.status_code == 401, response.content
        assert response.json()["detail"]
    elif role in case.allowed:
        assert response.status_code == case.success, response.content
        assert case.outcome(response, state)
    else:
        assert response.status_code == 403, response.content
        assert response.json()["detail"]
    if role not in case.allowed:
        assert snapshot() == before
    elif case.method == "post":
        assert snapshot() != before


# --- pages ----------------------------------------------------------------------------

PAGE_CASES = [
    Case(
        "batch list",
        "get",
        "/reprints/",
        200,
        READERS,
        outcome=lambda r, s: 'href="/reprints/1/"' in r.content.decode(),
    ),
    Case(
        "batch",
        "get",
        "/reprints/{number}/",
        200,
        READERS,
        outcome=lambda r, s: s.item.application.application_number in r.content.decode(),
    ),
    Case(
        "csv",
        "get",
        "/reprints/{number}/export.csv",
        200,
        READERS,
        outcome=lambda r, s: r["Content-Type"].startswith("text/csv"),
    ),
    Case(
        "xlsx",
        "get",
        "/reprints/{number}/export.xlsx",
        200,
        READERS,
        outcome=lambda r, s: r["Content-Type"] == XLSX_TYPE,
    ),
    Case(
        "run",
        "post",
        "/reprints/run/",
        302,
        frozenset({SUPERVISOR}),
        outcome=lambda r, s: r["Location"] == "/reprints/" and batches_built() == 2,
    ),
    Case(
        "schedule",
        "post",
        "/reprints/schedule/",
        302,
        frozenset({SUPERVISOR}),
        {"interval_days": 2},
        outcome=lambda r, s: ReprintPolicy.current().interval_days == 2,
    ),
    Case(
        "batch printed",
        "post",
        "/reprints/{number}/printed/",
        302,
        frozenset({PRINT_DESK}),
        outcome=lambda r, s: item_outcome(s) == "printed",
    ),
    Case(
        "mark",
        "post",
        "/reprints/items/{item}/mark/",
        302,
        frozenset({PRINT_DESK}),
        {"outcome": "failed", "note": "Phôi hỏng"},
        outcome=lambda r, s: item_outcome(s) == "failed",
    ),
    Case(
        "request reprint",
        "post",
        "/tickets/{ref}/request-reprint/",
        302,
        frozenset({OFFICER}),
        {"reason": "slow_printing"},
        outcome=lambda r, s: (
            r["Location"] == s.linked.get_absolute_url()
            and ticket_status(s.linked) == Status.AWAITING_REPRINT
        ),
    ),
]


def assert_redirects_to_login(response, path):
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [path]


@pytest.mark.parametrize(("case", "role"), matrix(PAGE_CASES))
def test_page_answers_each_role_as_specified(case, role, users, state, client, client_for):
    ReprintPolicy.objects.update_or_create(pk=1, defaults={"interval_days": 3})
    before = snapshot()
    page_client = client_for(users[role]) if role != ANONYMOUS else client
    url = case.url(state)

    response = getattr(page_client, case.method)(url, case.data)

    if role == ANONYMOUS:
        assert_redirects_to_login(response, url)
    elif role not in case.allowed:
        assert response.status_code == 403
        assert SITE_NAME in response.content.decode()
    else:
        assert response.status_code == case.success, response.content.decode()[:2000]
        assert case.outcome(response, state)
    if role not in case.allowed:
        assert snapshot() == before
    elif case.method == "post":
        assert snapshot() != before


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (SUPERVISOR, "/reprints/run/"),
        (SUPERVISOR, "/reprints/schedule/"),
        (PRINT_DESK, "/reprints/{number}/printed/"),
        (PRINT_DESK, "/reprints/items/{item}/mark/"),
        (OFFICER, "/tickets/{ref}/request-reprint/"),
    ],
)
def test_page_actions_refuse_get(role, path, users, state, client_for):
    before = snapshot()
    url = path.format(number=state.batch.number, item=state.item.pk, ref=state.linked.reference)

    response = client_for(users[role]).get(url)

    assert response.status_code == 405
    assert snapshot() == before
