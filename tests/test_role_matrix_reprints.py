"""Who may use the reprint endpoints and pages (SPEC §4, §5; issue 4), for every role.

Each test arranges the same state: ticket A's card in batch 1, ticket B's card pending
for the next batch, and ticket C held by the officer with a linked application. Allowed
roles act so the action succeeds; the other roles are refused with 403 (401 or a login
redirect when anonymous) and change nothing.
"""

from dataclasses import dataclass

import pytest

from callcenter.roles import AGENT, OFFICER, PRINT_DESK, SUPERVISOR
from citizens.models import ApplicationStatus
from reprints import services
from reprints.models import ReprintBatch, ReprintItem, ReprintPolicy, SmsMessage
from tests.citizens.factories import application as card_application
from tests.reprints.test_reprint_api import XLSX_TYPE, awaiting_reprint, celery_eager, linked_ticket
from tests.role_matrix import Case, matrix, run_api_case, run_page_case
from tickets.models import Status, Ticket

READERS = frozenset({SUPERVISOR, PRINT_DESK})


@dataclass
class State:
    batch: ReprintBatch
    item: ReprintItem  # ticket A's, in the batch
    pending: Ticket  # ticket B, waiting for the next batch
    linked: Ticket  # ticket C, held by the officer, not yet on the reprint list

    def path_values(self) -> dict:
        """What the cases' paths are formatted with."""
        return {"number": self.batch.number, "item": self.item.pk, "ref": self.linked.reference}


@pytest.fixture
def state(users):
    agent, officer = users[AGENT], users[OFFICER]
    _ticket, item = awaiting_reprint(agent, officer, 1)
    batch = services.batch_build()
    pending, _ = awaiting_reprint(agent, officer, 2)
    app = card_application(status=ApplicationStatus.PRINTING)
    linked = linked_ticket(agent, officer, app, phone="+84987654321")
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
        READERS,
        200,
        outcome=lambda r, s: [b["number"] for b in r.json()["results"]] == [s.batch.number],
    ),
    Case(
        "batch detail",
        "get",
        "/api/v1/reprint-batches/{number}/",
        READERS,
        200,
        outcome=lambda r, s: [i["id"] for i in r.json()["items"]] == [s.item.pk],
    ),
    Case(
        "csv export",
        "get",
        "/api/v1/reprint-batches/{number}/export.csv",
        READERS,
        200,
        outcome=lambda r, s: r["Content-Type"].startswith("text/csv"),
    ),
    Case(
        "xlsx export",
        "get",
        "/api/v1/reprint-batches/{number}/export.xlsx",
        READERS,
        200,
        outcome=lambda r, s: r["Content-Type"] == XLSX_TYPE,
    ),
    Case(
        "run",
        "post",
        "/api/v1/reprint-batches/run/",
        frozenset({SUPERVISOR}),
        202,
        outcome=lambda r, s: bool(r.json()["task_id"]) and batches_built() == 2,
    ),
    Case(
        "mark",
        "post",
        "/api/v1/reprint-items/{item}/mark/",
        frozenset({PRINT_DESK}),
        200,
        data={"outcome": "printed"},
        outcome=lambda r, s: item_outcome(s) == "printed",
    ),
    Case(
        "request reprint",
        "post",
        "/api/v1/tickets/{ref}/request-reprint/",
        frozenset({OFFICER}),
        200,
        data={"reason": "slow_printing"},
        outcome=lambda r, s: ticket_status(s.linked) == Status.AWAITING_REPRINT,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(API_CASES))
def test_api_endpoint_answers_each_role_as_specified(case, role, users, state, api_client_for):
    run_api_case(case, role, state, users=users, api_client_for=api_client_for, snapshot=snapshot)


# --- pages ----------------------------------------------------------------------------

PAGE_CASES = [
    Case(
        "batch list",
        "get",
        "/reprints/",
        READERS,
        200,
        outcome=lambda r, s: 'href="/reprints/1/"' in r.content.decode(),
    ),
    Case(
        "batch",
        "get",
        "/reprints/{number}/",
        READERS,
        200,
        outcome=lambda r, s: s.item.application.application_number in r.content.decode(),
    ),
    Case(
        "csv",
        "get",
        "/reprints/{number}/export.csv",
        READERS,
        200,
        outcome=lambda r, s: r["Content-Type"].startswith("text/csv"),
    ),
    Case(
        "xlsx",
        "get",
        "/reprints/{number}/export.xlsx",
        READERS,
        200,
        outcome=lambda r, s: r["Content-Type"] == XLSX_TYPE,
    ),
    Case(
        "run",
        "post",
        "/reprints/run/",
        frozenset({SUPERVISOR}),
        302,
        outcome=lambda r, s: r["Location"] == "/reprints/" and batches_built() == 2,
    ),
    Case(
        "schedule",
        "post",
        "/reprints/schedule/",
        frozenset({SUPERVISOR}),
        302,
        data={"interval_days": 2},
        outcome=lambda r, s: ReprintPolicy.current().interval_days == 2,
    ),
    Case(
        "batch printed",
        "post",
        "/reprints/{number}/printed/",
        frozenset({PRINT_DESK}),
        302,
        outcome=lambda r, s: item_outcome(s) == "printed",
    ),
    Case(
        "mark",
        "post",
        "/reprints/items/{item}/mark/",
        frozenset({PRINT_DESK}),
        302,
        data={"outcome": "failed", "note": "Phôi hỏng"},
        outcome=lambda r, s: item_outcome(s) == "failed",
    ),
    Case(
        "request reprint",
        "post",
        "/tickets/{ref}/request-reprint/",
        frozenset({OFFICER}),
        302,
        data={"reason": "slow_printing"},
        outcome=lambda r, s: (
            r["Location"] == s.linked.get_absolute_url()
            and ticket_status(s.linked) == Status.AWAITING_REPRINT
        ),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(PAGE_CASES))
def test_page_answers_each_role_as_specified(case, role, users, state, client, client_for):
    ReprintPolicy.objects.update_or_create(pk=1, defaults={"interval_days": 3})

    run_page_case(
        case,
        role,
        state,
        users=users,
        client=client,
        client_for=client_for,
        snapshot=snapshot,
    )


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
    url = path.format(**state.path_values())

    response = client_for(users[role]).get(url)

    assert response.status_code == 405
    assert snapshot() == before
