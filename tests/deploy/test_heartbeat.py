"""/healthz: database, Redis and the Celery worker's heartbeat (callcenter.tasks)."""

import time

from django.conf import settings
from django.core.cache import cache

from callcenter.tasks import HEARTBEAT_KEY, heartbeat
from tests.worker import wait_until


def test_healthz_is_ok_with_database_redis_and_a_fresh_heartbeat(client, db, celery_worker):
    cache.set(HEARTBEAT_KEY, time.time() - 600, timeout=None)
    sent_at = time.time()

    heartbeat.delay()

    wait_until(lambda: cache.get(HEARTBEAT_KEY) >= sent_at, what="the worker's heartbeat")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "redis": "up", "worker": "up"}


def test_healthz_says_degraded_when_the_heartbeat_is_stale(client, db):
    cache.set(HEARTBEAT_KEY, time.time() - 130, timeout=None)

    response = client.get("/healthz")

    # SPEC §5: 200 while the database answers; the body tells what is missing.
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "up",
        "redis": "up",
        "worker": "stale",
    }


def test_healthz_says_degraded_when_no_worker_ever_beat(client, db):
    cache.delete(HEARTBEAT_KEY)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["worker"] == "down"
    assert response.json()["status"] == "degraded"


def test_healthz_says_degraded_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["redis"] == "down"
    assert response.json()["status"] == "degraded"


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    from callcenter import views

    monkeypatch.setattr(views, "_database_up", lambda: False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_embedded_default_reports_the_worker_in_process(client, db, settings):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.delete(HEARTBEAT_KEY)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "up",
        "redis": "not configured",
        "worker": "in-process",
    }


def test_beat_sends_the_heartbeat_every_30_seconds():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "callcenter.tasks.heartbeat"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"] == 30.0


def test_healthz_without_redis_says_not_configured(client, db, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["redis"] == "not configured"
    assert response.json()["worker"] == "not configured"
