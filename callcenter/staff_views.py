"""The supervisors' staff pages (callcenter.staff)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import staff
from .models import AccountEvent
from .people import natural_key

PERMISSION = "callcenter.manage_users"


def _managed():
    return get_user_model().objects.filter(is_superuser=False)


@never_cache
@login_required
@permission_required(PERMISSION, raise_exception=True)
def staff_list(request):
    users = _managed().prefetch_related("groups").select_related("agent_profile")
    users = sorted(users, key=lambda u: natural_key(u.username))  # agent2 before agent10
    events = AccountEvent.objects.select_related("user", "actor")[:30]
    context = {"users": users, "events": events}
    return render(request, "registration/staff_list.html", context)


@never_cache
@login_required
@permission_required(PERMISSION, raise_exception=True)
def staff_new(request):
    form = staff.StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, password = staff.staff_create(actor=request.user, data=form.cleaned_data)
        context = {"person": user, "password": password}
        return render(request, "registration/staff_password.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/staff_form.html", {"form": form}, status=status)


@never_cache
@login_required
@permission_required(PERMISSION, raise_exception=True)
def staff_edit(request, user_id):
    user = get_object_or_404(_managed(), pk=user_id)
    form = staff.StaffForm(request.POST or None, user=user, initial=staff.staff_initial(user))
    if request.method == "POST" and form.is_valid():
        staff.staff_update(actor=request.user, user=user, data=form.cleaned_data)
        return redirect("staff-list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": user}
    return render(request, "registration/staff_form.html", context, status=status)


@never_cache
@require_POST
@login_required
@permission_required(PERMISSION, raise_exception=True)
def staff_password(request, user_id):
    user = get_object_or_404(_managed(), pk=user_id)
    password = staff.staff_password_reset(actor=request.user, user=user)
    context = {"person": user, "password": password}
    return render(request, "registration/staff_password.html", context)
