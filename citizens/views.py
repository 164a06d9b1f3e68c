"""Pages of the records app: the search (a fragment on the officer's ticket page), one
application, and the supervisors' access log."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import services
from .filters import RecordAccessFilter
from .forms import ApplicationSearchForm
from .models import CardApplication, RecordAccess


@login_required
@permission_required("citizens.search_records", raise_exception=True)
def search(request):
    form = ApplicationSearchForm(request.GET)
    context = {"form": form, "ticket": request.GET.get("ticket", "")[:12]}
    if form.is_valid():
        context["matches"] = services.application_search(
            user=request.user,
            kind=form.kind,
            criteria=form.criteria(),
            ticket_reference=form.cleaned_data["ticket"],
        )
        context["can_link"] = bool(form.cleaned_data["ticket"])
    status = 200 if form.is_valid() else 400
    return render(request, "citizens/_search_results.html", context, status=status)


@login_required
@permission_required("citizens.search_records", raise_exception=True)
def application_detail(request, application_number):
    application = get_object_or_404(CardApplication, application_number=application_number)
    ticket = request.GET.get("ticket", "")[:12]
    match = services.application_open(
        user=request.user, application=application, ticket_reference=ticket
    )
    return render(request, "citizens/application.html", {"match": match, "ticket": ticket})


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
