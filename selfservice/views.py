"""The public pages: a citizen's application (/tra-cuu/), their ticket
(/tra-cuu/phieu/), "leave your number", and the published answers (/hoi-dap/). No
login; every look-up counted by the limits and written to the access log."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from callbacks.services import callback_requested
from citizens import search, services
from citizens.models import CardApplication, RecordAccess, SearchKind
from knowledge import search as answer_search
from knowledge.selectors import published
from tickets.selectors import ticket_for_caller

from . import limits, status
from .forms import AnswerSearchForm, CallbackForm, LookupForm, TicketLookupForm

Outcome = RecordAccess.Outcome


def _limited(request, template, context, limited, *, kind, query):
    services.self_service_logged(
        client_address=limits.address(request), kind=kind, query=query, outcome=Outcome.LIMITED
    )
    context["limited"] = limits.message(limited)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(limited.wait)
    return response


def _asked(form) -> dict:
    """What the citizen typed, for the access log (only the form's own fields)."""
    return {name: str(form.data.get(name, ""))[:120] for name in form.fields if name != "token"}


def _answered(context: dict, answer: dict) -> None:
    """The answer takes the focus (and so the screen, on a phone) from the form above it."""
    for field in context["form"].fields.values():
        field.widget.attrs.pop("autofocus", None)
    context["answer"] = answer


@require_http_methods(["GET", "POST"])
def lookup(request):
    form = LookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "GET":
        return render(request, "selfservice/lookup.html", context)
    try:
        limits.check_address(request)
        if form.is_valid():
            data = form.cleaned_data
            limits.check_identity(
                request, limits.identity_key(data["full_name"], data["date_of_birth"])
            )
    except limits.Limited as limited:
        return _limited(
            request, "selfservice/lookup.html", context, limited,
            kind=SearchKind.SELF_SERVICE, query=_asked(form),
        )  # fmt: skip
    if not form.is_valid():
        return render(request, "selfservice/lookup.html", context, status=400)
    match = services.application_self_lookup(
        client_address=limits.address(request), **form.cleaned_data
    )
    _answered(context, status.application_answer(match))
    if match is not None:
        context["steps"] = status.step_rows(match)
        if match.stuck:
            context["callback_form"] = CallbackForm(
                initial={"token": CallbackForm.token_for(match.application)}
            )
    return render(request, "selfservice/lookup.html", context)


@require_POST
def callback(request):
    """A citizen whose card is late leaves their number: a callback for the agents."""
    form = CallbackForm(request.POST)
    context = {"callback_form": form}
    try:
        limits.check_address(request)
    except limits.Limited as limited:
        context["limited"] = limits.message(limited)
        response = render(request, "selfservice/callback.html", context, status=429)
        response["Retry-After"] = str(limited.wait)
        return response
    if not form.is_valid():
        return render(request, "selfservice/callback.html", context, status=400)
    application = CardApplication.objects.filter(pk=form.cleaned_data["token"]).first()
    if application is None or not search.describe(application).stuck:
        context["not_delayed"] = True
        return render(request, "selfservice/callback.html", context, status=400)
    callback_requested(phone=form.cleaned_data["phone"], application=application)
    context["done"] = True
    return render(request, "selfservice/callback.html", context)


@require_http_methods(["GET", "POST"])
def ticket_lookup(request):
    form = TicketLookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "GET":
        return render(request, "selfservice/ticket.html", context)
    try:
        limits.check_address(request)
    except limits.Limited as limited:
        return _limited(
            request, "selfservice/ticket.html", context, limited,
            kind=SearchKind.TICKET_STATUS, query=_asked(form),
        )  # fmt: skip
    if not form.is_valid():
        return render(request, "selfservice/ticket.html", context, status=400)
    ticket = ticket_for_caller(form.cleaned_data["reference"], form.cleaned_data["phone"])
    services.self_service_logged(
        client_address=limits.address(request),
        kind=SearchKind.TICKET_STATUS,
        query={
            "reference": form.cleaned_data["reference"],
            "phone": str(form.cleaned_data["phone"]),
        },
        outcome=Outcome.FOUND if ticket else Outcome.NOT_FOUND,
    )
    _answered(context, status.ticket_answer(ticket))
    return render(request, "selfservice/ticket.html", context)


@require_GET
def answers(request):
    form = AnswerSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = answer_search.search(query, limit=20) if query else published()
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "q": query, "query": urlencode({"q": query})}
    return render(request, "selfservice/answers.html", context)


@require_GET
def answer(request, slug):
    shown = published().filter(slug=slug).first()
    if shown is None:
        raise Http404
    return render(request, "selfservice/answer.html", {"answer": shown})
