"""Structured logs: JSON lines on stdout in production, no personal numbers in them."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

from callcenter.logging import JsonFormatter, PlainFormatter

ROOT = Path(__file__).resolve().parents[2]


def record(message, *args, exc_info=None):
    return logging.LogRecord("tickets", logging.WARNING, __file__, 1, message, args, exc_info)


def production_env(**extra):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **environment,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "hotline.example.vn",
        "DJANGO_SETTINGS_MODULE": "callcenter.settings",
        **extra,
    }


LOG_ONE_LINE = (
    "import django; django.setup(); import logging; "
    "logging.getLogger('django.request').warning('Not Found: %s', "
    "'/api/v1/callers/+84912345678/history/')"
)


def test_json_line_has_time_level_logger_and_message():
    line = JsonFormatter().format(record("ticket %s escalated", "2611-00042"))

    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "tickets"
    assert entry["message"] == "ticket 2611-00042 escalated"
    assert entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_phone_and_identity_numbers_are_masked_in_both_formats():
    message = record("caller %s, CCCD %s, old ID %s", "+84912345678", "001090012345", "123456789")

    for formatter in (JsonFormatter(), PlainFormatter("%(message)s")):
        line = formatter.format(message)
        assert "84912345678" not in line
        assert "001090012345" not in line
        assert "123456789" not in line
        assert "001******345" in line


def test_numbers_in_exception_text_are_masked():
    try:
        raise ValueError("Key (cccd_number)=(001090012345) already exists.")
    except ValueError:
        entry = json.loads(JsonFormatter().format(record("failed", exc_info=sys.exc_info())))

    assert "001090012345" not in entry["exception"]
    assert "001******345" in entry["exception"]


def test_references_durations_and_dates_are_left_alone():
    line = PlainFormatter("%(message)s").format(
        record("%s in 0.123456789s on %s", "2611-00042", "2026-01-06")
    )

    assert line == "2611-00042 in 0.123456789s on 2026-01-06"


def test_a_task_id_whose_last_group_is_all_digits_is_left_alone():
    task = "Task reprints.tasks.build_reprint_batch[64ab5389-69a1-4bb4-8d9c-454123456875] succeeded"

    assert PlainFormatter("%(message)s").format(record(task)) == task
    assert "+84912345678" not in PlainFormatter("%(message)s").format(
        record("call from %s", "+84912345678")
    )


def test_production_logs_json_lines_to_stdout():
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE_LINE],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[-1]["logger"] == "django.request"
    assert lines[-1]["message"] == "Not Found: /api/v1/callers/+84******678/history/"


def test_log_format_plain_can_be_chosen_in_production():
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE_LINE],
        cwd=ROOT,
        env=production_env(LOG_FORMAT="plain"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert "WARNING django.request Not Found: /api/v1/callers/+84******678/" in result.stdout


def test_unknown_log_format_is_refused():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(LOG_FORMAT="xml"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "LOG_FORMAT must be json or plain" in result.stderr


def test_encoded_phone_numbers_in_urls_are_masked():
    from callcenter.logging import redact

    line = redact("GET /tickets/?caller_phone=%2B84912345678&q=0912+000+019&p=%2F0912345678")
    assert "912345678" not in line and "0912+000+019" not in line and "2F0912345678" not in line
    assert redact("task 4f2a-454123456875 took 0.123456789s") == (
        "task 4f2a-454123456875 took 0.123456789s"
    )


def test_runserver_request_lines_go_through_the_masking_formatter():
    from django.utils.log import ServerFormatter

    # Only the handlers of LOGGING: pytest adds its own capturing ones.
    formatters = [h.formatter for h in logging.getLogger("django.server").handlers]
    assert any(isinstance(f, PlainFormatter | JsonFormatter) for f in formatters)
    assert not any(isinstance(f, ServerFormatter) for f in formatters)


def test_gunicorn_access_log_goes_through_the_masking_formatter():
    from gunicorn.config import Config

    from callcenter.logging import GunicornLogger

    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    formatters = {type(h.formatter) for h in logger.access_log.handlers}
    assert formatters and formatters <= {PlainFormatter, JsonFormatter}
