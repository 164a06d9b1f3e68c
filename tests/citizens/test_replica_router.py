"""Records searches on a read replica (issue 15): with RECORDS_REPLICA_URL the
card-application reads go through a second connection alias, the access log and every
write through `default`. Here the second alias is a second connection to the same test
database, as a streaming replica would be a second server with the same rows."""

import copy

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from citizens import services
from citizens.models import CardApplication, RecordAccess
from citizens.routers import REPLICA, RecordsReplicaRouter

from .factories import application

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """The `records_replica` alias as settings make it, before the tests' database
    set-up (which checks the aliases a test names): a second connection to the test
    database."""
    connections.settings[REPLICA] = copy.deepcopy(connections["default"].settings_dict)
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica():
    """The router, as settings install it, and the replica's connection."""
    routers = router.routers
    router.routers = [RecordsReplicaRouter()]
    yield connections[REPLICA]
    router.routers = routers


def tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def search_on(replica, officer, kind, criteria):
    """The search's matches, and the SQL it sent to the replica and to the primary."""
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        matches = services.application_search(user=officer, kind=kind, criteria=criteria)
    return matches, tables(on_replica.captured_queries), tables(on_primary.captured_queries)


def test_searches_read_the_replica_and_log_on_the_primary(replica, officer):
    citizen = application("Nguyễn Văn An", cccd_number="001090012345")

    matches, on_replica, on_primary = search_on(
        replica, officer, "cccd", {"cccd_number": "001090012345"}
    )

    assert [m.application.pk for m in matches] == [citizen.pk]
    assert "citizens_cardapplication" in on_replica
    assert "citizens_recordaccess" not in on_replica
    assert "citizens_cardapplication" not in on_primary
    assert "citizens_recordaccess" in on_primary
    assert RecordAccess.objects.filter(user=officer).count() == 1


def test_writes_and_reads_for_a_write_stay_on_the_primary(replica):
    citizen = application("Nguyễn Văn An")

    with CaptureQueriesContext(replica) as on_replica:
        services.application_correct(application=citizen, field="sex", value="F")

    assert on_replica.captured_queries == []
    assert CardApplication.objects.get(pk=citizen.pk).sex == "F"  # read back on the replica
    assert router.db_for_read(CardApplication) == REPLICA
    assert router.db_for_read(RecordAccess) == "default"
    assert router.allow_migrate(REPLICA, "citizens") is False


def test_the_fuzzy_search_within_a_province_reads_its_names_on_the_replica(replica, officer):
    """The province search ranks names in raw SQL: it too goes to the replica."""
    citizen = application("Nguyễn Văn An", province="001")

    matches, on_replica, on_primary = search_on(
        replica, officer, "fuzzy", {"q": "Nguyễn Văn An", "province": "001"}
    )

    assert [m.application.pk for m in matches] == [citizen.pk]
    assert "CROSS JOIN unnest" in on_replica  # _ranked_names
    assert "citizens_cardapplication" not in on_primary
