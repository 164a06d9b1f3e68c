"""SPEC §12, a slow database and a full disk.

Slow: another session holds a lock on the tickets table (a long migration, a stuck
transaction), so every creation waits. The web's statement timeout (DB_STATEMENT_TIMEOUT,
30 s in production, 3 s here) cancels the wait: the agent gets a 503 saying the
database is slow and that nothing was saved, in seconds rather than a hang, and the
same request sent again once the lock is gone creates the ticket once.

Full: the SMS outbox lives on a filesystem that is full (a tablespace on a small tmpfs,
filled by an open transaction's rows): PostgreSQL refuses to extend the table
(SQLSTATE 53100). Marking a card printed, which texts the caller, is then a 503 saying
the storage is full, and none of it is kept — the card is not marked, its ticket not
resolved, no text queued. Once space is freed the print desk marks it again, and the
caller gets exactly one text.

Before this work the slow case hung until gunicorn killed its worker (no answer at
all), and the full disk answered the generic "briefly unavailable"."""

import os
import random
import subprocess
import time
import uuid

import psycopg
import pytest
import requests

from .conftest import csrf_of
from .gateway import lines
from .services import STATEMENT_TIMEOUT, wait_until


def ticket() -> dict:
    """A delayed-card call from a number of its own (no earlier ticket to join)."""
    phone = f"09{random.randrange(10**8):08d}"
    summary = f"slow-{uuid.uuid4().hex}"
    return {"caller_phone": phone, "category": "delayed_card", "summary": summary}


@pytest.fixture
def tickets_locked(stack):
    """Another session holds a lock that lets the ticket table be read but not written."""
    holder = psycopg.connect(stack.postgres.url())
    holder.execute("LOCK TABLE tickets_ticket IN EXCLUSIVE MODE")
    try:
        yield holder
    finally:
        holder.rollback()
        holder.close()


def tickets_with(stack, summary: str) -> int:
    sql = "SELECT count(*) FROM tickets_ticket WHERE summary = %s"
    return stack.postgres.query(sql, [summary])[0][0]


def test_a_creation_through_the_api_on_a_slow_database(stack, tickets_locked):
    headers = {
        **stack.token("agent3"),
        "Idempotency-Key": uuid.uuid4().hex,
        "Accept-Language": "en",
    }
    body = ticket()

    started = time.monotonic()
    response = requests.post(stack.url("/api/v1/tickets/"), json=body, headers=headers, timeout=30)
    took = time.monotonic() - started

    assert response.status_code == 503, response.text
    assert "answering too slowly" in response.json()["detail"]
    assert "nothing was saved" in response.json()["detail"]
    assert response.headers["Retry-After"] == "5"
    assert STATEMENT_TIMEOUT <= took < STATEMENT_TIMEOUT + 10  # not gunicorn's 30 s
    tickets_locked.rollback()  # the lock is gone
    assert tickets_with(stack, body["summary"]) == 0

    again = requests.post(stack.url("/api/v1/tickets/"), json=body, headers=headers, timeout=30)
    assert again.status_code == 201, again.text
    assert tickets_with(stack, body["summary"]) == 1


def test_a_call_logged_on_the_console_on_a_slow_database(stack, tickets_locked):
    seat = stack.browser("agent4")
    page = seat.get(stack.url("/console/"), timeout=10)
    marker = 'name="idempotency_key" value="'
    key = page.text.split(marker, 1)[1].split('"', 1)[0]
    form = {**ticket(), "action": "resolve", "idempotency_key": key}
    summary = form["summary"]
    form["csrfmiddlewaretoken"] = csrf_of(page)
    post = {"headers": {"Referer": stack.url("/console/")}, "allow_redirects": False}

    refused = seat.post(stack.url("/console/"), data=form, timeout=30, **post)

    assert refused.status_code == 503
    assert "text/html" in refused.headers["Content-Type"]
    assert "quá chậm" in refused.text and "Không có gì được lưu" in refused.text  # Vietnamese
    tickets_locked.rollback()
    assert tickets_with(stack, summary) == 0
    # The agent presses the button again: the same form, the same key.
    saved = seat.post(stack.url("/console/"), data=form, timeout=30, **post)
    assert saved.status_code == 302, saved.text[:2000]
    assert tickets_with(stack, summary) == 1


