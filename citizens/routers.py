"""The records searches on a read replica (RECORDS_REPLICA_URL, alias `records_replica`).

At national scale the card-application table (60 million rows) is read-only for this
product but for a rare correction; its searches can leave the primary to a streaming
replica. Reads of CardApplication go to the replica; every write, anything read for a
write (`select_for_update`, as a correction does), every other table and migrations stay
on `default`. A replica lags its primary by a moment: a correction just applied shows
in the searches a moment later, which the officers' work tolerates.
"""

from django.db import connections

REPLICA = "records_replica"
ROUTED = {"citizens.cardapplication"}


class RecordsReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.label_lower in ROUTED and REPLICA in connections.settings:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a copy of default, migrated through it
