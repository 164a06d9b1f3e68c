"""Idle seats: a session ends after SESSION_IDLE_MINUTES (30) without a request. The
suite runs with Redis: sessions live in the database with Redis as a cache in front,
and both the row's expiry and the cached copy's TTL are the idle time (the row's pushed
back at most once a minute when nothing in the session changed)."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from callcenter.sessions import ROW_REFRESH_SECONDS, ROW_WRITTEN, SessionStore
from callcenter.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "callcenter.settings"
PRINT_AGE = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"


def session_key_of(client):
    return KEY_PREFIX + client.cookies[settings.SESSION_COOKIE_NAME].value


def seconds_left(client):
    return redis.Redis.from_url(settings.REDIS_URL).ttl(cache.make_key(session_key_of(client)))


def test_idle_timeout_is_30_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ENGINE == "callcenter.sessions"


def test_every_request_pushes_the_expiry_back(client_for, agent):
    client = client_for(agent)
    cache.touch(session_key_of(client), 5 * 60)

    response = client.get("/console/")

    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert 29 * 60 < seconds_left(client) <= 30 * 60


def test_a_seat_idle_longer_than_the_timeout_is_logged_out(client_for, agent):
    client = client_for(agent)
    assert client.get("/console/").status_code == 200
    # As if the 30 minutes had passed: the cached copy gone, the row expired.
    cache.touch(session_key_of(client), 1)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now())
    time.sleep(1.5)

    response = client.get("/console/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_nightly_sweep_deletes_expired_sessions_only(client_for, agent, officer):
    idle, working = client_for(agent), Client()
    working.force_login(officer)
    key = idle.cookies[settings.SESSION_COOKIE_NAME].value
    expired = timezone.now() - timedelta(seconds=ROW_REFRESH_SECONDS + 1)
    Session.objects.filter(pk=key).update(expire_date=expired)

    clear_expired_sessions()

    assert not Session.objects.filter(pk=key).exists()
    assert working.get("/queue/").status_code == 200


def test_the_sweep_keeps_a_row_whose_expiry_trails_by_less_than_a_minute(client_for, agent):
    """Its seat may still be working on the copy in Redis (the row is refreshed at most
    once a minute): a swept row could not be saved again."""
    client = client_for(agent)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=30))

    clear_expired_sessions()

    assert Session.objects.filter(pk=key).exists()
    assert client.get("/console/").status_code == 200


def test_idle_timeout_comes_from_the_environment():
    result = subprocess.run(
        [sys.executable, "-c", PRINT_AGE],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "SESSION_IDLE_MINUTES": "45"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == str(45 * 60), result.stderr


# --- the row written at most once a minute when nothing changed ---------------------


def session_writes(queries):
    return [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT")) and
            '"django_session"' in q["sql"]]  # fmt: skip


def stored_session(client):
    return Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value)


def age_the_row_mark(client, seconds):
    """As if the session's row had been written `seconds` ago."""
    data = cache.get(session_key_of(client))
    data[ROW_WRITTEN] -= seconds
    cache.set(session_key_of(client), data, settings.SESSION_COOKIE_AGE)


def test_an_unchanged_session_pushes_its_expiry_in_redis_and_its_row_once_a_minute(
    client_for, agent
):
    client = client_for(agent)
    cache.touch(session_key_of(client), 5 * 60)
    row_expiry = stored_session(client).expire_date

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/")

    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert 29 * 60 < seconds_left(client) <= 30 * 60  # Redis, read first: pushed back
    assert session_writes(queries.captured_queries) == []  # the row: not yet
    assert stored_session(client).expire_date == row_expiry

    age_the_row_mark(client, ROW_REFRESH_SECONDS)
    with CaptureQueriesContext(connection) as queries:
        client.get("/console/")

    assert len(session_writes(queries.captured_queries)) == 1
    left = (stored_session(client).expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < left <= 30 * 60


def test_changed_session_data_reaches_the_row_at_once(client_for, agent):
    client = client_for(agent)
    store = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    store["kept"] = "search"

    store.save()

    assert stored_session(client).get_decoded()["kept"] == "search"


def test_a_save_redis_does_not_take_goes_to_the_row(client_for, agent, settings):
    """With Redis unreachable the row is all there is: every save writes it."""
    client = client_for(agent)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],  # the product's backend, unreachable
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    store = SessionStore(key)
    store.load()

    store.save()

    left = (Session.objects.get(pk=key).expire_date - timezone.now()).total_seconds()
    assert left > 29 * 60


def test_a_request_begun_before_a_log_out_does_not_bring_the_session_back(client_for, agent):
    """Request B loaded the session, request A logged out; B, saving it unchanged, may
    not write it back into Redis (where a seat would stay logged in)."""
    client = client_for(agent)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    began_before = SessionStore(key)
    assert began_before.get("_auth_user_id") == str(agent.pk)  # read, as a request does

    assert client.post("/accounts/logout/").status_code == 302
    with pytest.raises(UpdateError):
        began_before.save()

    assert cache.get(KEY_PREFIX + key) is None
    assert not Session.objects.filter(pk=key).exists()
    assert client.get("/console/").status_code == 302  # to the login page
