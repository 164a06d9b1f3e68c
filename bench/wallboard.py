"""Benchmark of issue 12: changes reaching open wallboards.

    DATABASE_URL=postgres://…/hotline_wallboard_bench REDIS_URL=redis://…/2 \\
        python bench/wallboard.py [--boards 10] [--rate 3] [--seconds 60]

Against a running product (it starts daphne itself on a free port, production settings
with DEBUG off, the given database and Redis): 20 agents' status changes and PBX call
events (ringing, answered, hang-up) at `--rate` a second — the seeds' peak is about 3
calls a second — while `--boards` wallboards hold the event stream open, each fetching
the board again on every push as the page does. Reports, per event and board, the time
from the change's request to the board's fetched figures (p50, p99, max), whether every
board saw every change, and the server's CPU time per event (daphne's process).
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
# Production settings, the same in this process (which makes the session) and the server.
BENCH_ENV = {"DEBUG": "false", "SECRET_KEY": "bench-only", "SECURE_COOKIES": "false",
             "SECURE_SSL_REDIRECT": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
             "REQUIRE_2FA": "false"}  # fmt: skip
os.environ.update(BENCH_ENV)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from callcenter.demo_users import demo_users_create  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Board(threading.Thread):
    """One open wallboard: the event stream, and a fetch of the board on each push."""

    def __init__(self, base, cookie):
        super().__init__(daemon=True)
        self.base, self.session = base, requests.Session()
        self.session.cookies.set("sessionid", cookie)
        self.seen = []  # (monotonic time the board's figures arrived)
        self.open = threading.Event()

    def run(self):
        with self.session.get(f"{self.base}/wallboard/events/", stream=True, timeout=600) as r:
            if r.status_code != 200:
                print("stream:", r.status_code, r.headers.get("location"), file=sys.stderr)
            for line in r.iter_lines(chunk_size=1):
                if line.startswith(b"event: stream-open"):
                    self.open.set()
                elif line.startswith(b"event: changed"):
                    self.session.get(f"{self.base}/wallboard/board/", timeout=10)
                    self.seen.append(time.monotonic())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=10)
    parser.add_argument("--rate", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    demo_users_create()
    User = get_user_model()
    agents = list(User.objects.filter(groups__name="agent").order_by("username"))[:20]
    tokens = {a.username: Token.objects.get_or_create(user=a)[0].key for a in agents}
    pbx = Token.objects.get_or_create(user=User.objects.get(username="pbx"))[0].key
    client = Client()
    client.force_login(User.objects.get(username="supervisor1"))
    cookie = client.cookies["sessionid"].value

    port = free_port()
    env = {**os.environ, **BENCH_ENV}
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "callcenter.asgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        boards = [Board(base, cookie) for _ in range(args.boards)]
        for board in boards:
            board.start()
        for board in boards:
            assert board.open.wait(20), "a board's stream did not open"
        result = drive(base, tokens, pbx, boards, args, server.pid)
    finally:
        server.terminate()
        server.wait(10)
    print(json.dumps(result, indent=2))


def drive(base, tokens, pbx, boards, args, pid) -> dict:
    rng = random.Random(5)
    api = requests.Session()
    sent = []
    cpu_before = cpu_seconds(pid)
    interval, deadline = 1 / args.rate, time.monotonic() + args.seconds
    calls = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        if rng.random() < 0.4:
            username = rng.choice(list(tokens))
            status = rng.choice([("ready", ""), ("break", "lunch"), ("break", "meeting")])
            headers = {"Authorization": f"Token {tokens[username]}"}
            api.post(f"{base}/api/v1/agents/me/status/",
                     json={"status": status[0], "reason": status[1]},
                     headers=headers, timeout=10)  # fmt: skip
        else:
            calls += 1
            event = rng.choice(["ringing", "answered", "hangup"])
            api.post(f"{base}/api/v1/cti/events/",
                     json={"call_id": f"bench-{calls // 3}-{rng.random()}", "event": event,
                           "caller_number": "0912345678",
                           "agent_extension": str(101 + rng.randrange(20)),
                           "at": timezone.now().isoformat()},
                     headers={"Authorization": f"Token {pbx}"}, timeout=10)  # fmt: skip
        sent.append(started)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    time.sleep(3)
    cpu = cpu_seconds(pid) - cpu_before
    latencies, missed = [], 0
    for board in boards:
        seen = sorted(board.seen)
        for at in sent:
            # The first board refresh after the change was sent shows it.
            later = [s for s in seen if s >= at]
            if later:
                latencies.append(later[0] - at)
            else:
                missed += 1
    latencies.sort()
    return {
        "benchmark": "wallboard",
        "boards": len(boards),
        "events": len(sent),
        "rate_per_second": round(len(sent) / args.seconds, 2),
        "board_refreshes": sum(len(b.seen) for b in boards),
        "missed": missed,
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "latency_max_ms": round(latencies[-1] * 1000, 1),
        "server_cpu_ms_per_event": round(cpu / len(sent) * 1000, 1),
    }


if __name__ == "__main__":
    main()
