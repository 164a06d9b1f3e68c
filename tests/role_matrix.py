"""The role-matrix harness: who may call an endpoint or post a page, checked for every role.

A `Case` names the endpoint or page, the roles allowed to use it and the code they get.
Each test arranges the state the case acts on, then `run_api_case` / `run_page_case`
call it as one role: allowed roles must succeed (and a write must change something, and
the case's `outcome` hold); the other roles must be refused with 403 (401 or a login
redirect when anonymous) and change nothing. What "something" is, is the test module's
`snapshot()`: everything the cases there could change.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest

from callcenter.roles import AGENT, OFFICER, PBX, PRINT_DESK, SUPERVISOR

ANONYMOUS = "anonymous"
ROLES = (AGENT, OFFICER, SUPERVISOR, PRINT_DESK, PBX, ANONYMOUS)
SITE_NAME = "1900 0368"
PHONE = "+84912345678"


def path_values(arranged) -> dict:
    """What a case's path is formatted with: `{phone}` is PHONE and `{ref}` the arranged
    ticket's reference ("" when nothing is arranged); a richer arranged state gives its
    own values through a `path_values()` method."""
    if hasattr(arranged, "path_values"):
        return {"phone": PHONE, **arranged.path_values()}
    return {"ref": arranged.reference if arranged is not None else "", "phone": PHONE}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # formatted with `path_values` of the arranged state
    allowed: frozenset
    success: int
    # (users, role) -> the state the case acts on; None when the module arranges it
    # another way (a fixture).
    arrange: Callable | None = None
    data: dict = field(default_factory=dict)
    writes: bool = True  # a POST that only reads (the console's fragments) says False
    # (response, arranged) -> whether a successful call left what it should.
    outcome: Callable | None = None

    def url(self, arranged) -> str:
        return self.path.format(**path_values(arranged))


def matrix(cases):
    """One pytest param per case and role, with ids such as "post escalate as agent"."""
    return [
        pytest.param(case, role, id=f"{case.method} {case.name} as {role}")
        for case in cases
        for role in ROLES
    ]


def page_client(role, users, client, client_for):
    """The test client logged in as the role's user, or not logged in when anonymous."""
    return client_for(users[role]) if role != ANONYMOUS else client


def assert_redirects_to_login(response, path):
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [path]


def _assert_allowed_call_worked(case, response, arranged, before, snapshot):
    if case.outcome is not None:
        assert case.outcome(response, arranged), response
    if case.method == "post" and case.writes:
        assert snapshot() != before


def run_api_case(case, role, arranged, *, users, api_client_for, snapshot):
    """Call the case's endpoint with the role's token (none when anonymous) and check the
    answer; the response, for any further checks."""
    before = snapshot()
    client = api_client_for(users.get(role))

    response = getattr(client, case.method)(case.url(arranged), case.data, format="json")

    if role == ANONYMOUS:
        assert response.status_code == 401, response.content
        assert response.json()["detail"]
    elif role in case.allowed:
        assert response.status_code == case.success, response.content
        _assert_allowed_call_worked(case, response, arranged, before, snapshot)
    else:
        assert response.status_code == 403, response.content
        assert response.json()["detail"]
    if role not in case.allowed:
        assert snapshot() == before
    return response


def run_page_case(case, role, arranged, *, users, client, client_for, snapshot):
    """Get or post the case's page logged in as the role (not at all when anonymous) and
    check the answer; the response, for any further checks."""
    before = snapshot()
    url = case.url(arranged)

    response = getattr(page_client(role, users, client, client_for), case.method)(url, case.data)

    if role == ANONYMOUS:
        assert_redirects_to_login(response, url)
    elif role not in case.allowed:
        assert response.status_code == 403
        assert SITE_NAME in response.content.decode()
    else:
        assert response.status_code == case.success, response.content.decode()[:2000]
        _assert_allowed_call_worked(case, response, arranged, before, snapshot)
    if role not in case.allowed:
        assert snapshot() == before
    return response
