import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """DailySummary, moved from tickets: the table (tickets_dailysummary) exists."""

    initial = True

    dependencies = [
        ('tickets', '0010_dailysummary_to_reporting'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DailySummary',
                    fields=[
                        ('day', models.DateField(primary_key=True, serialize=False)),
                        ('figures', models.JSONField()),
                        ('people', models.JSONField()),
                        ('hours', models.JSONField()),
                        ('stale', models.BooleanField(default=False)),
                        ('version', models.PositiveIntegerField(default=0)),
                        ('computed_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name': 'daily summary',
                        'verbose_name_plural': 'daily summaries',
                        'db_table': 'tickets_dailysummary',
                        'permissions': [('view_statistics', 'Can see call statistics')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
