"""The HTTP API fuzzed from its own OpenAPI schema (schemathesis; issue 6, hardening):
whatever a client sends, no operation answers 5xx, and what it answers fits the schema.

Each operation runs as every role its permission classes let in (anonymously when
anyone may call it), against a few real tickets, card applications and a reprint batch,
so that some generated paths name objects that exist. Every request runs in a savepoint
that is rolled back afterwards: what one case writes never changes what the next sees.
The run is derandomized, so a failure here fails the same way on every machine.
"""

import datetime
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import resolve
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.test import APIRequestFactory, force_authenticate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from callcenter.wsgi import application
from citizens.models import ApplicationStatus
from knowledge.seeding import seed_answers
from tests.citizens.factories import application as card_application
from tests.conftest import PASSWORD
from tests.factories import escalated_ticket, ticket_for
from tests.reprints.test_reprint_api import built_batch, celery_eager, linked_ticket
from tests.tickets.test_claim import held_by
from tickets import cti
from tickets.forms import MANUAL_RESOLUTION_CODES

# The schema documents successful answers only, so status_code_conformance would
# report every 400/403/404/409; the answers it does document are checked in full.
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]

# Any date, and often the ends of the calendar, where a day more or less overflows. The
# last day comes first: it is the value the coverage phase sends for every date.
CALENDAR_ENDS = st.sampled_from([datetime.date.max, datetime.date.min])
schemathesis.openapi.format(
    "date", st.one_of(CALENDAR_ENDS, st.dates()).map(datetime.date.isoformat)
)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

# Values of objects the running test made, by path parameter name (filled by `world`).
KNOWN: dict[str, list] = {}


def valid_input() -> dict:
    """Input each operation accepts in the world below, by operation and location.
    Generated input rarely passes validation (a Vietnamese phone number, a CCCD that
    agrees with the birth date); mixing generated fields into these reaches the
    services behind it."""
    return {
        "POST /api/v1/auth/token/": {"body": {"username": "agent_a", "password": PASSWORD}},
        "POST /api/v1/tickets/": {
            "body": {
                "caller_phone": "0912 345 678",
                "category": "delayed_card",
                "summary": "Chưa nhận được thẻ",
            },
        },
        "POST /api/v1/tickets/{reference}/notes/": {"body": {"text": "Đã gọi lại"}},
        "POST /api/v1/tickets/{reference}/resolve/": {
            "body": {"resolution_code": MANUAL_RESOLUTION_CODES[0][0], "resolution_note": "Xong"},
        },
        "POST /api/v1/tickets/{reference}/link-application/": {
            "body": {"application_number": "HS2203000002"},
        },
        "POST /api/v1/tickets/{reference}/request-reprint/": {"body": {"reason": "slow_printing"}},
        "POST /api/v1/reprint-items/{id}/mark/": {"body": {"outcome": "failed", "note": "Kẹt"}},
        "POST /api/v1/cti/events/": {
            "body": {
                "call_id": "fuzz-1",
                "event": "answered",
                "caller_number": "0912345678",
                "agent_extension": "101",
                "at": timezone.now().isoformat(),
            },
        },
        "GET /api/v1/applications/": {
            "query": {
                "full_name": "Nguyễn Văn An",
                "date_of_birth": "1990-05-17",
                "q": "an",
                "purpose": "Công dân hỏi qua thư điện tử",
            },
        },
        "POST /api/v1/public/application-status/": {
            "body": {
                "full_name": "nguyen van an",
                "date_of_birth": "17/05/1990",
                "id_last4": "0002",
            },
        },
        "POST /api/v1/public/ticket-status/": {
            "body": {"reference": "2601-00001", "phone": "0912345678"},
        },
    }


def _mixed(location):
    """A flatmap hook: half the time the generated value, half the time valid input
    with some of the generated fields laid over it."""

    def hook(context, generated):
        valid = valid_input().get(context.operation.label, {}).get(location)
        if valid is None or not isinstance(generated, dict):
            return st.just(generated)
        names = st.sets(st.sampled_from(sorted(generated))) if generated else st.just(set())
        mixed = names.map(lambda keep: {**valid, **{name: generated[name] for name in keep}})
        return st.one_of(st.just(generated), mixed)

    return hook


