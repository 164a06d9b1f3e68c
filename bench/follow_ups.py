"""Benchmark of issue 11: a much-repeated caller's history and the callback list.

    DATABASE_URL=postgres://…/hotline_contacts_bench python manage.py migrate
    DATABASE_URL=postgres://…/hotline_contacts_bench python bench/follow_ups.py [--runs 300]

Fills the database (once) to 1,000,000 tickets with plain SQL — random callers over 90
days, a tenth still unresolved — plus one caller with 1,000 earlier tickets (30 of them
open, 40 resolved in the last 14 days) and 1,000 calls, and 10,000 callbacks of today's
missed calls (distinct numbers, a few hundred with open tickets). Then times, in-process
through Django's test client with production settings, after one warm-up each:

- `GET /api/v1/callers/{e164}/history/` for that caller: the history and the "add to"
  choice (`open_tickets`, `reopenable_tickets`); target p95 < 50 ms;
- the console's history fragment for the same caller (`POST /console/history/`);
- `GET /api/v1/callbacks/?status=pending` (first page, with each number's open
  tickets) over the 10,000; target p95 < 50 ms;
- the console page itself, which counts the callbacks due.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from callbacks.models import Callback  # noqa: E402
from callcenter.demo_users import demo_users_create  # noqa: E402
from tickets.models import Ticket  # noqa: E402

TARGET_TICKETS = 1_000_000
HEAVY = "+84912000999"
CALLBACKS = 10_000

# Random tickets of the last 90 days; a tenth unresolved. Columns in the table's order.
FILL_TICKETS = """
INSERT INTO tickets_ticket (reference, channel, caller_phone, caller_name, cccd_number,
    old_id_number, place_of_application, category, priority, summary, status,
    resolution_code, resolution_note, created_at, updated_at, resolved_at, created_by_id,
    contact, contact_count)
SELECT '9901-' || lpad(n::text, 7, '0'), 'phone',
    '+849' || lpad((floor(random() * 1e8))::int::text, 8, '0'), '', '', '', '',
    (ARRAY['other','delayed_card','regulation_question','complaint'])[1 + (n %% 4)],
    'normal', 'Hỏi tiến độ cấp thẻ', CASE WHEN n %% 10 = 0 THEN 'escalated' ELSE 'resolved' END,
    CASE WHEN n %% 10 = 0 THEN '' ELSE 'answered' END, '', at, at,
    CASE WHEN n %% 10 = 0 THEN NULL ELSE at END, %(agent)s, '', 1
FROM (SELECT n, now() - random() * interval '90 days' AS at
      FROM generate_series(%(first)s, %(last)s) AS n) AS rows
"""
# The much-repeated caller: 1,000 tickets (30 open, 40 resolved lately) and 1,000 calls.
HEAVY_TICKETS = """
INSERT INTO tickets_ticket (reference, channel, caller_phone, caller_name, cccd_number,
    old_id_number, place_of_application, category, priority, summary, status,
    resolution_code, resolution_note, created_at, updated_at, resolved_at, created_by_id,
    contact, contact_count)
SELECT '9902-' || lpad(n::text, 7, '0'), 'phone', %(phone)s, 'Nguyễn Văn An', '', '', '',
    'delayed_card', 'normal', 'Lại hỏi về thẻ', CASE WHEN n <= 30 THEN 'escalated'
    ELSE 'resolved' END, CASE WHEN n <= 30 THEN '' ELSE 'answered' END, '', at, at,
    CASE WHEN n <= 30 THEN NULL ELSE at END, %(agent)s, '', 1
FROM (SELECT n, CASE WHEN n <= 70 THEN now() - n * interval '3 hours'
                     ELSE now() - n * interval '1 day' / 5 END AS at
      FROM generate_series(1, 1000) AS n) AS rows
"""
HEAVY_CALLS = """
INSERT INTO tickets_call (caller_phone, started_at, answered_at, ended_at, agent_id,
    ticket_id, extension, follow_up)
