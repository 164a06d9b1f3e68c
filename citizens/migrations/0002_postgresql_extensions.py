"""PostgreSQL only: pg_trgm ranks similar names (search.py). `unaccent` is made
available for ad-hoc queries; searches compare the folded keys, which work the same
on every database."""

from django.db import migrations

EXTENSIONS = ("pg_trgm", "unaccent")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in EXTENSIONS:
            schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("citizens", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
