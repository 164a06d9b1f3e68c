"""What each PBX event means for the hotline (SPEC §11): a call event of §5 keyed on the
call (Asterisk's Linkedid, FreeSWITCH's caller-leg UUID), or a queue member's pause.
Pure functions of one event's fields, so every flow can be read and tested here.

Asterisk (app_queue, AMI events as documented for Asterisk 16+):
  QueueCallerJoin → ringing · AgentCalled → ringing on the member's extension ·
  AgentConnect → answered · AgentComplete (not a transfer) → hangup ·
  QueueCallerAbandon → hangup before an answer · Hangup of the caller's channel →
  hangup (of a call the hotline knows) · QueueMemberPause → agent status.
FreeSWITCH (ESL, mod_callcenter):
  CHANNEL_CREATE of an inbound caller leg → ringing · CHANNEL_ANSWER of an agent leg →
  answered · CHANNEL_HANGUP_COMPLETE → hangup (of a known call) · callcenter::info:
  member-queue-start → ringing, agent-offering → ringing on the agent's extension,
  bridge-agent-start → answered, bridge-agent-end → hangup, member-queue-end with
  CC-Cause Cancel → hangup before an answer, agent-status-change → agent status.
"""

import dataclasses
import re

# PJSIP/101, SIP/101, IAX2/101, Local/101@from-queue/n → 101
INTERFACE = re.compile(r"^[A-Za-z0-9_]+/(?P<ext>[^@/;\-]+)")
# FreeSWITCH agents are named like 101@default or plain 101
AGENT_NAME = re.compile(r"^(?P<ext>[^@]+)")
# CallerIDNum values that mean "withheld"
WITHHELD = {"", "anonymous", "unknown", "<unknown>", "restricted", "private", "0000000000"}


@dataclasses.dataclass(frozen=True)
class CallEvent:
    call_id: str
    event: str  # ringing, answered, hangup
    caller_number: str | None = None
    extension: str = ""
    # Only for a call the hotline already knows (a PBX sees calls that are not ours).
    known_only: bool = False


@dataclasses.dataclass(frozen=True)
class Pause:
    extension: str
    paused: bool
    reason_text: str = ""


def extension_of(interface: str) -> str:
    match = INTERFACE.match(interface or "")
    return match["ext"] if match else ""


def caller_of(number: str | None) -> str | None:
    number = (number or "").strip()
    return None if number.lower() in WITHHELD else number


def from_ami(fields: dict) -> CallEvent | Pause | None:
    """One AMI event (its header names in any case) as a hotline event, or None."""
    f = {key.lower(): value for key, value in fields.items()}
    name = f.get("event", "").lower()
    if name == "queuememberpause":
        paused = f.get("paused", "0").strip() == "1"
        reason = f.get("pausedreason") or f.get("reason") or ""
        return Pause(extension_of(f.get("interface", "")), paused, reason)
    call_id = f.get("linkedid") or f.get("uniqueid") or ""
    if not call_id or name not in AMI_CALL_EVENTS:
        return None
    event, with_member = AMI_CALL_EVENTS[name]
    if name == "agentcomplete" and f.get("reason", "").lower() == "transfer":
        return None  # the caller goes on to another seat; their hang-up ends the call
    if name == "hangup" and f.get("uniqueid") != f.get("linkedid"):
        return None  # an agent's leg: the caller's own channel says when the call ends
    extension = extension_of(f.get("interface", "")) if with_member else ""
    return CallEvent(
        call_id=call_id,
        event=event,
        caller_number=caller_of(f.get("calleridnum")),
        extension=extension,
        known_only=name == "hangup",
    )


AMI_CALL_EVENTS = {
    # event name: (CTI event, carries the queue member's interface)
    "queuecallerjoin": ("ringing", False),
    "agentcalled": ("ringing", True),
    "agentconnect": ("answered", True),
    "agentcomplete": ("hangup", True),
    "queuecallerabandon": ("hangup", False),
    "hangup": ("hangup", False),
}


def from_esl(fields: dict) -> CallEvent | Pause | None:
    """One ESL event (text/event-plain headers, already URL-decoded), or None."""
    name = fields.get("Event-Name", "")
    if name == "CUSTOM" and fields.get("Event-Subclass") == "callcenter::info":
        return _callcenter(fields)
    if name == "CHANNEL_CREATE":
        if fields.get("Call-Direction") != "inbound" or fields.get("variable_cc_agent"):
            return None
        return CallEvent(
            call_id=fields.get("Unique-ID", ""),
            event="ringing",
            caller_number=caller_of(fields.get("Caller-Caller-ID-Number")),
        )
    member = fields.get("variable_cc_member_session_uuid", "")
    if name == "CHANNEL_ANSWER" and member:
        # An agent's leg answered; the caller's own leg is answered by the queue itself.
        return CallEvent(member, "answered", extension=_agent(fields.get("variable_cc_agent")))
    if name == "CHANNEL_HANGUP_COMPLETE" and not member:
        return CallEvent(fields.get("Unique-ID", ""), "hangup", known_only=True)
    return None


def _agent(name: str | None) -> str:
    match = AGENT_NAME.match(name or "")
    return match["ext"].strip() if match else ""


def _callcenter(fields: dict) -> CallEvent | Pause | None:
    action = fields.get("CC-Action", "")
    if action == "agent-status-change":
        status = fields.get("CC-Agent-Status", "")
        if status not in ("On Break", "Available"):
            return None
        return Pause(_agent(fields.get("CC-Agent")), status == "On Break", "")
    call_id = fields.get("CC-Member-Session-UUID", "")
    caller = caller_of(fields.get("CC-Member-CID-Number"))
    extension = _agent(fields.get("CC-Agent"))
    if not call_id:
        return None
    if action == "member-queue-start":
        return CallEvent(call_id, "ringing", caller)
    if action == "agent-offering":
        return CallEvent(call_id, "ringing", caller, extension)
    if action == "bridge-agent-start":
        return CallEvent(call_id, "answered", caller, extension)
    if action == "bridge-agent-end":
        return CallEvent(call_id, "hangup", caller, extension)
    if action == "member-queue-end" and fields.get("CC-Cause") == "Cancel":
        return CallEvent(call_id, "hangup", caller)
    return None
