"""API tokens end (issue 14): after API_TOKEN_HOURS, and at once on a password change,
a deactivation or a log-out; the PBX machine user's token does not expire."""

import datetime

from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD


def age(user, hours):
    token, _ = Token.objects.get_or_create(user=user)
    token.created = timezone.now() - datetime.timedelta(hours=hours)
    token.save()  # as the hours passing would, and the cached copy goes stale with it


def test_token_expires_after_api_token_hours(settings, api_client_for, agent):
    settings.API_TOKEN_HOURS = 12
    client = api_client_for(agent)
    assert client.get("/api/v1/tickets/").status_code == 200

    age(agent, 13)
    response = client.get("/api/v1/tickets/")

    assert response.status_code == 401
    assert not Token.objects.filter(user=agent).exists()


def test_expired_token_is_replaced_at_the_token_endpoint(api_client_for, client, agent):
    old, _ = Token.objects.get_or_create(user=agent)
    age(agent, 13)

    response = api_client_for(None).post(
        "/api/v1/auth/token/", {"username": agent.username, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200 and response.json()["token"] != old.key


def test_pbx_token_does_not_expire(api_client_for, pbx):
    client = api_client_for(pbx)
    age(pbx, 24 * 365)
    response = client.post("/api/v1/cti/events/", {}, format="json")
    assert response.status_code == 400


def test_password_change_deletes_the_token(api_client_for, agent):
    client = api_client_for(agent)
    assert client.get("/api/v1/tickets/").status_code == 200

    agent.set_password("another-pass-456")
    agent.save()

    assert client.get("/api/v1/tickets/").status_code == 401


def test_deactivation_refuses_the_token_at_once(api_client_for, agent):
    client = api_client_for(agent)
    assert client.get("/api/v1/tickets/").status_code == 200

    agent.is_active = False
    agent.save(update_fields=["is_active"])

    assert client.get("/api/v1/tickets/").status_code == 401
    assert not Token.objects.filter(user=agent).exists()


def test_logging_out_deletes_the_token(api_client_for, client, agent):
    api = api_client_for(agent)
    client.post("/accounts/login/", {"username": agent.username, "password": PASSWORD})
    client.post("/accounts/logout/")
    assert api.get("/api/v1/tickets/").status_code == 401
