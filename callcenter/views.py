"""Project-wide views: the role-based landing page, the health check and the error
page of an outage."""

import errno
import sys
import time

import psycopg
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error
from kombu.exceptions import OperationalError as BrokerError

from .hooks import health_parts
from .roles import landing_page
from .tasks import last_heartbeat


@login_required
def home(request):
    """Send each role to its own page; roles without one yet see a short welcome."""
    page = landing_page(request.user)
    if page:
        return redirect(page)
    return render(request, "home.html")


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping()
        return "up"
    except redis.RedisError:
        return "down"


# Beat sends a heartbeat every 30 seconds; four missed in a row mean no worker takes
# tasks off the queue.
HEARTBEAT_STALE_AFTER = 120


def _worker_state(redis_state: str) -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    if redis_state != "up":
        return "not configured" if redis_state == "not configured" else "unknown"
    try:
        beat = last_heartbeat()
    except Exception:  # the cache went away since the ping: same as Redis down
        return "unknown"
    if beat is None:
        return "down"
    return "up" if time.time() - beat < HEARTBEAT_STALE_AFTER else "stale"


@never_cache
def healthz(request):
    """SPEC §5: 200 when the database answers (503 when it does not), saying which
    optional parts (Redis, the worker) are configured and up. `status` is "ok" when
    everything configured is up, "degraded" when an optional part is not."""
    redis_state = _redis_state()
    body = {
        "database": "up" if _database_up() else "down",
        "redis": redis_state,
        "worker": _worker_state(redis_state),
    }
    optional_up = body["redis"] in ("up", "not configured") and body["worker"] in (
        "up",
        "in-process",
        "not configured",
    )
    for part in health_parts():  # e.g. the PBX bridge's last event (pbx.health)
        body.update(part)
    if body["database"] != "up":
        return JsonResponse({"status": "error", **body}, status=503)
    return JsonResponse({"status": "ok" if optional_up else "degraded", **body})


# The database or the task queue could not be reached: worth trying again shortly.
UNAVAILABLE = (OperationalError, InterfaceError, BrokerError)
RETRY_AFTER_SECONDS = 5


def _outage(error) -> tuple[str, int] | None:
    """What a request that failed on `error` tells its user, and in how many seconds to
    try again; None for a bug. Each of these rolled its transaction back."""
    cause = getattr(error, "__cause__", None)
    if isinstance(cause, psycopg.errors.QueryCanceled):  # statement_timeout (settings)
        message = _(
            "The database is answering too slowly: nothing was saved. Please try again in a moment."
        )
        return message, RETRY_AFTER_SECONDS
    if isinstance(cause, psycopg.errors.DiskFull) or (
        isinstance(error, OSError) and error.errno == errno.ENOSPC
    ):
        message = _(
            "The server's storage is full: nothing was saved. Please tell the technical team."
        )
        return message, 60
    if isinstance(error, UNAVAILABLE):
        message = _("The service is briefly unavailable. Please try again in a moment.")
        return message, RETRY_AFTER_SECONDS
    return None


def server_error(request):
    """handler500: Django's 500 page, except while the database or the broker is out
    (a restart, a failover), slow (a statement cancelled) or out of disk: 503 with
    Retry-After and a message that says which, as JSON under /api/, so clients and the
    proxy retry instead of reporting a bug. The page uses no database."""
    outage = _outage(sys.exc_info()[1])
    if outage is None:
        return django_server_error(request)
    message, retry_after = outage
    headers = {"Retry-After": str(retry_after)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=503, headers=headers)
    body = render_to_string("503.html", {"message": message})
    return HttpResponse(body, status=503, headers=headers)
