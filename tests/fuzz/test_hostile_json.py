"""Hostile JSON on every JSON endpoint of the API (issue 14): a body nested a thousand
levels deep and strings with a lone surrogate are a 400, never a 500 — for each POST
operation in the schema, as anonymous, an agent, an officer and a supervisor, and at
the anonymous token endpoint whose lockout look-up used to fail on them."""

import json
import re

import pytest
from rest_framework.test import APIClient

from callcenter.roles import AGENT, OFFICER, SUPERVISOR

NESTED = "[" * 1000 + "]" * 1000
SURROGATE_FIELDS = ("username", "password", "summary", "category", "channel", "event",
                    "outcome", "reason", "text", "status", "field", "full_name")  # fmt: skip
SURROGATE = json.dumps({name: "x\ud800" for name in SURROGATE_FIELDS})  # written as \ud800
DUMMY = {"reference": "2611-00001", "number": "1", "id": "1", "e164": "+84912345678",
         "application_number": "HS2203000001", "slug": "abc"}  # fmt: skip


def post_paths():
    client = APIClient()
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        if "post" in operations:
            yield re.sub(r"\{(\w+)\}", lambda m: DUMMY.get(m.group(1), "1"), path)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, AGENT, OFFICER, SUPERVISOR])
@pytest.mark.parametrize("body", [NESTED, SURROGATE], ids=["nested", "surrogate"])
def test_no_json_endpoint_answers_500(role, body, users, api_client_for):
    client = api_client_for(users[role] if role else None)
    client.raise_request_exception = False
    failures = []
    for path in post_paths():
        response = client.post(path, body, content_type="application/json")
        if response.status_code >= 500:
            failures.append((path, response.status_code))
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("body", [NESTED, SURROGATE], ids=["nested", "surrogate"])
def test_token_endpoint_refuses_hostile_json_with_400(body):
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.django_db
def test_surrogate_in_a_choice_field_is_a_400_whose_message_renders(api_client_for, agent):
    body = json.dumps({"caller_phone": "0912345678", "category": "x\ud800", "summary": "s"})
    response = api_client_for(agent).post("/api/v1/tickets/", body, content_type="application/json")
    assert response.status_code == 400
    json.loads(response.content)


def test_renderer_escapes_what_utf8_cannot_encode():
    from callcenter.parsers import JSONRenderer

    rendered = JSONRenderer().render({"detail": "“x\ud800” is not a valid choice."})
    assert json.loads(rendered)["detail"].startswith("“x")
