"""The worker's heartbeat, read by /healthz; the nightly sweep of expired sessions."""

import time
from importlib import import_module

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache

HEARTBEAT_KEY = "celery:worker-heartbeat"


@shared_task(ignore_result=True, time_limit=30)
def heartbeat() -> None:
    """Run by beat every 30 seconds: the time a worker last took a task off the queue."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def last_heartbeat() -> float | None:
    return cache.get(HEARTBEAT_KEY)


@worker_ready.connect
def heartbeat_on_start(**kwargs) -> None:
    # A worker that has just started is up before beat's next heartbeat reaches it.
    heartbeat()


@shared_task(ignore_result=True, time_limit=600)
def clear_expired_sessions() -> None:
    """Sessions are rows in the database: those of seats that went idle (or closed the
    browser without logging out) are deleted every night."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
