"""Two-factor sign-in (TOTP through django-otp) for officers and supervisors.

With REQUIRE_2FA on, an officer or supervisor who has logged in with a password reaches
no page until the second factor: the first time they enrol an authenticator app from a
QR code and receive recovery codes; afterwards they type the app's six digits (or one
recovery code, which then no longer works). The API's token endpoint asks the same code
as `otp`. A supervisor can reset a user's devices, and the user enrols again.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccountEvent
from .roles import OFFICER, SUPERVISOR, has_role

RECOVERY_CODES = 10
# Pages a user between password and second factor may still reach.
OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz")
OPEN_PAGES = ("login", "logout", "two-factor-enrol", "two-factor-verify")


def two_factor_required(user) -> bool:
    """Whether this user must give a second factor (officers, supervisors, admins)."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, OFFICER, SUPERVISOR)


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def code_matches(user, code: str):
    """The confirmed device (authenticator or recovery codes) that accepts the code."""
    code = "".join(str(code).split())
    if not code or len(code) > 16 or not code.isalnum():
        return None
    device = match_token(user, code)
    return device if device is not None and device.confirmed else None


def pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled: the one unconfirmed device, made on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def two_factor_confirm(*, device: TOTPDevice, actor) -> list[str]:
    """Confirm the enrolled authenticator; the fresh recovery codes, to show once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    StaticDevice.objects.filter(user=actor).delete()
    recovery = StaticDevice.objects.create(user=actor, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    AccountEvent.objects.create(
        user=actor, actor=actor, action=AccountEvent.Action.TWO_FACTOR_ENROLLED
    )
    return codes


@transaction.atomic
def two_factor_reset(*, user, actor) -> None:
    """Remove the user's authenticator and recovery codes: they enrol again at the next
    sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.TWO_FACTOR_RESET)


class TwoFactorMiddleware:
    """After django-otp's middleware: a user who must give a second factor and has not
    is sent to enrol or to verify (the API, with a session, answers 403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_2FA
            and not request.path.startswith(OPEN_PREFIXES)
            and request.path not in {resolve_url(name) for name in OPEN_PAGES}
            and two_factor_required(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                detail = _("Two-factor sign-in is required. Log in again with your code.")
                return JsonResponse({"detail": detail}, status=403)
            target = "two-factor-verify" if has_confirmed_device(user) else "two-factor-enrol"
            return redirect(
                resolve_url(target) + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)
