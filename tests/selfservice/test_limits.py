"""Abuse limits (SPEC §8.5): 5 look-ups a minute per client address, 20 a day per name
+ date of birth, behind the proxy the forwarded address; a translated 429."""

import pytest

from citizens.models import RecordAccess

URL = "/api/v1/public/application-status/"
pytestmark = pytest.mark.django_db


def post(client, body, address="198.51.100.1", **extra):
    return client.post(URL, body, format="json", REMOTE_ADDR=address, **extra)


def test_sixth_look_up_a_minute_from_one_address_is_refused(public_api, delayed, ask):
    answers = [post(public_api, ask(delayed)).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    refused = post(public_api, ask(delayed))
    assert int(refused["Retry-After"]) > 0
    assert "Quá nhiều lượt tra cứu" in refused.json()["detail"]


def test_refusal_is_in_english_when_asked(public_api, delayed, ask):
    for _ in range(5):
        post(public_api, ask(delayed))
    refused = post(public_api, ask(delayed), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many look-ups")


def test_another_address_is_not_refused(public_api, delayed, ask):
    for _ in range(6):
        post(public_api, ask(delayed))
    assert post(public_api, ask(delayed), address="198.51.100.2").status_code == 200


def test_bad_input_counts_too(public_api, delayed, ask):
    for _ in range(5):
        post(public_api, {"full_name": "x"})
    assert post(public_api, ask(delayed)).status_code == 429


def test_twenty_one_look_ups_a_day_of_one_person_are_refused(public_api, delayed, ask):
    answers = [
        post(public_api, ask(delayed), address=f"198.51.100.{n}").status_code for n in range(21)
    ]
    assert answers == [200] * 20 + [429]
    # Another person from a fresh address is still answered.
    other = ask(delayed, full_name="Lê Văn Tám")
    assert post(public_api, other, address="198.51.100.99").status_code == 200


def test_spelling_the_name_differently_is_the_same_person(public_api, delayed, ask):
    for n in range(20):
        post(public_api, ask(delayed), address=f"198.51.100.{n}")
    refused = post(public_api, ask(delayed, full_name="tran thi hoa"), address="198.51.100.50")
    assert refused.status_code == 429


def test_behind_the_proxy_the_forwarded_address_counts(public_api, delayed, ask, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for n in range(5):
        forwarded = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert post(public_api, ask(delayed), address=proxy, **forwarded).status_code == 200
    one = {"HTTP_X_FORWARDED_FOR": "203.0.113.0"}
    # The client cannot dodge the limit by adding its own entry on the left.
    spoofed = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.0"}
    for _ in range(4):
        post(public_api, ask(delayed), address=proxy, **one)
    assert post(public_api, ask(delayed), address=proxy, **spoofed).status_code == 429
    assert RecordAccess.objects.filter(client_address="203.0.113.0").exists()


def test_refused_look_ups_are_logged_as_limited(public_api, delayed, ask):
    for _ in range(6):
        post(public_api, ask(delayed))
    limited = RecordAccess.objects.get(outcome=RecordAccess.Outcome.LIMITED)
    assert limited.channel == "self_service" and limited.client_address == "198.51.100.1"
    assert limited.query["full_name"] == "Trần Thị Hòa"


def test_pages_and_api_share_the_address_limit(client, public_api, delayed, ask):
    for _ in range(5):
        post(public_api, ask(delayed))
    page = client.post("/tra-cuu/", {"full_name": "x"}, REMOTE_ADDR="198.51.100.1")
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert "Quá nhiều lượt tra cứu" in page.content.decode()


def test_with_redis_down_look_ups_are_let_through(public_api, delayed, ask, settings):
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.RATELIMIT_USE_CACHE = "unreachable"
    answers = {post(public_api, ask(delayed)).status_code for _ in range(7)}
    assert answers == {200}
