"""Supervisors' pages: a data-subject request (find, export, correct, erase) and the
access review. Personal data travels in POST bodies, never in URLs."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from callcenter.fields import BoundedDateFormField

from . import exports, review, services
from .forms import CorrectionForm, ErasureForm, SubjectForm
from .models import AccessDigest, SubjectRequest

PERMISSION = "privacy.handle_subject_requests"
EXPORTS = {"json": exports.as_json, "xlsx": exports.as_xlsx}
ACTIONS = {"correct": CorrectionForm, "erase": ErasureForm}


def _act(request, form):
    """A correction or an erasure; the message for the page."""
    subject = form.subject()
    data = form.cleaned_data
    if isinstance(form, CorrectionForm):
        try:
            services.subject_correct(
                actor=request.user, subject=subject, reference=data["reference"],
                field=data["field"], value=data["value"], reason=data["reason"],
            )  # fmt: skip
        except ObjectDoesNotExist:
            form.add_error("reference", _("Ticket: not one of this person's tickets."))
            return None
        return _("Ticket %(reference)s corrected.") % {"reference": data["reference"]}
    counts = services.subject_erase(actor=request.user, subject=subject, reason=data["reason"])
    return _("Erased: %(tickets)d tickets, %(calls)d calls, %(callbacks)d callbacks.") % counts


@never_cache
@login_required
@permission_required(PERMISSION, raise_exception=True)
def personal_data(request):
    """Find all held about a phone or ID number; export it, correct it, erase it."""
    action = request.POST.get("action", "")
    form = ACTIONS.get(action, SubjectForm)(request.POST or None)
    context = {"form": form, "held": None}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "privacy/personal_data.html", context, status=400)
        if action in ACTIONS:
            message = _act(request, form)
            if message is None:
                return render(request, "privacy/personal_data.html", context, status=400)
            messages.success(request, message)
        export = request.POST.get("export", "")
        held = services.subject_search(
            actor=request.user, subject=form.subject(), export=export if export in EXPORTS else ""
        )
        if export in EXPORTS:
            return EXPORTS[export](held)
        context.update(held=held, subject=form.subject(), correct_form=CorrectionForm())
    context["requests"] = SubjectRequest.objects.select_related("actor")[:20]
    return render(request, "privacy/personal_data.html", context, status=status)


class ReviewForm(forms.Form):
    start = BoundedDateFormField(label=gettext_lazy("From"), required=False)
    end = BoundedDateFormField(label=gettext_lazy("To"), required=False)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(days=6)
        if start > end or (end - start).days > 92:
            raise forms.ValidationError(_("Choose a range of at most 92 days, from before to."))
        data["start"], data["end"] = start, end
        return data


@never_cache
@login_required
@permission_required("privacy.review_access", raise_exception=True)
def access_review(request):
    form = ReviewForm(request.GET)
    if not form.is_valid():
        return render(request, "privacy/access_review.html", {"form": form}, status=400)
    found = review.findings(form.cleaned_data["start"], form.cleaned_data["end"])
    for finding in found:
        finding["label"] = review.label(finding["code"])
    digests = list(AccessDigest.objects.all()[:7])
    for digest in digests:
        digest.count = len(digest.findings)
    context = {"form": form, "findings": found, "digests": digests}
    return render(request, "privacy/access_review.html", context)
