"""Supervisors manage the staff in the product (SPEC §2, issue 14): create, change,
deactivate, reset a password — each in the account audit trail; other roles 403."""

import pytest
from rest_framework.authtoken.models import Token

from callcenter.models import AccountEvent, AgentProfile

pytestmark = pytest.mark.django_db
NEW = {"username": "agent_new", "full_name": "Lê Thị Hoa", "email": "", "role": "agent",
       "extension": "150", "is_active": "on"}  # fmt: skip


def test_supervisor_creates_an_agent_with_an_extension(client_for, supervisor, django_user_model):
    response = client_for(supervisor).post("/accounts/users/new/", NEW)

    assert response.status_code == 200 and response.context["password"]
    user = django_user_model.objects.get(username="agent_new")
    assert user.check_password(response.context["password"])
    assert list(user.groups.values_list("name", flat=True)) == ["agent"]
    assert AgentProfile.objects.get(user=user).extension == "150"
    # The family name is the first word; the list shows the name as it was typed.
    assert (user.last_name, user.first_name) == ("Lê", "Thị Hoa")
    assert "Lê Thị Hoa" in client_for(supervisor).get("/accounts/users/").content.decode()
    event = AccountEvent.objects.get(user=user)
    assert (event.actor, event.action) == (supervisor, "created")


def test_an_agent_needs_a_free_extension(client_for, supervisor, agent):
    client = client_for(supervisor)
    assert client.post("/accounts/users/new/", {**NEW, "extension": ""}).status_code == 400
    assert client.post("/accounts/users/new/", {**NEW, "extension": "101"}).status_code == 400


def test_deactivation_and_role_change_are_audited_and_end_tokens(
    client_for, api_client_for, supervisor, agent
):
    api = api_client_for(agent)
    form = {**NEW, "username": agent.username, "extension": "101", "is_active": ""}

    response = client_for(supervisor).post(f"/accounts/users/{agent.pk}/", form)

    assert response.status_code == 302
    agent.refresh_from_db()
    assert not agent.is_active and not Token.objects.filter(user=agent).exists()
    assert api.get("/api/v1/tickets/").status_code == 401
    event = AccountEvent.objects.get(user=agent)
    assert event.action == "deactivated" and event.changes["is_active"] == [True, False]


def test_password_reset_gives_a_temporary_password(client_for, supervisor, officer):
    response = client_for(supervisor).post(f"/accounts/users/{officer.pk}/password/")
    officer.refresh_from_db()
    assert officer.check_password(response.context["password"])
    assert AccountEvent.objects.get(user=officer).action == "password_reset"


def test_superusers_are_not_managed_here(client_for, supervisor, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x-pass-123")
    assert client_for(supervisor).get(f"/accounts/users/{root.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["agent", "officer", "print_desk"])
def test_other_roles_are_refused(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get("/accounts/users/").status_code == 403
    assert client.post("/accounts/users/new/", NEW).status_code == 403
