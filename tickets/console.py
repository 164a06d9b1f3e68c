"""The agent console: one screen to log a call as a new ticket or add it to the caller's
open case, with its fragments (caller history, incoming call, recent tickets)."""

from uuid import uuid4

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from callcenter import idempotency
from callcenter.calendar import shift_is_open
from callcenter.errors import DomainError

from . import cti, hooks, selectors, services
from .forms import CallerLookupForm, FollowUpForm, RecentSearchForm, ShownTicketsForm, TicketForm
from .models import Ticket
from .selectors import get_ticket_for

CONSOLE_SCOPE = "tickets.create"


def _initial(request) -> dict:
    initial = {}
    for values in hooks.console_initial(request=request):
        initial.update(values or {})
    return initial


def _console_context(request, form, **extra):
    user = request.user

    shown_tickets = ShownTicketsForm(request.GET)
    shown_tickets.is_valid()  # a malformed reference (a typo, a NUL byte) shows nothing

    def shown(param, **mine):
        reference = shown_tickets.cleaned_data.get(param)
        return Ticket.objects.filter(reference=reference, **mine).first() if reference else None

    return {
        "form": form,
        "created": shown("created", created_by=user),
        "added": shown("added"),
        "calls_today": selectors.agent_calls_today(user).count(),
        "shift_open": shift_is_open(),
        "recent": selectors.agent_recent_tickets(user),
        # What the apps above add to the console.
        "panels": hooks.render_panels(request, hooks.console_panels(request=request)),
        # A fresh key per form shown: a double submission creates one ticket.
        "idempotency_key": uuid4().hex,
        **extra,
    }


@login_required
@permission_required("tickets.add_ticket", raise_exception=True)
def console(request):
    """The agent's one screen: caller phone first, history beside, reference big."""
    if request.method == "POST" and (request.POST.get("follow_up") or request.POST.get("reopen")):
        return _follow_up(request)
    form = TicketForm(request.POST or None, initial=_initial(request))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _unconfirmed_duplicates(request, form)
        if not duplicates:
            try:
                ticket = _create_once(request, form)
            except services.CallAlreadyLogged as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect(f"{request.path}?created={ticket.reference}")
    status = 400 if request.method == "POST" and not duplicates else 200
    context = _console_context(request, form, duplicates=duplicates)
    return render(request, "tickets/console.html", context, status=status)


def _unconfirmed_duplicates(request, form) -> list:
    """The caller's unresolved tickets of the same category, unless the agent confirmed
    that this is a new case."""
    if request.POST.get("confirm_new"):
        return []
    data = form.cleaned_data
    return selectors.duplicates(
        phone=data["caller_phone"], cccd_number=data["cccd_number"], category=data["category"]
    )


def _create_once(request, form):
    """The ticket the form creates, or the one an earlier submission of the same form
    (its hidden idempotency key) created."""
    key = request.POST.get("idempotency_key", "")
    if idempotency.idempotency_key_errors(key):
        key = ""  # a tampered key only loses the double-submission guard
    with transaction.atomic():
        first = idempotency.claim(actor=request.user, scope=CONSOLE_SCOPE, key=key)
        if first:
            return Ticket.objects.get(reference=first)
        ticket = _create_from_console(request, form)
        idempotency.fulfil(
            actor=request.user, scope=CONSOLE_SCOPE, key=key, result=ticket.reference
        )
        return ticket


def _create_from_console(request, form):
    action = request.POST.get("action")
    answer = form.cleaned_data["answer"]
    return services.ticket_create(
        actor=request.user,
        pbx_call=cti.call_to_log(request.user, pk=form.cleaned_data["pbx_call"]),
        caller_phone=form.cleaned_data["caller_phone"],
        category=form.cleaned_data["category"],
        summary=form.cleaned_data["summary"],
        identity=form.identity(),
        call_started_at=form.cleaned_data["call_started_at"],
        call_ended_at=timezone.now(),
        resolve_now=action == "resolve" or bool(answer),
        escalate_now=action == "escalate" and not answer,
        answer=answer,
    )


def _follow_up(request):
    """The caller rang again about an open (or recently resolved) case: the call joins
    it, with what the agent typed in the summary as a note."""
    form = FollowUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ticket = get_ticket_for(request.user, data["reference"], "add_call")
            services.ticket_add_call(
                actor=request.user,
                ticket=ticket,
                pbx_call=cti.call_to_log(request.user, pk=data["pbx_call"]),
                call_started_at=data["call_started_at"],
                call_ended_at=timezone.now(),
                note=data["summary"],
                reopen=data["reopen"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(f"{request.path}?added={ticket.reference}")
    # Back to the console with what was typed, and why the call was not added.
    errors = [message for messages in form.errors.values() for message in messages]
    ticket_form = TicketForm(initial=request.POST.dict())
    context = _console_context(request, ticket_form, follow_up_errors=errors)
    return render(request, "tickets/console.html", context, status=400)


@login_required
@permission_required("tickets.view_caller_history", raise_exception=True)
@require_POST
def caller_history_fragment(request):
    """The caller's earlier contacts as the agent types the number (or their CCCD
    number): the unresolved ones first, each offering to take this call. POST, so that
    the caller's number stays out of URLs (and access logs)."""
    form = CallerLookupForm(request.POST)
    context = {"form": form, "phone": request.POST.get("caller_phone", "").strip()}
    if form.is_valid():
        phone, cccd = form.cleaned_data["caller_phone"], form.cleaned_data["cccd_number"]
        context["phone_e164"] = str(phone) if phone else ""
        context["can_add"] = request.user.has_perm("tickets.add_ticket")
        context.update(selectors.follow_up_candidates(phone=phone, cccd_number=cccd))
        if phone:
            context.update(selectors.caller_history(phone))
    return render(request, "tickets/_caller_history.html", context)


@login_required
@permission_required("tickets.add_ticket", raise_exception=True)
def incoming_fragment(request):
    """The console polls this every second: the call ringing (or answered) on the
    agent's extension, with the caller's history. 204 while nothing has changed."""
    call = cti.incoming_for(request.user)
    state = cti.state(call) if call else ""
    key = f"{call.pk}-{state}" if call else ""
    if request.GET.get("showing") == key:
        return HttpResponse(status=204)
    context = {"call": call, "key": key, "state": state}
    if call and call.caller_phone:
        history = selectors.caller_history(call.caller_phone)
        # Earlier contacts only: the call ringing now is not history yet.
        history["calls"] = [c for c in history["calls"] if c.pk != call.pk]
        context.update(history, phone_e164=str(call.caller_phone))
    return render(request, "tickets/_incoming.html", context)


@login_required
@permission_required("tickets.add_ticket", raise_exception=True)
@require_POST
def recent_tickets_fragment(request):
    # POST, as the query is often a caller's number.
    form = RecentSearchForm(request.POST)
    query = form.cleaned_data["q"][:100] if form.is_valid() else ""
    recent = selectors.agent_recent_tickets(request.user, query=query)
    context = {"recent": recent, "q": query}
    return render(
        request, "tickets/_recent_tickets.html", context, status=200 if form.is_valid() else 400
    )
