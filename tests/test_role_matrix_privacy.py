"""Who may use the personal-data pages and API, the access review and the two-factor
resets (SPEC §9, issue 14), for every role, on the one role-matrix harness."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from callcenter import two_factor
from callcenter.models import AccountEvent
from callcenter.roles import OFFICER, SUPERVISOR
from privacy.models import SubjectRequest
from tests.role_matrix import Case, matrix, run_api_case, run_page_case

SUPERVISORS = frozenset({SUPERVISOR})

pytestmark = pytest.mark.django_db


class EnrolledOfficer:
    def __init__(self, users, role):
        self.user = users[OFFICER]
        device = two_factor.pending_device(self.user)
        two_factor.two_factor_confirm(device=device, actor=self.user)

    def path_values(self):
        return {"user_id": self.user.pk}


def snapshot():
    return (
        SubjectRequest.objects.count(),
        TOTPDevice.objects.count(),
        AccountEvent.objects.filter(action="2fa_reset").count(),
    )


API_CASES = [
    Case("personal data", "get", "/api/v1/personal-data/?phone=0912345678", SUPERVISORS, 200),
]

PAGE_CASES = [
    Case("personal data", "get", "/privacy/personal-data/", SUPERVISORS, 200),
    Case(
        "personal data search",
        "post",
        "/privacy/personal-data/",
        SUPERVISORS,
        200,
        data={"phone": "0912345678"},
    ),
    Case("access review", "get", "/privacy/access-review/", SUPERVISORS, 200),
    Case("staff", "get", "/accounts/users/", SUPERVISORS, 200),
    Case("new staff form", "get", "/accounts/users/new/", SUPERVISORS, 200),
    Case(
        "two-factor users",
        "get",
        "/accounts/two-factor/users/",
        SUPERVISORS,
        200,
        arrange=EnrolledOfficer,
    ),
    Case(
        "two-factor reset",
        "post",
        "/accounts/two-factor/users/{user_id}/reset/",
        SUPERVISORS,
        302,
        arrange=EnrolledOfficer,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(API_CASES))
def test_api_endpoint_answers_each_role_as_specified(case, role, users, api_client_for):
    arranged = case.arrange(users, role) if case.arrange else None
    run_api_case(
        case, role, arranged, users=users, api_client_for=api_client_for, snapshot=snapshot
    )


@pytest.mark.parametrize(("case", "role"), matrix(PAGE_CASES))
def test_page_answers_each_role_as_specified(case, role, users, client, client_for):
    arranged = case.arrange(users, role) if case.arrange else None
    run_page_case(
        case,
        role,
        arranged,
        users=users,
        client=client,
        client_for=client_for,
        snapshot=snapshot,
    )
