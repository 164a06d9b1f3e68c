"""Data-quality build and partial-name searches at scale (issue 15).

    python bench/quality.py [--partial 200] [--out bench/results]

Against DATABASE_URL (a seeded records table, e.g. run_search.sh's hotline_search):
times citizens.services.quality_report_build() (the Celery task's body) once, and
`count` partial-name searches at the database (citizens.search.fuzzy with one word, a
family or a given name, within a random province; two words in reversed order), p50 and
p95 in ms. Writes bench/results/quality-<stamp>.json.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
    import django

    django.setup()


def percentiles(values_ms):
    values = sorted(values_ms)
    p95 = values[max(0, int(round(0.95 * len(values))) - 1)]
    return {"n": len(values), "p50": round(statistics.median(values), 2), "p95": round(p95, 2),
            "max": round(values[-1], 2)}  # fmt: skip


def partial_searches(count: int, rng: random.Random) -> dict:
    from citizens import search
    from citizens.provinces import provinces

    codes = sorted(provinces())
    families = ["nguyen", "tran", "le", "pham", "hoang", "vu", "dang", "bui", "do", "ho"]
    givens = ["hoa", "an", "lan", "minh", "hung", "trang", "nam", "linh", "tuan", "mai"]
    search.vocabulary("family_key"), search.vocabulary("given_key")  # warm the cache
    results = {}
    for kind, make in (
        ("family_only", lambda: rng.choice(families)),
        ("given_only", lambda: rng.choice(givens)),
        ("given_family", lambda: f"{rng.choice(givens)} {rng.choice(families)}"),
    ):
        times, empty = [], 0
        for _ in range(count):
            query, province = make(), rng.choice(codes)
            started = time.perf_counter()
            found = search.fuzzy(query, province=province)
            times.append((time.perf_counter() - started) * 1000)
            empty += not found
        results[kind] = {**percentiles(times), "found_nobody": empty}
    return results


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--partial", type=int, default=200)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = ap.parse_args()
    setup()
    from citizens import services
    from citizens.models import CardApplication

    report = {"benchmark": "records_quality", "at": datetime.datetime.now().isoformat()}
    report["records"] = CardApplication.objects.count()
    if not args.skip_build:
        started = time.perf_counter()
        built = services.quality_report_build()
        report["build_s"] = round(time.perf_counter() - started, 1)
        report["checks"] = {code: c["total"] for code, c in built.counts.items()}
        print(f"quality build: {report['build_s']} s over {report['records']} rows", flush=True)
        print(json.dumps(report["checks"]), flush=True)
    report["partial_ms"] = partial_searches(args.partial, random.Random(15))
    print(json.dumps(report["partial_ms"], indent=1), flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"quality-{stamp}.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
