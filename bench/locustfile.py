"""A shift at the hotline, for locust (bench/run_load.sh runs it).

    20 agents   log calls: the caller's history, then a new ticket (most answered at
                first contact, one in five escalated), at a steady rate each so that
                together they aim at SPEC §7's 300 tickets per second
    20 officers work the queue: read it, claim the oldest ticket, open it, search the
                records by CCCD number and by name + date of birth, resolve it
    1 supervisor reads the 90-day statistics and the per-person table

Every user logs in with its own token (POST /api/v1/auth/token/). The look-up data
(CCCD numbers, names and dates of birth that exist among the 10 million records) comes
from the CSV file named by BENCH_SAMPLE, written by run_load.sh.

Knobs (environment): BENCH_AGENT_RATE (tickets/s per agent, default 15),
BENCH_OFFICER_RATE (tasks/s per officer, default 0.5), BENCH_REFERENCES (a file: the
reference of every creation answered 201 is appended to it, for the soak's count of
lost tickets).
"""

import csv
import datetime
import itertools
import os
import random

from locust import FastHttpUser, between, constant_throughput, events, task

PASSWORD = "hotline-demo"
AGENT_RATE = float(os.environ.get("BENCH_AGENT_RATE", "15"))
OFFICER_RATE = float(os.environ.get("BENCH_OFFICER_RATE", "0.5"))
SUMMARIES = [
    "Hỏi tiến độ cấp thẻ CCCD, đã nộp hồ sơ tháng trước.",
    "Hỏi thủ tục cấp đổi thẻ khi thay đổi nơi thường trú.",
    "Hỏi lệ phí cấp lại thẻ bị mất.",
    "Hỏi giờ làm việc của điểm cấp CCCD.",
]
CATEGORIES = ["other"] * 78 + ["delayed_card"] * 18 + ["regulation_question"] * 4
SAMPLE = []
REFERENCES = os.environ.get("BENCH_REFERENCES")
_agent_numbers = itertools.count(1)
_officer_numbers = itertools.count(1)


@events.init.add_listener
def load_sample(**kwargs):
    path = os.environ.get("BENCH_SAMPLE")
    if path:
        with open(path, newline="", encoding="utf-8") as f:
            SAMPLE.extend(csv.DictReader(f))


class Staff(FastHttpUser):
    abstract = True
    username = ""

    def on_start(self):
        response = self.client.post(
            "/api/v1/auth/token/",
            json={"username": self.username, "password": PASSWORD},
            name="log in (token)",
        )
        token = response.json()["token"]
        self.headers = {"Authorization": f"Token {token}", "Accept-Language": "vi"}


MOBILE_PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "86", "88", "32", "33", "34",
                   "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81"]  # fmt: skip


def phone() -> str:
    return "+84" + random.choice(MOBILE_PREFIXES) + f"{random.randrange(10**7):07d}"


class Agent(Staff):
    weight = 20
    fixed_count = 20
    wait_time = constant_throughput(AGENT_RATE)

    def on_start(self):
        self.username = f"agent{next(_agent_numbers)}"
        super().on_start()

    @task
    def log_a_call(self):
        caller = phone() if random.random() < 0.8 else "+84912345678"
        self.client.get(
            f"/api/v1/callers/{caller}/history/", headers=self.headers, name="caller history"
        )
        started = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
        escalate = random.random() < 0.2
        body = {
            "caller_phone": caller,
            "category": "delayed_card" if escalate else random.choice(CATEGORIES),
            "summary": random.choice(SUMMARIES),
            "call_started_at": started.isoformat(),
            "call_ended_at": (started + datetime.timedelta(minutes=4)).isoformat(),
            "resolve_now": not escalate,
        }
        if not escalate:
            body["resolution_note"] = "Đã giải đáp cho công dân."
        response = self.client.post(
            "/api/v1/tickets/", json=body, headers=self.headers, name="create ticket"
        )
        if response.status_code == 201 and REFERENCES:
            with open(REFERENCES, "a") as answered:
                answered.write(response.json()["reference"] + "\n")
        if escalate and response.status_code == 201:
            reference = response.json()["reference"]
            self.client.post(
                f"/api/v1/tickets/{reference}/escalate/",
                json={"note": "Cần tra cứu hồ sơ."},
                headers=self.headers,
                name="escalate",
            )


class Officer(Staff):
    weight = 20
    fixed_count = 20
    wait_time = constant_throughput(OFFICER_RATE)

    def on_start(self):
        self.username = f"officer{next(_officer_numbers)}"
        super().on_start()

    @task
    def work_the_queue(self):
        queue = self.client.get("/api/v1/queue/", headers=self.headers, name="queue")
        results = queue.json().get("results", []) if queue.status_code == 200 else []
        if not results:
            return
        reference = random.choice(results[:5])["reference"]
        with self.client.post(
            f"/api/v1/tickets/{reference}/claim/",
            json={},
            headers=self.headers,
            name="claim",
            catch_response=True,
        ) as claim:
            if claim.status_code == 409:  # another officer was quicker: expected
                claim.success()
                return
        self.client.get(f"/api/v1/tickets/{reference}/", headers=self.headers, name="ticket")
        if SAMPLE:
            record = random.choice(SAMPLE)
            self.client.get(
                f"/api/v1/applications/?cccd_number={record['cccd_number']}&ticket={reference}",
                headers=self.headers,
                name="search by CCCD",
            )
            self.client.get(
                "/api/v1/applications/?full_name="
                f"{record['full_name']}&date_of_birth={record['date_of_birth']}"
                f"&ticket={reference}",
                headers=self.headers,
                name="search by name + birth date",
            )
        self.client.post(
            f"/api/v1/tickets/{reference}/resolve/",
            json={"resolution_code": "not_found", "resolution_note": "Không tìm thấy hồ sơ."},
            headers=self.headers,
            name="resolve",
        )


class Supervisor(Staff):
    weight = 1
    fixed_count = 1
    wait_time = between(4, 6)

    def on_start(self):
        self.username = "supervisor1"
        super().on_start()

    @task
    def statistics(self):
        today = datetime.date.today()
        first = today - datetime.timedelta(days=89)
        query = f"from={first}&to={today}"
        self.client.get(f"/api/v1/stats/daily/?{query}", headers=self.headers, name="stats 90 days")
        self.client.get(
            f"/api/v1/stats/agents/?{query}", headers=self.headers, name="stats per person"
        )
