"""Every change to answers: created or edited by a supervisor, each save a revision."""

from django.db import connection, transaction
from django.utils import timezone

from callcenter import cache
from citizens.text import fold

from .models import Answer, AnswerRevision

# What a supervisor edits; each revision keeps these as they were saved.
EDITABLE = (
    "question", "answer", "question_en", "answer_en", "legal_basis", "category", "tags",
    "status",
)  # fmt: skip


def _search_key(answer: Answer) -> str:
    return fold(" ".join([answer.question, " ".join(answer.tags), answer.answer]))


def _index(answer: Answer) -> None:
    """The weighted full-text vector, on PostgreSQL: question first, then the tags and
    the English question, then the answers."""
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Value

    parts = [
        (answer.question, "A"),
        (" ".join(answer.tags) + " " + answer.question_en, "B"),
        (answer.answer, "C"),
        (answer.answer_en, "D"),
    ]
    vector = None
    for text, weight in parts:
        part = SearchVector(Value(fold(text)), weight=weight, config="simple")
        vector = part if vector is None else vector + part
    Answer.objects.filter(pk=answer.pk).update(search_vector=vector)


def forget_frequent() -> None:
    """The words common to many answers change with the answers (knowledge.search)."""
    from .search import FREQUENT_KEY

    cache.delete(FREQUENT_KEY)


def _save(answer: Answer, actor, fields: dict) -> Answer:
    for name in EDITABLE:
        if name in fields:
            setattr(answer, name, fields[name])
    answer.tags = [" ".join(str(tag).split()) for tag in answer.tags if str(tag).strip()]
    answer.search_key = _search_key(answer)
    answer.updated_at, answer.updated_by = timezone.now(), actor
    answer.save()
    _index(answer)
    transaction.on_commit(forget_frequent)
    number = answer.revisions.count() + 1
    AnswerRevision.objects.create(
        answer=answer,
        number=number,
        editor=actor,
        at=answer.updated_at,
        status=answer.status,
        content={name: getattr(answer, name) for name in EDITABLE},
    )
    return answer


@transaction.atomic
def answer_create(*, actor, slug: str, **fields) -> Answer:
    """A new answer (a draft unless `status` says published), with its first revision."""
    return _save(Answer(slug=slug), actor, fields)


@transaction.atomic
def answer_update(*, actor, slug: str, **fields) -> Answer:
    """Edit the answer with this slug; the previous text stays in its history."""
    return _save(Answer.objects.select_for_update().get(slug=slug), actor, fields)