schema.hook("flatmap_body")(_mixed("body"))
schema.hook("flatmap_query")(_mixed("query"))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, a path naming an object that exists instead of the generated one."""
    real = [
        {**path_parameters, name: value}
        for name in path_parameters or ()
        for value in KNOWN.get(name, ())
    ]
    if not real:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.sampled_from(real))


# --- who may call an operation --------------------------------------------------------

# A value each path parameter's URL converter accepts, to find the view behind a path.
SAMPLE_PATH_VALUES = {
    "reference": "2601-00001",
    "number": "1",
    "id": "1",
    "phone": "0912345678",
    "application_number": "HS1",
    "slug": "mat-the-can-cuoc",
}


def _view_for(path_template):
    path = re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PATH_VALUES[m.group(1)], path_template)
    match = resolve(path)
    return match.func.cls, path, match.kwargs


def may_call(user, method, path_template) -> bool:
    """Whether the view's own permission classes let `user` (None: anonymous) in."""
    view_class, path, kwargs = _view_for(path_template)
    request = APIRequestFactory().generic(method, path)
    if user is not None:
        force_authenticate(request, user=user)
    view = view_class()
    view.args, view.kwargs, view.format_kwarg = (), kwargs, None
    view.request = view.initialize_request(request)
    try:
        view.check_permissions(view.request)
    except (exceptions.PermissionDenied, exceptions.NotAuthenticated):
        return False
    return True


def callers(users, method, path_template) -> dict:
    """Role name → request headers for everyone who may call the operation; only the
    anonymous caller when anyone may."""
    if may_call(None, method, path_template):
        return {"anonymous": {}}
    allowed = {}
    for role, user in users.items():
        if may_call(user, method, path_template):
            token, _ = Token.objects.get_or_create(user=user)
            allowed[role] = {"Authorization": f"Token {token.key}"}
    return allowed


# --- the world the cases run in --------------------------------------------------------


@pytest.fixture
def world(users):
    """Tickets in each state an action cares about, a batch with an item, and the
    applications behind them; their keys go to KNOWN for the path strategy."""
    agent, officer = users["agent"], users["officer"]
    batch, (batched,) = built_batch(agent, officer, indexes=(1,))
    app = card_application(application_number="HS2203000002", status=ApplicationStatus.PRINTING)
    linked = linked_ticket(agent, officer, app, phone="+84912345602")
    tickets = [
        ticket_for(agent),
        escalated_ticket(agent, phone="+84912345603"),
        held_by(officer, escalated_ticket(agent, phone="+84912345604")),
        ticket_for(agent, phone="+84912345605", resolve_now=True, resolution_note="Đã trả lời"),
        linked,
        batched,
    ]
    item = batch.items.get()
    seed_answers()
    # A call the PBX reported and nobody answered: no agent, no ticket.
    cti.call_event(
        call_id="fuzz-unanswered",
        event="ringing",
        at=timezone.now(),
        caller_number="+84912345678",
        agent_extension="",
    )
    KNOWN.update(
        reference=[t.reference for t in tickets],
        number=[batch.number],
        id=[item.pk],
        application_number=[item.application.application_number, "HS2203000002"],
        phone=["+84912345678", "0912 345 602"],
        slug=["mat-the-can-cuoc"],
    )
    yield
    KNOWN.clear()


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI handler share the test's connection and transaction:
    keep the handler from closing that connection at the end of each request, as
    Django's test client does. Celery tasks run in-process, inside the same transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with celery_eager():
            yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # every request is rolled back
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_no_server_error_for_any_role(case, users, world, wsgi_in_test_transaction):
    allowed = callers(users, case.method, case.operation.path)
    assert allowed, f"nobody may call {case.operation.label}"
    for headers in allowed.values():
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        # A 500's traceback is in the captured log (django.request).
        case.validate_response(response, checks=CHECKS, headers=headers)
