"""Celery application. With no REDIS_URL, tasks run in-process (always eager)."""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
logger = logging.getLogger(__name__)


class Task(DjangoTask):
    def delay_on_commit(self, *args, **kwargs) -> None:
        """Send the task once the transaction commits; with the broker down the change
        stands and the message is dropped with a warning. Only tasks that work off
        rows the change left in the database (the SMS outbox) are sent this way, and
        beat runs them on a schedule too, so the work is done once Redis is back."""

        def send():
            try:
                self.delay(*args, **kwargs)
            except BrokerError as exc:
                logger.warning("%s not queued, the broker is down: %s", self.name, exc)

        transaction.on_commit(send)


app = Celery("callcenter", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
