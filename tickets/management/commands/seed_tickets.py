from django.core.management.base import BaseCommand, CommandError

from tickets.seeding import seed_tickets


class Command(BaseCommand):
    help = "Add D days of realistic calls and tickets, N calls on an average working day."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--per-day", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, days, per_day, seed, **options):
        if days < 1 or per_day < 1:
            raise CommandError("--days and --per-day must be at least 1")
        try:
            made = seed_tickets(days=days, per_day=per_day, seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{made} tickets with their calls over {days} days."))
