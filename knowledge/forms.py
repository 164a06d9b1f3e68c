from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH, Answer, Category


class AnswerForm(forms.Form):
    """A supervisor writes or edits an answer."""

    slug = forms.SlugField(
        label=_("Address (slug)"), max_length=80, help_text=_("Part of the public URL.")
    )
    question = forms.CharField(label=_("Question"), max_length=QUESTION_MAX_LENGTH)
    answer = forms.CharField(
        label=_("Answer"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea({"rows": 8})
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=300, help_text=_("The article, decree or circular.")
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Answer.Status.choices)
    question_en = forms.CharField(
        label=_("Question (English)"), max_length=QUESTION_MAX_LENGTH, required=False
    )
    answer_en = forms.CharField(
        label=_("Answer (English)"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea({"rows": 5}),
    )

    def __init__(self, *args, instance: Answer | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", self.initial_for(instance))
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["slug"].disabled = True

    @staticmethod
    def initial_for(answer: Answer) -> dict:
        fields = ("slug", "question", "answer", "legal_basis", "category", "status")
        initial = {name: getattr(answer, name) for name in (*fields, "question_en", "answer_en")}
        return initial | {"tags": ", ".join(answer.tags)}

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.instance is None and Answer.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Address: another answer has it."))
        return slug

    def clean_tags(self):
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("slug")
        return data


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Answer.Status.choices], required=False
    )


class SuggestForm(forms.Form):
    """What the console sends as the agent types: the summary and the category."""

    summary = forms.CharField(max_length=4000, required=False)
    category = forms.CharField(max_length=30, required=False)
