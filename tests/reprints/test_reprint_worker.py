"""Reprint batches built by a real Celery worker on the test Redis broker (issue 4):
the full path from request to printed, concurrent builds, an empty build, a worker
killed mid-build, and beat firing the scheduled build."""

import datetime
import os
import signal
import subprocess
import sys
import textwrap

import psycopg
import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from citizens.models import REPRINTED, ApplicationStatus, CardApplication
from reprints import services
from reprints.models import Reason, ReprintBatch, ReprintItem, ReprintPolicy, SmsMessage
from reprints.tasks import build_reprint_batch, scheduled_reprint_batch
from tests.citizens.factories import application as card_application
from tests.factories import escalated_ticket
from tests.reprints.conftest import ROOT, Worker, database_url_for, redis_url_with_db, wait_until
from tests.tickets.test_claim import race
from tickets import services as ticket_services
from tickets.models import ResolutionCode, Status, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def queue_worked_off(drain):
    """Nothing a test queued runs during the next one."""
    yield
    drain()


def pending_items(count: int) -> list[ReprintItem]:
    """`count` applications in printing, each with a pending reprint request."""
    applications = [
        card_application("Trần Thị Bình", status=ApplicationStatus.PRINTING, save=False)
        for _ in range(count)
    ]
    applications = CardApplication.objects.bulk_create(applications)
    return ReprintItem.objects.bulk_create(
        ReprintItem(application=a, reason=Reason.SLOW_PRINTING) for a in applications
    )


def sent_batches():
    return ReprintBatch.objects.filter(status=ReprintBatch.Status.SENT)


# --- the full path --------------------------------------------------------------------


