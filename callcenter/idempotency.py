"""Create requests that happen once per key.

A double click on the console's button, or an API client retrying a request whose
answer it lost, sends the same create twice. The client marks the request with a key
(a hidden form token, or the `Idempotency-Key` header); the first request with a key
claims it by inserting a row, in the same transaction as what it creates. A second
request with that key waits on the row's unique index while the first is running,
then finds its result and returns that instead. Keys live a day.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotencyKey

KEY = re.compile(r"[A-Za-z0-9_.:-]{8,100}")
KEPT = datetime.timedelta(days=1)


def idempotency_key_errors(value) -> dict[str, list[str]]:
    """The one rule for a key, for the console form and the API header alike."""
    if value in (None, "") or (isinstance(value, str) and KEY.fullmatch(value)):
        return {}
    message = _("Idempotency key: 8 to 100 letters, digits or - _ . : characters.")
    return {"idempotency_key": [message]}


def claim(*, actor, scope: str, key: str) -> str | None:
    """Inside the create's transaction: None when this request is the first with the key
    (it holds the key until that transaction ends), else the first request's result."""
    if not key:
        return None
    assert transaction.get_connection().in_atomic_block, "claim inside the create's transaction"
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(user=actor, scope=scope, key=key)
    except IntegrityError:
        return IdempotencyKey.objects.get(user=actor, scope=scope, key=key).result
    return None


def fulfil(*, actor, scope: str, key: str, result: str) -> None:
    """Record what the first request with the key created (same transaction)."""
    if key:
        IdempotencyKey.objects.filter(user=actor, scope=scope, key=key).update(result=result)


def forget_old_keys(now=None) -> int:
    before = (now or timezone.now()) - KEPT
    return IdempotencyKey.objects.filter(created_at__lt=before).delete()[0]


def check(value) -> str:
    errors = idempotency_key_errors(value)
    if errors:
        raise ValidationError(errors)
    return value or ""
