"""Log formatters: plain text for development, JSON lines for production.

Both mask anything that looks like a phone, CCCD or old ID number (nine digits or
more) in the whole line, exception text included: a URL path such as a caller's
history or a database error about a duplicate number must not carry personal data
into the logs.
"""

import datetime
import json
import logging
import re

from .privacy import mask_cccd

# Nine or more digits standing alone; not the fraction of a duration (`0.123456789`)
# nor part of a longer token such as a task id — including a UUID's last group, which
# is all digits now and then (`…-4f2a-454123456875`): Celery's log lines carry task ids
# that tests and operators match on. A URL writes them encoded: after any `%XX`, with a
# leading `%2B` for `+`, and `+` or `%20` for the spaces of `0912 000 019`.
PERSONAL_NUMBER = re.compile(
    r"(?:(?<![\w.%])|(?<=%[0-9A-Fa-f]{2}))(?<![0-9a-fA-F]{4}-)"
    r"(?:\+|%2[bB])?\d(?:(?:\+|%20)?\d){8,}(?![\w.])"
)


def redact(text: str) -> str:
    return PERSONAL_NUMBER.sub(lambda match: mask_cccd(match.group()), text)


def formatter() -> logging.Formatter:
    """The formatter LOGGING gives the console handler (plain or JSON), for loggers
    configured outside Django's LOGGING: gunicorn's."""
    import os

    from django.conf import settings

    # gunicorn sets its loggers up before it loads the WSGI module that names these.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
    if settings.LOG_FORMAT == "json":
        return JsonFormatter()
    return PlainFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")


class PlainFormatter(logging.Formatter):
    def format(self, record):
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the exception or
    the HTTP status when the record has one."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if hasattr(record, "status_code"):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


def _gunicorn_logger_class():
    from gunicorn.glogging import Logger

    class GunicornLogger(Logger):
        """gunicorn's error and access logs through the product's formatter, so an access
        log line (its path and query string) is masked like every other line."""

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(formatter())

    return GunicornLogger


def __getattr__(name):
    # gunicorn imports the class by name (`--logger-class`); building it lazily keeps
    # gunicorn out of every other process that imports this module.
    if name == "GunicornLogger":
        return _gunicorn_logger_class()
    raise AttributeError(name)