def test_reprint_goes_from_request_through_the_worker_to_printed_resolved_and_texted(
    agent, officer, print_desk, api_client_for, run_task, celery_worker
):
    print_desk.email = "in-tray@printdesk.test"
    print_desk.save(update_fields=["email"])
    application = card_application(status=ApplicationStatus.PRINTING)
    ticket = escalated_ticket(agent, phone="0912 345 678")
    ticket_services.ticket_claim(ticket=ticket, actor=officer)
    ticket_services.ticket_link_application(
        ticket=ticket, actor=officer, application_number=application.application_number
    )

    item = services.reprint_request(
        ticket=Ticket.objects.get(pk=ticket.pk), actor=officer, reason=Reason.SLOW_PRINTING
    )
    assert Ticket.objects.get(pk=ticket.pk).status == Status.AWAITING_REPRINT

    since = celery_worker.mark()
    returned = run_task(build_reprint_batch, until=sent_batches().exists)

    batch = ReprintBatch.objects.get()
    assert returned == str(batch.number)
    assert list(batch.items.values_list("pk", flat=True)) == [item.pk]
    assert batch.status == ReprintBatch.Status.SENT and batch.sent_at is not None
    assert "in-tray@printdesk.test" in celery_worker.log(since)  # the print desk's e-mail

    response = api_client_for(print_desk).post(
        f"/api/v1/reprint-items/{item.pk}/mark/", {"outcome": "printed"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == ReprintItem.Outcome.PRINTED
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == Status.RESOLVED
    assert ticket.resolution_code == ResolutionCode.REPRINTED
    assert ticket.resolved_at is not None
    application.refresh_from_db()
    assert (REPRINTED, timezone.localdate()) in application.timeline_steps()
    assert ReprintBatch.objects.get().status == ReprintBatch.Status.DONE
    message = SmsMessage.objects.get(ticket_reference=ticket.reference)
    assert message.phone == "+84912345678"
    assert ticket.reference in message.text
    # The mark queued send_sms_outbox after its commit; the worker hands it to the backend.
    wait_until(
        lambda: SmsMessage.objects.filter(pk=message.pk, status=SmsMessage.Status.SENT).exists(),
        what="the worker to send the SMS",
    )
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at is not None


# --- builds ---------------------------------------------------------------------------


def test_two_builds_at_once_put_every_pending_item_in_exactly_one_batch(celery_worker):
    items = pending_items(400)
    since = celery_worker.mark()

    # Two builds on the worker and two in this process, all at the same moment.
    task_ids = [build_reprint_batch.delay().id for _ in range(2)]
    outcomes = race(services.batch_build, services.batch_build)
    for task_id in task_ids:
        how = wait_until(
            lambda t=task_id: celery_worker.finished(t, since),
            timeout=60.0,
            what=lambda: f"the builds; the worker's log:\n{celery_worker.log(since)[-3000:]}",
        )
        assert how == "succeeded", celery_worker.log(since)[-3000:]

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert ReprintItem.objects.count() == len(items)
    assert not ReprintItem.objects.filter(batch__isnull=True).exists()
    sizes = dict(ReprintBatch.objects.annotate(n=Count("items")).values_list("number", "n"))
    assert sizes and min(sizes.values()) > 0, sizes  # no empty batch
    assert sum(sizes.values()) == len(items)
    assert sorted(sizes) == list(range(1, len(sizes) + 1))


def test_a_build_with_nothing_pending_makes_no_batch(run_task):
    batched, finished = pending_items(2)
    batch = ReprintBatch.objects.create(number=1)
    ReprintItem.objects.filter(pk__in=[batched.pk, finished.pk]).update(batch=batch)
    ReprintItem.objects.filter(pk=finished.pk).update(active=False, outcome="printed")

    returned = run_task(build_reprint_batch)

    assert returned == "None"
    assert list(ReprintBatch.objects.values_list("number", flat=True)) == [1]
    assert set(ReprintItem.objects.values_list("batch__number", flat=True)) == {1}


# --- a worker killed mid-build --------------------------------------------------------


def worker_blocked_in_the_build_update(database: str):
    """The server session of a build that has created its batch and now waits for a
    row lock in the UPDATE that fills it; None while there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT pid FROM pg_stat_activity
               WHERE datname = %s AND wait_event_type = 'Lock'
                 AND query LIKE 'UPDATE "reprints_reprintitem"%%'""",
            [database],
        )
        row = cursor.fetchone()
    return row and row[0]


def session_is_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def test_a_worker_killed_mid_build_leaves_no_half_batch(celery_worker, run_task, tmp_path):
    items = pending_items(5)
    database = connection.settings_dict["NAME"]
    # A broker of its own, so the killed worker's unacknowledged task is thrown away
    # with it instead of coming back later in the suite.
    broker = redis_url_with_db(14 if redis_url_with_db(15) == settings.REDIS_URL else 15)
    redis.Redis.from_url(broker).flushdb()
    app = Celery("kill-test", broker=broker, set_as_current=False)
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=database
    )
    worker = Worker(
        log_path=tmp_path / "doomed.log", database=database, broker=broker, prefix="doomed"
    )
    try:
        worker.wait_ready(app)
        # This connection holds a lock on one pending row: the build gets as far as
        # creating its batch and then waits inside its UPDATE.
        holder.execute(
            "SELECT id FROM reprints_reprintitem WHERE id = %s FOR UPDATE", [items[-1].pk]
        )
        app.send_task(build_reprint_batch.name)
        pid = wait_until(
            lambda: worker_blocked_in_the_build_update(database),
            what=lambda: f"the build to block mid-way:\n{worker.log()[-2000:]}",
        )

        os.kill(worker.process.pid, signal.SIGKILL)
        assert worker.process.wait(timeout=10) == -signal.SIGKILL
        holder.rollback()  # the build's UPDATE can go on, but nobody will commit it
        wait_until(lambda: session_is_gone(pid), what="the killed worker's session to end")
    finally:
        holder.close()
        worker.stop()
        redis.Redis.from_url(broker).flushdb()

    assert not ReprintBatch.objects.exists()
    assert ReprintItem.objects.filter(batch__isnull=True, active=True).count() == len(items)

    returned = run_task(build_reprint_batch, until=sent_batches().exists)

    batch = ReprintBatch.objects.get()
    assert returned == str(batch.number) == "1"
    assert sorted(batch.items.values_list("pk", flat=True)) == sorted(i.pk for i in items)


