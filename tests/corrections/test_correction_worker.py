"""Correction lists built by the real Celery worker (issue 15): two builds at once on
the worker and two in this process put every open request on exactly one list."""

import pytest
from django.db.models import Count

from citizens.models import CardApplication
from corrections import services
from corrections.models import CorrectionList, CorrectionRequest, Field
from corrections.tasks import build_correction_lists
from tests.citizens.factories import application as card_application
from tests.tickets.test_claim import race
from tests.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
UNITS = ["Công an phường Hoàn Kiếm", "Công an phường Ba Đình", "Công an xã Sóc Sơn"]


@pytest.fixture(autouse=True)
def queue_worked_off(drain):
    yield
    drain()


def open_requests(count: int, officer) -> list[CorrectionRequest]:
    applications = CardApplication.objects.bulk_create(
        card_application(receiving_unit=UNITS[i % len(UNITS)], save=False) for i in range(count)
    )
    return CorrectionRequest.objects.bulk_create(
        CorrectionRequest(
            application=a,
            field=Field.SEX,
            recorded_value="M",
            correct_value="F",
            evidence="CCCD gốc",
            requested_by=officer,
        )  # fmt: skip
        for a in applications
    )


def test_two_builds_at_once_put_every_request_on_exactly_one_list(celery_worker, officer):
    requests = open_requests(300, officer)
    since = celery_worker.mark()

    task_ids = [build_correction_lists.delay().id for _ in range(2)]
    outcomes = race(services.correction_lists_build, services.correction_lists_build)
    for task_id in task_ids:
        how = wait_until(
            lambda t=task_id: celery_worker.finished(t, since),
            timeout=60.0,
            what=lambda: f"the builds; the worker's log:\n{celery_worker.log(since)[-3000:]}",
        )
        assert how == "succeeded", celery_worker.log(since)[-3000:]

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert CorrectionRequest.objects.count() == len(requests)
    assert not CorrectionRequest.objects.filter(correction_list__isnull=True).exists()
    assert set(CorrectionRequest.objects.values_list("status", flat=True)) == {"sent"}
    lists = CorrectionList.objects.annotate(n=Count("requests"))
    sizes = {(c.number, c.receiving_unit): c.n for c in lists}
    assert sizes and min(sizes.values()) > 0, sizes  # no empty list
    assert sum(sizes.values()) == len(requests)
    assert sorted(n for n, _ in sizes) == list(range(1, len(sizes) + 1))
    # Each list holds one unit's requests only.
    for correction_list in lists:
        units = set(correction_list.requests.values_list("application__receiving_unit", flat=True))
        assert units == {correction_list.receiving_unit}
