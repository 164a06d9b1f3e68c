#!/usr/bin/env python3
"""Record-search benchmark for SPEC §7: "look-up by CCCD number p95 under 5 ms and by
name + date of birth under 20 ms at the database, under 50 ms end-to-end through the
API", on a records table of 10 million applications.

Two modes (run by bench/run_search.sh, which prepares the database and the server):

  db   inside Django (DJANGO_SETTINGS_MODULE=callcenter.settings, DATABASE_URL on the
       seeded PostgreSQL). Picks --count random existing applications by random id,
       then times each search kind through the real functions of citizens/search.py.
       Per call it records three figures:
         call    the whole function: ORM, SQL, Python ranking and describe()
         sql     the statements' round trips as the driver sees them (a Django
                 execute_wrapper around cursor.execute: no ORM/Python on top)
         server  PostgreSQL's own Planning + Execution Time of the same statements
                 (EXPLAIN (ANALYZE, TIMING OFF) replayed right after the call)
       and whether the target application was among the results.

  api  through GET /api/v1/applications/ on a running server: officer1..officer10
       log in (POST /api/v1/auth/token/), then each kind is run by 1 client in
       sequence, by 10 concurrent clients in a closed loop (each sends again as soon as
       it is answered: the server's saturation), and by the 10 clients paced at --rate
       requests/s in all (latency counted from the scheduled time). Keep-alive
       connections, stdlib only.

Kinds: cccd, old_id, name_dob (name typed lower-case without accents), and the fuzzy
name search narrowed by province, by birth year, or by both (query variants rotate:
the exact name, the name without its middle name, one typo).

Loopback only; every loop is bounded by --max-seconds per kind. Results are printed
and written as JSON to bench/results/.

    python bench/search.py db  --count 300
    python bench/search.py api --base-url http://127.0.0.1:8766 --count 300
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import sys
import threading
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from ticket_create import LOOPBACK, Client, CpuMeter, percentile  # noqa: E402

KINDS = ["cccd", "old_id", "name_dob", "fuzzy_province", "fuzzy_year", "fuzzy_both"]
FUZZY_VARIANTS = ["exact", "no_middle", "typo"]
# SPEC §7: p95 at the database / end to end through the API.
TARGETS_DB_MS = {"cccd": 5, "name_dob": 20}
TARGET_API_MS = 50


# --- shared -----------------------------------------------------------------------------


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
    import django

    django.setup()


def stats(values_s: list[float]) -> dict:
    """p50/p95/p99/max/mean in ms of a list of seconds."""
    s = sorted(values_s)
    if not s:
        return {"n": 0}
    ms = lambda v: round(v * 1000, 3)  # noqa: E731
    return {
        "n": len(s),
        "p50_ms": ms(percentile(s, 50)),
        "p95_ms": ms(percentile(s, 95)),
        "p99_ms": ms(percentile(s, 99)),
        "max_ms": ms(s[-1]),
        "mean_ms": ms(sum(s) / len(s)),
    }


def pick_targets(n: int, rng: random.Random, *, with_old_id: bool = False) -> list:
    """`n` distinct random applications, drawn by random id between min(id) and max(id)
    (an index probe per id, not ORDER BY random() over 10 million rows)."""
    from django.db.models import Max, Min

    from citizens.models import CardApplication

    bounds = CardApplication.objects.aggregate(lo=Min("id"), hi=Max("id"))
    if bounds["lo"] is None:
        raise SystemExit("search: the records table is empty (run seed_records first)")
    found: dict[int, object] = {}
    for _ in range(200):
        missing = n - len(found)
        if missing <= 0:
            break
        ids = {
            rng.randint(bounds["lo"], bounds["hi"])
            for _ in range(missing * (8 if with_old_id else 2))
        }
        rows = CardApplication.objects.filter(id__in=ids - found.keys())
        if with_old_id:
            rows = rows.exclude(old_id_number="")
        for application in rows:
            found.setdefault(application.id, application)
    chosen = list(found.values())[:n]
    rng.shuffle(chosen)
    return chosen


def fuzzy_query(application, variant: str, rng: random.Random) -> str:
    """What an officer types for a fuzzy search: lower case, no accents; the exact name,
    the name without its middle name(s), or the name with one typo in its longer end word."""
    words = application.name_key.split()
    if variant == "no_middle" and len(words) > 2:
        return f"{words[0]} {words[-1]}"
    if variant == "typo":
        i = 0 if len(words[0]) >= len(words[-1]) else len(words) - 1
        word = words[i]
        pos = rng.randrange(1, len(word)) if len(word) > 1 else 0
        letters = [c for c in "aeiouynhmtgcd" if c != word[pos]]
        words[i] = word[:pos] + rng.choice(letters) + word[pos + 1 :]
    return " ".join(words)


def search_cases(targets_by_kind: dict, rng: random.Random) -> dict:
    """kind → list of (criteria dict, target application, variant)."""
    cases = {}
    for kind, targets in targets_by_kind.items():
        rows = []
        for i, a in enumerate(targets):
            variant = ""
            if kind == "cccd":
                criteria = {"cccd_number": a.cccd_number}
            elif kind == "old_id":
                criteria = {"old_id_number": a.old_id_number}
            elif kind == "name_dob":
                from citizens.text import fold

                criteria = {"full_name": fold(a.full_name), "date_of_birth": a.date_of_birth}
            else:
                variant = FUZZY_VARIANTS[i % len(FUZZY_VARIANTS)]
                criteria = {"q": fuzzy_query(a, variant, rng)}
                if kind in ("fuzzy_province", "fuzzy_both"):
                    criteria["province"] = a.province_code
                if kind in ("fuzzy_year", "fuzzy_both"):
                    criteria["birth_year"] = a.date_of_birth.year
            rows.append((criteria, a, variant))
        cases[kind] = rows
    return cases


def all_targets(count: int, warmup: int, rng: random.Random) -> dict:
    need = count + warmup
    common = pick_targets(need * 5, rng)
    with_old = pick_targets(need, rng, with_old_id=True)
    return {
        "cccd": common[0:need],
        "old_id": with_old,
        "name_dob": common[need : 2 * need],
        "fuzzy_province": common[2 * need : 3 * need],
        "fuzzy_year": common[3 * need : 4 * need],
        "fuzzy_both": common[4 * need : 5 * need],
    }


def outcome(found: bool, result_count: int, cap: int = 20) -> str:
    if found:
        return "found"
    # Not among the results: either the cap was full of other (namesake) matches, or a
    # real miss.
    return "missed_capped" if result_count >= cap else "missed"


def db_outcome(kind: str, criteria: dict, target, matches: list, cap: int) -> str:
    """found; crowded_out (the cap is full of matches that rank at least as high as the
    target would: namesakes, closer names); or missed (it should have been found)."""
    if any(m.application.id == target.id for m in matches):
        return "found"
    if len(matches) < cap or kind not in ("name_dob", *KINDS[3:]):
        return "missed"
    from django.db import connection

    from citizens.text import fold

    key = fold(criteria.get("q") or criteria.get("full_name"))
    words = key.split()
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [target.name_key, key])
        score = round(cursor.fetchone()[0], 3)

    def rank(application, score):
        # The order of search.by_name_and_birth / search._similar: the exact folded name
        # (name + birth date only), then same family and given name, similarity, latest.
        exact = int(kind == "name_dob" and application.name_key == key)
        same_ends = int(application.family_key == words[0] and application.given_key == words[-1])
        return (exact, same_ends * (1 - exact), score * (1 - exact), application.lodged_on)

    last = matches[-1]
    return "crowded_out" if rank(last.application, last.score) >= rank(target, score) else "missed"


def machine_info() -> dict:
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_at_start": load,
    }


def write_report(report: dict, name: str, out: str) -> Path:
    now = datetime.datetime.now(datetime.UTC)
    report["at"] = now.isoformat(timespec="seconds")
    path = Path(out) if out else BENCH / "results" / f"{name}-{now:%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def fmt(v) -> str:
    return "n/a" if v is None else f"{v:.2f}"


# --- db mode ----------------------------------------------------------------------------


def run_function(kind: str, criteria: dict):
    from citizens import search

    if kind == "cccd":
        return search.by_cccd(criteria["cccd_number"])
    if kind == "old_id":
        return search.by_old_id(criteria["old_id_number"])
    if kind == "name_dob":
        return search.by_name_and_birth(criteria["full_name"], criteria["date_of_birth"])
    return search.fuzzy(
        criteria["q"], province=criteria.get("province", ""), birth_year=criteria.get("birth_year")
    )


def explain(sql: str, params, *, analyze_text: bool = False):
    """PostgreSQL's Planning/Execution Time of one statement (replayed), or its plan text."""
    from django.db import connection

    with connection.cursor() as cursor:
        if analyze_text:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql, params)
        doc = cursor.fetchone()[0]
    if isinstance(doc, str):
        doc = json.loads(doc)
    doc = doc[0]
    return doc.get("Planning Time", 0.0), doc.get("Execution Time", 0.0)