# --- beat -----------------------------------------------------------------------------

BEAT = textwrap.dedent(
    """
    import datetime, sys
    from django.conf import settings
    from callcenter.celery import app

    # The product's entry, run every second instead of after each working day.
    entry = dict(settings.CELERY_BEAT_SCHEDULE["reprint-batch"])
    entry["schedule"] = datetime.timedelta(seconds=1)
    app.conf.beat_schedule = {"reprint-batch": entry}
    app.start(["beat", "--loglevel=INFO", "-s", sys.argv[1], "--pidfile", sys.argv[2]])
    """
)


def test_the_product_schedule_runs_the_scheduled_build_after_the_shift_on_working_days():
    from callcenter.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["reprint-batch"]
    schedule = entry["schedule"]
    assert entry["task"] == scheduled_reprint_batch.name
    assert scheduled_reprint_batch.name in app.tasks
    assert schedule.day_of_week == {1, 2, 3, 4, 5}  # Monday to Friday
    shift_end = tuple(int(part) for part in settings.SHIFT_END.split(":"))
    assert all((h, m) > shift_end for h in schedule.hour for m in schedule.minute)


def test_beat_fires_the_scheduled_build_which_waits_for_the_interval(
    celery_worker, drain, tmp_path
):
    first = pending_items(3)
    beat_log = tmp_path / "beat.log"
    with open(beat_log, "wb") as output:
        beat = subprocess.Popen(
            [sys.executable, "-c", BEAT, str(tmp_path / "schedule"), str(tmp_path / "beat.pid")],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url_for(connection.settings_dict["NAME"])},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(
            sent_batches().exists,
            what=lambda: f"beat to have the worker build a batch:\n{beat_log.read_text()}",
        )
        later = ReprintItem.objects.create(
            application=card_application(status=ApplicationStatus.APPROVED),
            reason=Reason.SLOW_PRINTING,
        )
        since = celery_worker.mark()
        # Two more beats (a "received" and a "succeeded" line each): the interval
        # (3 days) has not passed since the first batch, so they build nothing.
        wait_until(
            lambda: celery_worker.log(since).count("scheduled_reprint_batch[") >= 2 * 2,
            what=lambda: f"more beats:\n{beat_log.read_text()[-2000:]}",
        )
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    drain()

    batch = ReprintBatch.objects.get()
    assert sorted(batch.items.values_list("pk", flat=True)) == sorted(i.pk for i in first)
    assert ReprintItem.objects.get(pk=later.pk).batch is None


@pytest.mark.parametrize(
    ("interval", "last_batch_age", "builds"),
    [
        (3, datetime.timedelta(days=1), False),
        (3, datetime.timedelta(days=2, hours=23), True),  # a beat a little early still counts
        (3, datetime.timedelta(days=5), True),  # a missed run is caught up
        (2, datetime.timedelta(days=2), True),
        (2, datetime.timedelta(days=1, hours=12), False),
    ],
)
def test_scheduled_build_runs_once_the_supervisors_interval_has_passed(
    run_task, interval, last_batch_age, builds
):
    ReprintPolicy.objects.update_or_create(pk=1, defaults={"interval_days": interval})
    ReprintBatch.objects.create(number=1, created_at=timezone.now() - last_batch_age)
    item = pending_items(1)[0]

    returned = run_task(scheduled_reprint_batch)

    item.refresh_from_db()
    assert (item.batch_id is not None) is builds
    assert returned == ("2" if builds else "None")
    assert ReprintBatch.objects.count() == (2 if builds else 1)
