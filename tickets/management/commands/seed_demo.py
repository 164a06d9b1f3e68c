from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from callcenter.hooks import demo_seeders
from citizens.models import CardApplication
from tickets.seeding import seed_tickets


class Command(BaseCommand):
    help = "Create the demo users (password hotline-demo) and a month of calls and tickets."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if demo users exist"
        )
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument(
            "--records", type=int, default=100_000, help="card applications, if none exist"
        )
        parser.add_argument(
            "--per-day", type=int, default=120, help="calls on an average working day"
        )

    def handle(self, *args, if_empty, days, per_day, records, **options):
        if if_empty and get_user_model().objects.filter(username="agent1").exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        demo_users_create()
        if records and not CardApplication.objects.exists():
            self.stdout.write(f"Seeding {records} card applications…")
            call_command("seed_records", count=records, stdout=self.stdout)
        made = seed_tickets(days=days, per_day=per_day)
        # What the apps above add (repeat callers, missed calls …).
        demo_seeders(days=days, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo users ready (password {DEMO_PASSWORD!r}); {made} tickets over {days} days."
            )
        )
