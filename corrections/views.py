"""Pages: the officer's correction request on a ticket, the supervisors' lists, their
run-now and the police's answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from callcenter.errors import DomainError
from reprints.tasks import send_sms_outbox
from tickets.selectors import get_ticket_for

from . import exports, selectors, services
from .forms import AnswerForm, CorrectionForm
from .models import CorrectionList, CorrectionRequest
from .tasks import build_correction_lists


def _report(request, action) -> bool:
    """Run a service; its refusals and the form's errors become messages."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        return True
    return False


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@login_required
@permission_required("corrections.add_correctionrequest", raise_exception=True)
def request_correction(request, reference):
    ticket = get_ticket_for(request.user, reference, "request_correction")
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    elif _report(
        request,
        lambda: services.correction_request(actor=request.user, ticket=ticket, **form.cleaned_data),
    ):
        messages.success(request, _("The correction request is on the next correction list."))
    return redirect(ticket)


@login_required
@permission_required("corrections.view_correctionlist", raise_exception=True)
def list_index(request):
    page = Paginator(selectors.lists(), 25).get_page(request.GET.get("page"))
    pending = CorrectionRequest.objects.filter(status=CorrectionRequest.Status.OPEN).count()
    return render(request, "corrections/lists.html", {"page": page, "pending": pending})


@login_required
@permission_required("corrections.view_correctionlist", raise_exception=True)
def list_detail(request, number):
    correction_list = get_object_or_404(selectors.lists(), number=number)
    rows = selectors.requests().filter(correction_list=correction_list).order_by("id")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    context = {"correction_list": correction_list, "page": page}
    return render(request, "corrections/list.html", context)


@login_required
@permission_required("corrections.view_correctionlist", raise_exception=True)
def list_export(request, number, extension):
    correction_list = get_object_or_404(CorrectionList, number=number)
    return exports.download(correction_list, extension)


@require_POST
@login_required
@permission_required("corrections.run_correction_lists", raise_exception=True)
def run_now(request):
    from callcenter.celery import app

    if app.conf.task_always_eager:
        numbers = build_correction_lists.delay().get(timeout=30)
        if numbers:
            text = _("Correction lists built: %(numbers)s.")
            messages.success(request, text % {"numbers": ", ".join(f"#{n}" for n in numbers)})
        else:
            messages.info(request, _("No correction request is waiting: no list built."))
    else:
        build_correction_lists.delay()
        messages.info(request, _("The lists are being built; they appear here in a moment."))
    return redirect("corrections:lists")


@require_POST
@login_required
@permission_required("corrections.answer_correctionrequest", raise_exception=True)
def answer(request, pk):
    filed = get_object_or_404(CorrectionRequest.objects.select_related("correction_list"), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    elif _report(
        request,
        lambda: services.correction_answer(actor=request.user, request=filed, **form.cleaned_data),
    ):
        send_sms_outbox.delay_on_commit()
        messages.success(request, _("Answer recorded."))
    if filed.correction_list is None:
        return redirect("corrections:lists")
    return redirect("corrections:list", number=filed.correction_list.number)
