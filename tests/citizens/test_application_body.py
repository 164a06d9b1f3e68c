"""The records API builds its answers without DRF's field machinery (citizens.api.
application_body): the output stays exactly the serializer's, which is the schema."""

import datetime
import json

import pytest
from rest_framework.renderers import JSONRenderer

from citizens import search
from citizens.api import ApplicationSerializer, application_body
from citizens.models import ApplicationStatus

from .factories import application

pytestmark = pytest.mark.django_db


def as_json(data):
    """What the client receives (the serializer leaves the timeline's dates to the
    renderer)."""
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.RECEIVED,
        ApplicationStatus.PRINTING,
        ApplicationStatus.DELIVERED,
        ApplicationStatus.REJECTED,
    ],
)
def test_application_body_equals_the_serializer(status):
    app = application("Trần Thị Lan", status=status, old_id_number="012345678")
    match = search.describe(app)

    assert application_body(match) == as_json(ApplicationSerializer(match).data)


def test_a_reprinted_close_match_equals_the_serializer():
    app = application("Lê Văn Nam", status=ApplicationStatus.DELIVERED)
    app.reprinted_on = datetime.date(2022, 4, 1)
    match = search.describe(app, score=0.734)

    body = application_body(match)

    assert body == as_json(ApplicationSerializer(match).data)
    assert (body["exact"], body["score"]) == (False, 0.734)
    assert body["timeline"][-1]["date"] == "2022-04-01"
