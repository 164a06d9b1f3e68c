import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Max

from citizens.loading import load_orm, load_postgresql
from citizens.models import CardApplication


class Command(BaseCommand):
    help = "Add N simulated card applications (COPY in parallel on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1, help="same seed, same records")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="COPY processes"
        )

    def handle(self, *args, count, seed, workers, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        start = (CardApplication.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        began = time.monotonic()
        if connection.vendor == "postgresql":
            timings = load_postgresql(
                count=count, seed=seed, start=start, workers=max(1, workers), log=self.stdout.write
            )
            detail = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
        else:
            load_orm(count=count, seed=seed, start=start)
            detail = "bulk_create"
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} card applications added in {time.monotonic() - began:.1f} s ({detail})."
            )
        )