# --- a full disk ------------------------------------------------------------------------

# Rows smaller than any text the product writes: packed to the last byte, they leave
# no page with room for one.
FILLER = (
    "INSERT INTO reprints_smsmessage (phone, text, status, attempts, last_error, created_at,"
    " ticket_reference) SELECT 'filler', 'x', 'sent', 0, '', now(), '' FROM generate_series(1, %s)"
)


def fill(connection) -> int:
    """Rows of an open transaction fill the table's filesystem until PostgreSQL cannot
    extend the table, in smaller and smaller steps (each a savepoint) down to one row;
    they stay, invisible to the product, until that transaction ends."""
    connection.execute("SELECT 1")  # the transaction; each block below is a savepoint
    rows = 0
    for step in (500, 20, 1):
        while True:
            try:
                with connection.transaction():
                    connection.execute(FILLER, [step])
                rows += step
            except psycopg.errors.DiskFull:
                break
    return rows


@pytest.fixture
def outbox_on_a_full_disk(stack):
    """The SMS outbox's table on a 1 MB filesystem, full; what the fixture gives frees
    some of it, as an operator deleting a file there would."""
    if os.getuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root)")
    mount = stack.scratch / "small-disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,uid=postgres,gid=postgres,mode=0700", "tmpfs",
         str(mount)],
        capture_output=True, text=True,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    ballast = mount / "ballast"
    holder = None
    try:
        stack.postgres.query(f"CREATE TABLESPACE small_disk LOCATION '{mount}'")
        stack.postgres.query("ALTER TABLE reprints_smsmessage SET TABLESPACE small_disk")
        ballast.write_bytes(b"\0" * 256 * 1024)
        holder = psycopg.connect(stack.postgres.url())
        assert fill(holder) > 0
        yield ballast.unlink
    finally:
        try:
            if holder is not None:
                holder.rollback()
                holder.close()
            stack.postgres.query("ALTER TABLE reprints_smsmessage SET TABLESPACE pg_default")
            stack.postgres.query("DROP TABLESPACE IF EXISTS small_disk")
        finally:
            subprocess.run(["umount", "--lazy", str(mount)], check=True)


def test_a_card_marked_printed_while_the_disk_is_full(stack, outbox_on_a_full_disk):
    print_desk = {**stack.token("printdesk1"), "Accept-Language": "en"}
    item = int(stack.seed("printable", 1, "+8490000").split()[0])
    mark = stack.url(f"/api/v1/reprint-items/{item}/mark/")
    texts = "SELECT count(*) FROM reprints_smsmessage WHERE phone LIKE '+8490000%%'"
    state = (
        "SELECT i.outcome, i.marked_at, t.status FROM reprints_reprintitem i"
        " JOIN reprints_reprintitem_tickets it ON it.reprintitem_id = i.id"
        " JOIN tickets_ticket t ON t.id = it.ticket_id WHERE i.id = %s"
    )
    before = stack.postgres.query(state, [item])

    response = requests.post(mark, json={"outcome": "printed"}, headers=print_desk, timeout=30)

    assert response.status_code == 503, response.text
    assert "storage is full" in response.json()["detail"]
    assert stack.postgres.query(state, [item]) == before  # nothing of it kept
    assert stack.postgres.query(texts)[0][0] == 0

    outbox_on_a_full_disk()  # the operator frees some space
    again = requests.post(mark, json={"outcome": "printed"}, headers=print_desk, timeout=30)
    assert again.status_code == 200, again.text
    assert again.json()["outcome"] == "printed"
    assert stack.postgres.query(texts)[0][0] == 1
    gateway = stack.env["SMS_GATEWAY_DIR"]
    wait_until(
        lambda: [line for line in lines(gateway, "delivered") if "+8490000" in line],
        timeout=60,
        what="the outbox run to send the text",
    )
    time.sleep(int(stack.env["SMS_RETRY_SECONDS"]) + 1)  # another outbox run: nothing more
    assert len([line for line in lines(gateway, "delivered") if "+8490000" in line]) == 1
