"""Build and export a reprint batch of N pending requests (SPEC §7: 100,000 in < 30 s).

Run inside Django against PostgreSQL (bench/run_reprint.sh does it):
    python bench/reprint_batch.py --items 100000
Sets up N card applications (seed_records), N tickets awaiting reprint and N pending
reprint items with bulk inserts (set-up is not timed), then times, separately and in
total: the batch build (services.batch_build), the CSV export and the XLSX export.
"""

import argparse
import datetime
import json
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from callcenter.demo_users import demo_users_create  # noqa: E402
from citizens.models import CardApplication  # noqa: E402
from reprints import exports, services  # noqa: E402
from reprints.models import ReprintBatch, ReprintItem  # noqa: E402
from tickets.models import Status, Ticket  # noqa: E402


def set_up(n: int) -> None:
    if CardApplication.objects.count() < n:
        call_command("seed_records", count=n - CardApplication.objects.count(), seed=11)
    if not get_user_model().objects.filter(username="officer1").exists():
        demo_users_create()
    agent = get_user_model().objects.get(username="agent1")
    officer = get_user_model().objects.get(username="officer1")
    ReprintItem.tickets.through.objects.all().delete()
    ReprintItem.objects.all().delete()
    ReprintBatch.objects.all().delete()
    Ticket.objects.filter(reference__startswith="9999-").delete()
    apps = list(CardApplication.objects.order_by("id").values_list("id", flat=True)[:n])
    now = timezone.now()
    tickets = Ticket.objects.bulk_create(
        [
            Ticket(
                reference=f"9999-{i:07d}", caller_phone=f"+8491{i:07d}", category="delayed_card",
                summary="bench", created_by=agent, assignee=officer, status=Status.AWAITING_REPRINT,
                created_at=now, linked_application_id=app_id,
            )
            for i, app_id in enumerate(apps)
        ],
        batch_size=5000,
    )  # fmt: skip
    items = ReprintItem.objects.bulk_create(
        [ReprintItem(application_id=app_id, reason="slow_printing") for app_id in apps],
        batch_size=5000,
    )
    ReprintItem.tickets.through.objects.bulk_create(
        [
            ReprintItem.tickets.through(reprintitem_id=item.id, ticket_id=ticket.id)
            for item, ticket in zip(items, tickets, strict=True)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reprints_reprintitem")


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    print(f"setting up {args.items} pending reprint requests…", flush=True)
    set_up(args.items)
    batch, build = timed(services.batch_build)
    csv_bytes, csv_time = timed(lambda: exports.as_csv(batch))
    xlsx_bytes, xlsx_time = timed(lambda: exports.as_xlsx(batch))
    report = {
        "benchmark": "reprint_batch",
        "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "items": batch.items.count(),
        "build_s": round(build, 2),
        "csv_s": round(csv_time, 2),
        "csv_bytes": len(csv_bytes),
        "xlsx_s": round(xlsx_time, 2),
        "xlsx_bytes": len(xlsx_bytes),
        "total_s": round(build + csv_time + xlsx_time, 2),
        "target_s": 30,
    }
    print(json.dumps(report, indent=2))
    out = pathlib.Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"reprint-batch-{report['at'].replace(':', '')}.json").write_text(json.dumps(report))


if __name__ == "__main__":
    main()