def db_mode(args) -> int:
    setup_django()
    from django.db import connection

    from citizens.search import MAX_RESULTS

    if connection.vendor != "postgresql":
        print("search db: DATABASE_URL must point at PostgreSQL", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    began = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM citizens_cardapplication")
        total_rows = cursor.fetchone()[0]
    targets = all_targets(args.count, args.warmup, rng)
    cases = search_cases(targets, rng)
    print(
        f"search db: {total_rows:,} applications; {args.count} targets per kind "
        f"(+{args.warmup} warm-up), picked in {time.monotonic() - began:.1f} s"
    )
    meter = CpuMeter({"postgres": args.postgres_pid})
    results = {}
    for kind in args.kinds:
        rows = cases[kind]
        warm, measured = rows[: args.warmup], rows[args.warmup :]
        for criteria, _, _ in warm:
            run_function(kind, criteria)
        calls, sqls, servers, plannings, n_statements = [], [], [], [], []
        outcomes: dict[str, int] = {}
        by_variant: dict[str, dict[str, int]] = {}
        misses: list[dict] = []
        slowest = (-1.0, None)
        cpu_a = meter.snapshot()
        deadline = time.monotonic() + args.max_seconds
        for criteria, target, variant in measured:
            if time.monotonic() > deadline:
                break
            statements: list = []

            def wrapper(execute, sql, params, many, context, _log=statements):
                t0 = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    _log.append((sql, params, time.perf_counter() - t0))

            t0 = time.perf_counter()
            with connection.execute_wrapper(wrapper):
                matches = run_function(kind, criteria)
            call = time.perf_counter() - t0
            sql_time = sum(s[2] for s in statements)
            planning = execution = 0.0
            for sql, params, _ in statements:
                p, e = explain(sql, params)
                planning += p
                execution += e
            calls.append(call)
            sqls.append(sql_time)
            servers.append((planning + execution) / 1000)
            plannings.append(planning / 1000)
            n_statements.append(len(statements))
            key = db_outcome(kind, criteria, target, matches, MAX_RESULTS)
            outcomes[key] = outcomes.get(key, 0) + 1
            if key == "missed" and len(misses) < 10:
                misses.append(
                    {"criteria": criteria, "target": target.application_number,
                     "target_name_key": target.name_key, "results": len(matches)}
                )  # fmt: skip
            if variant:
                by_variant.setdefault(variant, {}).setdefault(key, 0)
                by_variant[variant][key] += 1
            if sql_time > slowest[0]:
                slowest = (sql_time, (criteria, statements, len(matches)))
        cpu_b = meter.snapshot()
        n = len(calls)
        result = {
            "kind": kind,
            "calls": n,
            "call": stats(calls),
            "sql": stats(sqls),
            "server": stats(servers),
            "server_planning": stats(plannings),
            "statements_per_call": round(sum(n_statements) / n, 2) if n else None,
            "outcomes": outcomes,
            "outcomes_by_variant": by_variant,
            "missed_samples": misses,
            "cpu": meter.delta(cpu_a, cpu_b, n) if n else None,
        }
        if kind in TARGETS_DB_MS:
            limit = TARGETS_DB_MS[kind]
            result["spec_p95_ms"] = limit
            result["meets_spec_sql"] = result["sql"]["p95_ms"] < limit
            result["meets_spec_server"] = result["server"]["p95_ms"] < limit
        if slowest[1] is not None:
            criteria, statements, count = slowest[1]
            result["slowest"] = {
                "criteria": criteria,
                "results": count,
                "sql_ms": round(slowest[0] * 1000, 3),
                "plans": [
                    {
                        "sql": sql,
                        "params": list(params or ()),
                        "explain": explain(sql, params, analyze_text=True),
                    }
                    for sql, params, _ in statements
                ],  # fmt: skip
            }
        results[kind] = result
        print_db(result)
    report = {
        "benchmark": "search_db",
        "label": args.label,
        "records": total_rows,
        "machine": machine_info(),
        "spec_target_p95_ms": TARGETS_DB_MS,
        "kinds": results,
    }
    path = write_report(report, "search-db", args.out)
    print(f"  results: {path}")
    return 0


def print_db(r: dict):
    c, s, v = r["call"], r["sql"], r["server"]
    print(
        f"  {r['kind']:<15} n={r['calls']:<4} call p50 {fmt(c.get('p50_ms'))} p95 "
        f"{fmt(c.get('p95_ms'))} p99 {fmt(c.get('p99_ms'))} max {fmt(c.get('max_ms'))} ms | "
        f"sql p50 {fmt(s.get('p50_ms'))} p95 {fmt(s.get('p95_ms'))} p99 {fmt(s.get('p99_ms'))} "
        f"ms | server p50 {fmt(v.get('p50_ms'))} p95 {fmt(v.get('p95_ms'))} ms | "
        f"{r['statements_per_call']} stmt/call | {r['outcomes']}"
    )
    if r.get("outcomes_by_variant"):
        print(f"  {'':<15} by query variant: {r['outcomes_by_variant']}")
    if "spec_p95_ms" in r:
        verdict = "MET" if r["meets_spec_sql"] else "MISSED"
        print(f"  {'':<15} SPEC §7 p95 < {r['spec_p95_ms']} ms at the database: {verdict}")


# --- api mode ---------------------------------------------------------------------------


def api_path(criteria: dict) -> str:
    query = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in criteria.items()}
    # A look-up names its purpose (SPEC §9).
    query["purpose"] = "Benchmark: officers' look-up load"
    return "/api/v1/applications/?" + urllib.parse.urlencode(query)


