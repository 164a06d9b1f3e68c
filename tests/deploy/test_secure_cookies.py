"""With DEBUG off the session and CSRF cookies are Secure unless SECURE_COOKIES=false,
which lets a plain-HTTP loopback benchmark log in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_FLAGS = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','callcenter.settings'); "
    "django.setup(); from django.conf import settings; "
    "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def cookie_flags(**variables) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.pop("SECURE_COOKIES", None)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_FLAGS],
        cwd=ROOT,
        env={**environment, "DEBUG": "false", "SECRET_KEY": "x" * 50, **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cookies_are_secure_in_production_by_default():
    assert cookie_flags() == "True True"


def test_secure_cookies_false_lets_plain_http_log_in():
    assert cookie_flags(SECURE_COOKIES="false") == "False False"


@pytest.mark.parametrize("value", ["flase", "maybe"])
def test_a_misspelt_secure_cookies_stops_startup(value):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_FLAGS],
        cwd=ROOT,
        env={**environment, "DEBUG": "false", "SECRET_KEY": "x" * 50, "SECURE_COOKIES": value},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECURE_COOKIES" in result.stderr
