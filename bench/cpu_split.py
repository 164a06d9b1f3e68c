#!/usr/bin/env python3
"""CPU seconds used so far by each part of a load run, from /proc (Linux only).

    python3 bench/cpu_split.py > before.json; …; python3 bench/cpu_split.py before.json

Without an argument prints a snapshot as JSON; with one, prints the CPU seconds each
part used since that snapshot, and the machine's busy share over the interval.
"""

import json
import os
import sys
import time

PARTS = {"locust": "locust", "gunicorn": "gunicorn", "postgres": "postgres",
         "celery": "celery", "redis": "redis-server"}  # fmt: skip
TICK = os.sysconf("SC_CLK_TCK")


def snapshot() -> dict:
    used = dict.fromkeys(PARTS, 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        for part, needle in PARTS.items():
            if needle in command:
                used[part] += (int(fields[11]) + int(fields[12])) / TICK
                break
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return {"at": time.time(), "parts": used, "busy": sum(cpu) - cpu[3] - cpu[4],
            "total": sum(cpu)}  # fmt: skip


def main():
    now = snapshot()
    if len(sys.argv) < 2:
        print(json.dumps(now))
        return
    with open(sys.argv[1]) as f:
        before = json.load(f)
    wall = now["at"] - before["at"]
    parts = {k: round(now["parts"][k] - before["parts"].get(k, 0), 1) for k in PARTS}
    busy = (now["busy"] - before["busy"]) / max(1, now["total"] - before["total"])
    print(json.dumps({"wall_s": round(wall, 1), "cpu_s": parts,
                      "cores_busy": round(busy * os.cpu_count(), 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
