"""`pbx_bridge asterisk` against an AMI peer: each call flow, recorded through the CTI
service, read back through the API; pauses as agent status; reconnects and refusals."""

import time

import pytest
from django.db import connection
from django.test import override_settings

from tests.worker import wait_until
from tickets.models import Call, CallEvent

from .conftest import APPLICATION_NAME, E164, ended
from .flows import AmiCall, ami_pause

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answered_call_is_recorded_with_its_agent(ami, start_bridge, hotline, agent):
    start_bridge("asterisk", ami)

    ami.send(AmiCall("1764578000.101").answered_by("101"))

    call = hotline.wait_for_call(ended)
    assert call["agent"] == agent.username and call["answered_at"] is not None
    assert hotline.callbacks() == []
    assert hotline.status(agent) == ("wrap_up", "")
    assert CallEvent.objects.filter(call__pbx_call_id="1764578000.101").count() == 3


def test_a_caller_abandoning_in_the_queue_gets_a_callback(ami, start_bridge, hotline):
    start_bridge("asterisk", ami)
    call = AmiCall("1764578000.102")

    ami.send([call.newchannel(), call.join(), call.called("101"), call.no_answer("101"),
              call.abandon(), call.hangup()])  # fmt: skip

    recorded = hotline.wait_for_call(ended)
    assert recorded["answered_at"] is None
    (callback,) = wait_until(hotline.callbacks, what="the callback")
    assert (callback["phone"], callback["missed_calls"]) == (E164, 1)


def test_ring_no_answer_then_another_agent_gives_the_call_to_the_second(
    ami, start_bridge, hotline, agent, other_agent
):
    start_bridge("asterisk", ami)
    call = AmiCall("1764578000.103")

    ami.send([call.join(), call.called("101"), call.no_answer("101"), call.called("102"),
              call.connect("102"), call.complete("102"), call.hangup()])  # fmt: skip

    recorded = hotline.wait_for_call(ended)
    assert recorded["agent"] == other_agent.username
    assert hotline.status(other_agent) == ("wrap_up", "")
    assert hotline.status(agent)[0] == "offline"
    assert hotline.callbacks() == []


def test_a_ringing_call_pops_up_on_the_rung_agents_console(ami, start_bridge, agent, client_for):
    start_bridge("asterisk", ami)
    call = AmiCall("1764578000.104")

    ami.send([call.join(), call.called("101")])

    wait_until(lambda: Call.objects.filter(extension="101").exists(), what="the ringing call")
    page = client_for(agent).get("/console/incoming/")
    assert page.status_code == 200 and "912" in page.content.decode()


def test_a_transferred_call_is_one_call_ending_when_the_caller_hangs_up(
    ami, start_bridge, hotline, agent
):
    start_bridge("asterisk", ami)
    call = AmiCall("1764578000.105")
    ami.send([call.join(), call.called("101"), call.connect("101"), call.blind_transfer("102"),
              call.complete("101", reason="transfer"), call.join("cccd-l2")])  # fmt: skip
    hotline.wait_for_call(lambda c: c["answered_at"] is not None)
    time.sleep(1.0)

    ami.send([call.called("102"), call.connect("102"), call.complete("102"), call.hangup()])

    recorded = hotline.wait_for_call(ended)
    assert recorded["agent"] == agent.username  # who answered first owns the call
    assert recorded["handle_seconds"] >= 1
    assert CallEvent.objects.filter(call__pbx_call_id=call.linkedid).count() == 3


def test_a_queue_pause_puts_the_agent_on_a_break_and_unpause_makes_them_ready(
    ami, start_bridge, hotline, agent
):
    start_bridge("asterisk", ami)

    ami.send([ami_pause("101", True, "Ăn trưa"), ami_pause("101", True, "Ăn trưa", "cccd-l2")])
    wait_until(lambda: hotline.status(agent) == ("break", "lunch"), what="the break")
    ami.send([ami_pause("101", False)])

    wait_until(lambda: hotline.status(agent) == ("ready", ""), what="ready again")


