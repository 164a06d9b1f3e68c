"""PBX call events: recorded once per call and kind, in any order, and the console's
incoming-call pop-up."""

import datetime

import pytest
from django.utils import timezone

from callcenter.roles import PBX
from reporting import stats
from tests.conftest import make_user
from tickets.models import Call, CallEvent, Ticket

pytestmark = pytest.mark.django_db
URL = "/api/v1/cti/events/"
PHONE = "0912345678"


@pytest.fixture
def pbx(db):
    return make_user("pbx_gateway", PBX)


@pytest.fixture
def send(pbx, api_client_for):
    client = api_client_for(pbx)
    base = timezone.now() - datetime.timedelta(minutes=5)

    def post(event, seconds, call_id="c-1", extension="101", **extra):
        payload = {
            "call_id": call_id,
            "event": event,
            "caller_number": PHONE,
            "agent_extension": extension,
            "at": (base + datetime.timedelta(seconds=seconds)).isoformat(),
            **extra,
        }
        return client.post(URL, payload, format="json")  # fmt: skip

    post.base = base
    return post


def test_a_normal_call_rings_is_answered_and_hung_up(send, agent):
    assert send("ringing", 0).status_code == 202
    assert send("answered", 12).json()["state"] == "answered"
    body = send("hangup", 312).json()

    assert body == {**body, "duplicate": False, "agent": agent.username, "state": "ended"}
    call = Call.objects.get(pbx_call_id="c-1")
    assert call.agent == agent and call.extension == "101"
    assert (call.answered_at - call.started_at).total_seconds() == 12
    assert (call.ended_at - call.answered_at).total_seconds() == 300
    assert CallEvent.objects.filter(call=call).count() == 3


def test_a_call_hung_up_before_an_answer_is_abandoned(send, agent):
    send("ringing", 0)
    assert send("hangup", 30).json()["state"] == "abandoned"

    (today,) = stats.daily(timezone.localdate(), timezone.localdate())
    assert today["pbx_calls_abandoned"] == 1
    assert today["abandonment_rate_percent"] == 100.0


def test_a_repeated_event_changes_nothing(send, agent):
    send("ringing", 0)
    send("answered", 10)

    again = send("answered", 50)

    assert again.status_code == 202 and again.json()["duplicate"] is True
    call = Call.objects.get(pbx_call_id="c-1")
    assert (call.answered_at - call.started_at).total_seconds() == 10
    assert CallEvent.objects.count() == 2


def test_events_arriving_out_of_order_give_the_same_call(send, agent):
    send("hangup", 200)
    send("answered", 15)
    send("ringing", 0)

    call = Call.objects.get(pbx_call_id="c-1")
    assert call.started_at == send.base
    assert (call.answered_at - call.started_at).total_seconds() == 15
    assert (call.ended_at - call.started_at).total_seconds() == 200
    assert call.agent == agent


def test_an_unknown_extension_is_recorded_without_an_agent(send, agent):
    body = send("ringing", 0, extension="999").json()

    assert body["agent"] is None
    call = Call.objects.get(pbx_call_id="c-1")
    assert call.agent is None and call.extension == "999"


def event(**fields):
    return {"call_id": "c-9", "event": "ringing", "caller_number": PHONE, "at": NOW, **fields}


NOW = timezone.now().isoformat()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"call_id": "c-9", "event": "ringing", "caller_number": PHONE},
        event(event="transfer"),
        event(caller_number="abc"),
        event(at="yesterday"),
        event(at="2099-01-01T08:00:00Z"),
        event(call_id=12),
        event(call_id="x" * 65),
        event(agent_extension=101),
    ],
)
def test_malformed_events_are_refused(payload, pbx, api_client_for):
    response = api_client_for(pbx).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert not Call.objects.exists()


def test_times_out_of_sequence_are_refused(send, agent):
    send("ringing", 100)

    response = send("hangup", 50)

    assert response.status_code == 400
    assert "at" in response.json()
    assert not CallEvent.objects.filter(event="hangup").exists()


@pytest.mark.parametrize("role", ["agent", "officer", "supervisor"])
def test_only_the_pbx_reports_call_events(role, request, api_client_for):
    user = request.getfixturevalue(role)
    payload = {"call_id": "c-1", "event": "ringing", "caller_number": PHONE,
               "at": timezone.now().isoformat()}  # fmt: skip
    assert api_client_for(user).post(URL, payload, format="json").status_code == 403
    assert api_client_for(None).post(URL, payload, format="json").status_code == 401
    assert not Call.objects.exists()


def test_service_level_and_speed_of_answer(send, agent):
    send("ringing", 0, call_id="a")
    send("answered", 10, call_id="a")
    send("hangup", 100, call_id="a")
    send("ringing", 0, call_id="b")
    send("answered", 40, call_id="b")
    send("ringing", 0, call_id="c")
    send("hangup", 5, call_id="c")

    (today,) = stats.daily(timezone.localdate(), timezone.localdate())

    assert (today["pbx_calls_answered"], today["pbx_calls_abandoned"]) == (2, 1)
    assert today["average_speed_of_answer_seconds"] == 25
    assert today["service_level_percent"] == 33.3  # 1 of 3 answered within 20 s
    assert today["abandonment_rate_percent"] == 33.3


