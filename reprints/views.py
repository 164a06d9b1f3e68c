"""Pages: the print desk's batches, the supervisors' run-now and schedule, and the
officer's reprint request on a ticket."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from callcenter.errors import DomainError
from tickets.selectors import get_ticket_for

from . import exports, services
from .forms import MarkForm, PolicyForm, RequestReprintForm
from .models import ReprintBatch, ReprintItem, ReprintPolicy
from .selectors import batches
from .tasks import build_reprint_batch, send_sms_outbox


@login_required
@permission_required("reprints.view_reprintbatch", raise_exception=True)
def batch_list(request):
    page = Paginator(batches(), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "pending": ReprintItem.objects.filter(batch__isnull=True, active=True).count(),
    }
    if request.user.has_perm("reprints.change_reprintpolicy"):
        context["policy_form"] = PolicyForm(instance=ReprintPolicy.current())
    return render(request, "reprints/batches.html", context)


@login_required
@permission_required("reprints.view_reprintbatch", raise_exception=True)
def batch_detail(request, number):
    batch = get_object_or_404(batches(), number=number)
    items = batch.items.select_related("application").prefetch_related("tickets").order_by("id")
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    exports.record_shown(user=request.user, batch=batch, what="page", items=page)
    return render(request, "reprints/batch.html", {"batch": batch, "page": page})


@login_required
@permission_required("reprints.view_reprintbatch", raise_exception=True)
def batch_export(request, number, extension):
    batch = get_object_or_404(ReprintBatch, number=number)
    exports.record_shown(user=request.user, batch=batch, what=extension)
    if extension == "csv":
        return exports.download(batch, exports.as_csv(batch), "csv", "text/csv; charset=utf-8")
    return exports.download(
        batch,
        exports.as_xlsx(batch),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
@login_required
@permission_required("reprints.run_reprint_batch", raise_exception=True)
def run_now(request):
    number = build_reprint_batch.delay().get(timeout=30) if _eager() else None
    if _eager():
        if number:
            messages.success(request, _("Batch %(number)d built.") % {"number": number})
        else:
            messages.info(request, _("Nothing is waiting for a reprint: no batch built."))
    else:
        messages.info(request, _("The batch is being built; it appears here in a moment."))
    return redirect("reprints:batches")


def _eager() -> bool:
    from callcenter.celery import app

    return bool(app.conf.task_always_eager)


@require_POST
@login_required
@permission_required("reprints.change_reprintpolicy", raise_exception=True)
def policy_update(request):
    form = PolicyForm(request.POST, instance=ReprintPolicy.current())
    if form.is_valid():
        form.save()
        messages.success(
            request,
            _("Batches are now built every %(days)d days.") % {"days": form.instance.interval_days},
        )
    else:
        messages.error(request, _("Choose 2 or 3 days."))
    return redirect("reprints:batches")


@require_POST
@login_required
@permission_required("reprints.mark_reprintitem", raise_exception=True)
def item_mark(request, pk):
    item = get_object_or_404(ReprintItem.objects.select_related("batch"), pk=pk)
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.item_mark(actor=request.user, item=item, **form.cleaned_data)
            send_sms_outbox.delay_on_commit()
        except DomainError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    if item.batch is None:
        return redirect("reprints:batches")
    return redirect("reprints:batch", number=item.batch.number)


@require_POST
@login_required
@permission_required("reprints.mark_reprintitem", raise_exception=True)
def batch_printed(request, number):
    batch = get_object_or_404(ReprintBatch, number=number)
    try:
        count = services.batch_mark_printed(actor=request.user, batch=batch)
        send_sms_outbox.delay_on_commit()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)d cards marked printed.") % {"count": count})
    return redirect("reprints:batch", number=number)


@require_POST
@login_required
@permission_required("reprints.request_reprint", raise_exception=True)
def request_reprint(request, reference):
    ticket = get_ticket_for(request.user, reference, "request_reprint")
    form = RequestReprintForm(request.POST)
    if form.is_valid():
        try:
            services.reprint_request(actor=request.user, ticket=ticket, **form.cleaned_data)
            messages.success(request, _("The card is on the reprint list."))
        except DomainError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(ticket)
