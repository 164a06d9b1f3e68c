"""Pages: the ticket list, the ticket page and its actions, the officers' queue (the
agent console is tickets.console)."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from callcenter.errors import DomainError
from callcenter.privacy import identity_visible, masked_identity_for_page
from citizens.services import application_open

from . import hooks, selectors, services, sla
from .filters import TicketFilter
from .forms import (
    EmptyForm,
    LinkApplicationForm,
    NoteForm,
    OptionalNoteForm,
    ResolveForm,
)
from .lifecycle import allowed_actions
from .models import Ticket
from .selectors import get_ticket_for
from .work import identity_shown, search_form_for, suggested_resolution


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
def ticket_list(request):
    if request.method == "POST":
        return redirect(f"{request.path}?s={_keep_search(request)}")
    filters, query = _search(request)
    filterset = TicketFilter(
        filters or None, queryset=Ticket.objects.with_people(), request=request
    )
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "tickets/list.html",
        {"filter": filterset, "page": page, "query": query},
        status=200 if filterset.is_bound is False or filterset.is_valid() else 400,
    )


# The list's filters name phones and ID numbers: the form is posted and kept in the
# session under an opaque id, so they never stand in a URL (nor a proxy's or browser's log).
SEARCHES = "ticket_searches"
KEPT_SEARCHES = 20


def _keep_search(request) -> str:
    data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
    searches = dict(list(request.session.get(SEARCHES, {}).items())[-(KEPT_SEARCHES - 1) :])
    search_id = secrets.token_urlsafe(6)
    searches[search_id] = data
    request.session[SEARCHES] = searches
    return search_id


def _search(request) -> tuple[QueryDict, str]:
    """The filters (a kept search `?s=`, or plain GET parameters) and the query string
    the pager repeats."""
    search_id = request.GET.get("s", "")
    if search_id:
        filters = QueryDict(mutable=True)
        filters.update(request.session.get(SEARCHES, {}).get(search_id, {}))
        return filters, f"s={search_id}"
    query = request.GET.copy()
    query.pop("page", None)
    return request.GET, query.urlencode()


def _panels(request, ticket, actions) -> list[str]:
    """What the apps above add to the ticket page (tickets.hooks.ticket_panels)."""
    answers = hooks.ticket_panels(ticket=ticket, actor=request.user, actions=actions)
    return hooks.render_panels(request, answers, ticket=ticket, actions=actions)


@login_required
@permission_required("tickets.view_ticket", raise_exception=True)
def ticket_detail(request, reference):
    user = request.user
    ticket = get_ticket_for(user, reference, detail=True)
    actions = allowed_actions(ticket, user)
    context = {
        "ticket": ticket,
        "actions": actions,
        "panels": _panels(request, ticket, actions),
        "identity": None if identity_visible(user, ticket) else masked_identity_for_page(ticket),
        "sla": sla.state(ticket),
    }
    # Only the forms of the actions the page offers.
    if "note" in actions:
        context["note_form"] = NoteForm()
    if "resolve" in actions:
        context["resolve_form"] = ResolveForm(initial=suggested_resolution(ticket))
    if "escalate" in actions or "reopen" in actions:
        context["optional_note_form"] = OptionalNoteForm()
    identity_shown(user=user, what=gettext_noop("ticket page"), tickets=[ticket])
    # Linking is what the record search is for: the holder sees both.
    if "link" in actions:
        context["search_form"], context["search_ready"] = search_form_for(ticket)
        if ticket.linked_application_id:
            # Showing the record is opening it: logged like any other look-up.
            context["linked"] = application_open(
                user=user, application=ticket.linked_application, ticket_reference=reference
            )
    return render(request, "tickets/detail.html", context)


def _ticket_action(request, reference, action, form_class, perform, success=None, done=None):
    """POST-redirect-GET for an action on a ticket: validate the form, call the service
    with the actor and the form's data, and say what went wrong as a message on the
    ticket page (or where `done` leads on success)."""
    ticket = get_ticket_for(request.user, reference, action)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect(ticket)
    try:
        perform(actor=request.user, ticket=ticket, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("tickets:queue" if action == "claim" else ticket)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(ticket)
    if success:
        messages.success(request, success % {"reference": reference})
    return redirect(done or ticket)


def _form_messages(request, form):
    for field_errors in form.errors.values():
        for error in field_errors:
            messages.error(request, error)


@require_POST
@login_required
@permission_required("tickets.escalate_ticket", raise_exception=True)
def ticket_escalate(request, reference):
    return _ticket_action(
        request, reference, "escalate", OptionalNoteForm, services.ticket_escalate
    )


@require_POST
@login_required
@permission_required("tickets.resolve_ticket", raise_exception=True)
def ticket_resolve(request, reference):
    return _ticket_action(request, reference, "resolve", ResolveForm, services.ticket_resolve)


@require_POST
@login_required
@permission_required("tickets.reopen_ticket", raise_exception=True)
def ticket_reopen(request, reference):
    return _ticket_action(request, reference, "reopen", OptionalNoteForm, services.ticket_reopen)


@require_POST
@login_required
@permission_required("tickets.add_ticketnote", raise_exception=True)
def note_add(request, reference):
    return _ticket_action(
        request, reference, "note", NoteForm, services.note_add, success=_("Note added.")
    )


class _CountedPaginator(Paginator):
    """A paginator told its count, when one query counted several lists at once."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.count = count


QUEUE_PAGE_SIZE = 25


@login_required
@permission_required("tickets.claim_ticket", raise_exception=True)
def queue(request):
    """The officers' queue, a page at a time: claim the next ticket; below it, the
    officer's own tickets, paged on their own (`mine_page`)."""
    waiting, held = selectors.queue_counts(request.user)
    page = _CountedPaginator(selectors.officer_queue(rows=True), QUEUE_PAGE_SIZE, waiting)
    mine = _CountedPaginator(selectors.officer_tickets(request.user), QUEUE_PAGE_SIZE, held)
    page = page.get_page(request.GET.get("page"))
    mine = mine.get_page(request.GET.get("mine_page"))
    now, waiting_rows, held_rows = timezone.now(), list(page), list(mine)
    states = sla.states(waiting_rows + held_rows, now=now)
    return render(
        request,
        "tickets/queue.html",
        {
            "page": page,
            "rows": list(zip(waiting_rows, states[: len(page)], strict=True)),
            "mine_page": mine,
            "mine": list(zip(held_rows, states[len(page) :], strict=True)),
            # The queue's pager keeps the page of "my tickets" (and that pager the queue's).
            "query": f"mine_page={mine.number}" if mine.number > 1 else "",
            "now": now,
        },
    )


@require_POST
@login_required
@permission_required("tickets.claim_ticket", raise_exception=True)
def ticket_claim(request, reference):
    return _ticket_action(request, reference, "claim", EmptyForm, services.ticket_claim)


@require_POST
@login_required
@permission_required("tickets.claim_ticket", raise_exception=True)
def ticket_release(request, reference):
    return _ticket_action(
        request,
        reference,
        "release",
        OptionalNoteForm,
        services.ticket_release,
        success=_("Ticket %(reference)s is back in the queue."),
        done="tickets:queue",
    )


@require_POST
@login_required
@permission_required("tickets.claim_ticket", raise_exception=True)
@permission_required("citizens.search_records", raise_exception=True)
def ticket_link(request, reference):
    return _ticket_action(
        request, reference, "link", LinkApplicationForm, services.ticket_link_application
    )
