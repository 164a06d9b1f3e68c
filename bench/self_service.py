#!/usr/bin/env python3
"""Self-service benchmark (issue 13): the public look-up answers at least 200 requests a
second with 10 million records, p95 under 50 ms; answer search p95 under 20 ms with
1,000 answers.

  lookup   POST /api/v1/public/application-status/ on a running server (TRUSTED_PROXY_COUNT=1):
           --clients keep-alive connections; a closed loop (each sends again once
           answered: the server's capacity), then the same clients paced at --rate
           requests/s in all, latency counted from the scheduled moment. Bodies are real
           people of the records table (name typed lower-case without accents, date as
           dd/mm/yyyy, the CCCD's last 4 digits) and one in five a miss; every request
           comes from its own forwarded address, so the limits (Redis) are counted but
           not hit, as with many citizens.
  answers  in-process: brings the published answers to --answers (the shipped ones and
           variations of them), then times knowledge.search.search() for --count
           questions as callers put them.

    python bench/self_service.py lookup --base-url http://127.0.0.1:8793
    python bench/self_service.py answers --answers 1000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ticket_create import CpuMeter  # noqa: E402

URL = "/api/v1/public/application-status/"
QUESTIONS = [
    "Tôi bị mất thẻ căn cước thì làm lại thế nào", "le phi doi the bao nhieu",
    "con tôi 10 tuổi có làm thẻ được không", "đến 25 tuổi có phải đổi thẻ không",
    "tài khoản vneid mức 2 đăng ký ở đâu", "thẻ bị gãy chip thì sao",
    "làm thẻ bao lâu thì có", "chuyển nhà có phải đổi thẻ căn cước",
    "cmnd 9 số còn dùng được không", "thẻ in sai ngày sinh", "nhận thẻ qua bưu điện",
    "người già không đi được có làm thẻ tại nhà không",
]  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0


def summary(latencies: list[float], seconds: float, statuses: dict) -> dict:
    ms = [x * 1000 for x in latencies]
    return {
        "requests": len(ms), "per_second": round(len(ms) / seconds, 1),
        "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(max(ms, default=0), 1),
        "statuses": statuses,
    }  # fmt: skip


def people(count: int) -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
    import django

    django.setup()
    from citizens.models import CardApplication
    from citizens.text import fold

    top = CardApplication.objects.order_by("-id").values_list("id", flat=True).first()
    ids = random.sample(range(1, top + 1), min(count, top))
    rows = CardApplication.objects.filter(id__in=ids).values_list(
        "full_name", "date_of_birth", "cccd_number"
    )
    return [
        {"full_name": fold(n), "date_of_birth": d.strftime("%d/%m/%Y"), "id_last4": c[-4:]}
        for n, d, c in rows
    ]


def body(pool: list[dict], rnd: random.Random) -> dict:
    person = dict(rnd.choice(pool))
    if rnd.random() < 0.2:
        person["id_last4"] = f"{rnd.randrange(10000):04d}"  # a miss (almost always)
    return person


def run_phase(args, pool, seconds, rate=None) -> dict:
    host, port = (
        urllib.parse.urlsplit(args.base_url).hostname,
        urllib.parse.urlsplit(args.base_url).port,
    )
    assert host in ("127.0.0.1", "localhost"), "loopback only"
    latencies, statuses, lock = [], {}, threading.Lock()
    start = time.monotonic() + 0.2
    end = start + seconds
    interval = args.clients / rate if rate else 0

    def worker(n):
        rnd = random.Random(n)
        conn = http.client.HTTPConnection(host, port, timeout=10)
        due = start + (interval * n / args.clients if rate else 0)
        while True:
            if rate:
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
            sent = due if rate else time.monotonic()
            if sent >= end:
                break
            forwarded = f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}"
            headers = {"Content-Type": "application/json", "X-Forwarded-For": forwarded}
            conn.request("POST", URL, body=json.dumps(body(pool, rnd)), headers=headers)
            response = conn.getresponse()
            response.read()
            took = time.monotonic() - sent
            with lock:
                latencies.append(took)
                statuses[response.status] = statuses.get(response.status, 0) + 1
            due += interval
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, seconds, statuses)


def measured(args, pool, meter, rate=None) -> dict:
    """A phase with the CPU its server processes spent per request (CpuMeter: the
    gunicorn tree, PostgreSQL's and Redis's; on a shared machine the last two count
    other sessions' work too, so they are an upper bound)."""
    before = meter.snapshot()
    result = run_phase(args, pool, args.seconds, rate=rate)
    result["cpu"] = meter.delta(before, meter.snapshot(), result["requests"])
    return result


def lookup(args) -> dict:
    pool = people(args.people)
    print(f"{len(pool)} people drawn from the records", flush=True)
    meter = CpuMeter(
        {"gunicorn": args.gunicorn_pid, "postgres": args.postgres_pid, "redis": args.redis_pid}
    )
    run_phase(args, pool, args.warmup)
    result = {"closed_loop": measured(args, pool, meter)}
    print("closed loop", result["closed_loop"], flush=True)
    result["paced"] = measured(args, pool, meter, rate=args.rate)
    print(f"paced at {args.rate}/s", result["paced"], flush=True)
    return result


def answers(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
    import django

    django.setup()
    from knowledge import search, services
    from knowledge.models import Answer
    from knowledge.seeding import seed_answers

    seed_answers()
    base = list(Answer.objects.filter(status="published").order_by("slug"))
    n = Answer.objects.count()
    rnd = random.Random(1)
    while n < args.answers:
        a = rnd.choice(base)
        services.answer_create(
            actor=None, slug=f"bench-{n}", status="published", category=a.category,
            question=f"{a.question} ({rnd.choice(['hỏi thêm', 'trường hợp khác', 'lưu ý'])} {n})",
            answer=a.answer, legal_basis=a.legal_basis, tags=a.tags,
        )  # fmt: skip
        n += 1
    timings = []
    for i in range(args.count + 20):
        started = time.perf_counter()
        search.search(QUESTIONS[i % len(QUESTIONS)], limit=3)
        if i >= 20:  # the first ones warm the connection and caches
            timings.append(time.perf_counter() - started)
    ms = [t * 1000 for t in timings]
    result = {"answers": Answer.objects.filter(status="published").count(), "searches": len(ms),
              "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
              "max_ms": round(max(ms), 2)}  # fmt: skip
    print(result)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["lookup", "answers"])
    parser.add_argument("--base-url", default="http://127.0.0.1:8793")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--gunicorn-pid", type=int, default=0)
    parser.add_argument("--postgres-pid", type=int, default=0)
    parser.add_argument("--redis-pid", type=int, default=0)
    args = parser.parse_args()
    result = lookup(args) if args.mode == "lookup" else answers(args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"self_service_{args.mode}_{int(time.time())}.json").write_text(json.dumps(result))


if __name__ == "__main__":
    main()
