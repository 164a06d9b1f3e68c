"""SPEC §12, PostgreSQL restarted under load: 20 agents create tickets through the API
while the server crashes (an immediate shutdown) and starts again. Every creation
answered 201 is in the database exactly once (the server keeps synchronous_commit on,
so its crash loses no acknowledged commit); while it is down the answers are 503s that
come at once (not a hang, not a 500); creations succeed again within seconds of the
server's return, with no process restarted."""

import threading
import time
import uuid
from dataclasses import dataclass

import pytest
import requests

CLIENTS = 20
DOWN_SECONDS = 3
RECOVERED_WITHIN = 5.0


@dataclass
class Answer:
    marker: str
    status: int | str
    reference: str
    sent: float
    took: float


def create_tickets(stack, headers, answers: list, stop: threading.Event):
    session = requests.Session()
    while not stop.is_set():
        marker = f"fault-{uuid.uuid4().hex}"
        body = {"caller_phone": "0912 345 678", "category": "other", "summary": marker}
        sent = time.monotonic()
        try:
            response = session.post(
                stack.url("/api/v1/tickets/"), json=body, headers=headers, timeout=15
            )
            status = response.status_code
            reference = response.json().get("reference", "") if status == 201 else ""
        except requests.RequestException as exc:
            status, reference = type(exc).__name__, ""
        answers.append(Answer(marker, status, reference, sent, time.monotonic() - sent))
        if status != 201:
            time.sleep(0.05)


@pytest.fixture(scope="module")
def load_through_a_crash(stack):
    tokens = [stack.token(f"agent{i}") for i in range(1, CLIENTS + 1)]
    answers, stop = [], threading.Event()
    threads = [
        threading.Thread(target=create_tickets, args=(stack, token, answers, stop))
        for token in tokens
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        crashed = time.monotonic()
        stack.postgres.crash()
        time.sleep(DOWN_SECONDS)
        stack.postgres.start()
        back = time.monotonic()
        time.sleep(RECOVERED_WITHIN + 3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        if not stack.postgres.running():
            stack.postgres.start()
    return {"answers": answers, "crashed": crashed, "back": back}


def test_every_answer_is_a_201_or_a_503(load_through_a_crash):
    statuses = {answer.status for answer in load_through_a_crash["answers"]}
    assert statuses <= {201, 503}, statuses
    assert 503 in statuses, "no request met the outage"


def test_answers_during_the_outage_come_at_once(load_through_a_crash):
    refused = [a for a in load_through_a_crash["answers"] if a.status == 503]
    assert max(answer.took for answer in refused) < 5.0


def test_every_201_is_in_the_database_exactly_once(stack, load_through_a_crash):
    answers = load_through_a_crash["answers"]
    rows = stack.postgres.query(
        "SELECT summary, reference FROM tickets_ticket WHERE summary LIKE 'fault-%%'"
    )
    created = {a.marker: a.reference for a in answers if a.status == 201}
    stored = {}
    for summary, reference in rows:
        stored.setdefault(summary, []).append(reference)

    assert len(created) > CLIENTS
    assert all(stored.get(marker) == [ref] for marker, ref in created.items())
    assert all(len(refs) == 1 for refs in stored.values()), "a ticket stored twice"
    # A request in flight at the crash may have committed before its answer was lost:
    # stored once though answered 503. Only those.
    refused = {a.marker for a in answers if a.status == 503}
    assert len(refused & stored.keys()) <= CLIENTS
    assert stored.keys() <= created.keys() | refused


def test_creations_succeed_again_within_seconds_of_the_return(load_through_a_crash):
    back, answers = load_through_a_crash["back"], load_through_a_crash["answers"]
    after = sorted((a for a in answers if a.sent >= back), key=lambda a: a.sent)
    first_201 = next(a for a in after if a.status == 201)
    assert first_201.sent + first_201.took - back < RECOVERED_WITHIN
    settled = [a for a in after if a.sent >= back + RECOVERED_WITHIN]
    assert settled and all(a.status == 201 for a in settled)
