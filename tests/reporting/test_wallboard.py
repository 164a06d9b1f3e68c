"""The wallboard (SPEC §8.3): its figures, its roles, and the push on every change."""

import datetime

import pytest
from django.utils import timezone

from presence import services as presence
from reporting import wallboard
from tests.factories import escalated_ticket

pytestmark = pytest.mark.django_db
CTI = "/api/v1/cti/events/"


def cti(client, call_id, event, seconds):
    at = timezone.now() - datetime.timedelta(minutes=2) + datetime.timedelta(seconds=seconds)
    client.post(CTI, {"call_id": call_id, "event": event, "caller_number": "0912345678",
                      "agent_extension": "101", "at": at.isoformat()}, format="json")  # fmt: skip


def test_the_wallboard_counts_agents_calls_and_queue(agent, other_agent, supervisor, pbx,
                                                    api_client_for):  # fmt: skip
    presence.status_set(actor=agent, status="ready")
    presence.status_set(actor=other_agent, status="break", reason="lunch")
    client = api_client_for(pbx)
    cti(client, "ringing-now", "ringing", 100)
    cti(client, "lost", "ringing", 0)
    cti(client, "lost", "hangup", 30)
    escalated_ticket(agent, phone="+84987654321")

    body = api_client_for(supervisor).get("/api/v1/wallboard/").json()
    assert body["agents"]["counts"] == {
        "offline": 0, "ready": 1, "on_call": 0, "wrap_up": 0, "break": 1,
    }  # fmt: skip
    names = {a["username"]: a for a in body["agents"]["list"]}
    assert names[other_agent.username]["reason"] == "lunch"
    assert names[agent.username]["extension"] == "101"
    assert body["calls_waiting"] == 1 and body["longest_wait_seconds"] >= 0
    assert body["abandoned"] == 1 and body["callbacks_pending"] == 1
    assert body["queue_length"] == 1
    assert set(body) >= {"answered", "service_level", "oldest_escalated_hours",
                         "sla_breaches_today"}  # fmt: skip


@pytest.mark.parametrize("role", ["agent", "officer", "print_desk", "pbx"])
def test_the_wallboard_is_for_supervisors(role, users, api_client_for, client_for):
    assert api_client_for(users[role]).get("/api/v1/wallboard/").status_code == 403
    assert client_for(users[role]).get("/wallboard/").status_code == 403


def test_the_page_shows_the_board_and_subscribes_to_its_events(supervisor, client_for):
    html = client_for(supervisor).get("/wallboard/").content.decode()
    assert 'id="board"' in html and 'data-events="/wallboard/events/"' in html
    assert 'id="fullscreen"' in html


def test_under_wsgi_the_event_stream_says_poll_instead(supervisor, client_for):
    assert client_for(supervisor).get("/wallboard/events/").status_code == 204


def test_a_change_drops_the_cached_snapshot(agent, supervisor, django_capture_on_commit_callbacks):
    first = wallboard.current()
    with django_capture_on_commit_callbacks(execute=True):
        presence.status_set(actor=agent, status="ready")
    assert wallboard.current()["agents"]["counts"]["ready"] == 1
    assert first["agents"]["counts"]["ready"] == 0


def test_the_dashboard_shows_each_agents_status(agent, supervisor, client_for):
    presence.status_set(actor=agent, status="break", reason="training")
    html = client_for(supervisor).get("/dashboard/").content.decode()
    strip = html[html.index('id="agents-now"') :]
    assert agent.username in strip and "st-break" in strip
