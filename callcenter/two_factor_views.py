"""Pages of two-factor sign-in: enrol with a QR code, verify a code, and the
supervisors' list of who has enrolled, with a reset."""

import base64

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import two_factor
from .roles import OFFICER, SUPERVISOR


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        self.device = self.verify(self.cleaned_data["code"])
        if self.device is None:
            raise forms.ValidationError(_("The code is not right. Try the newest one."))
        return self.cleaned_data["code"]

    def verify(self, code):
        return two_factor.code_matches(self.user, code)


class EnrolForm(CodeForm):
    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = device

    def verify(self, code):
        code = "".join(code.split())
        return self.pending if code.isdigit() and self.pending.verify_token(code) else None


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _qr_data_uri(device) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


@never_cache
@login_required
def enrol(request):
    if two_factor.has_confirmed_device(request.user):
        return redirect("two-factor-verify")
    device = two_factor.pending_device(request.user)
    form = EnrolForm(request.POST or None, user=request.user, device=device)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_confirm(device=device, actor=request.user)
        otp_login(request, device)
        context = {"codes": codes, "next": _next(request)}
        return render(request, "registration/two_factor_recovery.html", context)
    context = {
        "form": form,
        "qr": _qr_data_uri(device),
        # Authenticator apps take the key in base32 (django-otp keeps it in hex).
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next(request),
    }
    return render(request, "registration/two_factor_enrol.html", context)


@never_cache
@login_required
def verify(request):
    if not two_factor.has_confirmed_device(request.user):
        return redirect("two-factor-enrol")
    form = CodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next(request))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@never_cache
@login_required
@permission_required("callcenter.reset_two_factor", raise_exception=True)
def devices(request):
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=(OFFICER, SUPERVISOR))
        .distinct()
        .order_by("username")
    )
    enrolled = set(
        two_factor.TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    rows = [(user, user.pk in enrolled) for user in users]
    return render(request, "registration/two_factor_devices.html", {"rows": rows})


@require_POST
@login_required
@permission_required("callcenter.reset_two_factor", raise_exception=True)
def reset(request, user_id):
    user = get_object_or_404(get_user_model(), pk=user_id)
    two_factor.two_factor_reset(user=user, actor=request.user)
    messages.success(request, _("Two-factor sign-in of %(user)s was reset.") % {"user": user})
    return redirect("two-factor-devices")
