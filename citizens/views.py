"""Pages of the records app: the search (a fragment on the officer's ticket page), one
application, and the supervisors' access log."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from . import services
from .filters import RecordAccessFilter
from .forms import ApplicationSearchForm, TicketReferenceForm
from .models import CardApplication, RecordAccess


@require_POST
@login_required
@permission_required("citizens.search_records", raise_exception=True)
def search(request):
    """The records search on an officer's ticket page (POST: no personal data in URLs)."""
    form = ApplicationSearchForm(request.POST)
    context = {"form": form}
    if form.is_valid():
        try:
            context["matches"] = services.application_search(
                user=request.user,
                kind=form.kind,
                criteria=form.criteria(),
                ticket_reference=form.cleaned_data["ticket"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, "citizens/_search_results.html", context, status=400)
        context["ticket"] = form.cleaned_data["ticket"]
        context["can_link"] = bool(form.cleaned_data["ticket"])
    return render(request, "citizens/_search_results.html", context, status=_status(form))


@login_required
@permission_required("citizens.search_records", raise_exception=True)
def application_detail(request, application_number):
    application = get_object_or_404(CardApplication, application_number=application_number)
    form = TicketReferenceForm(request.GET)
    if not form.is_valid():
        return render(request, "citizens/application.html", {"form": form}, status=400)
    ticket = form.cleaned_data["ticket"]
    try:
        match = services.application_open(
            user=request.user,
            application=application,
            ticket_reference=ticket,
            purpose=form.cleaned_data["purpose"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "citizens/application.html", {"form": form}, status=400)
    return render(request, "citizens/application.html", {"match": match, "ticket": ticket})


def _status(form) -> int:
    return 200 if form.is_valid() else 400


@login_required
@permission_required("citizens.view_recordaccess", raise_exception=True)
def access_log(request):
    filterset = RecordAccessFilter(
        request.GET or None, queryset=RecordAccess.objects.select_related("user")
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    valid = not filterset.is_bound or filterset.is_valid()
    return render(
        request,
        "citizens/access_log.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
        status=200 if valid else 400,
    )
