"""Two-factor sign-in for officers and supervisors with REQUIRE_2FA on (issue 14)."""

import json

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from callcenter import two_factor
from callcenter.models import AccountEvent
from tests.conftest import PASSWORD


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrolled(user):
    device = two_factor.pending_device(user)
    codes = two_factor.two_factor_confirm(device=device, actor=user)
    return device, codes


def test_officer_is_sent_to_enrol_with_a_qr_code(require_2fa, client, officer):
    log_in(client, officer)

    response = client.get("/queue/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/enrol/?next=")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")


def test_enrolment_with_the_right_code_gives_recovery_codes_and_opens_the_queue(
    require_2fa, client, officer
):
    log_in(client, officer)
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=officer)

    wrong = client.post("/accounts/two-factor/enrol/", {"code": "000000", "next": "/queue/"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    # A wrong code throttles the device for a second (django-otp); the user types again.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(
        "/accounts/two-factor/enrol/", {"code": current_code(device), "next": "/queue/"}
    )

    assert response.status_code == 200
    assert len(response.context["codes"]) == two_factor.RECOVERY_CODES
    assert client.get("/queue/").status_code == 200
    assert AccountEvent.objects.filter(user=officer, action="2fa_enrolled").exists()


def test_next_sign_in_asks_the_code_and_a_recovery_code_works_once(require_2fa, client, officer):
    _, codes = enrolled(officer)
    log_in(client, officer)
    assert client.get("/queue/")["Location"].startswith("/accounts/two-factor/?next=")

    response = client.post("/accounts/two-factor/", {"code": codes[0], "next": "/queue/"})

    assert response.status_code == 302 and response["Location"] == "/queue/"
    assert client.get("/queue/").status_code == 200
    client.post("/accounts/logout/")
    log_in(client, officer)
    again = client.post("/accounts/two-factor/", {"code": codes[0], "next": "/queue/"})
    assert again.status_code == 200 and again.context["form"].errors


def test_agents_need_no_second_factor(require_2fa, client, agent):
    log_in(client, agent)
    assert client.get("/console/").status_code == 200


def test_session_api_call_without_second_factor_is_refused(require_2fa, client, officer):
    log_in(client, officer)
    response = client.get("/api/v1/queue/")
    assert response.status_code == 403 and response.json()["detail"]


def test_devices_page_is_not_open_before_the_second_factor(require_2fa, client, supervisor):
    log_in(client, supervisor)
    assert client.get("/accounts/two-factor/users/").status_code == 302


def test_token_endpoint_asks_officers_for_the_code(require_2fa, officer, agent):
    device, _ = enrolled(officer)
    api = APIClient()
    body = {"username": officer.username, "password": PASSWORD}

    refused = api.post("/api/v1/auth/token/", body, format="json")
    surrogate = json.dumps({**body, "otp": "12345\ud800"})  # written as an escape
    wrong = api.post("/api/v1/auth/token/", surrogate, content_type="application/json")
    given = api.post("/api/v1/auth/token/", {**body, "otp": current_code(device)}, format="json")
    plain = api.post(
        "/api/v1/auth/token/", {"username": agent.username, "password": PASSWORD}, format="json"
    )

    assert refused.status_code == 400 and "otp" in refused.json()
    assert wrong.status_code == 400
    assert given.status_code == 200 and given.json()["token"]
    assert plain.status_code == 200


def test_supervisor_resets_a_users_device(client_for, supervisor, officer):
    enrolled(officer)
    client = client_for(supervisor)

    assert officer.username in client.get("/accounts/two-factor/users/").content.decode()
    response = client.post(f"/accounts/two-factor/users/{officer.pk}/reset/")

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AccountEvent.objects.get(user=officer, action="2fa_reset")
    assert event.actor == supervisor


@pytest.mark.parametrize("role_user", ["agent", "officer", "print_desk"])
def test_other_roles_cannot_reset_devices(request, client_for, officer, role_user):
    enrolled(officer)
    client = client_for(request.getfixturevalue(role_user))
    assert client.get("/accounts/two-factor/users/").status_code == 403
    assert client.post(f"/accounts/two-factor/users/{officer.pk}/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=officer).exists()
