"""The fault suite's stack, started once for the session: its own PostgreSQL and
Redis (tests.faults.services), the product migrated into them, the demo users, and
gunicorn, a Celery worker and beat as processes. Each test causes its fault on these
processes and leaves them running again."""

import shutil
import subprocess
import sys

import pytest
import requests

from .services import (
    PG_BIN,
    ROOT,
    Beat,
    Gunicorn,
    Postgres,
    Redis,
    Worker,
    manage,
    product_env,
    scratch_dir,
)

DEMO_PASSWORD = "hotline-demo"  # callcenter.demo_users
ARTIFACTS = ROOT / "artifacts" / "faults"


def _require_tools():
    missing = [tool for tool in ("redis-server",) if not shutil.which(tool)]
    missing += [str(p) for p in (PG_BIN / "initdb", PG_BIN / "pg_dump") if not p.exists()]
    assert not missing, f"the fault suite needs {missing} (scripts/services.sh installs them)"


class Stack:
    def __init__(self):
        _require_tools()
        self.scratch = scratch_dir()
        self.logs = self.scratch / "logs"
        self.logs.mkdir()
        self.postgres = Postgres(self.scratch)
        self.postgres.start()
        self.postgres.create_database()
        self.redis = Redis(self.scratch)
        self.redis.start()
        self.env = product_env(
            database_url=self.postgres.url(), redis_url=self.redis.url(), scratch=self.scratch
        )
        manage(self.env, "migrate", "--noinput")
        self.seed("users")
        self.web = Gunicorn(self.env, self.logs)
        self.worker = Worker(self.env, self.logs)
        self.beat = Beat(self.env, self.logs, self.scratch)
        for process in (self.web, self.worker, self.beat):
            process.start()

    def seed(self, *args) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.seed", *map(str, args)],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def url(self, path: str) -> str:
        return self.web.url + path

    def token(self, username: str) -> dict:
        """The Authorization header of the user's API token."""
        response = requests.post(
            self.url("/api/v1/auth/token/"),
            data={"username": username, "password": DEMO_PASSWORD},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return {"Authorization": "Token " + response.json()["token"]}

    def browser(self, username: str) -> requests.Session:
        """A logged-in browser session (the log-in form, its CSRF token and cookie)."""
        session = requests.Session()
        assert login(self, session, username).status_code == 200
        return session

    def close(self):
        for process in (self.beat, self.worker, self.web):
            process.stop()
        self.redis.stop()
        if self.postgres.running():
            self.postgres.stop()
        # The processes' logs outlive the run, for a failure's post-mortem.
        shutil.copytree(self.logs, ARTIFACTS, dirs_exist_ok=True)
        shutil.rmtree(self.scratch, ignore_errors=True)


def csrf_of(response) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = response.text.index(marker) + len(marker)
    return response.text[start : response.text.index('"', start)]


def login(stack, session: requests.Session, username: str):
    """Log in through the page; the response after its redirects."""
    form = session.get(stack.url("/accounts/login/"), timeout=10)
    return session.post(
        stack.url("/accounts/login/"),
        data={
            "username": username,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": csrf_of(form),
        },
        headers={"Referer": stack.url("/accounts/login/")},
        timeout=10,
    )


@pytest.fixture(scope="session")
def stack():
    stack = Stack()
    try:
        yield stack
    finally:
        stack.close()
