"""Login throttling (django-axes): 5 wrong passwords for a username from one address
lock that pair out for 15 minutes, on the log-in page and on the API token endpoint."""

import datetime

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def templates_of(response):
    return [t.name for t in response.templates]


def fail_five_times(client, username):
    responses = [client.post(LOGIN, {"username": username, "password": "wrong"}) for _ in range(5)]
    return responses


def test_fifth_wrong_password_shows_the_lockout_page(client, agent):
    responses = fail_five_times(client, agent.username)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 429
    assert "registration/locked_out.html" in templates_of(responses[4])


def test_right_password_after_five_wrong_ones_is_refused(client, agent):
    fail_five_times(client, agent.username)

    response = client.post(LOGIN, {"username": agent.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "registration/locked_out.html" in templates_of(response)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock_out(client, agent):
    for _ in range(4):
        client.post(LOGIN, {"username": agent.username, "password": "wrong"})

    response = client.post(LOGIN, {"username": agent.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.pk)


def test_lockout_ends_after_15_minutes(client, agent):
    fail_five_times(client, agent.username)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )

    response = client.post(LOGIN, {"username": agent.username, "password": PASSWORD})

    assert response.status_code == 302


def test_lockout_is_per_username(client, agent, other_agent):
    fail_five_times(client, agent.username)

    response = client.post(LOGIN, {"username": other_agent.username, "password": PASSWORD})

    assert response.status_code == 302


def test_lockout_is_per_address(client, agent):
    fail_five_times(client, agent.username)

    response = client.post(
        LOGIN, {"username": agent.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )

    assert response.status_code == 302


def test_lockout_page_is_vietnamese_by_default(client, agent):
    response = fail_five_times(client, agent.username)[-1]

    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize("content_format", ["json", "multipart"])
def test_token_endpoint_refuses_the_right_password_after_five_wrong_ones(pbx, content_format):
    client = APIClient()
    for _ in range(5):
        response = client.post(
            TOKEN, {"username": pbx.username, "password": "wrong"}, format=content_format
        )
        assert response.status_code == 400

    response = client.post(
        TOKEN, {"username": pbx.username, "password": PASSWORD}, format=content_format
    )

    assert response.status_code == 429
    assert "token" not in response.json()
    assert response.json()["detail"]


def test_token_endpoint_gives_a_token_before_the_limit(pbx):
    client = APIClient()
    for _ in range(4):
        client.post(TOKEN, {"username": pbx.username, "password": "wrong"}, format="json")

    response = client.post(TOKEN, {"username": pbx.username, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json()["token"]


@pytest.mark.parametrize("body", [[], "text", {"username": ["a"]}, {"username": 7}])
def test_token_endpoint_answers_odd_bodies_with_400(db, body):
    response = APIClient().post(TOKEN, body, format="json")

    assert response.status_code == 400


def test_behind_a_trusted_proxy_the_lockout_is_per_forwarded_address(client, agent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": agent.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )

    locked = client.post(
        LOGIN, {"username": agent.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy,
    )  # fmt: skip
    other_seat = client.post(
        LOGIN, {"username": agent.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy,
    )  # fmt: skip

    assert locked.status_code == 429
    assert other_seat.status_code == 302


def test_a_forged_forwarded_address_is_not_believed(client, agent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            LOGIN,
            {"username": agent.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
            REMOTE_ADDR="10.0.0.2",
        )

    response = client.post(
        LOGIN, {"username": agent.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7", REMOTE_ADDR="10.0.0.2",
    )  # fmt: skip

    assert response.status_code == 429
