import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def celery_worker():
    """A real Celery worker process on the test Redis broker."""
    assert settings.REDIS_URL, "the suite runs with REDIS_URL set (make test)"
    from callcenter.celery import app

    # Tasks queued by earlier tests would keep a solo worker too busy to answer pings.
    app.control.purge()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "callcenter", "worker", "--pool=solo",
         "--loglevel=WARNING", "--hostname=healthz-test@%h"],
        cwd=ROOT,
        env={**os.environ},
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not app.control.ping(timeout=0.5):
        assert process.poll() is None, "the worker exited"
        assert time.monotonic() < deadline, "the worker did not answer within 30 s"
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_healthz_reports_database_redis_and_worker(client, db, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "redis": "up", "worker": "up"}


def test_healthz_without_redis_says_not_configured(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"] == "not configured"
    assert response.json()["worker"] == "not configured"


def test_healthz_reports_redis_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    body = client.get("/healthz").json()
    assert body["database"] == "up"
    assert body["redis"] == "down"
