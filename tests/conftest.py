import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from callcenter.models import AgentProfile
from callcenter.roles import AGENT, OFFICER, PBX, PRINT_DESK, SUPERVISOR
from tests.worker import celery_worker, drain, run_task  # noqa: F401 (fixtures)

# Plain asserts in the role-matrix harness report their operands as the tests' own do.
pytest.register_assert_rewrite("tests.role_matrix")

PASSWORD = "test-pass-123"


def make_user(username, role, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def agent(db):
    user = make_user("agent_a", AGENT)
    AgentProfile.objects.create(user=user, extension="101")
    return user


@pytest.fixture
def other_agent(db):
    user = make_user("agent_b", AGENT)
    AgentProfile.objects.create(user=user, extension="102")
    return user


@pytest.fixture
def officer(db):
    return make_user("officer_a", OFFICER)


@pytest.fixture
def other_officer(db):
    return make_user("officer_b", OFFICER)


@pytest.fixture
def supervisor(db):
    return make_user("supervisor_a", SUPERVISOR)


@pytest.fixture
def print_desk(db):
    return make_user("printdesk_a", PRINT_DESK)


@pytest.fixture
def pbx(db):
    return make_user("pbx_a", PBX)


@pytest.fixture
def users(agent, officer, supervisor, print_desk, pbx):
    """One user per role, by role name."""
    return {
        AGENT: agent,
        OFFICER: officer,
        SUPERVISOR: supervisor,
        PRINT_DESK: print_desk,
        PBX: pbx,
    }


@pytest.fixture
def api_client_for():
    """An API client authenticated with the user's token (or anonymous for None)."""

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def client_for(client):
    """A page client logged in as the user."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def forget_cached_reference_data():
    """The suite's cache is Redis, shared by every test: rows a rolled-back test made
    must not linger in cached copies."""
    from callcenter.calendar import forget_exceptions
    from citizens.search import forget_vocabulary

    forget_exceptions()
    forget_vocabulary()
    from django.core.cache import cache

    from reporting.wallboard import CACHE_KEY

    cache.delete(CACHE_KEY)
