"""What each PBX event means (pbx.mapping), field by field."""

import pytest

from pbx import mapping
from pbx.freeswitch import parse_headers

from .flows import AmiCall, EslCall, ami_pause


@pytest.mark.parametrize(
    ("interface", "extension"),
    [("PJSIP/101", "101"), ("SIP/101", "101"), ("Local/101@from-queue/n", "101"),
     ("Local/101@from-queue", "101"), ("IAX2/2001", "2001"), ("101", ""), ("", "")],
)  # fmt: skip
def test_the_extension_is_the_number_of_the_members_interface(interface, extension):
    assert mapping.extension_of(interface) == extension


def test_an_ami_call_maps_to_ringing_answered_and_hangup_keyed_on_linkedid():
    call = AmiCall("1764578000.7")
    events = [mapping.from_ami(e) for e in call.answered_by("101")]

    assert [(e.call_id, e.event, e.extension) for e in events if e] == [
        ("1764578000.7", "ringing", ""),
        ("1764578000.7", "ringing", "101"),
        ("1764578000.7", "answered", "101"),
        ("1764578000.7", "hangup", "101"),
        ("1764578000.7", "hangup", ""),  # the caller's channel; the agent's leg is ignored
    ]
    assert {e.caller_number for e in events if e} == {"0912345678"}


def test_a_transfer_does_not_end_the_call():
    assert mapping.from_ami(AmiCall("1.1").complete("101", reason="transfer")) is None


def test_a_pause_carries_its_reason_and_an_unpause_none():
    assert mapping.from_ami(ami_pause("101", True, "Ăn trưa")) == mapping.Pause(
        "101", True, "Ăn trưa"
    )
    assert mapping.from_ami(ami_pause("101", False)) == mapping.Pause("101", False, "")


def test_a_withheld_caller_id_is_no_number():
    event = mapping.from_ami(AmiCall("1.2", caller="anonymous").join())
    assert event.caller_number is None


def test_the_queues_own_answer_of_the_caller_is_not_an_agents():
    assert mapping.from_esl(EslCall("u-1").answer_by_queue()) is None
    answered = mapping.from_esl(EslCall("u-1").agent_answer("101"))
    assert (answered.call_id, answered.event, answered.extension) == ("u-1", "answered", "101")


def test_esl_bodies_are_url_decoded():
    body = "Event-Name: CUSTOM\nCC-Member-CID-Name: Nguy%E1%BB%85n%20V%C4%83n%20An\n"
    assert parse_headers(body, decode=True)["CC-Member-CID-Name"] == "Nguyễn Văn An"
