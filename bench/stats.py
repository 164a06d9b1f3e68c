"""Time the supervisors' statistics over a 90-day range (SPEC §7: < 300 ms over 1
million tickets on PostgreSQL).

    DATABASE_URL=postgres://… python bench/stats.py [--days 90] [--runs 10]

Expects a database seeded with `manage.py seed_demo --days 91 --per-day 16500`
(about a million tickets). First stores the finished days in the summary table (the
`refresh_stats_summary` task's work, timed once), then times what a supervisor's range
reads — reporting.summary's daily, per_person and by_hour, GET /api/v1/stats/daily/ and
/agents/, and the dashboard page, in-process with a supervisor's session — after one
warm-up each. The live computation (reporting.stats) is timed too, for comparison.
"""

import argparse
import datetime
import json
import os
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from reporting import stats, summary  # noqa: E402
from reporting.models import DailySummary  # noqa: E402
from tickets.models import Ticket  # noqa: E402


def timings(function, runs):
    function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "max_ms": round(samples[-1], 1),
        "runs": runs,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    last = timezone.localdate()
    first = last - datetime.timedelta(days=args.days - 1)
    client = Client()
    client.force_login(get_user_model().objects.get(username="supervisor1"))
    query = f"from={first}&to={last}"
    DailySummary.objects.all().delete()
    started = time.perf_counter()
    stored = summary.refresh()
    refresh_seconds = round(time.perf_counter() - started, 1)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    report = {
        "benchmark": "stats",
        "tickets_in_database": Ticket.objects.count(),
        "range": [first.isoformat(), last.isoformat()],
        "summary_refresh": {"days_stored": stored, "seconds": refresh_seconds},
        "summary_daily": timings(lambda: summary.daily(first, last), args.runs),
        "summary_per_person": timings(lambda: summary.per_person(first, last), args.runs),
        "summary_by_hour": timings(lambda: summary.by_hour(first, last), args.runs),
        "api_daily": timings(lambda: get(f"/api/v1/stats/daily/?{query}"), args.runs),
        "api_agents": timings(lambda: get(f"/api/v1/stats/agents/?{query}"), args.runs),
        "dashboard_page": timings(lambda: get(f"/dashboard/?start={first}&end={last}"), args.runs),
        "live_daily": timings(lambda: stats.daily(first, last), max(1, args.runs // 5)),
        "live_per_person": timings(lambda: stats.per_person(first, last), args.runs),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
