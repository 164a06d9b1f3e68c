"""A page polling by itself does not keep an idle seat's session alive."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
POLL = {"HTTP_X_POLL": "1", "HTTP_HX_REQUEST": "true"}


def test_a_real_request_pushes_the_expiry_back(agent, client_for):
    response = client_for(agent).get("/console/")

    assert settings.SESSION_COOKIE_NAME in response.cookies


def test_polling_does_not_push_the_expiry_back(agent, client_for):
    client = client_for(agent)

    response = client.get("/console/incoming/", **POLL)

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "Cookie" in response["Vary"]


def test_a_poll_after_the_session_ended_reloads_the_page(client):
    response = client.get("/console/incoming/", **POLL)

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_a_supervisors_dashboard_refresh_is_a_poll_too(supervisor, client_for):
    response = client_for(supervisor).get("/dashboard/today/", **POLL)

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
