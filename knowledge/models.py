from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

QUESTION_MAX_LENGTH = 300
ANSWER_MAX_LENGTH = 4000


class Category(models.TextChoices):
    ISSUANCE = "issuance", _("Who is issued a card")
    RENEWAL = "renewal", _("Renewal ages and validity")
    PROCESSING = "processing", _("Time limits and collecting the card")
    FEES = "fees", _("Fees and exemptions")
    LOST_DAMAGED = "lost_damaged", _("Lost or damaged cards")
    CHILDREN = "children", _("Children under 14")
    PERSONAL_DATA = "personal_data", _("Changing personal data")
    VNEID = "vneid", _("VNeID and the electronic ID")
    OTHER = "other", _("Other")


class Answer(models.Model):
    """A published answer to a regulation question: what agents read out and citizens
    read at /hoi-dap/. Every change is kept as an AnswerRevision (knowledge.services)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    question = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH)
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    question_en = models.CharField(
        _("question (English)"), max_length=QUESTION_MAX_LENGTH, blank=True
    )
    answer_en = models.TextField(_("answer (English)"), max_length=ANSWER_MAX_LENGTH, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # fold() of the question, tags and answer: the accent-insensitive match on SQLite.
    search_key = models.TextField(editable=False, default="")
    # The same, weighted (question first), for PostgreSQL's full-text search; null
    # elsewhere. A GIN index on it is made by the migration on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["category", "question"]
        indexes = [
            # The public list and the staff API: published answers by category.
            models.Index(fields=["status", "category"], name="answer_status_category"),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("selfservice:answer", args=[self.slug])

    def localized(self) -> tuple[str, str]:
        """(question, answer) in the current language: English where it was written."""
        if self.shown_language == "en":
            return self.question_en, self.answer_en
        return self.question, self.answer

    @property
    def shown_language(self) -> str:
        """The language the answer is shown in: Vietnamese unless English was asked for
        and written (pages mark the difference, `lang` included)."""
        return "en" if get_language() == "en" and self.question_en and self.answer_en else "vi"

    @property
    def shown_question(self) -> str:
        return self.localized()[0]

    @property
    def shown_answer(self) -> str:
        return self.localized()[1]


class AnswerRevision(models.Model):
    """One saved version of an answer: who changed it, when, and what it said."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Answer.Status.choices)
    # Every edited field as it was saved in this revision.
    content = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("answer revision")
        verbose_name_plural = _("answer revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "number"], name="one_answer_revision_number")
        ]

    def __str__(self):
        return f"{self.answer_id} r{self.number}"
