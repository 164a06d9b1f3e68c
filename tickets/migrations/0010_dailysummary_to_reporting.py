from django.db import migrations


class Migration(migrations.Migration):
    """DailySummary moves to the reporting app; its table stays (reporting 0001)."""

    dependencies = [
        ('tickets', '0009_call_number_withheld'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='DailySummary')],
            database_operations=[],
        ),
        migrations.AlterModelOptions(
            name='ticket',
            options={'ordering': ['-created_at'], 'permissions': [('escalate_ticket', 'Can escalate a ticket'), ('resolve_ticket', 'Can resolve a ticket'), ('reopen_ticket', 'Can reopen a ticket'), ('claim_ticket', 'Can claim and work escalated tickets'), ('view_caller_history', "Can see a caller's earlier tickets and calls"), ('report_call_events', 'Can report PBX call events'), ('add_channel_ticket', 'Can log tickets from Zalo, Facebook, e-mail and walk-ins')], 'verbose_name': 'ticket', 'verbose_name_plural': 'tickets'},
        ),
    ]
