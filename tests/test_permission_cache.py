from django.contrib.auth.models import Group

from callcenter.roles import AGENT, SUPERVISOR


def test_role_change_takes_effect_on_the_next_request(agent, api_client_for):
    client = api_client_for(agent)
    body = {"caller_phone": "0912345678", "category": "other", "summary": "Hỏi giờ làm việc"}
    assert client.post("/api/v1/tickets/", body, format="json").status_code == 201

    agent.groups.set([Group.objects.get(name=SUPERVISOR)])
    assert client.post("/api/v1/tickets/", body, format="json").status_code == 403

    agent.groups.set([Group.objects.get(name=AGENT)])
    assert client.post("/api/v1/tickets/", body, format="json").status_code == 201


def test_permission_removed_from_a_group_is_refused_at_once(agent, api_client_for):
    client = api_client_for(agent)
    assert client.get("/api/v1/tickets/").status_code == 200
    group = Group.objects.get(name=AGENT)
    group.permissions.remove(group.permissions.get(codename="view_ticket"))
    assert client.get("/api/v1/tickets/").status_code == 403


def test_deactivated_user_loses_permissions(agent, client_for):
    client = client_for(agent)
    assert client.get("/console/").status_code == 200
    agent.is_active = False
    agent.save()
    assert client.get("/console/").status_code in (302, 403)


def test_a_token_is_looked_up_in_the_database_once(
    agent, api_client_for, django_assert_num_queries
):
    client = api_client_for(agent)
    assert client.get("/api/v1/queue/").status_code == 403  # warms the cache

    with django_assert_num_queries(0):
        assert client.get("/api/v1/queue/").status_code == 403


def test_a_deleted_token_is_refused_on_the_next_request(agent, api_client_for):
    from rest_framework.authtoken.models import Token

    client = api_client_for(agent)
    assert client.get("/api/v1/tickets/").status_code == 200

    Token.objects.filter(user=agent).delete()

    assert client.get("/api/v1/tickets/").status_code == 401


def test_a_deactivated_users_token_is_refused_on_the_next_request(agent, api_client_for):
    client = api_client_for(agent)
    assert client.get("/api/v1/tickets/").status_code == 200

    agent.is_active = False
    agent.save()

    assert client.get("/api/v1/tickets/").status_code == 401
