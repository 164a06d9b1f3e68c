"""The access review (SPEC §9, issue 14) and its daily digest."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from citizens.models import RecordAccess
from privacy import review
from privacy.models import AccessDigest
from privacy.tasks import access_review_digest
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def look(user, *, at, ticket="2611-00001", application=""):
    access = RecordAccess.objects.create(
        user=user, action="open" if application else "search",
        ticket_reference=ticket, application_number=application,
    )  # fmt: skip
    RecordAccess.objects.filter(pk=access.pk).update(at=at)
    return access


def working_day():
    day = timezone.localdate() - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), TZ)


def codes(found):
    return [f["code"] for f in found]


def test_each_kind_of_finding(officer, other_officer):
    day = working_day()
    third = make_user("officer_c", "officer")
    quiet = look(officer, at=at(day, 10))
    no_ticket = look(officer, at=at(day, 10), ticket="")
    night = look(other_officer, at=at(day, 22))
    for user in (officer, other_officer, third):
        look(user, at=at(day, 11), application="HS2203000001")
    for _ in range(25):
        look(third, at=at(day, 9))

    found = review.findings(day, day)

    ids = {f.get("id") for f in found}
    assert no_ticket.pk in ids and night.pk in ids and quiet.pk not in ids
    assert {"code": "above_peers", "user": "officer_c", "count": 26, "peer_median": 2.5} in found
    assert {"code": "shared_record", "application_number": "HS2203000001", "count": 3} in found


def test_review_page_for_supervisors_only(client_for, supervisor, officer, agent):
    day = working_day()
    look(officer, at=at(day, 10), ticket="")
    query = {"start": day.isoformat(), "end": day.isoformat()}

    page = client_for(supervisor).get("/privacy/access-review/", query)

    assert page.status_code == 200 and "officer_a" in page.content.decode()
    assert client_for(officer).get("/privacy/access-review/").status_code == 403
    bad = client_for(supervisor).get("/privacy/access-review/", {"start": "2026-13-01"})
    assert bad.status_code == 400


def test_daily_digest_is_stored_and_mailed(supervisor, officer):
    supervisor.email = "sup@example.vn"
    supervisor.save()
    day = working_day()
    look(officer, at=at(day, 10), ticket="")

    count = access_review_digest(day.isoformat())

    assert count == 1
    assert AccessDigest.objects.get(day=day).findings[0]["code"] == "no_ticket"
    assert mail.outbox[0].to == ["sup@example.vn"]


def test_records_a_page_showed_are_not_look_ups_without_a_ticket(officer):
    """An officer's ticket page, a batch or a quality list logs `list` rows (the records
    it showed); only searches and opened applications need a ticket or a purpose."""
    day = working_day()
    shown = RecordAccess.objects.create(user=officer, action="list", ticket_reference="")
    RecordAccess.objects.filter(pk=shown.pk).update(at=at(day, 10))
    searched = look(officer, at=at(day, 10), ticket="")

    found = [f for f in review.findings(day, day) if f["code"] == review.NO_TICKET]
    assert [f["id"] for f in found] == [searched.pk]
    assert found[0]["at"] == f"{day:%d/%m/%Y} 10:00"
