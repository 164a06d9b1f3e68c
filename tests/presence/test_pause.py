"""A PBX queue pause as agent status (SPEC §8.3, §11): presence.services.status_from_pause."""

import pytest

from presence import services
from presence.models import StatusInterval

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Lunch", "lunch"), ("Ăn trưa", "lunch"), ("nghi trua", "lunch"),
        ("Họp giao ban", "meeting"), ("meeting", "meeting"),
        ("Đào tạo nghiệp vụ", "training"), ("Training", "training"),
        ("", "other"), ("Toilet", "other"),
    ],
)  # fmt: skip
def test_a_pause_is_a_break_with_the_reason_its_text_names(agent, text, reason):
    row = services.status_from_pause(agent=agent, paused=True, reason_text=text)

    assert (row.status, row.reason) == ("break", reason)


def test_unpausing_ends_the_break(agent):
    services.status_from_pause(agent=agent, paused=True, reason_text="lunch")

    row = services.status_from_pause(agent=agent, paused=False)

    assert row.status == "ready"
    intervals = StatusInterval.objects.order_by("started_at", "id")
    assert [(i.status, i.reason) for i in intervals] == [("break", "lunch"), ("ready", "")]


def test_unpausing_an_agent_on_a_call_leaves_them_on_it(agent):
    services.status_set(actor=agent, status="ready")
    row = services.status_from_pause(agent=agent, paused=False)
    assert row.status == "ready"
    row.status = "on_call"
    row.save(update_fields=["status"])

    assert services.status_from_pause(agent=agent, paused=False).status == "on_call"


def test_the_same_pause_from_several_queues_is_one_break(agent):
    for _queue in range(3):
        services.status_from_pause(agent=agent, paused=True, reason_text="Meeting")

    assert StatusInterval.objects.filter(status="break").count() == 1