def test_the_console_pops_up_the_ringing_call_with_its_history(send, agent, client_for):
    from tests.factories import ticket_for

    ticket_for(agent, phone="+84912345678")
    client = client_for(agent)
    assert client.get("/console/incoming/").content.strip().startswith(b"<div")
    assert b"incoming-title" not in client.get("/console/incoming/").content

    send("ringing", 0)
    page = client.get("/console/incoming/")

    assert b"0912 345 678" in page.content
    assert b"incoming-title" in page.content
    key = page.content.split(b"showing=")[1].split(b'"')[0].decode()
    assert client.get(f"/console/incoming/?showing={key}").status_code == 204


def test_logging_the_popped_up_call_links_it_to_the_ticket(send, agent, client_for):
    send("ringing", 0)
    send("answered", 8)
    call = Call.objects.get(pbx_call_id="c-1")

    response = client_for(agent).post(
        "/console/",
        {"caller_phone": PHONE, "category": "other", "summary": "Hỏi giờ làm việc",
         "action": "resolve", "pbx_call": call.pk},
    )  # fmt: skip

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert list(ticket.calls.all()) == [call]
    assert b"incoming-title" not in client_for(agent).get("/console/incoming/").content


def test_another_agents_call_does_not_pop_up(send, agent, other_agent, client_for):
    send("ringing", 0)
    assert b"incoming-title" not in client_for(other_agent).get("/console/incoming/").content


def test_a_late_hangup_for_yesterdays_call_marks_yesterday_for_recomputation(
    pbx, agent, api_client_for
):
    from reporting import summary
    from reporting.models import DailySummary

    client = api_client_for(pbx)
    yesterday_evening = timezone.now() - datetime.timedelta(days=1)
    ring = {"call_id": "late-1", "caller_number": PHONE, "agent_extension": "101"}
    rang = yesterday_evening.isoformat()
    client.post(URL, {**ring, "event": "ringing", "at": rang}, format="json")
    client.post(URL, {**ring, "event": "answered",
                      "at": (yesterday_evening + datetime.timedelta(seconds=5)).isoformat()},
                format="json")  # fmt: skip
    summary.refresh()
    day = timezone.localdate(yesterday_evening)
    assert DailySummary.objects.get(day=day).stale is False

    client.post(URL, {**ring, "event": "hangup", "at": timezone.now().isoformat()}, format="json")

    assert DailySummary.objects.get(day=day).stale is True
    first = day - datetime.timedelta(days=1)
    assert summary.daily(first, day) == stats.daily(first, day)


def test_a_late_ringing_keeps_the_agent_who_answered(send, agent, other_agent):
    send("answered", 10, extension="102")  # other_agent's seat picked it up
    send("ringing", 0, extension="101")

    call = Call.objects.get(pbx_call_id="c-1")
    assert (call.extension, call.agent) == ("102", other_agent)
    assert call.started_at == send.base


def test_the_same_call_cannot_be_logged_twice(send, agent, client_for, api_client_for):
    send("ringing", 0)
    send("answered", 8)
    call = Call.objects.get(pbx_call_id="c-1")
    form = {"caller_phone": PHONE, "category": "other", "summary": "Hỏi giờ làm việc",
            "action": "resolve", "pbx_call": call.pk}  # fmt: skip
    client = client_for(agent)
    assert client.post("/console/", form).status_code == 302

    again = client.post("/console/", form)

    assert again.status_code == 400
    assert "đã được ghi phiếu" in again.content.decode()
    assert Ticket.objects.count() == 1 and Call.objects.count() == 1


def test_a_race_to_log_the_same_call_gives_one_ticket(send, agent):
    from tickets import services
    from tickets.services import CallAlreadyLogged

    send("ringing", 0)
    call = Call.objects.get(pbx_call_id="c-1")
    services.ticket_create(actor=agent, caller_phone=PHONE, category="other", summary="x",
                           pbx_call=call)  # fmt: skip

    with pytest.raises(CallAlreadyLogged):
        services.ticket_create(actor=agent, caller_phone=PHONE, category="other", summary="x",
                               pbx_call=call)  # fmt: skip

    assert Ticket.objects.count() == 1 and Call.objects.count() == 1


@pytest.mark.parametrize("withheld", [None, "absent"])
def test_a_withheld_number_is_recorded_and_pops_up_without_history(
    withheld, pbx, agent, api_client_for, client_for
):
    event = {"call_id": "w-1", "event": "ringing", "agent_extension": "101",
             "at": timezone.now().isoformat()}  # fmt: skip
    if withheld is None:
        event["caller_number"] = None

    response = api_client_for(pbx).post(URL, event, format="json")

    assert response.status_code == 202, response.content
    call = Call.objects.get(pbx_call_id="w-1")
    assert call.caller_phone == ""
    page = client_for(agent).get("/console/incoming/").content.decode()
    assert "Số bị ẩn" in page
    assert 'data-phone=""' in page


def test_a_queue_ringing_the_next_seat_moves_the_pop_up_and_records_no_second_event(
    send, agent, other_agent
):
    send("ringing", 0, extension="")  # the caller joined the queue
    send("ringing", 2, extension="101")
    again = send("ringing", 20, extension="102")  # 101 did not answer

    assert again.json()["duplicate"] is True
    call = Call.objects.get(pbx_call_id="c-1")
    assert (call.extension, call.agent) == ("102", other_agent)
    assert call.started_at == send.base
    assert CallEvent.objects.filter(call=call).count() == 1
