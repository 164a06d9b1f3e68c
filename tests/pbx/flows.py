"""Recorded event sequences of real call flows, with the fields Asterisk's AMI event
documentation (app_queue, Asterisk 16+) and FreeSWITCH's mod_callcenter and channel
event documentation give each event. Events the bridge ignores are played too."""

CALLER = "0912345678"
QUEUE = "cccd"


class AmiCall:
    """One inbound call through queue `cccd`, keyed by its Linkedid."""

    def __init__(self, linkedid: str, caller: str = CALLER):
        self.linkedid = linkedid
        self.caller = {
            "Channel": f"PJSIP/vnpt-trunk-{linkedid.replace('.', '')[-8:]}",
            "ChannelState": "6", "ChannelStateDesc": "Up",
            "CallerIDNum": caller, "CallerIDName": "<unknown>",
            "ConnectedLineNum": "<unknown>", "ConnectedLineName": "<unknown>",
            "Language": "vi", "AccountCode": "", "Context": "from-trunk",
            "Exten": "19000368", "Priority": "3",
            "Uniqueid": linkedid, "Linkedid": linkedid,
        }  # fmt: skip

    def _member(self, event: str, ext: str, **extra) -> dict:
        return {
            "Event": event, "Privilege": "agent,all", **self.caller,
            "DestChannel": f"PJSIP/{ext}-0000002a", "DestChannelState": "5",
            "DestChannelStateDesc": "Ringing", "DestCallerIDNum": ext,
            "DestCallerIDName": f"Agent {ext}", "DestContext": "from-queue",
            "DestExten": ext, "DestPriority": "1",
            "DestUniqueid": f"{self.linkedid}{ext}", "DestLinkedid": self.linkedid,
            "Queue": QUEUE, "Interface": f"PJSIP/{ext}", "MemberName": f"Agent {ext}",
            **extra,
        }  # fmt: skip

    def newchannel(self) -> dict:
        return {"Event": "Newchannel", "Privilege": "call,all", **self.caller,
                "ChannelState": "0", "ChannelStateDesc": "Down"}  # fmt: skip

    def join(self, queue: str = QUEUE) -> dict:
        return {"Event": "QueueCallerJoin", "Privilege": "agent,all", **self.caller,
                "Queue": queue, "Position": "1", "Count": "1"}  # fmt: skip

    def called(self, ext: str) -> dict:
        return self._member("AgentCalled", ext)

    def dial_begin(self, ext: str) -> dict:
        return {"Event": "DialBegin", "Privilege": "call,all", **self.caller,
                "DestChannel": f"PJSIP/{ext}-0000002a", "DialString": ext}  # fmt: skip

    def no_answer(self, ext: str) -> dict:
        return self._member("AgentRingNoAnswer", ext, RingTime="15")

    def connect(self, ext: str) -> dict:
        return self._member("AgentConnect", ext, HoldTime="12", RingTime="4")

    def complete(self, ext: str, reason: str = "caller") -> dict:
        return self._member("AgentComplete", ext, HoldTime="12", TalkTime="95", Reason=reason)

    def blind_transfer(self, to: str) -> dict:
        return {"Event": "BlindTransfer", "Privilege": "call,all", "Result": "Success",
                "TransfererChannel": "PJSIP/101-0000002a", "TransfererUniqueid": "x",
                "TransfereeChannel": self.caller["Channel"],
                "TransfereeLinkedid": self.linkedid, "IsExternal": "No",
                "Context": "from-internal", "Extension": to}  # fmt: skip

    def abandon(self) -> dict:
        return {"Event": "QueueCallerAbandon", "Privilege": "agent,all", **self.caller,
                "Queue": QUEUE, "Position": "1", "OriginalPosition": "1",
                "HoldTime": "42"}  # fmt: skip

    def hangup(self, *, agent_leg: str = "") -> dict:
        fields = {"Event": "Hangup", "Privilege": "call,all", **self.caller,
                  "Cause": "16", "Cause-txt": "Normal Clearing"}  # fmt: skip
        if agent_leg:
            fields |= {"Channel": f"PJSIP/{agent_leg}-0000002a",
                       "Uniqueid": f"{self.linkedid}{agent_leg}"}  # fmt: skip
        return fields

    def answered_by(self, ext: str) -> list[dict]:
        return [
            self.newchannel(), self.join(), self.called(ext), self.dial_begin(ext),
            self.connect(ext), self.complete(ext), self.hangup(agent_leg=ext), self.hangup(),
        ]  # fmt: skip


def ami_pause(ext: str, paused: bool, reason: str = "", queue: str = QUEUE) -> dict:
    return {
        "Event": "QueueMemberPause", "Privilege": "agent,all", "Queue": queue,
        "MemberName": f"Agent {ext}", "Interface": f"Local/{ext}@from-queue/n",
        "StateInterface": f"PJSIP/{ext}", "Membership": "dynamic", "Penalty": "0",
        "CallsTaken": "3", "LastCall": "1764578000", "LastPause": "0", "LoginTime": "1764570000",
        "InCall": "0", "Status": "1", "Paused": "1" if paused else "0",
        "PausedReason": reason, "Ringinuse": "0", "Wrapuptime": "0",
    }  # fmt: skip


