"""The card-application table's indexes on PostgreSQL (issue 15, national scale): the
application number keeps its unique index and loses the LIKE-prefix index Django adds
for unique text columns (citizens migration 0008), which no query uses."""

import pytest
from django.db import IntegrityError, connection, transaction

from citizens.models import CardApplication

from .factories import application

pytestmark = pytest.mark.django_db


def index_definitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s",
            [CardApplication._meta.db_table],
        )
        return [row[0] for row in cursor.fetchall()]


def test_no_prefix_index_on_the_application_number():
    definitions = index_definitions()

    assert not [d for d in definitions if "varchar_pattern_ops" in d]
    assert [d for d in definitions if "UNIQUE" in d and "(application_number)" in d]


def test_the_application_number_stays_unique():
    first = application()

    with pytest.raises(IntegrityError), transaction.atomic():
        application(application_number=first.application_number)
