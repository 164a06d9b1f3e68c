# Django gives a unique CharField on PostgreSQL a second index with varchar_pattern_ops,
# for LIKE 'prefix%' queries. No query looks an application number up by prefix (it is
# always matched whole, through the unique index), and at 60 million rows that second
# index is 4.2 GB that every bulk load keeps up row by row. This drops it; the unique
# index stays. (A later AlterField of application_number would have Django build it
# again: drop it again then.)

from django.db import migrations

LIKE_INDEXES = """
    SELECT indexname FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = %s
      AND indexdef LIKE %s
"""


def _table(apps):
    return apps.get_model("citizens", "CardApplication")._meta.db_table


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(LIKE_INDEXES, [_table(apps), "%(application_number varchar_pattern_ops)%"])
        for (name,) in cursor.fetchall():
            schema_editor.execute(f"DROP INDEX {quote(name)}")


def restore_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote, table = schema_editor.quote_name, _table(apps)
    schema_editor.execute(
        f"CREATE INDEX {quote(table + '_application_number_like')} ON {quote(table)}"
        " (application_number varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0007_fuzzy_names_index"),
    ]

    operations = [migrations.RunPython(drop_like_index, restore_like_index)]
