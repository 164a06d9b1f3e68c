"""PBX bridge benchmark (issue 16): does `manage.py pbx_bridge asterisk` keep up with
50 call events a second, and what does an event cost in CPU?

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/hotline_pbx_bench \
    REDIS_URL=redis://127.0.0.1:56379/5 .venv/bin/python bench/pbx_bridge.py

Creates (or reuses) that database, migrates it, makes agents on extensions 101…120, starts
the AMI peer of the tests (tests/pbx/peers.py) on 127.0.0.1 and the real bridge process
against it, then plays call flows (80 % answered: Newchannel, QueueCallerJoin,
AgentCalled, DialBegin, AgentConnect, AgentComplete, two Hangups; 20 % abandoned:
Newchannel, QueueCallerJoin, AgentCalled, AgentRingNoAnswer, QueueCallerAbandon,
Hangup) in two phases:

  paced  BENCH_RATE (50) AMI events a second for BENCH_DURATION (60) s, spread evenly;
  flood  BENCH_FLOOD (3000) events as fast as the socket takes them.

For each: events sent, calls finished in the database, the backlog (calls whose last
event was sent but which the database does not show finished yet) sampled every 0.25 s,
the time from the last event sent until every call is recorded, and the bridge's CPU
(user + system from /proc) per event sent. Knobs: BENCH_RATE, BENCH_DURATION,
BENCH_FLOOD, BENCH_PHASES (paced,flood).
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
TICKS = os.sysconf("SC_CLK_TCK")


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_hotline() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from callcenter.models import AgentProfile
    from callcenter.roles import AGENT

    call_command("migrate", verbosity=0)
    users = get_user_model()
    for n in range(1, 21):
        user, created = users.objects.get_or_create(username=f"bench_agent{n}")
        if created:
            user.groups.add(Group.objects.get(name=AGENT))
            AgentProfile.objects.create(user=user, extension=str(100 + n))


def flows(count: int, seed: int) -> list[tuple[str, list[dict]]]:
    from tests.pbx.flows import AmiCall

    rng = random.Random(seed)
    stamp = int(time.time())
    calls = []
    for i in range(count):
        linkedid = f"{stamp}{seed}.{i}"
        call = AmiCall(linkedid, caller=f"09{rng.randrange(10**8):08d}")
        ext = str(rng.randint(101, 120))
        if rng.random() < 0.8:
            events = call.answered_by(ext)
        else:
            events = [call.newchannel(), call.join(), call.called(ext), call.no_answer(ext),
                      call.abandon(), call.hangup()]  # fmt: skip
        calls.append((linkedid, events))
    return calls


def finished(ids: list[str]) -> int:
    from tickets.models import Call

    return Call.objects.filter(pbx_call_id__in=ids, ended_at__isnull=False).count()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def interleave(calls) -> list[tuple[int, dict]]:
    """Up to 10 calls in progress at once, their events mixed as a queue mixes them."""
    rng = random.Random(11)
    pending = [list(events) for _id, events in calls]
    stream, active, started = [], [], 0
    while started < len(pending) or active:
        while started < len(pending) and len(active) < 10:
            active.append(started)
            started += 1
        index = rng.choice(active)
        stream.append((index, pending[index].pop(0)))
        if not pending[index]:
            active.remove(index)
    return stream


def play(peer, bridge, calls, *, rate: float | None) -> dict:
    ids = [call_id for call_id, _events in calls]
    stream = interleave(calls)
    last_of = {index: n for n, (index, _event) in enumerate(stream)}
    cpu0, start = cpu_seconds(bridge.pid), time.monotonic()
    backlog_max, last_sample, complete = 0, 0.0, []
    for n, (index, event) in enumerate(stream):
        if rate:
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        peer.send([event])
        if last_of[index] == n:
            complete.append(ids[index])
        if rate and time.monotonic() - last_sample > 0.25:
            last_sample = time.monotonic()
            backlog_max = max(backlog_max, len(complete) - finished(complete))
    sent_at = time.monotonic()
    while finished(ids) < len(ids) and time.monotonic() - sent_at < 120:
        time.sleep(0.05)
    drained = time.monotonic() - sent_at
    cpu = cpu_seconds(bridge.pid) - cpu0
    elapsed = sent_at - start
    return {
        "events_sent": len(stream),
        "calls": len(ids),
        "calls_recorded": finished(ids),
        "seconds_sending": round(elapsed, 2),
        "events_per_second_sent": round(len(stream) / elapsed, 1),
        "max_backlog_calls": backlog_max,
        "seconds_to_record_after_last_event": round(drained, 3),
        "events_per_second_recorded": round(len(stream) / (elapsed + drained), 1),
        "bridge_cpu_seconds": round(cpu, 2),
        "bridge_cpu_ms_per_event": round(1000 * cpu / len(stream), 3),
    }


def main() -> None:
    url = os.environ["DATABASE_URL"]
    ensure_database(url)
    setup_hotline()
    from tests.pbx.peers import AmiPeer

    rate = float(os.environ.get("BENCH_RATE", 50))
    duration = float(os.environ.get("BENCH_DURATION", 60))
    flood = int(os.environ.get("BENCH_FLOOD", 3000))
    phases = os.environ.get("BENCH_PHASES", "paced,flood").split(",")
    peer = AmiPeer("bench-secret")
    env = {**os.environ, "LOG_LEVEL": "WARNING", "PBX_AMI_HOST": "127.0.0.1",
           "PBX_AMI_PORT": str(peer.port), "PBX_AMI_SECRET": "bench-secret"}  # fmt: skip
    bridge = subprocess.Popen([sys.executable, "manage.py", "pbx_bridge", "asterisk"],
                              cwd=ROOT, env=env)  # fmt: skip
    results = {"rate": rate, "duration": duration}
    try:
        deadline = time.monotonic() + 30
        while not peer.clients and time.monotonic() < deadline:
            time.sleep(0.1)
        assert peer.clients, "the bridge did not log in"
        per_call = 7.6  # events per call on average (80 % of 8, 20 % of 6)
        if "paced" in phases:
            results["paced"] = play(
                peer, bridge, flows(int(rate * duration / per_call), seed=7), rate=rate
            )
            print("paced", json.dumps(results["paced"]), flush=True)
        if "flood" in phases:
            calls = flows(int(flood / per_call), seed=8)
            results["flood"] = play(peer, bridge, calls, rate=None)
            print("flood", json.dumps(results["flood"]), flush=True)
    finally:
        bridge.send_signal(signal.SIGTERM)
        bridge.wait(30)
        peer.stop()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"pbx_bridge-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results))


if __name__ == "__main__":
    main()
