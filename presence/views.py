"""The console's status bar and the form that sets the agent's status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import BreakReason, Status


def console_panel(*, request):
    """The agent's status on the console, with ready and break one key away."""
    if not request.user.has_perm("presence.set_own_status"):
        return None
    services.seen(agent=request.user)
    context = {
        "presence": selectors.status_of(request.user),
        "statuses": Status,
        "reasons": BreakReason.choices,
    }
    return "presence/_status_bar.html", context


@require_POST
@login_required
@permission_required("presence.set_own_status", raise_exception=True)
def status_set(request):
    try:
        services.status_set(
            actor=request.user,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", "") if request.POST.get("status") == "break" else "",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("tickets:console")
