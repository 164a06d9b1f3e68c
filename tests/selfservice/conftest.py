import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from citizens.models import ApplicationStatus
from tests.citizens.factories import application


@pytest.fixture(autouse=True)
def fresh_limits():
    """The look-up counters live in the suite's Redis: each test starts with none."""
    client = cache._cache.get_client(None, write=True)
    for key in client.scan_iter(match="*rl:*"):
        client.delete(key)
    yield


@pytest.fixture
def public_api():
    return APIClient()


@pytest.fixture
def delayed(db):
    """A card stuck in printing for weeks: past the legal 7 working days."""
    today = datetime.date.today()
    return application(
        "Trần Thị Hòa",
        date_of_birth=datetime.date(1988, 2, 29),
        sex="F",
        status=ApplicationStatus.PRINTING,
        lodged_on=today - datetime.timedelta(days=40),
        step_days=2,
        cccd_number="001188123456",
        old_id_number="012345678",
        phone="0912345678",
        receiving_unit="Công an phường Hoàn Kiếm",
    )


@pytest.fixture
def ask():
    def body(app, **changes):
        data = {
            "full_name": app.full_name,
            "date_of_birth": app.date_of_birth.isoformat(),
            "id_last4": app.cccd_number[-4:],
        }
        return data | changes

    return body


@pytest.fixture
def published_answers(db):
    from knowledge.seeding import seed_answers
    from knowledge.services import forget_frequent

    seed_answers()
    forget_frequent()  # on commit, which a test's transaction never reaches
