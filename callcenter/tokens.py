"""API tokens that end.

A token works for API_TOKEN_HOURS after it was issued (one shift and a half), then it
is deleted and the client asks for a new one. The PBX's machine user keeps its token:
it is configured once in the PBX and has no person to type a password. Every token of
a user is deleted when their password changes, when they are deactivated, and when
they log out. Deleting a token bumps the permission cache's version (callcenter.auth),
so the next request with it is refused in every process.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer

from .auth import CachedTokenAuthentication
from .two_factor import code_matches, two_factor_required

# Held by the PBX machine user only (callcenter.roles).
MACHINE_PERMISSION = "tickets.report_call_events"


def is_machine(user) -> bool:
    return not user.is_superuser and user.has_perm(MACHINE_PERMISSION)


def token_expired(token, user, now=None) -> bool:
    if is_machine(user):
        return False
    lifetime = datetime.timedelta(hours=settings.API_TOKEN_HOURS)
    return token.created + lifetime <= (now or timezone.now())


class ExpiringTokenAuthentication(CachedTokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token, user):
            Token.objects.filter(pk=token.pk).delete()
            raise exceptions.AuthenticationFailed(_("The token has expired. Ask for a new one."))
        return user, token


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        label=gettext_lazy("Two-factor code"), required=False, allow_blank=True, max_length=16
    )


@transaction.atomic
def token_issue(*, user, otp: str = "") -> Token:
    """The user's token (a new one when theirs has expired), after the second factor
    when their role needs one."""
    if two_factor_required(user) and code_matches(user, otp or "") is None:
        message = _("Give the six-digit code of your authenticator app.")
        raise exceptions.ValidationError({"otp": [message]})
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token, user):
        token.delete()
        token = Token.objects.create(user=user)
    return token


def revoke_tokens(user) -> None:
    for token in Token.objects.filter(user=user):
        token.delete()  # one by one: each delete signals the cache's invalidation


def _on_user_save(sender, instance, update_fields=None, **kwargs):
    """A changed password or a deactivation ends the user's tokens."""
    if instance.pk is None or (
        update_fields and not {"password", "is_active"} & set(update_fields)
    ):
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (before["is_active"] and not instance.is_active):
        revoke_tokens(instance)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        revoke_tokens(user)


def connect_token_revocation() -> None:
    pre_save.connect(_on_user_save, sender=get_user_model(), dispatch_uid="token-revoke-save")
    user_logged_out.connect(_on_logout, dispatch_uid="token-revoke-logout")
