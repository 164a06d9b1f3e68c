"""Reads of answers: the published ones, one by slug."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Answer


def published():
    return Answer.objects.filter(status=Answer.Status.PUBLISHED).defer("search_vector")


def published_answer(slug: str, *, field: str = "answer") -> Answer:
    """The published answer with this slug, or a ValidationError naming `field`."""
    answer = published().filter(slug=slug).first() if slug else None
    if answer is None:
        raise ValidationError(
            {field: [_("Answer: no published answer %(slug)s.") % {"slug": slug}]}
        )
    return answer
