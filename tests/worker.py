"""The suite's one real Celery worker on the test Redis broker, working on the test
database (fixtures `celery_worker`, `run_task`, `drain`, made available to every test
by tests/conftest.py). One worker only: a second one on the same broker could take a
task whose end this one's log is watched for.

The worker is a separate process: it sees only committed rows, so tests that use it are
marked `django_db(transaction=True)`. There is no result backend; `run_task` waits for
the worker's own log line saying the task finished, then for its effect in the database.
"""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
DONE = re.compile(r"\[(?P<id>[0-9a-f-]{36})\] (?P<how>succeeded|raised|failed|retry)")


def database_url_for(name: str) -> str:
    """The suite's DATABASE_URL (host, port, user) pointing at database `name`."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{name}"))


def redis_url_with_db(db: int) -> str:
    url = urlsplit(settings.REDIS_URL)
    return urlunsplit(url._replace(path=f"/{db}"))


def wait_until(check, *, timeout=30.0, interval=0.05, what="the condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            what = what() if callable(what) else what
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Worker:
    """One `celery worker --pool=solo` process and its log file."""

    def __init__(self, *, log_path: Path, database: str, broker: str, prefix: str):
        self.hostname = f"{prefix}-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = log_path
        self.broker = broker
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "callcenter", "worker", "--pool=solo",
             "--loglevel=INFO", f"--hostname={self.hostname}",
             "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url_for(database), "REDIS_URL": broker},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, app, timeout=30.0):
        def answers():
            assert self.process.poll() is None, f"the worker exited:\n{self.log()[-3000:]}"
            return app.control.ping(destination=[self.hostname], timeout=0.3)

        wait_until(
            answers,
            timeout=timeout,
            what=lambda: f"worker {self.hostname} to answer a ping:\n{self.log()[-3000:]}",
        )

    def log(self, since: int = 0) -> str:
        return self.log_path.read_bytes()[since:].decode("utf-8", "replace")

    def mark(self) -> int:
        """A position in the log; `log(since=mark)` is what was written after it."""
        return self.log_path.stat().st_size

    def finished(self, task_id: str, since: int = 0) -> str | None:
        """How the task ended ('succeeded', 'raised', …), or None while it has not."""
        for match in DONE.finditer(self.log(since)):
            if match["id"] == task_id and match["how"] != "retry":
                return match["how"]
        return None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def wait_for_no_other_sessions(database: str, timeout=15.0):
    """pytest-django drops the test database at the end: wait until the worker's
    server sessions are gone."""

    def alone():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
            return cursor.fetchone()[0] == 0

    wait_until(alone, timeout=timeout, what="the worker's database sessions to close")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker process on the test broker and the test database."""
    assert settings.REDIS_URL, "the reprint worker tests need REDIS_URL (make test sets it)"
    assert connection.vendor == "postgresql", "the reprint worker tests need PostgreSQL"
    from callcenter.celery import app

    assert not app.conf.task_always_eager, "with REDIS_URL set, tasks must go to the broker"
    database = connection.settings_dict["NAME"]
    app.control.purge()  # tasks other tests queued while no worker ran
    worker = Worker(
        log_path=tmp_path_factory.mktemp("celery") / "worker.log",
        database=database,
        broker=settings.REDIS_URL,
        prefix="reprints-test",
    )
    try:
        worker.wait_ready(app)
        yield worker
    finally:
        worker.stop()
        with django_db_blocker.unblock():
            wait_for_no_other_sessions(database)


@pytest.fixture
def run_task(celery_worker):
    """Send a task with `.delay()`, wait until the worker has finished it, then until
    `until()` (a database check) holds. Returns what the worker logged it returned."""

    def run(task, *args, until=None, timeout=20.0):
        since = celery_worker.mark()
        task_id = task.delay(*args).id
        how = wait_until(
            lambda: celery_worker.finished(task_id, since),
            timeout=timeout,
            what=f"{task.name}[{task_id}]",
        )
        log = celery_worker.log(since)
        assert how == "succeeded", f"{task.name} {how}:\n{log[-3000:]}"
        if until is not None:
            wait_until(until, timeout=timeout, what=f"the effect of {task.name}")
        returned = re.search(rf"\[{task_id}\] succeeded in [0-9.e-]+s: (.*)", log)
        return returned[1].strip()

    return run


@pytest.fixture
def drain(celery_worker):
    """Wait until the worker has worked off everything queued so far (one solo worker
    takes messages in order: once a marker task is done, so is all before it)."""

    def drain():
        from reprints.tasks import send_sms_outbox

        since = celery_worker.mark()
        task_id = send_sms_outbox.delay().id
        wait_until(lambda: celery_worker.finished(task_id, since), what="the queue to drain")

    return drain
