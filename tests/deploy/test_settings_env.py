"""Settings from the environment: a value that cannot be read stops startup loudly."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from callcenter.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
NAME = "HOTLINE_TEST_SETTING"
SETUP = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','callcenter.settings'); "
    "django.setup()"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        (" True ", True),
        ("1", True),
        ("yes", True),
        ("On", True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("no", False),
        ("OFF", False),
    ],
)
def test_env_bool_reads_the_accepted_words(monkeypatch, value, expected):
    monkeypatch.setenv(NAME, value)
    assert env_bool(NAME, not expected) is expected


@pytest.mark.parametrize("value", ["Ture", "flase", "2", "y", "ok", "enabled", "-1"])
def test_env_bool_refuses_anything_else_naming_variable_and_value(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured) as error:
        env_bool(NAME, True)
    assert str(error.value) == f'{NAME}: "{value}" is not a boolean (use true or false)'


@pytest.mark.parametrize("value", [None, "", "   "])
def test_env_bool_unset_or_empty_gives_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, value)
    assert env_bool(NAME, True) is True
    assert env_bool(NAME, False) is False


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("60", 60), (" 42 ", 42), ("-3", -3)])
def test_env_int_reads_whole_numbers(monkeypatch, value, expected):
    monkeypatch.setenv(NAME, value)
    assert env_int(NAME, 7) == expected


@pytest.mark.parametrize("value", ["sixty", "1.5", "1e3", "1_000", "0x10", "30m"])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured) as error:
        env_int(NAME, 7)
    assert str(error.value) == f'{NAME}: "{value}" is not a whole number'


def test_env_int_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv(NAME, "0")
    with pytest.raises(ImproperlyConfigured) as error:
        env_int(NAME, 30, minimum=1)
    assert NAME in str(error.value)
    assert '"0"' in str(error.value)
    assert "minimum of 1" in str(error.value)


def test_env_int_accepts_the_minimum_itself(monkeypatch):
    monkeypatch.setenv(NAME, "1")
    assert env_int(NAME, 30, minimum=1) == 1


def test_env_int_unset_or_empty_gives_the_default(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_int(NAME, 30, minimum=1) == 30
    monkeypatch.setenv(NAME, "")
    assert env_int(NAME, 30) == 30


def test_env_list_strips_items_and_drops_empty_ones(monkeypatch):
    monkeypatch.setenv(NAME, " a.example.vn, b.example.vn ,,c ,")
    assert env_list(NAME, ["default"]) == ["a.example.vn", "b.example.vn", "c"]


def test_env_list_unset_or_empty_gives_the_default(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_list(NAME, ["127.0.0.1", "localhost"]) == ["127.0.0.1", "localhost"]
    monkeypatch.setenv(NAME, "")
    assert env_list(NAME, []) == []


def test_env_list_default_is_not_shared(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    default = ["localhost"]
    env_list(NAME, default).append("other")
    assert default == ["localhost"]


def test_env_str_reads_the_value_as_it_is(monkeypatch):
    monkeypatch.setenv(NAME, "$not-a-reference")
    assert env_str(NAME, "default") == "$not-a-reference"


def test_env_str_unset_or_empty_gives_the_default(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_str(NAME, "INFO") == "INFO"
    assert env_str(NAME, None) is None
    monkeypatch.setenv(NAME, "")
    assert env_str(NAME, "INFO") == "INFO"


def start_django(**variables):
    """Set Django up in a fresh process with these variables on top of ours."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env={**environment, **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_startup_refuses_a_misspelt_debug():
    result = start_django(DEBUG="Ture")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG" in result.stderr
    assert "Ture" in result.stderr


def test_startup_refuses_a_misspelt_ssl_redirect():
    result = start_django(DEBUG="false", SECRET_KEY="x", SECURE_SSL_REDIRECT="flase")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECURE_SSL_REDIRECT" in result.stderr
    assert "flase" in result.stderr


def test_startup_succeeds_with_a_readable_debug():
    result = start_django(DEBUG="true")
    assert result.returncode == 0, result.stderr


DATABASES_OF = (
    "import django, json; from django.conf import settings; "
    "print(json.dumps({a: d.get('OPTIONS', {}).get('options', '') "
    "for a, d in settings.DATABASES.items()}))"
)


def database_options(*statements, **variables) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "DB_STATEMENT_TIMEOUT"}
    code = "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'callcenter.settings'); "
    result = subprocess.run(
        [sys.executable, "-c", code + "".join(statements) + DATABASES_OF],
        cwd=ROOT, env={**environment, **variables}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


POSTGRES = {"DATABASE_URL": "postgres://u@127.0.0.1:1/x", "SECRET_KEY": "x"}


def test_the_web_processes_cancel_slow_statements_and_nothing_else_does():
    assert "statement_timeout=0s" in database_options(**POSTGRES)["default"]
    web = database_options("import callcenter.wsgi; ", **POSTGRES)
    assert "statement_timeout=25s" in web["default"]


def test_the_records_replica_has_the_same_timeouts():
    replica = {"RECORDS_REPLICA_URL": "postgres://u@127.0.0.1:2/x", "DB_STATEMENT_TIMEOUT": "7"}
    options = database_options(**POSTGRES, **replica)
    assert "statement_timeout=7s" in options["records_replica"] == options["default"]
