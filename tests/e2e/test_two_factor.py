"""Two-factor sign-in in the browser (issue 14): an officer enrols from the QR code,
keeps the recovery codes, reaches the queue; the next sign-in takes a recovery code."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, make_user

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_officer_enrols_with_the_qr_code_and_signs_in_again_with_a_recovery_code(
    page, live_server, screenshot, settings
):
    settings.REQUIRE_2FA = True
    officer = make_user("officer_2fa", "officer")

    log_in(page, live_server, officer.username, PASSWORD)
    page.wait_for_selector("img.qr")
    assert "/accounts/two-factor/enrol/" in page.url
    assert page.eval_on_selector("img.qr", "img => img.naturalWidth") > 0
    screenshot(page, "two-factor-enrol-vi")
    device = TOTPDevice.objects.get(user=officer)
    assert len(page.inner_text(".otp-secret").strip()) >= 16
    page.fill("#id_code", code_for(device))
    page.keyboard.press("Enter")

    page.wait_for_selector(".recovery-codes")
    codes = [c.strip() for c in page.locator(".recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    screenshot(page, "two-factor-recovery-codes-vi")
    page.click("a.button.primary")
    page.wait_for_url("**/queue/")

    page.click("form[action='/accounts/logout/'] button")
    log_in(page, live_server, officer.username, PASSWORD)
    page.wait_for_selector("#id_code")
    assert "/accounts/two-factor/" in page.url
    page.fill("#id_code", codes[0])
    page.keyboard.press("Enter")
    page.wait_for_url("**/queue/")
    screenshot(page, "two-factor-signed-in-vi")
