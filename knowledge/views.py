"""Staff pages of answers: the list, one answer with its history, writing and editing
(supervisors), and the console's suggestions as the agent types."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import search, services
from .forms import AnswerForm, AnswerSearchForm, SuggestForm
from .models import Answer

# The console's categories where a published answer may settle the call.
SUGGEST_FOR_CATEGORIES = ("", "regulation_question", "other")


@login_required
@permission_required("knowledge.view_answer", raise_exception=True)
def answer_list(request):
    form = AnswerSearchForm(request.GET)
    answers = Answer.objects.defer("search_vector")
    editor = request.user.has_perm("knowledge.change_answer")
    if not editor:
        answers = answers.filter(status=Answer.Status.PUBLISHED)
    if form.is_valid():
        if form.cleaned_data["status"] and editor:
            answers = answers.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["q"]:
            answers = search.search(form.cleaned_data["q"], limit=50, published_only=not editor)
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "editor": editor}
    return render(request, "knowledge/list.html", context)


@login_required
@permission_required("knowledge.view_answer", raise_exception=True)
def answer_detail(request, slug):
    answer = get_object_or_404(Answer.objects.defer("search_vector"), slug=slug)
    editor = request.user.has_perm("knowledge.change_answer")
    if answer.status != Answer.Status.PUBLISHED and not editor:
        return render(request, "404.html", status=404)
    revisions = answer.revisions.select_related("editor") if editor else []
    context = {"answer": answer, "editor": editor, "revisions": revisions}
    return render(request, "knowledge/detail.html", context)


@login_required
@permission_required("knowledge.add_answer", raise_exception=True)
def answer_new(request):
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = services.answer_create(
            actor=request.user, slug=form.cleaned_data["slug"], **form.values()
        )
        messages.success(request, _("Answer saved."))
        return redirect("knowledge:detail", slug=answer.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "knowledge/form.html", {"form": form}, status=status)


@login_required
@permission_required("knowledge.change_answer", raise_exception=True)
def answer_edit(request, slug):
    answer = get_object_or_404(Answer, slug=slug)
    form = AnswerForm(request.POST or None, instance=answer)
    if request.method == "POST" and form.is_valid():
        services.answer_update(actor=request.user, slug=answer.slug, **form.values())
        messages.success(request, _("Answer saved."))
        return redirect("knowledge:detail", slug=answer.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "knowledge/form.html", {"form": form, "answer": answer}, status=status)


@require_POST
@login_required
@permission_required("knowledge.view_answer", raise_exception=True)
def suggestions_fragment(request):
    """The best matching answers for the summary being typed on the console (POST: a
    summary can hold personal data)."""
    form = SuggestForm(request.POST)
    answers = []
    if form.is_valid() and form.cleaned_data["category"] in SUGGEST_FOR_CATEGORIES:
        answers = search.search(form.cleaned_data["summary"], limit=3)
    return render(request, "knowledge/_suggestions.html", {"answers": answers})
