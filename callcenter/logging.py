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
# that tests and operators match on.
PERSONAL_NUMBER = re.compile(r"(?<![\w.])(?<![0-9a-fA-F]{4}-)\+?\d{9,}(?![\w.])")


def redact(text: str) -> str:
    return PERSONAL_NUMBER.sub(lambda match: mask_cccd(match.group()), text)


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
