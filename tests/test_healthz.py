import time

from callcenter.tasks import heartbeat, last_heartbeat
from tests.worker import wait_until


def test_healthz_reports_database_redis_and_worker(client, db, celery_worker):
    sent_at = time.time()
    heartbeat.delay()  # the suite's worker writes it, as beat makes it do every 30 s
    wait_until(lambda: (last_heartbeat() or 0) >= sent_at, what="the worker's heartbeat")
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
