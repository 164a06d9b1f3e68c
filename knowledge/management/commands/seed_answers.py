from django.core.management.base import BaseCommand

from knowledge.seeding import seed_answers


class Command(BaseCommand):
    help = "Publish the answers shipped with the product (those not there yet, by slug)."

    def handle(self, *args, **options):
        self.stdout.write(f"{seed_answers()} answers published")
