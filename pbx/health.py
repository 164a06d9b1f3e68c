"""When a bridge last logged in to its PBX and last passed on an event, kept in the
cache (Redis: shared with the web processes that answer /healthz; without Redis each
process has its own, so /healthz cannot see a bridge)."""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("pbx.bridge")
KINDS = ("asterisk", "freeswitch")
# An event stamp at most this often per process: a busy PBX costs no cache write per event.
STAMP_EVERY = 1.0
_last_stamp: dict[str, float] = {}


def _key(kind: str, what: str) -> str:
    return f"pbx:{kind}:{what}"


def stamp(kind: str, what: str) -> None:
    """Record that the bridge logged in (`logged_in`) or passed on an event (`event`)."""
    now = time.time()
    if what == "event":
        if now - _last_stamp.get(kind, 0.0) < STAMP_EVERY:
            return
        _last_stamp[kind] = now
    try:
        cache.set(_key(kind, what), now, None)
    except Exception:  # the cache is down: the events still count, the health waits
        log.warning("could not record the bridge's %s time in the cache", what)


def configured() -> list[str]:
    hosts = {"asterisk": settings.PBX_AMI_HOST, "freeswitch": settings.PBX_ESL_HOST}
    return [kind for kind in KINDS if hosts[kind]]


def _iso(stamp_value) -> str | None:
    if stamp_value is None:
        return None
    return datetime.datetime.fromtimestamp(stamp_value, tz=datetime.UTC).isoformat()


def report() -> dict:
    """/healthz's part: each configured bridge's last log-in and last event (None when
    there has been none, or the cache cannot say)."""
    kinds = configured()
    if not kinds:
        return {}
    try:
        found = cache.get_many([_key(k, w) for k in kinds for w in ("logged_in", "event")])
    except Exception:
        found = {}
    return {
        "pbx_bridge": {
            kind: {
                "logged_in_at": _iso(found.get(_key(kind, "logged_in"))),
                "last_event_at": _iso(found.get(_key(kind, "event"))),
            }
            for kind in kinds
        }
    }