SELECT %(phone)s, t.created_at - interval '5 minutes', t.created_at - interval '5 minutes',
    t.created_at, %(agent)s, t.id, '', false
FROM tickets_ticket t WHERE t.caller_phone = %(phone)s
"""
FILL_CALLBACKS = """
INSERT INTO callbacks_callback (phone, status, missed_calls, first_missed_at,
    last_missed_at, attempts, next_attempt_at, created_at)
SELECT '+843' || lpad(n::text, 8, '0'), 'pending', 1 + n %% 3, at, at, 0,
    CASE WHEN n %% 5 = 0 THEN now() + interval '20 minutes' ELSE at END, at
FROM (SELECT n, date_trunc('day', now()) + (n %% 36000) * interval '1 second' AS at
      FROM generate_series(1, %(count)s) AS n) AS rows
"""
# A few hundred of those numbers have open tickets.
CALLBACK_TICKETS = """
INSERT INTO tickets_ticket (reference, channel, caller_phone, caller_name, cccd_number,
    old_id_number, place_of_application, category, priority, summary, status,
    resolution_code, resolution_note, created_at, updated_at, created_by_id, contact,
    contact_count)
SELECT '9903-' || lpad(n::text, 7, '0'), 'phone', '+843' || lpad(n::text, 8, '0'), '', '', '',
    '', 'delayed_card', 'normal', 'Gọi nhỡ', 'escalated', '', '', now(), now(), %(agent)s,
    '', 1
FROM generate_series(1, %(count)s, 25) AS n
"""


def fill() -> None:
    demo_users_create()
    agent = get_user_model().objects.get(username="agent1").pk
    have = Ticket.objects.count()
    with connection.cursor() as cursor:
        if not Ticket.objects.filter(caller_phone=HEAVY).exists():
            cursor.execute(HEAVY_TICKETS, {"phone": HEAVY, "agent": agent})
            cursor.execute(HEAVY_CALLS, {"phone": HEAVY, "agent": agent})
        if not Callback.objects.exists():
            cursor.execute(FILL_CALLBACKS, {"count": CALLBACKS})
            cursor.execute(CALLBACK_TICKETS, {"count": CALLBACKS, "agent": agent})
        have = Ticket.objects.count()
        if have < TARGET_TICKETS:
            started = time.perf_counter()
            cursor.execute(
                FILL_TICKETS, {"first": have, "last": TARGET_TICKETS - 1, "agent": agent}
            )
            print(
                f"filled {TARGET_TICKETS - have} tickets in {time.perf_counter() - started:.0f} s"
            )
        cursor.execute("ANALYZE")


def timings(call, runs: int) -> dict:
    call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    fill()
    agent = get_user_model().objects.get(username="agent1")
    token, _ = Token.objects.get_or_create(user=agent)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    page = Client()
    page.force_login(agent)
    history = api.get(f"/api/v1/callers/{HEAVY}/history/").json()
    callbacks = api.get("/api/v1/callbacks/?status=pending").json()
    result = {
        "benchmark": "follow_ups",
        "tickets": Ticket.objects.count(),
        "heavy_caller": {
            "tickets": Ticket.objects.filter(caller_phone=HEAVY).count(),
            "open_tickets": len(history["open_tickets"]),
            "reopenable_tickets": len(history["reopenable_tickets"]),
        },
        "callbacks_pending": callbacks["count"],
        "api_caller_history": timings(
            lambda: api.get(f"/api/v1/callers/{HEAVY}/history/"), args.runs
        ),
        "console_history_fragment": timings(
            lambda: page.post("/console/history/", {"caller_phone": HEAVY}), args.runs
        ),
        "api_callbacks_pending": timings(
            lambda: api.get("/api/v1/callbacks/?status=pending"), args.runs
        ),
        "console_page": timings(lambda: page.get("/console/"), max(20, args.runs // 5)),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
