from django.db import migrations
from django.db.models import F


def mark_stale(apps, schema_editor):
    # The days stored so far lack the agents' time in each status: computed live until
    # the next refresh stores them again.
    DailySummary = apps.get_model("reporting", "DailySummary")
    DailySummary.objects.update(stale=True, version=F("version") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0002_recompute_for_contact_figures"),
        ("presence", "0001_initial"),
    ]

    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