class EslCall:
    """One inbound call into mod_callcenter queue `cccd@default`, keyed by the caller
    leg's UUID."""

    def __init__(self, uuid: str, caller: str = CALLER):
        self.uuid, self.number = uuid, caller

    def _channel(self, name: str, **extra) -> dict:
        return {
            "Event-Name": name, "Core-UUID": "6b1f3c0e-2f1a-4f5e-9a39-2f6d1c0b9e11",
            "FreeSWITCH-Hostname": "pbx1", "Event-Date-Timestamp": "1764578000000000",
            "Unique-ID": self.uuid, "Call-Direction": "inbound",
            "Channel-Name": "sofia/external/0912345678@10.0.0.5",
            "Caller-Caller-ID-Number": self.number, "Caller-Caller-ID-Name": self.number,
            "Caller-Destination-Number": "19000368", "Caller-Context": "public",
            **extra,
        }  # fmt: skip

    def _agent_leg(self, name: str, ext: str, **extra) -> dict:
        return self._channel(
            name, **{"Unique-ID": f"{self.uuid[:-4]}{ext}0", "Call-Direction": "outbound",
                     "Channel-Name": f"sofia/internal/{ext}@10.0.0.9",
                     "variable_cc_member_session_uuid": self.uuid,
                     "variable_cc_agent": f"{ext}@default", "variable_cc_queue": "cccd@default",
                     **extra},
        )  # fmt: skip

    def _cc(self, action: str, ext: str = "", **extra) -> dict:
        fields = {
            "Event-Name": "CUSTOM", "Event-Subclass": "callcenter::info",
            "CC-Queue": "cccd@default", "CC-Action": action,
            "CC-Member-UUID": f"m-{self.uuid}", "CC-Member-Session-UUID": self.uuid,
            "CC-Member-CID-Name": self.number, "CC-Member-CID-Number": self.number,
            **extra,
        }  # fmt: skip
        if ext:
            fields |= {"CC-Agent": f"{ext}@default", "CC-Agent-Type": "callback",
                       "CC-Agent-System": "single_box"}  # fmt: skip
        return fields

    def create(self) -> dict:
        return self._channel("CHANNEL_CREATE", **{"Channel-State": "CS_INIT"})

    def answer_by_queue(self) -> dict:
        return self._channel("CHANNEL_ANSWER", **{"Answer-State": "answered"})

    def queue_start(self) -> dict:
        return self._cc("member-queue-start")

    def offering(self, ext: str) -> dict:
        return self._cc("agent-offering", ext)

    def agent_leg_created(self, ext: str) -> dict:
        return self._agent_leg("CHANNEL_CREATE", ext)

    def agent_answer(self, ext: str) -> dict:
        return self._agent_leg("CHANNEL_ANSWER", ext, **{"Answer-State": "answered"})

    def bridge_start(self, ext: str) -> dict:
        return self._cc("bridge-agent-start", ext, **{"CC-Agent-UUID": f"a-{ext}"})

    def bridge_fail(self, ext: str) -> dict:
        return self._cc("bridge-agent-fail", ext, **{"CC-Hangup-Cause": "NO_ANSWER"})

    def bridge_end(self, ext: str) -> dict:
        return self._cc("bridge-agent-end", ext, **{"CC-Hangup-Cause": "NORMAL_CLEARING"})

    def queue_end(self, cause: str) -> dict:
        return self._cc("member-queue-end", **{"CC-Cause": cause,
                                               "CC-Cancel-Reason": "BREAK_OUT"})  # fmt: skip

    def hangup(self, *, agent_leg: str = "") -> dict:
        extra = {"Hangup-Cause": "NORMAL_CLEARING"}
        if agent_leg:
            return self._agent_leg("CHANNEL_HANGUP_COMPLETE", agent_leg, **extra)
        return self._channel("CHANNEL_HANGUP_COMPLETE", **extra)

    def answered_by(self, ext: str) -> list[dict]:
        return [
            self.create(), self.answer_by_queue(), self.queue_start(), self.offering(ext),
            self.agent_leg_created(ext), self.agent_answer(ext), self.bridge_start(ext),
            self.bridge_end(ext), self.hangup(agent_leg=ext), self.hangup(),
        ]  # fmt: skip


def esl_agent_status(ext: str, status: str) -> dict:
    return {"Event-Name": "CUSTOM", "Event-Subclass": "callcenter::info",
            "CC-Action": "agent-status-change", "CC-Agent": f"{ext}@default",
            "CC-Agent-Status": status}  # fmt: skip
