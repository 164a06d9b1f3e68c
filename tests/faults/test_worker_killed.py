"""SPEC §12, the worker killed (SIGKILL) in the middle of its work: a reprint batch
build and an SMS send. Nothing is left half-done, no text reaches a caller twice, and
the work completes once a worker is back: tasks are acknowledged only when finished
(acks late), so the broker hands a killed worker's task out again after the visibility
timeout; the batch build is one transaction, and each text is sent under a key of its
own that a retry reuses (callcenter.sms)."""

import time

import psycopg
import pytest
import requests

from .gateway import lines
from .services import wait_until


def build_waiting_for_a_lock(stack):
    rows = stack.postgres.query(
        """SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'
           AND query LIKE 'UPDATE "reprints_reprintitem"%%'"""
    )
    return rows and rows[0][0]


def batches(stack, headers) -> list[dict]:
    response = requests.get(stack.url("/api/v1/reprint-batches/"), headers=headers, timeout=10)
    assert response.status_code == 200
    return response.json()["results"]


def test_a_batch_build_killed_half_way_leaves_nothing_and_completes_after_the_restart(stack):
    supervisor = stack.token("supervisor1")
    items = [int(pk) for pk in stack.seed("reprints", 5).split()]
    before = batches(stack, supervisor)
    holder = psycopg.connect(stack.postgres.url())
    try:
        # A row lock on one request: the build creates its batch, then waits in the
        # UPDATE that fills it — where the worker is killed.
        holder.execute("SELECT id FROM reprints_reprintitem WHERE id = %s FOR UPDATE", [items[-1]])
        run = requests.post(
            stack.url("/api/v1/reprint-batches/run/"), headers=supervisor, timeout=10
        )
        assert run.status_code == 202
        pid = wait_until(lambda: build_waiting_for_a_lock(stack), what="the build to block")
        stack.worker.kill()
        holder.rollback()
        gone = "SELECT count(*) FROM pg_stat_activity WHERE pid = %s"
        wait_until(lambda: stack.postgres.query(gone, [pid])[0][0] == 0, what="its session")
    finally:
        holder.close()

    assert batches(stack, supervisor) == before
    pending = "SELECT count(*) FROM reprints_reprintitem WHERE batch_id IS NULL AND id = ANY(%s)"
    assert stack.postgres.query(pending, [items])[0][0] == len(items)

    # A worker starting takes back the unacknowledged tasks older than the visibility
    # timeout (later, a sweep every ~100 s would).
    time.sleep(int(stack.env["CELERY_VISIBILITY_TIMEOUT"]) + 1)
    stack.worker.start()

    wait_until(
        lambda: len(batches(stack, supervisor)) == len(before) + 1,
        timeout=60,
        what="the killed build to run again",
    )
    batch = batches(stack, supervisor)[0]
    assert batch["number"] == max([b["number"] for b in before], default=0) + 1
    in_batch = stack.postgres.query(
        "SELECT DISTINCT b.number FROM reprints_reprintitem i"
        " JOIN reprints_reprintbatch b ON b.id = i.batch_id WHERE i.id = ANY(%s)",
        [items],
    )
    assert in_batch == [(batch["number"],)]


@pytest.fixture
def slow_gateway(stack):
    """The worker's SMS gateway answers a second after taking each message."""
    stack.worker.stop()
    stack.worker.env = {**stack.env, "SMS_GATEWAY_DELAY": "1.0"}
    stack.worker.start()
    yield
    stack.worker.stop()
    stack.worker.env = stack.env
    stack.worker.start()


def test_an_sms_send_killed_half_way_sends_every_text_once_after_the_restart(stack, slow_gateway):
    gateway = stack.env["SMS_GATEWAY_DIR"]
    keys = [f"sms-{pk}" for pk in stack.seed("sms", 6).split()]

    def ours(name):
        return [line.split()[0] for line in lines(gateway, name) if line.split()[0] in keys]

    # Beat's outbox run starts the send; the worker dies while the gateway, which has
    # taken the second text, has not answered yet.
    wait_until(lambda: len(ours("calls")) >= 2, timeout=30, interval=0.02, what="the send")
    stack.worker.kill()
    in_flight = ours("calls")[-1]
    sent = "SELECT id FROM reprints_smsmessage WHERE status = 'sent' AND id = ANY(%s)"
    ids = [int(key.removeprefix("sms-")) for key in keys]
    # Nothing half-done: the text in flight is not marked sent, and not all are.
    marked = {row[0] for row in stack.postgres.query(sent, [ids])}
    assert int(in_flight.removeprefix("sms-")) not in marked
    assert len(marked) < len(keys)

    stack.worker.env = stack.env
    stack.worker.start()

    wait_until(
        lambda: len(stack.postgres.query(sent, [ids])) == len(keys),
        timeout=60,
        what="every text to be sent",
    )
    assert sorted(ours("delivered")) == sorted(keys)  # each reached its caller once
    assert ours("calls").count(in_flight) == 2  # sent again, under the same key
