#!/usr/bin/env python3
"""Server CPU time per request on the hot paths, in one process, through the whole
Django stack (middleware, auth, views, rendering) but without gunicorn or a network.

    DATABASE_URL=... REDIS_URL=... DEBUG=false SECURE_SSL_REDIRECT=false \\
      .venv/bin/python bench/profile_requests.py [-n 300] [--only detail_api] [--profile]

Needs a seeded database (the demo users, records and tickets: `seed_demo`, or the
peer bench's `run_ourapp.sh seed`). Prints, per workload, the median and p90 of the
process CPU time and of the wall time of one request. `--profile` runs each workload
once more under pyinstrument (pip install pyinstrument; not a product dependency)
and writes bench/results/profile-<workload>.html.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from citizens.models import CardApplication  # noqa: E402
from tickets.models import Status, Ticket  # noqa: E402

User = get_user_model()


def samples(rng):
    ids = list(Ticket.objects.order_by("?").values_list("reference", flat=True)[:500])
    phones = [
        str(p)
        for p in Ticket.objects.filter(caller_phone__startswith="+849")
        .order_by("?")
        .values_list("caller_phone", flat=True)[:200]
    ]
    apps = list(
        CardApplication.objects.order_by("?").values_list(
            "cccd_number", "full_name", "date_of_birth"
        )[:200]
    )
    return ids, phones, apps


def clients(role):
    user = User.objects.get(username=f"{role}1")
    token, _ = Token.objects.get_or_create(user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    page = Client()
    page.force_login(user)
    return api, page


# SPEC §9: every records search states why.
PURPOSE = {"purpose": "Công dân gọi hỏi tiến độ cấp thẻ"}


def workloads(rng):
    refs, phones, apps = samples(rng)
    officer_api, officer_page = clients("officer")
    agent_api, _ = clients("agent")
    body = lambda: json.dumps(  # noqa: E731
        {
            "caller_phone": f"091{rng.randrange(10**7):07d}",
            "category": rng.choice(["delayed_card", "other", "regulation_question"]),
            "summary": "Hỏi tiến độ cấp thẻ CCCD",
            "caller_name": "Nguyễn Văn An",
            **(
                {"resolve_now": True, "resolution_note": "Đã hướng dẫn"}
                if rng.random() < 0.33
                else {"resolve_now": False, "resolution_note": ""}
            ),
        }
    )
    return {
        "detail_page": lambda: officer_page.get(f"/tickets/{rng.choice(refs)}/"),
        "detail_api": lambda: officer_api.get(f"/api/v1/tickets/{rng.choice(refs)}/"),
        "history_api": lambda: agent_api.get(f"/api/v1/callers/{rng.choice(phones)}/history/"),
        "records_cccd": lambda: officer_api.get(
            "/api/v1/applications/", {"cccd_number": rng.choice(apps)[0], **PURPOSE}
        ),
        "records_name_dob": lambda: officer_api.get(
            "/api/v1/applications/",
            dict(zip(("full_name", "date_of_birth"), rng.choice(apps)[1:], strict=True), **PURPOSE),
        ),
        "create_api": lambda: agent_api.post(
            "/api/v1/tickets/", body(), content_type="application/json"
        ),
        "queue_api": lambda: officer_api.get("/api/v1/queue/"),
        "queue_page": lambda: officer_page.get("/queue/"),
        # The floor: middleware, token check, permission, one indexed query, a JSON 404.
        "token_404": lambda: agent_api.get("/api/v1/tickets/0001-00001/"),
    }


EXPECTED = {"token_404": 404}  # every other workload answers 2xx


def measure(fetch, n, expected=None):
    cpu, wall = [], []
    for _ in range(n):
        c0, w0 = time.process_time(), time.perf_counter()
        response = fetch()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        ok = response.status_code == expected if expected else response.status_code < 300
        assert ok, (response.status_code, response.content[:300])
    q = lambda xs, p: statistics.quantiles(xs, n=10)[p] if len(xs) > 1 else xs[0]  # noqa: E731
    return {
        "cpu_ms_p50": round(statistics.median(cpu), 2),
        "cpu_ms_p90": round(q(cpu, 8), 2),
        "wall_ms_p50": round(statistics.median(wall), 2),
        "wall_ms_p90": round(q(wall, 8), 2),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    rng = random.Random(18)
    chosen = workloads(rng)
    if args.only:
        chosen = {k: v for k, v in chosen.items() if k in args.only.split(",")}
    held = Ticket.objects.filter(assignee__username="officer1", status=Status.ASSIGNED).count()
    print(f"officer1 holds {held} tickets", file=sys.stderr)
    created_from = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    try:
        for name, fetch in chosen.items():
            for _ in range(20):  # warm up: connections, caches, templates
                fetch()
            print(json.dumps({"workload": name, **measure(fetch, args.n, EXPECTED.get(name))}))
            if args.profile:
                profile(name, fetch, args.n)
    finally:
        Ticket.objects.filter(id__gt=created_from).delete()


def profile(name, fetch, n):
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(n):
        fetch()
    profiler.stop()
    out = ROOT / "bench" / "results" / f"profile-{name}.html"
    out.parent.mkdir(exist_ok=True)
    out.write_text(profiler.output_html())
    (out.with_suffix(".txt")).write_text(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