def test_unknown_extensions_and_malformed_events_are_skipped(ami, start_bridge, hotline, agent):
    bridge = start_bridge("asterisk", ami)
    stray = AmiCall("1764578000.106", caller="0987654321")
    ami.send([stray.join(), stray.called("999"), ami_pause("999", True, "lunch")])
    ami.send_raw(b"Event: AgentConnect\r\nthis is not a header\r\n: \r\n\r\n\xff\xfe\r\n\r\n")
    ami.send([{"Event": "Hangup", "Linkedid": "", "Uniqueid": ""}])

    ami.send(AmiCall("1764578000.107").answered_by("101"))

    call = hotline.wait_for_call(ended)
    assert call["agent"] == agent.username
    assert bridge.alive()
    assert "extension 999, which is no agent's" in bridge.log()


def test_a_withheld_number_abandoning_gets_no_callback(ami, start_bridge, hotline):
    start_bridge("asterisk", ami)
    call = AmiCall("1764578000.108", caller="anonymous")

    ami.send([call.join(), call.abandon(), call.hangup()])

    wait_until(lambda: Call.objects.filter(pbx_call_id=call.linkedid, ended_at__isnull=False))
    assert hotline.callbacks() == []


def test_after_the_pbx_drops_the_bridge_logs_in_again_and_records_nothing_twice(
    ami, start_bridge, hotline, agent
):
    bridge = start_bridge("asterisk", ami)
    call = AmiCall("1764578000.109")
    first_half = [call.join(), call.called("101"), call.connect("101")]
    ami.send(first_half)
    hotline.wait_for_call(lambda c: c["answered_at"] is not None)

    ami.drop()
    dropped = time.monotonic()
    wait_until(lambda: ami.logins == 2 and ami.clients, timeout=30, what="a second log-in")
    assert time.monotonic() - dropped < 30
    # A PBX that replays what it sent before the drop, then the rest of the call.
    ami.send([*first_half, call.complete("101"), call.hangup(agent_leg="101"), call.hangup()])

    recorded = hotline.wait_for_call(ended)
    assert recorded["agent"] == agent.username
    assert Call.objects.count() == 1
    assert CallEvent.objects.filter(call__pbx_call_id=call.linkedid).count() == 3
    assert "reconnecting in" in bridge.log()


def test_a_refused_login_is_retried_with_growing_pauses_until_accepted(ami, start_bridge, hotline):
    ami.secret = "changed-on-the-pbx"
    bridge = start_bridge("asterisk", ami, logged_in=False)
    wait_until(lambda: ami.refused >= 3, timeout=30, what="three refused log-ins")
    assert bridge.alive() and ami.logins == 0
    log = bridge.log()
    assert "refused the login: Authentication failed" in log
    assert "reconnecting in 1 s" in log and "reconnecting in 2 s" in log

    ami.secret = "amp111-test"
    wait_until(lambda: ami.logins == 1 and ami.clients, timeout=30, what="the log-in")
    ami.send(AmiCall("1764578000.110").answered_by("101"))
    hotline.wait_for_call(ended)


def test_healthz_reports_the_bridges_last_event(ami, start_bridge, hotline, client):
    start_bridge("asterisk", ami)
    ami.send(AmiCall("1764578000.111").answered_by("101"))
    hotline.wait_for_call(ended)

    with override_settings(PBX_AMI_HOST="127.0.0.1"):
        body = client.get("/healthz").json()

    assert body["pbx_bridge"]["asterisk"]["logged_in_at"] is not None
    assert body["pbx_bridge"]["asterisk"]["last_event_at"] is not None
    assert "freeswitch" not in body["pbx_bridge"]


def test_a_database_connection_cut_under_the_bridge_is_made_again(ami, start_bridge, hotline):
    start_bridge("asterisk", ami)
    ami.send(AmiCall("1764578000.112").answered_by("101"))
    hotline.wait_for_call(ended)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = %s",
            [APPLICATION_NAME],
        )
        assert cursor.fetchone()[0] == 1

    ami.send(AmiCall("1764578000.113", caller="0987000111").answered_by("101"))

    hotline.wait_for_call(ended, phone="+84987000111")
