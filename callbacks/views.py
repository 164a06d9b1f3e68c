"""Pages: the console's callbacks panel, the callback being rung, the list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from callcenter.errors import DomainError
from tickets import selectors as ticket_selectors

from . import selectors, services
from .forms import OutcomeForm
from .models import Callback, CallbackAttempt


def console_panel(*, request):
    """The agent console's panel: how many callbacks are due, and the one in hand."""
    if not request.user.has_perm("callbacks.work_callback"):
        return None
    context = {"due_count": selectors.due().count(), "held": selectors.held_by(request.user)}
    return "callbacks/_console_panel.html", context


def console_initial(*, request):
    """The console opened after a callback reached the caller: the number to log."""
    pk = request.GET.get("callback", "")
    if not pk.isdigit():
        return None
    callback = Callback.objects.filter(
        pk=pk, closed_by=request.user, status=Callback.Status.REACHED
    ).first()
    return {"caller_phone": callback.phone.as_national} if callback else None


@require_POST
@login_required
@permission_required("callbacks.work_callback", raise_exception=True)
def take_next(request):
    callback = services.callback_take_next(actor=request.user)
    if callback is None:
        messages.info(request, _("No callback is due now."))
        return redirect("tickets:console")
    return redirect("callbacks:detail", pk=callback.pk)


@login_required
@permission_required("callbacks.view_callback", raise_exception=True)
def detail(request, pk):
    callback = get_object_or_404(Callback.objects.select_related("holder", "ticket"), pk=pk)
    context = {
        "callback": callback,
        "mine": callback.holder_id == request.user.pk and callback.status == "pending",
        "form": OutcomeForm(),
        "outcomes": CallbackAttempt.Outcome,
        "attempts": callback.attempts_made.select_related("agent"),
        **ticket_selectors.caller_history(callback.phone),
    }
    return render(request, "callbacks/detail.html", context)


@require_POST
@login_required
@permission_required("callbacks.work_callback", raise_exception=True)
def claim(request, pk):
    callback = get_object_or_404(Callback, pk=pk)
    try:
        services.callback_claim(actor=request.user, callback=callback)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("callbacks:list")
    return redirect("callbacks:detail", pk=pk)


@require_POST
@login_required
@permission_required("callbacks.work_callback", raise_exception=True)
def outcome(request, pk):
    callback = get_object_or_404(Callback, pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("callbacks:detail", pk=pk)
    try:
        callback = services.callback_outcome(
            actor=request.user,
            callback=callback,
            outcome=form.cleaned_data["outcome"],
            ticket_reference=form.cleaned_data["ticket"],
        )
    except (DomainError, ValidationError) as exc:
        for message in getattr(exc, "messages", None) or [exc.message]:
            messages.error(request, message)
        return redirect("callbacks:detail", pk=pk)
    if callback.status == Callback.Status.REACHED and callback.ticket_id is None:
        # Straight into logging the call, with the number filled in.
        return redirect(reverse("tickets:console") + f"?callback={callback.pk}")
    return redirect("tickets:console")


@login_required
@permission_required("callbacks.view_callback", raise_exception=True)
def callback_list(request):
    status = request.GET.get("status", Callback.Status.PENDING)
    if status not in Callback.Status.values:
        status = Callback.Status.PENDING
    page = Paginator(selectors.callback_list(status), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "callbacks": selectors.with_open_tickets(page),
        "status": status,
        "statuses": Callback.Status.choices,
    }
    return render(request, "callbacks/list.html", context)
