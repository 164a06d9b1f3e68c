"""`pbx_bridge freeswitch` against an event-socket peer: the same flows over ESL and
mod_callcenter, keyed on the caller leg's UUID."""

import time

import pytest

from tests.worker import wait_until
from tickets.models import Call, CallEvent

from .conftest import E164, ended
from .flows import EslCall, esl_agent_status

pytestmark = pytest.mark.django_db(transaction=True)
UUID = "7f4de4bc-1c6a-4a3e-8d1e-0b8f2a3c{:04d}"


def test_the_bridge_subscribes_to_the_events_it_maps(esl, start_bridge):
    start_bridge("freeswitch", esl)

    (subscription,) = esl.subscriptions
    assert subscription.split()[2:] == [
        "CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE", "CUSTOM",
        "callcenter::info",
    ]  # fmt: skip


def test_an_answered_call_is_recorded_with_its_agent(esl, start_bridge, hotline, agent):
    start_bridge("freeswitch", esl)
    call = EslCall(UUID.format(1))

    esl.send(call.answered_by("101"))

    recorded = hotline.wait_for_call(ended)
    assert recorded["agent"] == agent.username and recorded["answered_at"] is not None
    assert hotline.status(agent) == ("wrap_up", "")
    assert hotline.callbacks() == []
    assert CallEvent.objects.filter(call__pbx_call_id=call.uuid).count() == 3


def test_a_caller_leaving_the_queue_gets_a_callback(esl, start_bridge, hotline):
    start_bridge("freeswitch", esl)
    call = EslCall(UUID.format(2))

    esl.send([call.create(), call.answer_by_queue(), call.queue_start(), call.offering("101"),
              call.bridge_fail("101"), call.queue_end("Cancel"), call.hangup()])  # fmt: skip

    recorded = hotline.wait_for_call(ended)
    assert recorded["answered_at"] is None  # the queue's own answer is not an agent's
    (callback,) = wait_until(hotline.callbacks, what="the callback")
    assert (callback["phone"], callback["missed_calls"]) == (E164, 1)


def test_ring_no_answer_then_another_agent_gives_the_call_to_the_second(
    esl, start_bridge, hotline, agent, other_agent
):
    start_bridge("freeswitch", esl)
    call = EslCall(UUID.format(3))

    esl.send([call.create(), call.queue_start(), call.offering("101"), call.bridge_fail("101"),
              call.offering("102"), call.agent_answer("102"), call.bridge_start("102"),
              call.bridge_end("102"), call.hangup(agent_leg="102"), call.hangup()])  # fmt: skip

    recorded = hotline.wait_for_call(ended)
    assert recorded["agent"] == other_agent.username
    assert hotline.status(other_agent) == ("wrap_up", "")
    assert hotline.status(agent)[0] == "offline"


def test_an_agent_on_break_and_available_again(esl, start_bridge, hotline, agent):
    start_bridge("freeswitch", esl)

    esl.send([esl_agent_status("101", "On Break")])
    wait_until(lambda: hotline.status(agent) == ("break", "other"), what="the break")
    esl.send([esl_agent_status("101", "Available")])

    wait_until(lambda: hotline.status(agent) == ("ready", ""), what="ready again")


def test_malformed_messages_and_unknown_agents_are_skipped(esl, start_bridge, hotline, agent):
    bridge = start_bridge("freeswitch", esl)
    esl.send([{"Event-Name": "CUSTOM", "Event-Subclass": "callcenter::info",
               "CC-Action": "agent-offering"},
              esl_agent_status("999", "On Break"), {"Event-Name": "HEARTBEAT"}])  # fmt: skip
    esl.send_raw(b"Content-Type: text/event-plain\nContent-Length: 5\n\n%%%\xff\n")

    esl.send(EslCall(UUID.format(4)).answered_by("101"))

    assert hotline.wait_for_call(ended)["agent"] == agent.username
    assert bridge.alive()


def test_after_the_socket_drops_the_bridge_logs_in_again_and_records_nothing_twice(
    esl, start_bridge, hotline, agent
):
    bridge = start_bridge("freeswitch", esl)
    call = EslCall(UUID.format(5))
    first_half = [call.create(), call.queue_start(), call.offering("101"),
                  call.agent_answer("101"), call.bridge_start("101")]  # fmt: skip
    esl.send(first_half)
    hotline.wait_for_call(lambda c: c["answered_at"] is not None)

    esl.drop()
    dropped = time.monotonic()
    wait_until(lambda: esl.logins == 2 and esl.clients, timeout=30, what="a second log-in")
    assert time.monotonic() - dropped < 30
    esl.send([*first_half, call.bridge_end("101"), call.hangup(agent_leg="101"), call.hangup()])

    assert hotline.wait_for_call(ended)["agent"] == agent.username
    assert Call.objects.count() == 1
    assert CallEvent.objects.filter(call__pbx_call_id=call.uuid).count() == 3
    assert "reconnecting in" in bridge.log()


def test_a_wrong_password_is_retried_until_accepted(esl, start_bridge, hotline):
    esl.secret = "changed-on-the-pbx"
    bridge = start_bridge("freeswitch", esl, logged_in=False)
    wait_until(lambda: esl.refused >= 2, timeout=30, what="two refused log-ins")
    assert bridge.alive() and "refused the login: -ERR invalid" in bridge.log()

    esl.secret = "amp111-test"
    wait_until(lambda: esl.logins == 1 and esl.clients, timeout=30, what="the log-in")
    esl.send(EslCall(UUID.format(6)).answered_by("101"))
    hotline.wait_for_call(ended)
