"""Idle seats: a session ends after SESSION_IDLE_MINUTES (30) without a request."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "callcenter.settings"
PRINT_AGE = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_idle_timeout_is_30_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_every_request_pushes_the_expiry_back(client_for, agent):
    client = client_for(agent)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )

    response = client.get("/console/")

    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    left = session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)


def test_a_seat_idle_longer_than_the_timeout_is_logged_out(client_for, agent):
    client = client_for(agent)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get("/console/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


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
