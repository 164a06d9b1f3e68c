"""The shared cache as an optional speed-up: when Redis does not answer, a read is a
miss and a write is dropped, so a caller falls back to the database instead of failing
the request. Sessions and the task queue need Redis and are not read through here.
"""

import logging
import time

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache call raises when Redis is down or unreachable.
ERRORS = (RedisError, OSError)
WARN_EVERY_SECONDS = 60
_last_warning = [0.0]


def _warn(exc: Exception) -> None:
    """One warning a minute per process, not one per request, while Redis is down."""
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning("cache unavailable, using the database: %s", exc.__class__.__name__)


def get(key: str, default=None):
    try:
        return cache.get(key, default)
    except ERRORS as exc:
        _warn(exc)
        return default


def set(key: str, value, timeout) -> bool:  # noqa: A001 (mirrors cache.set)
    """Whether Redis took the value."""
    try:
        cache.set(key, value, timeout)
    except ERRORS as exc:
        _warn(exc)
        return False
    return True


def touch(key: str, timeout) -> bool:
    """Whether Redis had the key (its expiry now `timeout` seconds away)."""
    try:
        return cache.touch(key, timeout)
    except ERRORS as exc:
        _warn(exc)
        return False


def delete(key: str) -> None:
    try:
        cache.delete(key)
    except ERRORS as exc:
        _warn(exc)
