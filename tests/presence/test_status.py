"""Agent status (SPEC §8.3): set on the console, moved by the PBX, kept as intervals."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from presence import services
from presence.models import AgentStatus, StatusInterval
from tests.factories import ticket_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/agents/me/status/"
CTI = "/api/v1/cti/events/"


def test_a_new_agent_is_offline(agent, api_client_for):
    body = api_client_for(agent).get(URL).json()
    assert body["status"] == "offline" and body["reason"] == ""


def test_the_agent_sets_ready_then_a_break_with_its_reason(agent, api_client_for):
    client = api_client_for(agent)
    assert client.post(URL, {"status": "ready"}, format="json").json()["status"] == "ready"
    body = client.post(URL, {"status": "break", "reason": "lunch"}, format="json").json()

    assert (body["status"], body["reason"]) == ("break", "lunch")
    intervals = list(StatusInterval.objects.order_by("started_at", "id"))
    assert [(i.status, i.reason) for i in intervals] == [("ready", ""), ("break", "lunch")]
    assert intervals[0].ended_at == intervals[1].started_at
    assert intervals[1].ended_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "asleep"}, "status"),
        ({"status": "on_call"}, "status"),
        ({"status": "break"}, "reason"),
        ({"status": "break", "reason": "nap"}, "reason"),
        ({"status": "ready", "reason": "lunch"}, "reason"),
        ({"status": 1}, "status"),
        ({}, "status"),
    ],
)
def test_a_bad_status_is_a_400_naming_the_field_and_changes_nothing(
    data, field, agent, api_client_for
):
    response = api_client_for(agent).post(URL, data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not StatusInterval.objects.exists()


@pytest.mark.parametrize("role", ["officer", "supervisor", "print_desk", "pbx"])
def test_only_agents_have_a_status(role, users, api_client_for):
    client = api_client_for(users[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"status": "ready"}, format="json").status_code == 403


def test_anonymous_is_refused(api_client_for):
    assert api_client_for(None).get(URL).status_code == 401


def cti(client, call_id, event, seconds, extension="101"):
    at = timezone.now() - datetime.timedelta(minutes=5) + datetime.timedelta(seconds=seconds)
    payload = {"call_id": call_id, "event": event, "caller_number": "0912345678",
               "agent_extension": extension, "at": at.isoformat()}  # fmt: skip
    assert client.post(CTI, payload, format="json").status_code == 202


def test_pbx_events_put_the_agent_on_the_call_then_into_wrap_up(agent, pbx, api_client_for):
    services.status_set(actor=agent, status="ready")
    client = api_client_for(pbx)
    cti(client, "c1", "ringing", 0)
    assert AgentStatus.objects.get(agent=agent).status == "ready"
    cti(client, "c1", "answered", 5)
    assert AgentStatus.objects.get(agent=agent).status == "on_call"
    cti(client, "c1", "hangup", 200)
    row = AgentStatus.objects.get(agent=agent)
    assert row.status == "wrap_up"
    assert [i.status for i in StatusInterval.objects.order_by("started_at")] == [
        "ready", "on_call", "wrap_up",
    ]  # fmt: skip


def test_logging_the_call_ends_the_wrap_up(agent, pbx, api_client_for):
    services.status_set(actor=agent, status="ready")
    client = api_client_for(pbx)
    for event, seconds in (("ringing", 0), ("answered", 5), ("hangup", 60)):
        cti(client, "c1", event, seconds)
    ticket_for(agent)
    assert AgentStatus.objects.get(agent=agent).status == "ready"


def test_a_wrap_up_runs_out_after_the_configured_time(agent, pbx, api_client_for):
    services.status_set(actor=agent, status="ready")
    client = api_client_for(pbx)
    for event, seconds in (("ringing", 0), ("answered", 5), ("hangup", 60)):
        cti(client, "c1", event, seconds)
    ended = AgentStatus.objects.get(agent=agent).since
    with override_settings(WRAP_UP_SECONDS=30):
        assert services.expire_wrap_ups(ended + datetime.timedelta(seconds=31)) == 1
    row = AgentStatus.objects.get(agent=agent)
    assert row.status == "ready" and row.since == ended + datetime.timedelta(seconds=30)


def test_events_for_an_unknown_extension_change_no_agent(agent, pbx, api_client_for):
    services.status_set(actor=agent, status="ready")
    client = api_client_for(pbx)
    for event, seconds in (("ringing", 0), ("answered", 5)):
        cti(client, "c9", event, seconds, extension="999")
    assert AgentStatus.objects.get(agent=agent).status == "ready"
    assert AgentStatus.objects.count() == 1


def test_logging_out_makes_the_agent_offline(agent, client_for):
    client = client_for(agent)
    services.status_set(actor=agent, status="ready")
    client.post("/accounts/logout/")
    assert AgentStatus.objects.get(agent=agent).status == "offline"
    assert StatusInterval.objects.get().ended_at is not None


def test_an_idle_seat_goes_offline(agent):
    services.status_set(actor=agent, status="ready")
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    AgentStatus.objects.filter(agent=agent).update(last_seen_at=long_ago)
    assert services.mark_idle_offline() == 1
    assert AgentStatus.objects.get(agent=agent).status == "offline"


def test_two_tabs_see_the_same_status(agent, client_for, api_client_for):
    client_for(agent).post("/presence/status/", {"status": "break", "reason": "meeting"})
    assert api_client_for(agent).get(URL).json()["reason"] == "meeting"
    html = client_for(agent).get("/console/").content.decode()
    assert 'id="status-bar"' in html and "st-break" in html
    assert 'id="status-ready"' in html and '<kbd>Alt+P</kbd>' in html


def test_the_console_form_says_what_is_wrong_with_a_break_without_reason(agent, client_for):
    response = client_for(agent).post(
        "/presence/status/", {"status": "break", "reason": ""}, follow=True
    )
    assert len(list(response.context["messages"])) == 1
    assert not StatusInterval.objects.exists()