def api_phase(clients, kind: str, items: list, *, max_seconds: float, meter, rate=None) -> dict:
    """Every client works through its share of `items` (path, application number,
    variant) one request after another; returns the phase summary.

    Without `rate`: closed loop, each client sends as soon as its last answer came.
    With `rate` (requests/s over all clients): open loop, each request has a scheduled
    time and its latency counts from then, so queueing in the server is charged."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    samples: list[str] = []
    misses: list[dict] = []
    outcomes: dict[str, int] = {}
    by_variant: dict[str, dict[str, int]] = {}
    start = time.perf_counter() + 0.2
    deadline = start + max_seconds
    interval = len(clients) / rate if rate else 0.0

    def work(index: int, client: Client):
        next_at = start + interval * index / len(clients)
        time.sleep(max(0.0, start - time.perf_counter()))  # every client starts together
        for path, number, variant in items[index :: len(clients)]:
            if time.perf_counter() > deadline:
                return
            if rate:
                time.sleep(max(0.0, next_at - time.perf_counter()))
                t0, next_at = next_at, next_at + interval
            else:
                t0 = time.perf_counter()
            try:
                status, data = client.request("GET", path, None)
            except Exception as exc:  # noqa: BLE001 - every failure is an error sample
                status, data = type(exc).__name__, str(exc).encode()
            elapsed = time.perf_counter() - t0
            key = None
            if status == 200:
                body = json.loads(data)
                numbers = {r["application_number"] for r in body["results"]}
                key = outcome(number in numbers, len(body["results"]))
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                    if len(samples) < 5:
                        samples.append(f"{status}: {data[:300]!r}")
                else:
                    outcomes[key] = outcomes.get(key, 0) + 1
                    if key != "found" and len(misses) < 10:
                        misses.append({"path": path, "target": number, "outcome": key})
                    if variant:
                        by_variant.setdefault(variant, {}).setdefault(key, 0)
                        by_variant[variant][key] += 1

    threads = [
        threading.Thread(target=work, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    cpu_a = meter.snapshot()
    started = start
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.perf_counter()) + clients[0].timeout + 5)
    wall = time.perf_counter() - started
    cpu_b = meter.snapshot()
    n = len(latencies)
    return {
        "kind": kind,
        "clients": len(clients),
        "mode": f"paced at {rate:g}/s" if rate else "closed loop",
        "requests": n,
        "throughput_rps": round(n / wall, 1) if wall else None,
        "latency": stats(latencies),
        "errors": sum(errors.values()),
        "errors_by_status": errors,
        "error_samples": samples,
        "outcomes": outcomes,
        "outcomes_by_variant": by_variant,
        "not_found_samples": misses,
        "stuck_threads": sum(t.is_alive() for t in threads),
        "cpu": meter.delta(cpu_a, cpu_b, n) if n else None,
    }


def print_api(r: dict):
    lat = r["latency"]
    line = (
        f"  {r['kind']:<15} {r['clients']:>2} client(s) {r['mode']:<14} n={r['requests']:<4} "
        f"{r['throughput_rps']:>6.1f} req/s | p50 {fmt(lat.get('p50_ms'))} p95 "
        f"{fmt(lat.get('p95_ms'))} p99 {fmt(lat.get('p99_ms'))} max {fmt(lat.get('max_ms'))} ms"
        f" | errors {r['errors']} | {r['outcomes']}"
    )
    cpu = r.get("cpu")
    if cpu:
        parts = [
            f"{k.split('_')[0]} {cpu[k]:.2f}"
            for k in cpu
            if k.endswith("_cpu_ms_per_req") and cpu[k]
        ]
        other = cpu["other_processes_cores"]
        line += f" | CPU ms/req: {', '.join(parts)}; other processes {other:.2f} cores"
    print(line)
    if r["errors"]:
        for sample in r["error_samples"]:
            print(f"  {'':<15} e.g. {sample}")


def api_mode(args) -> int:
    url = urllib.parse.urlsplit(args.base_url)
    if url.scheme != "http" or url.hostname not in LOOPBACK:
        print("search api: --base-url must be http:// on loopback (127.0.0.1)", file=sys.stderr)
        return 2
    if not 1 <= args.clients <= 20:
        print("search api: --clients 1..20 (officer1..officer20)", file=sys.stderr)
        return 2
    setup_django()  # only to pick existing applications as targets
    rng = random.Random(args.seed + 1)
    targets = all_targets(args.count, args.warmup, rng)
    cases = search_cases(targets, rng)
    from django.db import connections

    connections.close_all()
    items = {
        kind: [(api_path(c), a.application_number, v) for c, a, v in rows]
        for kind, rows in cases.items()
    }
    clients = [
        Client(url.hostname, url.port or 80, f"officer{i}", args.timeout)
        for i in range(1, args.clients + 1)
    ]
    for c in clients:
        c.login()
    print(f"search api: {len(clients)} officers logged in at {args.base_url}")
    meter = CpuMeter(
        {"gunicorn": args.gunicorn_pid, "postgres": args.postgres_pid, "redis": args.redis_pid}
    )
    # Warm-up: every kind from all clients at once, so each gunicorn worker has run it.
    for kind in args.kinds:
        api_phase(
            clients, kind, items[kind][: args.warmup], max_seconds=args.max_seconds, meter=meter
        )
    phases = []
    plan = [(1, None), (len(clients), None)]
    if args.rate:
        plan.append((len(clients), args.rate))
    for concurrency, rate in plan:
        for kind in args.kinds:
            r = api_phase(
                clients[:concurrency], kind, items[kind][args.warmup :],
                max_seconds=args.max_seconds, meter=meter, rate=rate,
            )  # fmt: skip
            if kind in ("cccd", "name_dob"):
                r["spec_p95_ms"] = TARGET_API_MS
                r["meets_spec"] = r["errors"] == 0 and r["latency"]["p95_ms"] < TARGET_API_MS
            print_api(r)
            phases.append(r)
    for c in clients:
        c.close()
    report = {
        "benchmark": "search_api",
        "base_url": args.base_url,
        "label": args.label,
        "machine": machine_info(),
        "spec_target_p95_ms": TARGET_API_MS,
        "phases": phases,
    }
    path = write_report(report, "search-api", args.out)
    verdicts = [
        f"{p['kind']} x{p['clients']} {p['mode']}: {'MET' if p['meets_spec'] else 'MISSED'}"
        for p in phases
        if "meets_spec" in p
    ]
    print(f"  SPEC §7 (p95 < {TARGET_API_MS} ms end to end): {', '.join(verdicts)}")
    print(f"  results: {path}")
    return 0 if all(p["errors"] == 0 and p["stuck_threads"] == 0 for p in phases) else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("mode", choices=["db", "api"])
    ap.add_argument("--count", type=int, default=300, help="measured look-ups per kind")
    ap.add_argument("--warmup", type=int, default=30, help="look-ups per kind not counted")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma list of: " + ", ".join(KINDS))
    ap.add_argument("--max-seconds", type=float, default=90.0, help="bound per kind and phase")
    ap.add_argument("--seed", type=int, default=368)
    ap.add_argument("--base-url", default="http://127.0.0.1:8766", help="api mode")
    ap.add_argument("--clients", type=int, default=10, help="api mode: concurrent officers")
    ap.add_argument("--timeout", type=float, default=10.0, help="api mode: per request, s")
    ap.add_argument(
        "--rate", type=float, default=40.0,
        help="api mode: also run the concurrent clients paced at this total rate/s (0: skip)",
    )  # fmt: skip
    ap.add_argument("--gunicorn-pid", type=int, default=0, help="master pid, for CPU per request")
    ap.add_argument("--postgres-pid", type=int, default=0, help="postmaster pid, likewise")
    ap.add_argument("--redis-pid", type=int, default=0, help="redis-server pid, likewise")
    ap.add_argument("--label", default="", help="free text stored in the JSON")
    ap.add_argument("--out", default="", help="JSON results file (default bench/results/...)")
    args = ap.parse_args(argv)
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if not args.kinds or set(args.kinds) - set(KINDS):
        ap.error("--kinds: " + ", ".join(KINDS))
    if not 1 <= args.count <= 5000 or not 0 <= args.warmup <= 500:
        ap.error("--count 1..5000, --warmup 0..500")
    if args.max_seconds > 300:
        ap.error("--max-seconds at most 300")
    return db_mode(args) if args.mode == "db" else api_mode(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("search: interrupted", file=sys.stderr)
        sys.exit(130)
