#!/usr/bin/env python3
"""Load client for SPEC §7 "ticket creation through the API sustained at 300 per second
on 2 cores with p95 under 100 ms".

Stdlib only (threads + http.client keep-alive connections), so it runs with any
Python 3.11 and adds little CPU of its own. Each of N clients logs in as agent1..agentN
(POST /api/v1/auth/token/) and then POSTs /api/v1/tickets/ with realistic bodies.

Two phases, each after its own warm-up:

  max    closed loop: every client sends its next request as soon as the previous one
         has answered. Gives the highest throughput the server sustains with N
         concurrent agents, and the latency at that load.
  paced  open loop at --rate requests per second (spread evenly over the clients).
         Latency is measured from the moment each request was *scheduled*, so a
         server that falls behind is charged for the queueing it causes (no
         coordinated omission). This is the SPEC figure: does the server keep
         300/s with p95 under 100 ms?

Only loopback targets are accepted. Every loop ends at a fixed deadline.

    python bench/ticket_create.py --base-url http://127.0.0.1:8765 --phases max,paced
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import sys
import threading
import time
import urllib.parse
from pathlib import Path

PASSWORD = "hotline-demo"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
VN_TZ = datetime.timezone(datetime.timedelta(hours=7))

# --- realistic request bodies -----------------------------------------------------------

# Mobile prefixes in use in Viet Nam (Viettel, Vinaphone, MobiFone, Vietnamobile, Gmobile).
MOBILE_PREFIXES = [
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039",
    "088", "091", "094", "081", "082", "083", "084", "085",
    "090", "093", "070", "076", "077", "078", "079",
    "092", "056", "058",
]  # fmt: skip
# Fixed lines: area code + 8 digits (Hà Nội 024, TP.HCM 028, Đà Nẵng 0236, Cần Thơ 0292).
LANDLINE_AREAS = ["024", "028"]

CATEGORIES = [
    ("delayed_card", 45),
    ("regulation_question", 35),
    ("complaint", 10),
    ("other", 10),
]
CHANNELS = [("phone", 85), ("zalo", 6), ("facebook", 4), ("email", 3), ("walk_in", 2)]

SUMMARIES = {
    "delayed_card": [
        "Công dân làm CCCD từ {n} tuần trước nhưng chưa nhận được thẻ, hỏi tiến độ.",
        "Hẹn trả thẻ đã quá {n} ngày, công dân đề nghị kiểm tra hồ sơ.",
        "Đã làm thủ tục cấp đổi CCCD tại công an huyện, chưa có thẻ sau {n} tuần.",
        "Công dân cần thẻ gấp để làm thủ tục ngân hàng, thẻ vẫn chưa về sau {n} ngày.",
    ],
    "regulation_question": [
        "Hỏi thủ tục cấp lại CCCD khi bị mất, cần mang theo giấy tờ gì.",
        "Hỏi trẻ em dưới 14 tuổi có phải làm căn cước không.",
        "Hỏi lệ phí cấp đổi thẻ căn cước khi thay đổi nơi thường trú.",
        "Hỏi có thể làm CCCD ở tỉnh khác nơi thường trú không.",
        "Hỏi thời hạn sử dụng của CMND 9 số và cách chuyển sang thẻ căn cước.",
    ],
    "complaint": [
        "Phản ánh cán bộ tiếp dân tại điểm cấp thẻ hướng dẫn không rõ ràng.",
        "Khiếu nại thông tin trên thẻ bị sai ngày sinh, đề nghị cấp lại.",
        "Phản ánh phải chờ quá lâu tại điểm làm thủ tục, đã đến {n} lần.",
    ],
    "other": [
        "Hỏi giờ làm việc của bộ phận một cửa công an quận.",
        "Công dân gọi nhầm số, đã hướng dẫn gọi tổng đài dịch vụ công.",
        "Hỏi cách tích hợp giấy phép lái xe vào ứng dụng VNeID.",
    ],
}
RESOLUTION_NOTES = [
    "Đã hướng dẫn công dân đầy đủ qua điện thoại.",
    "Đã giải thích quy định, công dân đồng ý.",
    "Đã tra cứu, thẻ đang được vận chuyển về địa phương.",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh", "Hữu", "Quốc", "Thu", "Hoài"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Phúc", "Quân", "Thảo", "Trang",
         "Tuấn", "Yến"]  # fmt: skip
# (province code of a CCCD number, place of application)
PROVINCES = [
    ("001", "Công an TP Hà Nội"), ("079", "Công an TP Hồ Chí Minh"),
    ("048", "Công an TP Đà Nẵng"), ("031", "Công an TP Hải Phòng"),
    ("092", "Công an TP Cần Thơ"), ("038", "Công an tỉnh Thanh Hóa"),
    ("040", "Công an tỉnh Nghệ An"), ("075", "Công an tỉnh Đồng Nai"),
]  # fmt: skip


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def make_phone_pool(rng: random.Random, size: int) -> list[str]:
    """Caller numbers in the forms agents type them; a pool so some callers call again."""
    pool = []
    for _ in range(size):
        kind = rng.random()
        if kind < 0.80:
            d = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
            pool.append(f"{d[:4]} {d[4:7]} {d[7:]}")  # 0912 345 678
        elif kind < 0.90:
            d = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
            pool.append("+84" + d[1:])  # E.164
        else:
            area = rng.choice(LANDLINE_AREAS)
            d = f"{rng.randint(2, 3)}{rng.randrange(10**7):07d}"
            pool.append(f"{area} {d[:4]} {d[4:]}")  # 024 3825 1234
    return pool


def make_body(rng: random.Random, phones: list[str]) -> dict:
    category = _weighted(rng, CATEGORIES)
    body = {
        "caller_phone": rng.choice(phones),
        "category": category,
        "summary": rng.choice(SUMMARIES[category]).format(n=rng.randint(2, 9)),
    }
    channel = _weighted(rng, CHANNELS)
    if channel != "phone" or rng.random() < 0.3:
        body["channel"] = channel
    # Each channel's own address of the citizen (the API requires it since issue 6).
    if channel in ("zalo", "facebook"):
        body["contact"] = f"{rng.randrange(10**15, 10**16)}"
    elif channel == "email":
        body["contact"] = f"congdan{rng.randrange(10**6)}@example.vn"
    if rng.random() < 0.35:
        # A caller who gives their identity: CCCD digits 4–6 agree with the birth year.
        year = rng.randint(1950, 2008)
        dob = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        female = rng.random() < 0.5
        century_digit = (0 if year < 2000 else 2) + (1 if female else 0)
        code, place = rng.choice(PROVINCES)
        cccd = f"{code}{century_digit}{year % 100:02d}{rng.randrange(10**6):06d}"
        body["caller_name"] = (
            f"{rng.choice(FAMILY)} {'Thị' if female else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        )
        body["date_of_birth"] = dob.isoformat()
        body["cccd_number"] = cccd
        if rng.random() < 0.5:
            body["place_of_application"] = place
            applied = datetime.date.today() - datetime.timedelta(days=rng.randint(5, 120))
            body["application_date"] = max(applied, dob).isoformat()
        if rng.random() < 0.15:
            body["old_id_number"] = f"{rng.randrange(10**9):09d}"
    if body.get("channel", "phone") == "phone" and rng.random() < 0.5:
        ended = datetime.datetime.now(VN_TZ) - datetime.timedelta(seconds=rng.randint(1, 20))
        started = ended - datetime.timedelta(seconds=rng.randint(40, 600))
        body["call_started_at"] = started.isoformat(timespec="seconds")
        body["call_ended_at"] = ended.isoformat(timespec="seconds")
    if category == "regulation_question" and rng.random() < 0.7 or rng.random() < 0.15:
        body["resolve_now"] = True
        body["resolution_note"] = rng.choice(RESOLUTION_NOTES)
    return body


# --- HTTP -------------------------------------------------------------------------------


class Client:
    """One agent seat: one keep-alive connection, one token."""

    def __init__(self, host: str, port: int, username: str, timeout: float):
        self.host, self.port, self.username, self.timeout = host, port, username, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.token: str | None = None

    def _connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: dict | None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        for attempt in (1, 2):
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.will_close:
                    self.conn.close()
                    self.conn = None
                return resp.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server had closed: retry once on a new one.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def login(self):
        status, data = self.request(
            "POST", "/api/v1/auth/token/", {"username": self.username, "password": PASSWORD}
        )
        if status != 200:
            raise RuntimeError(f"login {self.username}: HTTP {status} {data[:200]!r}")
        self.token = json.loads(data)["token"]

    def close(self):
        if self.conn is not None:
            self.conn.close()


# --- CPU accounting ---------------------------------------------------------------------
#
# The machine may be shared; CPU time consumed per request by the server processes is
# a figure that other load on the box does not distort much, and it gives the capacity
# of 2 dedicated cores directly: 2000 ms / (CPU ms per request).

CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid → (ppid, utime+stime ticks) for every process we can read."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                raw = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = raw[raw.rfind(")") + 2 :].split()
        # utime + stime, plus cutime + cstime: the CPU of children that already exited
        # (PostgreSQL backends and autovacuum workers come and go).
        table[int(entry)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))
    return table


def _tree_ticks(table, root: int) -> int:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][1]
        todo.extend(children.get(pid, []))
    return total


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already in user
    return total - idle, total


class CpuMeter:
    """CPU seconds of named process trees, of this client and of the whole machine."""

    def __init__(self, roots: dict[str, int]):
        self.roots = {name: pid for name, pid in roots.items() if pid}
        self.available = os.path.isdir("/proc")

    def snapshot(self):
        if not self.available:
            return None
        table = _proc_table()
        ru = os.times()
        return {
            "trees": {name: _tree_ticks(table, pid) for name, pid in self.roots.items()},
            "client": ru.user + ru.system,
            "machine": _machine_ticks(),
            "wall": time.perf_counter(),
        }

    def delta(self, a, b, requests: int) -> dict | None:
        if a is None or b is None:
            return None
        wall = b["wall"] - a["wall"]
        out = {"wall_s": round(wall, 2)}
        ours = 0.0
        for name in self.roots:
            sec = (b["trees"][name] - a["trees"][name]) / CLK_TCK
            ours += sec
            out[f"{name}_cpu_s"] = round(sec, 2)
            out[f"{name}_cores"] = round(sec / wall, 2)
            out[f"{name}_cpu_ms_per_req"] = round(1000 * sec / requests, 2) if requests else None
        client = b["client"] - a["client"]
        out["client_cpu_s"] = round(client, 2)
        out["client_cores"] = round(client / wall, 2)
        busy = b["machine"][0] - a["machine"][0]
        total = b["machine"][1] - a["machine"][1]
        ncpu = os.cpu_count() or 1
        machine_busy_cores = ncpu * busy / total if total else 0.0
        out["machine_busy_cores"] = round(machine_busy_cores, 2)
        out["other_processes_cores"] = round(
            max(0.0, machine_busy_cores - (ours + client) / wall), 2
        )
        server_ms = 1000 * ours / requests if requests else None
        out["server_cpu_ms_per_req"] = round(server_ms, 2) if server_ms else None
        out["capacity_2_dedicated_cores_rps"] = round(2000 / server_ms, 0) if server_ms else None
        return out


# --- phases -----------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []  # seconds, counted requests only
        self.service: list[float] = []  # send → answer, without scheduling delay
        self.errors: dict[str, int] = {}
        self.error_samples: list[str] = []
        self.unsent = 0  # paced phase: scheduled in the window, never sent in time
        self.window_done = 0  # answers received inside the measured window, any schedule

    def add(self, latency: float, service: float, status: int | str, detail: bytes = b""):
        with self.lock:
            self.latencies.append(latency)
            self.service.append(service)
            if status != 201:
                key = str(status)
                self.errors[key] = self.errors.get(key, 0) + 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(f"{status}: {detail[:300]!r}")


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def summarize(values: list[float]) -> dict:
    s = sorted(values)
    ms = lambda v: None if v is None else round(v * 1000, 2)  # noqa: E731
    return {
        "p50_ms": ms(percentile(s, 50)),
        "p90_ms": ms(percentile(s, 90)),
        "p95_ms": ms(percentile(s, 95)),
        "p99_ms": ms(percentile(s, 99)),
        "max_ms": ms(s[-1]) if s else None,
        "mean_ms": ms(sum(s) / len(s)) if s else None,
    }


def run_phase(
    clients, *, mode: str, rate: float, warmup: float, duration: float, seed: int, meter=None
):
    """Run one phase on all clients; returns its summary dict."""
    rec = Recorder()
    start = time.perf_counter() + 0.2  # let every thread reach the start line
    measure_from = start + warmup
    stop_at = measure_from + duration
    per_client_interval = len(clients) / rate if mode == "paced" else 0.0

    def worker(idx: int, client: Client):
        rng = random.Random(seed * 1000 + idx)
        phones = make_phone_pool(rng, 400)
        # Stagger the paced schedules so the clients do not fire in lock-step.
        next_at = start + (per_client_interval * idx / len(clients))
        while True:
            if mode == "paced":
                if next_at >= stop_at or time.perf_counter() >= stop_at:
                    # Past the deadline: requests still owed to the schedule are not
                    # sent; they are counted as unsent (a server that fell behind).
                    if next_at < stop_at:
                        owed = int((stop_at - max(next_at, measure_from)) / per_client_interval)
                        with rec.lock:
                            rec.unsent += max(0, owed)
                    break
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                scheduled = next_at
                next_at += per_client_interval
            else:
                scheduled = time.perf_counter()
                if scheduled >= stop_at:
                    break
            body = make_body(rng, phones)
            sent = time.perf_counter()
            try:
                status, data = client.request("POST", "/api/v1/tickets/", body)
            except Exception as exc:  # noqa: BLE001 - every failure is an error sample
                status, data = type(exc).__name__, str(exc).encode()
            done = time.perf_counter()
            if measure_from <= done <= stop_at:
                with rec.lock:
                    rec.window_done += 1
            if scheduled >= measure_from and done <= stop_at + 30:
                rec.add(done - scheduled, done - sent, status, data)

    threads = [
        threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for t in threads:
        t.start()
    cpu_a = cpu_b = None
    if meter is not None:
        time.sleep(max(0.0, measure_from - time.perf_counter()))
        cpu_a = meter.snapshot()
        time.sleep(max(0.0, stop_at - time.perf_counter()))
        cpu_b = meter.snapshot()
    for t in threads:
        # Bounded: the phase ends at stop_at; allow the in-flight request's timeout.
        t.join(timeout=max(0.0, stop_at - time.perf_counter()) + clients[0].timeout + 5)
    stuck = sum(t.is_alive() for t in threads)

    n = len(rec.latencies)
    ok = n - sum(rec.errors.values())
    result = {
        "mode": mode,
        "clients": len(clients),
        "target_rate": rate if mode == "paced" else None,
        "warmup_s": warmup,
        "duration_s": duration,
        "requests": n,
        "created_201": ok,
        "errors": sum(rec.errors.values()),
        "errors_by_status": rec.errors,
        "unsent": rec.unsent,
        "error_samples": rec.error_samples,
        "throughput_rps": round(n / duration, 1),
        "created_per_s": round(ok / duration, 1),
        "latency": summarize(rec.latencies),
        "service_latency": summarize(rec.service),
        "stuck_threads": stuck,
        "answered_in_window_per_s": round(rec.window_done / duration, 1),
        "cpu": meter.delta(cpu_a, cpu_b, rec.window_done) if meter is not None else None,
    }
    return result


def print_phase(r: dict):
    lat = r["latency"]
    label = "closed loop" if r["mode"] == "max" else f"paced at {r['target_rate']:g}/s"
    fmt = lambda v: "n/a" if v is None else f"{v:.1f}"  # noqa: E731
    print(
        f"  {r['mode']:<6} ({label}, {r['clients']} clients, {r['duration_s']:g} s): "
        f"{r['throughput_rps']:.1f} req/s, created {r['created_per_s']:.1f}/s | "
        f"p50 {fmt(lat['p50_ms'])} ms  p95 {fmt(lat['p95_ms'])} ms  "
        f"p99 {fmt(lat['p99_ms'])} ms  max {fmt(lat['max_ms'])} ms | errors {r['errors']}"
    )
    if r["mode"] == "paced":
        print(f"         answered inside the window: {r['answered_in_window_per_s']:.1f}/s")
        s = r["service_latency"]
        print(f"         service time only: p50 {fmt(s['p50_ms'])} ms  p95 {fmt(s['p95_ms'])} ms")
    cpu = r.get("cpu")
    if cpu:
        parts = [
            f"{k.split('_')[0]} {cpu[k]:.2f} ms"
            for k in cpu
            if k.endswith("_cpu_ms_per_req") and cpu[k]
        ]
        print(
            f"         CPU per request: {', '.join(parts)} | cores busy: server+client "
            f"{cpu['machine_busy_cores'] - cpu['other_processes_cores']:.2f} (client "
            f"{cpu['client_cores']:.2f}), other processes "
            f"{cpu['other_processes_cores']:.2f} | 2 dedicated cores would give "
            f"~{cpu['capacity_2_dedicated_cores_rps']:.0f}/s"
        )
    if r.get("unsent"):
        print(f"         {r['unsent']} scheduled requests never sent: the server fell behind")
    if r["errors"]:
        print(f"         errors by status: {r['errors_by_status']}")
        for sample in r["error_samples"]:
            print(f"         e.g. {sample}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--base-url", default="http://127.0.0.1:8765")
    ap.add_argument("--clients", type=int, default=20, help="agents agent1..agentN (max 20)")
    ap.add_argument("--phases", default="max,paced", help="comma list of: max, paced")
    ap.add_argument("--rate", type=float, default=300.0, help="paced phase: requests/s in all")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds not counted, per phase")
    ap.add_argument("--duration", type=float, default=30.0, help="measured seconds, per phase")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, s")
    ap.add_argument("--seed", type=int, default=368)
    ap.add_argument("--label", default="", help="free text stored in the JSON (server config)")
    ap.add_argument("--gunicorn-pid", type=int, default=0, help="master pid, for CPU per request")
    ap.add_argument("--postgres-pid", type=int, default=0, help="postmaster pid, likewise")
    ap.add_argument("--redis-pid", type=int, default=0, help="redis-server pid, likewise")
    ap.add_argument("--out", default="", help="JSON results file (default bench/results/...)")
    args = ap.parse_args(argv)

    url = urllib.parse.urlsplit(args.base_url)
    if url.scheme != "http" or url.hostname not in LOOPBACK:
        ap.error("--base-url must be http:// on loopback (127.0.0.1)")
    if not 1 <= args.clients <= 20:
        ap.error("--clients: 1..20 (the demo users are agent1..agent20)")
    if args.duration > 120 or args.warmup > 60:
        ap.error("--duration at most 120 s, --warmup at most 60 s")
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    if not phases or set(phases) - {"max", "paced"}:
        ap.error("--phases: max and/or paced")

    clients = [
        Client(url.hostname, url.port or 80, f"agent{i}", args.timeout)
        for i in range(1, args.clients + 1)
    ]
    for c in clients:
        c.login()
    print(f"ticket_create: {len(clients)} agents logged in at {args.base_url}")

    meter = CpuMeter(
        {"gunicorn": args.gunicorn_pid, "postgres": args.postgres_pid, "redis": args.redis_pid}
    )
    results = []
    for i, mode in enumerate(phases):
        r = run_phase(
            clients,
            mode=mode,
            rate=args.rate,
            warmup=args.warmup,
            duration=args.duration,
            seed=args.seed + i,
            meter=meter,
        )
        print_phase(r)
        results.append(r)
    for c in clients:
        c.close()

    now = datetime.datetime.now(datetime.UTC)
    report = {
        "benchmark": "ticket_create",
        "at": now.isoformat(timespec="seconds"),
        "base_url": args.base_url,
        "label": args.label,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "spec_target": {"rate_per_s": 300, "p95_ms": 100},
        "phases": results,
    }
    paced = next((r for r in results if r["mode"] == "paced"), None)
    if paced:
        report["meets_spec"] = bool(
            paced["created_per_s"] >= 0.98 * 300
            and paced["latency"]["p95_ms"] < 100
            and paced["errors"] == 0
            and paced["unsent"] == 0
        )
        print(f"  SPEC §7 (300/s, p95 < 100 ms): {'MET' if report['meets_spec'] else 'MISSED'}")
    out = (
        Path(args.out)
        if args.out
        else (
            Path(__file__).resolve().parent / "results" / f"ticket_create-{now:%Y%m%dT%H%M%SZ}.json"
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"  results: {out}")
    return 0 if all(r["errors"] == 0 and r["stuck_threads"] == 0 for r in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("ticket_create: interrupted", file=sys.stderr)
        sys.exit(130)
