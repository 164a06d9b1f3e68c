from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = (
        "Erase personal data of tickets resolved more than RETENTION_MONTHS ago (with their "
        "calls, callbacks and self-service look-ups) and access-log rows older than "
        "ACCESS_LOG_YEARS; --dry-run only reports what would be erased."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report, erase nothing")

    def handle(self, *args, dry_run=False, **options):
        counts = services.retention_erase(dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        for kind, count in counts.items():
            self.stdout.write(f"{verb} {count} {kind.replace('_', ' ')}")
