"""Callbacks (SPEC §8.2): nobody who rang is lost."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from callbacks import services
from callbacks.models import Callback, CallbackAttempt
from reporting import stats
from tests.factories import ticket_for
from tickets.models import Call

pytestmark = pytest.mark.django_db
PHONE = "+84912345678"
CTI = "/api/v1/cti/events/"


@pytest.fixture
def ring(pbx, api_client_for):
    """Report a PBX call: ringing, then optionally answered, then hung up."""
    client = api_client_for(pbx)

    def call(call_id, *, phone="0912345678", answered=False, at=None, extension="101"):
        at = at or timezone.now() - datetime.timedelta(minutes=3)
        events = [("ringing", 0), ("answered", 10)] if answered else [("ringing", 0)]
        for event, seconds in [*events, ("hangup", 40)]:
            response = client.post(
                CTI,
                {"call_id": call_id, "event": event, "caller_number": phone,
                 "agent_extension": extension,
                 "at": (at + datetime.timedelta(seconds=seconds)).isoformat()},
                format="json",
            )  # fmt: skip
            assert response.status_code == 202, response.content

    return call


def in_shift(hour=10):
    """A weekday moment in the shift, in the last days (a Monday to Friday)."""
    day = timezone.localdate()
    while day.weekday() > 4 or day == timezone.localdate():
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def test_an_abandoned_call_creates_a_pending_callback(ring):
    ring("c1")
    callback = Callback.objects.get()
    assert (callback.status, str(callback.phone), callback.missed_calls) == ("pending", PHONE, 1)
    assert callback.attempts == 0 and callback.holder is None


def test_more_missed_calls_from_a_number_add_to_its_one_pending_callback(ring):
    ring("c1")
    ring("c2")
    ring("c3", phone="0987654321")
    assert Callback.objects.filter(phone=PHONE).get().missed_calls == 2
    assert Callback.objects.count() == 2


def test_a_repeated_hangup_event_counts_once(ring, pbx, api_client_for):
    ring("c1")
    at = (timezone.now() - datetime.timedelta(minutes=2)).isoformat()
    payload = {"call_id": "c1", "event": "hangup", "caller_number": "0912345678", "at": at}
    assert api_client_for(pbx).post(CTI, payload, format="json").json()["duplicate"] is True
    assert Callback.objects.get().missed_calls == 1


def test_a_withheld_number_creates_no_callback(pbx, api_client_for):
    client = api_client_for(pbx)
    at = timezone.now() - datetime.timedelta(minutes=1)
    for event in ("ringing", "hangup"):
        client.post(CTI, {"call_id": "w", "event": event, "at": at.isoformat()}, format="json")
    assert Call.objects.count() == 1
    assert not Callback.objects.exists()


def test_an_answered_call_creates_no_callback_and_closes_the_pending_one(ring):
    ring("c1")
    ring("c2", answered=True)
    callback = Callback.objects.get()
    assert callback.status == Callback.Status.CALLER_REACHED_US
    assert callback.closed_at is not None


def test_a_ticket_logged_for_the_number_closes_its_callback(ring, agent):
    ring("c1")
    ticket_for(agent)
    assert Callback.objects.get().status == Callback.Status.CALLER_REACHED_US


def test_a_missed_call_at_night_waits_for_the_morning(agent):
    night = in_shift(hour=21)
    call = Call.objects.create(caller_phone=PHONE, started_at=night, ended_at=night)
    callback = services.callback_missed(call=call)
    local = timezone.localtime(callback.next_attempt_at)
    assert local.date() > night.date() and (local.hour, local.minute) == (7, 30)


# --- the API ---------------------------------------------------------------------------


def test_the_list_puts_callbacks_due_now_before_those_waiting_for_a_retry(
    ring, agent, api_client_for
):
    ring("c1", phone="0911111111", at=timezone.now() - datetime.timedelta(hours=3))
    ring("c2", phone="0922222222", at=timezone.now() - datetime.timedelta(hours=2))
    ring("c3", phone="0933333333", at=timezone.now() - datetime.timedelta(hours=1))
    Callback.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=1))
    oldest = Callback.objects.get(phone="+84911111111")
    services.callback_claim(actor=agent, callback=oldest)
    services.callback_outcome(actor=agent, callback=oldest, outcome="no_answer")
    ticket = ticket_for(agent, phone="+84933333333", escalate_now=True)
    # The ticket closed that number's callback: a new missed call opens another (due now,
    # whatever the hour this runs: outside the shift it would wait for the morning).
    ring("c4", phone="0933333333")
    Callback.objects.filter(phone="+84933333333", status="pending").update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    body = api_client_for(agent).get("/api/v1/callbacks/?status=pending").json()
    phones = [row["phone"] for row in body["results"]]
    assert phones[-1] == "+84911111111"  # waiting 30 minutes for its retry
    row = body["results"][phones.index("+84933333333")]
    assert set(row) >= {
        "id", "phone", "missed_calls", "first_missed_at", "attempts", "next_attempt_at",
        "status", "holder", "open_tickets",
    }  # fmt: skip
    assert [t["reference"] for t in row["open_tickets"]] == [ticket.reference]
    assert body["results"][-1]["attempts"] == 1


def test_a_bad_status_filter_is_a_400(agent, api_client_for):
    response = api_client_for(agent).get("/api/v1/callbacks/?status=maybe")
    assert response.status_code == 400 and "status" in response.json()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("agent", 200), ("supervisor", 200), ("officer", 403), ("print_desk", 403), ("pbx", 403)],
)
def test_the_callback_list_is_for_agents_and_supervisors(role, expected, users, api_client_for):
    assert api_client_for(users[role]).get("/api/v1/callbacks/").status_code == expected


@pytest.mark.parametrize("role", ["officer", "supervisor", "print_desk", "pbx"])
def test_only_agents_claim_callbacks(role, ring, users, api_client_for):
    ring("c1")
    callback = Callback.objects.get()
    response = api_client_for(users[role]).post(f"/api/v1/callbacks/{callback.pk}/claim/")
    assert response.status_code == 403
    assert Callback.objects.get().holder is None


def test_claim_then_another_agent_is_told_who_holds_it(ring, agent, other_agent, api_client_for):
    ring("c1")
    callback = Callback.objects.get()
    first = api_client_for(agent).post(f"/api/v1/callbacks/{callback.pk}/claim/")
    second = api_client_for(other_agent).post(f"/api/v1/callbacks/{callback.pk}/claim/")

    assert first.status_code == 200 and first.json()["holder"] == agent.username
    assert second.status_code == 409 and agent.username in second.json()["detail"]


def test_a_closed_callback_cannot_be_claimed(ring, agent, api_client_for):
    ring("c1")
    ticket_for(agent)
    callback = Callback.objects.get()
    assert api_client_for(agent).post(f"/api/v1/callbacks/{callback.pk}/claim/").status_code == 409


def outcome(client, callback, **data):
    return client.post(f"/api/v1/callbacks/{callback.pk}/outcome/", data, format="json")


def test_no_answer_returns_it_for_a_retry_in_30_minutes_and_the_third_gives_up(
    ring, agent, api_client_for
):
    ring("c1")
    callback = Callback.objects.get()
    client = api_client_for(agent)
    for attempt in (1, 2):
        client.post(f"/api/v1/callbacks/{callback.pk}/claim/")
        before = timezone.now()
        body = outcome(client, callback, outcome="no_answer").json()
        assert (body["status"], body["attempts"], body["holder"]) == ("pending", attempt, None)
        retry = datetime.datetime.fromisoformat(body["next_attempt_at"])
        assert retry >= before + datetime.timedelta(minutes=30)
        Callback.objects.update(next_attempt_at=timezone.now())
    client.post(f"/api/v1/callbacks/{callback.pk}/claim/")
    body = outcome(client, callback, outcome="no_answer").json()
    assert (body["status"], body["attempts"]) == ("given_up", 3)


def test_reached_records_the_ticket_logged_for_the_call(ring, agent, api_client_for):
    ring("c1")
    callback = Callback.objects.get()
    client = api_client_for(agent)
    client.post(f"/api/v1/callbacks/{callback.pk}/claim/")
    ticket = ticket_for(agent, phone="+84987654321")
    body = outcome(client, callback, outcome="reached", ticket=ticket.reference).json()

    assert (body["status"], body["ticket"]) == ("reached", ticket.reference)
    assert CallbackAttempt.objects.get().outcome == "reached"


def test_a_ticket_the_holder_logs_for_the_number_reaches_the_callback(ring, agent):
    ring("c1")
    callback = services.callback_claim(actor=agent, callback=Callback.objects.get())
    ticket = ticket_for(agent)
    callback.refresh_from_db()
    assert (callback.status, callback.ticket) == (Callback.Status.REACHED, ticket)


def test_wrong_number_closes_it(ring, agent, api_client_for):
    ring("c1")
    callback = Callback.objects.get()
    client = api_client_for(agent)
    client.post(f"/api/v1/callbacks/{callback.pk}/claim/")
    assert outcome(client, callback, outcome="wrong_number").json()["status"] == "wrong_number"


@pytest.mark.parametrize(
    ("data", "field"),
    [({"outcome": "maybe"}, "outcome"), ({"outcome": "reached", "ticket": "2601-99999"}, "ticket")],
)
def test_bad_outcome_input_is_a_400_and_changes_nothing(data, field, ring, agent, api_client_for):
    ring("c1")
    callback = Callback.objects.get()
    client = api_client_for(agent)
    client.post(f"/api/v1/callbacks/{callback.pk}/claim/")
    response = outcome(client, callback, **data)
    assert response.status_code == 400 and field in response.json()
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == ("pending", 0)
    assert not CallbackAttempt.objects.exists()


def test_only_the_holder_records_the_outcome(ring, agent, other_agent, api_client_for):
    ring("c1")
    callback = Callback.objects.get()
    api_client_for(agent).post(f"/api/v1/callbacks/{callback.pk}/claim/")
    response = outcome(api_client_for(other_agent), callback, outcome="wrong_number")
    assert response.status_code == 403
    assert Callback.objects.get().status == "pending"


def test_an_unknown_callback_is_a_404(agent, api_client_for):
    assert api_client_for(agent).post("/api/v1/callbacks/999/claim/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_agents_claiming_at_once_one_wins(agent, other_agent, api_client_for):
    now = timezone.now()
    callback = Callback.objects.create(
        phone=PHONE, first_missed_at=now, last_missed_at=now, next_attempt_at=now
    )
    barrier = threading.Barrier(2)
    codes = []

    def claim(user):
        barrier.wait()
        codes.append(
            api_client_for(user).post(f"/api/v1/callbacks/{callback.pk}/claim/").status_code
        )
        connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in (agent, other_agent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]


@pytest.mark.django_db(transaction=True)
def test_two_missed_calls_at_once_make_one_callback():
    now = timezone.now()
    calls = [Call.objects.create(caller_phone=PHONE, started_at=now, ended_at=now) for _ in "ab"]
    barrier = threading.Barrier(2)

    def missed(call):
        barrier.wait()
        services.callback_missed(call=call)
        connection.close()

    threads = [threading.Thread(target=missed, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Callback.objects.get().missed_calls == 2


# --- the console --------------------------------------------------------------------


def test_console_shows_the_callbacks_due_and_takes_the_next_with_one_key(ring, agent, client_for):
    ring("c1")
    Callback.objects.update(next_attempt_at=timezone.now())
    client = client_for(agent)
    html = client.get("/console/").content.decode()
    assert 'id="callbacks-due"' in html and 'id="take-callback"' in html

    response = client.post("/callbacks/next/")
    callback = Callback.objects.get()
    assert response["Location"] == f"/callbacks/{callback.pk}/"
    assert callback.holder == agent
    page = client.get(response["Location"]).content.decode()
    assert "0912 345 678" in page and 'id="outcome-reached"' in page


def test_reached_on_the_page_leads_into_logging_the_call_with_the_number(ring, agent, client_for):
    ring("c1")
    Callback.objects.update(next_attempt_at=timezone.now())
    client = client_for(agent)
    client.post("/callbacks/next/")
    callback = Callback.objects.get()
    response = client.post(f"/callbacks/{callback.pk}/outcome/", {"outcome": "reached"})

    assert response["Location"] == f"/console/?callback={callback.pk}"
    html = client.get(response["Location"]).content.decode()
    assert 'value="+84912345678"' in html or 'value="0912 345 678"' in html
    client.post("/console/", {"caller_phone": "0912345678", "category": "other",
                              "summary": "Gọi lại cho công dân", "action": "resolve"})  # fmt: skip
    callback.refresh_from_db()
    assert callback.status == "reached" and callback.ticket is not None


def test_no_callback_due_says_so(agent, client_for):
    response = client_for(agent).post("/callbacks/next/", follow=True)
    assert response.redirect_chain == [("/console/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Không có cuộc gọi lại nào đến hạn."]


# --- figures -------------------------------------------------------------------------


def test_callback_figures_equal_a_count_of_the_raw_rows(
    ring, agent, supervisor, api_client_for, client_for
):
    for n in range(4):
        ring(f"c{n}", phone=f"091234567{n}")
    Callback.objects.update(next_attempt_at=timezone.now())
    callbacks = list(Callback.objects.order_by("pk"))
    client = api_client_for(agent)
    for callback, result in zip(
        callbacks[:3], ["reached", "wrong_number", "no_answer"], strict=True
    ):
        client.post(f"/api/v1/callbacks/{callback.pk}/claim/")
        outcome(client, callback, outcome=result)
    today = timezone.localdate()

    (row,) = stats.daily(today, today)
    tried = Callback.objects.filter(first_attempt_at__isnull=False)
    waits = sorted((c.first_attempt_at - c.first_missed_at).total_seconds() / 60 for c in tried)
    assert row["callbacks_created"] == Callback.objects.count() == 4
    assert row["callbacks_reached"] == Callback.objects.filter(status="reached").count() == 1
    assert row["callbacks_given_up"] == 0
    assert row["callback_median_minutes_to_first_attempt"] == round(waits[1])
    people = api_client_for(supervisor).get("/api/v1/stats/agents/").json()
    mine = next(a for a in people["agents"] if a["username"] == agent.username)
    assert mine["callbacks_made"] == CallbackAttempt.objects.filter(agent=agent).count() == 3
    csv = client_for(supervisor).get(f"/dashboard/daily.csv?start={today}&end={today}")
    header, line = csv.content.decode("utf-8-sig").splitlines()
    assert header.split(",")[-5:] == [
        "Gọi lại nhiều lần", "Cuộc gọi lại được tạo", "Gọi lại được", "Bỏ gọi lại",
        "Số phút trung vị đến lần gọi lại đầu",
    ]  # fmt: skip
    assert line.split(",")[-5:] == ["0", "4", "1", "0", str(round(waits[1]))]


@pytest.mark.parametrize(
    ("role", "list_code", "next_code"),
    [
        ("agent", 200, 302),
        ("supervisor", 200, 403),
        ("officer", 403, 403),
        ("print_desk", 403, 403),
        ("pbx", 403, 403),
    ],
)
def test_callback_pages_answer_each_role(role, list_code, next_code, ring, users, client_for):
    ring("c1")
    callback = Callback.objects.get()
    client = client_for(users[role])
    assert client.get("/callbacks/").status_code == list_code
    assert client.get(f"/callbacks/{callback.pk}/").status_code == list_code
    assert client.post("/callbacks/next/").status_code == next_code
    outcome_code = client.post(f"/callbacks/{callback.pk}/outcome/", {"outcome": "wrong_number"})
    assert outcome_code.status_code == (302 if role == "agent" else 403)


def test_callback_pages_send_anonymous_callers_to_log_in(ring, client):
    ring("c1")
    callback = Callback.objects.get()
    for response in (client.get("/callbacks/"), client.post("/callbacks/next/"),
                     client.get(f"/callbacks/{callback.pk}/")):  # fmt: skip
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Callback.objects.get().holder is None


def test_the_list_page_shows_pending_callbacks_with_their_open_tickets(ring, agent, client_for):
    ring("c1")
    ticket = ticket_for(agent, phone="+84987654321", escalate_now=True)
    ring("c2", phone="0987654321")
    html = client_for(agent).get("/callbacks/").content.decode()
    assert "0912 345 678" in html and ticket.reference in html
