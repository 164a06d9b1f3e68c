"""Sending SMS: a pluggable backend named by settings.SMS_BACKEND.

The product ships the log backend; a deployment names its gateway's class, which
needs only `send(phone, text, *, key)` and raises on failure (the outbox keeps the
message). `key` names the message and stays the same when it is sent again: a worker
killed while the gateway was taking a message sends it again after the restart, and a
gateway given the key as its client message id delivers it once.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .privacy import mask_cccd

logger = logging.getLogger("callcenter.sms")


class LogBackend:
    """Writes each message to the log instead of sending it (phone number masked)."""

    def send(self, phone: str, text: str, *, key: str) -> None:
        logger.info("SMS %s to %s: %s", key, mask_cccd(phone), text)


def get_backend():
    return import_string(settings.SMS_BACKEND)()
