from django.db import migrations
from django.db.models import F


def mark_stale(apps, schema_editor):
    # The days stored so far lack the self-service and answer figures: computed live
    # until the next refresh stores them again.
    DailySummary = apps.get_model("reporting", "DailySummary")
    DailySummary.objects.update(stale=True, version=F("version") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0003_recompute_for_agent_status"),
        ("callbacks", "0002_requested_callbacks"),
        ("tickets", "0013_ticket_answer"),
    ]

    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
