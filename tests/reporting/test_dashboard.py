import csv
import datetime
import io

import pytest
from django.utils import timezone

from tests.factories import escalated_ticket, ticket_for

pytestmark = pytest.mark.django_db
PAGES = ["/dashboard/", "/dashboard/today/", "/dashboard/daily.csv", "/dashboard/people.csv"]


@pytest.mark.parametrize("url", PAGES)
def test_dashboard_pages_are_for_supervisors_only(url, users, client, client_for):
    assert client_for(users["supervisor"]).get(url).status_code == 200
    for role in ("agent", "officer", "print_desk", "pbx"):
        assert client_for(users[role]).get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_supervisor_lands_on_the_dashboard(supervisor, client_for):
    assert client_for(supervisor).get("/")["Location"] == "/dashboard/"


def test_dashboard_shows_today_and_the_range_with_chart_data(agent, supervisor, client_for):
    ticket_for(agent, resolve_now=True)
    escalated_ticket(agent)

    response = client_for(supervisor).get("/dashboard/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="chart-data"' in content
    assert response.context["today"]["tickets"] == 2
    assert response.context["today"]["queue_length"] == 1
    assert response.context["today"]["first_contact_rate"] == 50


@pytest.mark.parametrize(
    "query", ["start=2026-02-30", "start=2026-11-20&end=2026-11-10", "start=2001-01-01"]
)
def test_a_bad_range_is_a_400_with_the_field_named(query, supervisor, client_for):
    response = client_for(supervisor).get(f"/dashboard/?{query}")
    assert response.status_code == 400
    assert response.context["form"].errors


def test_daily_csv_has_a_row_per_day_with_the_counts(agent, supervisor, client_for):
    ticket_for(agent, resolve_now=True)
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = client_for(supervisor).get(f"/dashboard/daily.csv?start={today}&end={today}")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 2
    assert rows[1][0] == today
    assert rows[1][4] == "1"  # tickets


def test_people_csv_lists_agents_and_officers(agent, supervisor, client_for):
    ticket_for(agent)
    response = client_for(supervisor).get("/dashboard/people.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert any(agent.username in row for row in rows[1:])


def test_daily_csv_carries_sla_and_backlog_age_columns(agent, supervisor, client_for):
    from django.utils import timezone

    from tests.factories import escalated_ticket

    escalated_ticket(agent)
    today = timezone.localdate().isoformat()
    client = client_for(supervisor)
    client.cookies["django_language"] = "en"
    response = client.get(f"/dashboard/daily.csv?start={today}&end={today}")

    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    figures = dict(zip(header, row, strict=True))
    assert figures["Escalated"] == "1"
    assert figures["SLA breaches"] == "0"
    assert figures["Reprints requested"] == "0"
    assert figures["Oldest open (h)"] != ""
    assert figures["Average time to claim (business s)"] == ""


def test_dashboard_shows_tickets_by_channel_and_the_latest_reprint_batches(
    agent, supervisor, client_for
):
    from reprints.models import ReprintBatch

    ticket_for(agent, resolve_now=True)
    ReprintBatch.objects.create(number=7)

    response = client_for(supervisor).get("/dashboard/")

    channels = response.context["charts"]["channels"]
    assert sum(channels.values()) == 1
    assert [b.number for b in response.context["batches"]] == [7]
    assert 'href="/reprints/7/"' in response.content.decode()


def test_people_csv_neutralises_a_name_that_would_be_read_as_a_formula(
    agent, supervisor, client_for
):
    agent.username = "@cmd|calc"  # a username may begin with @, + or -
    agent.save()
    ticket_for(agent)
    response = client_for(supervisor).get("/dashboard/people.csv")
    text = response.content.decode("utf-8-sig")
    assert "'@cmd|calc" in text
    assert not any(cell.startswith("@") for row in csv.reader(io.StringIO(text)) for cell in row)


def test_break_hours_are_written_the_vietnamese_way(agent, supervisor, client_for):
    from presence.models import StatusInterval

    day = datetime.date(2026, 11, 17)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    StatusInterval.objects.create(
        agent=agent, status="break", reason="lunch",
        started_at=at, ended_at=at + datetime.timedelta(minutes=90),
    )  # fmt: skip

    page = client_for(supervisor).get("/dashboard/", {"start": day, "end": day})

    assert page.status_code == 200
    assert "1,5 / 0" in page.content.decode()  # lunch first, a decimal comma
