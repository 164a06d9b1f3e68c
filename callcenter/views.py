"""Project-wide views: the role-based landing page and the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .roles import landing_page


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


def _worker_state(redis_state: str) -> str:
    if redis_state != "up":
        return "not configured" if redis_state == "not configured" else "unknown"
    from .celery import app

    replies = app.control.ping(timeout=1.0)
    return "up" if replies else "down"


@never_cache
def healthz(request):
    """200 when the database answers; optional parts are reported, not required."""
    database = "up" if _database_up() else "down"
    redis_state = _redis_state()
    body = {
        "status": "ok" if database == "up" else "error",
        "database": database,
        "redis": redis_state,
        "worker": _worker_state(redis_state),
    }
    return JsonResponse(body, status=200 if database == "up" else 503)
