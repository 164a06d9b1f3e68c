"""Supervisors manage the staff's accounts in the product (SPEC §2): create a user
with a role (and an agent's PBX extension), change them, deactivate them, reset their
password (a temporary one, shown once) — each change in the account audit trail
(AccountEvent). Superusers are managed in the admin only."""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import AccountEvent, AgentProfile
from .people import full_name, split_name
from .roles import AGENT, ROLES, user_roles

ROLE_LABELS = {"agent": _("Agent"), "officer": _("Officer"), "supervisor": _("Supervisor"),
               "print_desk": _("Print desk"), "pbx": _("PBX machine user")}  # fmt: skip


class StaffForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), regex=r"^[\w.@+-]{3,150}$", max_length=150,
        error_messages={"invalid": _("Username: 3 to 150 letters, digits or . @ + - _.")},
    )  # fmt: skip
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[(r, ROLE_LABELS[r]) for r in ROLES])
    extension = forms.RegexField(
        label=_("PBX extension"), regex=r"^\d{2,10}$", required=False,
        error_messages={"invalid": _("PBX extension: 2 to 10 digits.")},
    )  # fmt: skip
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_username(self):
        name = self.cleaned_data["username"]
        others = get_user_model().objects.filter(username__iexact=name)
        if self.user is not None:
            others = others.exclude(pk=self.user.pk)
        if others.exists():
            raise forms.ValidationError(_("Username: already taken."))
        return name

    def clean(self):
        data = super().clean()
        extension = data.get("extension")
        if data.get("role") == AGENT and not extension and "extension" not in self.errors:
            self.add_error("extension", _("PBX extension: an agent needs one."))
        taken = AgentProfile.objects.filter(extension=extension)
        if extension and taken.exclude(user=self.user).exists():
            self.add_error("extension", _("PBX extension: already another agent's."))
        return data


def staff_initial(user) -> dict:
    roles = sorted(user_roles(user))
    profile = AgentProfile.objects.filter(user=user).first()
    return {"username": user.username, "full_name": full_name(user), "email": user.email,
            "role": roles[0] if roles else "", "extension": profile.extension if profile else "",
            "is_active": user.is_active}  # fmt: skip


def _apply(user, data) -> None:
    first, last = split_name(data.get("full_name"))
    user.username, user.email, user.is_active = data["username"], data["email"], data["is_active"]
    user.first_name, user.last_name = first, last
    user.save()
    user.groups.set([Group.objects.get(name=data["role"])])
    AgentProfile.objects.filter(user=user).delete()
    if data["role"] == AGENT and data.get("extension"):
        AgentProfile.objects.create(user=user, extension=data["extension"])


def temporary_password() -> str:
    return secrets.token_urlsafe(9)


@transaction.atomic
def staff_create(*, actor, data: dict) -> tuple[object, str]:
    """A new user with the role; their temporary password, to hand over once."""
    password = temporary_password()
    user = get_user_model().objects.create_user(username=data["username"], password=password)
    _apply(user, data)
    changes = {k: data[k] for k in ("role", "extension", "is_active") if data.get(k) is not None}
    AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.CREATED,
                                changes=changes)  # fmt: skip
    return user, password


@transaction.atomic
def staff_update(*, actor, user, data: dict) -> None:
    before = staff_initial(user)
    _apply(user, data)
    after = staff_initial(user)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return
    deactivated = before["is_active"] and not after["is_active"]
    action = AccountEvent.Action.DEACTIVATED if deactivated else AccountEvent.Action.CHANGED
    AccountEvent.objects.create(user=user, actor=actor, action=action, changes=changes)


@transaction.atomic
def staff_password_reset(*, actor, user) -> str:
    """A temporary password (the user's tokens end with the old one)."""
    password = temporary_password()
    user.set_password(password)
    user.save()
    AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.PASSWORD_RESET)
    return password
