"""Telling the print desk that a batch is ready: an e-mail to every print-desk user
with an address (the page lists new batches as well)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from callcenter.roles import PRINT_DESK

logger = logging.getLogger(__name__)


def print_desk_new_batch(batch) -> None:
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=PRINT_DESK, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    count = batch.items.count()
    logger.info(
        "reprint batch %s ready: %s items, %s recipients", batch.number, count, len(recipients)
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reprint batch %(number)d: %(count)d cards") % {
            "number": batch.number,
            "count": count,
        }
        body = _("Download it from %(path)s") % {
            "path": reverse("reprints:batch", args=[batch.number])
        }
    send_mail(subject, body, None, recipients)
