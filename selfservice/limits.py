"""Abuse limits of the public look-ups (SPEC §8.5): per client address, and per name +
date of birth, counted by django-ratelimit in the cache. When Redis does not answer
the look-up is let through rather than refused: the limits protect the records from
harvesting, not the service from load."""

import hashlib
import ipaddress

from django.conf import settings
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from callcenter import cache
from callcenter.auth import client_ip
from citizens.text import fold


class Limited(Exception):
    """Too many look-ups; `wait` is how many seconds until the window ends."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = max(1, wait)


def _check(request, group: str, value: str, rate: str) -> None:
    try:
        usage = get_usage(request, group=group, key=lambda g, r: value, rate=rate, increment=True)
    except cache.ERRORS as exc:
        cache._warn(exc)
        return
    if usage and usage["should_limit"]:
        raise Limited(usage["time_left"])


def identity_key(full_name: str, date_of_birth) -> str:
    """The person asked about, as the limit counts them (no personal data in Redis)."""
    text = f"{fold(full_name)}|{date_of_birth.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def address(request) -> str | None:
    """The client's address as the access log keeps it (None if not an address)."""
    value = client_ip(request) or ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def check_address(request) -> None:
    """Count one public request from this client; Limited when over."""
    _check(
        request,
        "selfservice-address",
        address(request) or "?",
        settings.SELF_SERVICE_RATE_PER_ADDRESS,
    )


def check_identity(request, key: str) -> None:
    """Count one look-up of this person (identity_key); Limited when over."""
    _check(request, "selfservice-identity", key, settings.SELF_SERVICE_RATE_PER_IDENTITY)


def message(limited: Limited) -> str:
    minutes = (limited.wait + 59) // 60
    return ngettext(
        "Too many look-ups. Please try again in %(n)d minute.",
        "Too many look-ups. Please try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}
