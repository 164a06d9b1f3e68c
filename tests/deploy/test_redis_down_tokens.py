"""With Redis down, token-authenticated API requests still answer: the token, the
permissions and the business calendar come from the database instead of the cache.

The cache points at a redis-server of this test's own, which the test stops; the
suite's shared Redis (the Celery broker) is left alone.
"""

import shutil

import pytest
from rest_framework.authtoken.models import Token

from callcenter import calendar
from tests.factories import escalated_ticket, ticket_for
from tests.faults.services import Redis

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")


@pytest.fixture
def own_redis(settings, tmp_path):
    """A private redis-server (the fault suite's) that the test can stop."""
    server = Redis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],  # the product's backend, on this server
            "LOCATION": server.url(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def redis_down(own_redis, agent, officer, api_client_for):
    """Clients of an agent and an officer whose tokens were cached, then Redis stops."""
    clients = {"agent": api_client_for(agent), "officer": api_client_for(officer)}
    assert clients["agent"].get("/api/v1/tickets/").status_code == 200
    assert clients["officer"].get("/api/v1/queue/").status_code == 200
    own_redis.stop()
    calendar.forget_exceptions()  # the calendar's seconds-long copy in this process too
    return clients


def test_ticket_creation_with_a_token_answers_with_redis_down(redis_down):
    body = {"caller_phone": "0912345678", "category": "delayed_card", "summary": "Chưa có thẻ"}
    response = redis_down["agent"].post("/api/v1/tickets/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["caller_phone"] == "+84912345678"


def test_reads_with_a_token_answer_with_redis_down(redis_down, agent):
    ticket = ticket_for(agent)
    escalated_ticket(agent)
    agent_client, officer_client = redis_down["agent"], redis_down["officer"]

    assert agent_client.get(f"/api/v1/tickets/{ticket.reference}/").status_code == 200
    history = agent_client.get("/api/v1/callers/+84912345678/history/")
    assert history.status_code == 200
    queue = officer_client.get("/api/v1/queue/")
    assert queue.status_code == 200
    assert queue.json()["count"] == 1
    records = officer_client.get(
        "/api/v1/applications/",
        {"cccd_number": "001090000001", "purpose": "Công dân hỏi qua thư điện tử"},
    )
    assert records.status_code == 200


def test_permissions_are_still_enforced_with_redis_down(redis_down):
    assert redis_down["agent"].get("/api/v1/queue/").status_code == 403


def test_a_token_deleted_during_the_outage_is_refused(redis_down, agent):
    Token.objects.filter(user=agent).delete()
    assert redis_down["agent"].get("/api/v1/tickets/").status_code == 401


def test_an_unknown_token_is_refused_with_redis_down(redis_down, api_client_for):
    client = api_client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/tickets/").status_code == 401
