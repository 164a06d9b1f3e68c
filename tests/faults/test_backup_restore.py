"""SPEC §12, the backup drill as README's "Backing up" gives it: `pg_dump -Fc` while
the product runs, the database dropped, `pg_restore` into a new one, and every ticket,
call and history row is back as it was."""

import subprocess

import requests

from .services import DATABASE

TABLES = {
    "tickets": "SELECT * FROM tickets_ticket ORDER BY id",
    "calls": "SELECT * FROM tickets_call ORDER BY id",
    "history": "SELECT * FROM tickets_ticketevent ORDER BY id",
}


def snapshot(stack) -> dict:
    return {name: stack.postgres.query(sql) for name, sql in TABLES.items()}


def test_a_dump_restored_into_a_new_database_gives_back_every_ticket(stack, tmp_path):
    agent = stack.token("agent3")
    references = []
    for i in range(20):
        body = {"caller_phone": f"09123{i:05d}", "category": "delayed_card", "summary": "Sao lưu"}
        response = requests.post(
            stack.url("/api/v1/tickets/"), json=body, headers=agent, timeout=10
        )
        assert response.status_code == 201
        references.append(response.json()["reference"])
    before = snapshot(stack)
    assert len(before["tickets"]) >= 20 and before["history"]
    dump = tmp_path / "hotline.dump"
    port = str(stack.postgres.port)
    connection = ["-h", "127.0.0.1", "-p", port, "-U", "postgres"]

    with open(dump, "wb") as out:
        stack.postgres.tool("pg_dump", *connection, "-d", DATABASE, "-Fc", stdout=out)
    for process in (stack.web, stack.worker, stack.beat):
        process.stop()
    try:
        stack.postgres.query(f"DROP DATABASE {DATABASE} WITH (FORCE)", database="postgres")
        stack.postgres.query(f"CREATE DATABASE {DATABASE}", database="postgres")
        with open(dump, "rb") as dump_file:
            stack.postgres.tool(
                "pg_restore", *connection, "-d", DATABASE, "--clean", "--if-exists",
                "--no-owner", stdin=dump_file, stderr=subprocess.PIPE,
            )  # fmt: skip
    finally:
        for process in (stack.web, stack.worker, stack.beat):
            process.start()

    assert snapshot(stack) == before
    # The product answers from the restored database, with the token issued before.
    shown = requests.get(stack.url(f"/api/v1/tickets/{references[-1]}/"), headers=agent, timeout=10)
    assert shown.status_code == 200
    assert shown.json()["summary"] == "Sao lưu"
