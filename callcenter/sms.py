"""Sending SMS: a pluggable backend named by settings.SMS_BACKEND.

The product ships the log backend; a deployment names its gateway's class, which
needs only `send(phone, text)` and raises on failure (the outbox keeps the message).
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .privacy import mask_cccd

logger = logging.getLogger("callcenter.sms")


class LogBackend:
    """Writes each message to the log instead of sending it (phone number masked)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_cccd(phone), text)


def get_backend():
    return import_string(settings.SMS_BACKEND)()
