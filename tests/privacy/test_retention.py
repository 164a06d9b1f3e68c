"""The nightly erasure (SPEC §9, issue 14): personal data of tickets resolved more than
RETENTION_MONTHS ago goes, the figures stay — the stored daily summary too."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from callbacks.models import Callback
from citizens.models import RecordAccess
from privacy import retention, services
from privacy.models import ErasureRun
from privacy.tasks import erase_expired_personal_data
from reporting import stats, summary
from reporting.models import DailySummary
from tests.factories import ticket_for
from tests.privacy.conftest import DAYS_AGO, PHONE
from tickets.models import Call, Ticket, TicketNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_month(settings):
    settings.RETENTION_MONTHS = 1


def test_personal_fields_of_old_resolved_tickets_are_erased(one_month, subject_data, agent):
    recent = ticket_for(agent, phone=PHONE, identity={"caller_name": "Trần Thị Bình"})

    counts = erase_expired_personal_data()

    old = Ticket.objects.get(pk=subject_data.pk)
    assert counts["tickets"] == 1
    assert (old.caller_name, old.cccd_number, old.date_of_birth, str(old.caller_phone)) == (
        "", "", None, "")  # fmt: skip
    assert old.summary == "" and old.resolution_note == ""
    assert (old.category, old.status, old.resolved_at) == (
        subject_data.category, subject_data.status, subject_data.resolved_at)  # fmt: skip
    assert not TicketNote.objects.filter(ticket=old).exclude(text="").exists()
    assert not Call.objects.filter(ticket=old).exclude(caller_phone="").exists()
    assert Callback.objects.get().phone == ""
    assert Ticket.objects.get(pk=recent.pk).caller_name == "Trần Thị Bình"
    assert ErasureRun.objects.get().counts == counts


def test_a_second_run_has_nothing_to_erase(one_month, subject_data):
    erase_expired_personal_data()
    assert set(services.retention_erase().values()) == {0}


def test_unresolved_and_recent_tickets_keep_their_data(subject_data, agent):
    # The default 24 months: a ticket resolved 45 days ago stays whole.
    assert services.retention_erase()["tickets"] == 0
    assert Ticket.objects.get(pk=subject_data.pk).caller_name == "Nguyễn Văn An"


def test_the_daily_summary_does_not_change(one_month, subject_data):
    day = timezone.localdate() - datetime.timedelta(days=DAYS_AGO)
    summary.refresh()
    stored = DailySummary.objects.get(day=day).figures
    live = stats.daily(day, day)

    erase_expired_personal_data()

    assert DailySummary.objects.get(day=day, stale=False).figures == stored
    assert stats.daily(day, day) == live
    assert summary.daily(day, day) == live


def test_access_log_rows_older_than_access_log_years_are_deleted(settings, officer):
    settings.ACCESS_LOG_YEARS = 5
    old = RecordAccess.objects.create(user=officer, action="search", query={})
    kept = RecordAccess.objects.create(user=officer, action="search", query={})
    RecordAccess.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=5 * 366)
    )
    RecordAccess.objects.filter(pk=kept.pk).update(
        at=timezone.now() - datetime.timedelta(days=4 * 365)
    )

    services.retention_erase()

    assert list(RecordAccess.objects.values_list("pk", flat=True)) == [kept.pk]


def test_dry_run_reports_and_erases_nothing(one_month, subject_data, capsys):
    call_command("erase_personal_data", "--dry-run")

    out = capsys.readouterr().out
    assert "would erase 1 tickets" in out
    assert Ticket.objects.get(pk=subject_data.pk).caller_name == "Nguyễn Văn An"
    assert not ErasureRun.objects.exists()


def test_months_before_keeps_the_clock_and_clamps_the_day():
    moment = datetime.datetime(2026, 3, 31, 2, 30, tzinfo=datetime.UTC)
    assert retention.months_before(moment, 24) == datetime.datetime(
        2024, 3, 28, 2, 30, tzinfo=datetime.UTC
    )
    assert retention.months_before(moment, 3).month == 12
