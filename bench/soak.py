"""The soak run's measuring parts (bench/run_load.sh with BENCH_SOAK=1).

    python bench/soak.py memory OUT.csv NAME=PID ...
        appends one sample: the private memory (USS: Private_Clean + Private_Dirty,
        so neither PostgreSQL's shared buffers warming up nor the pages a gunicorn
        worker shares with its master count; a leak does) of each named process and
        all its descendants, in MB, with the time
    python bench/soak.py report --history H --memory M --faults F \
            --answered A --stored D
        the table for bench/README.md: requests and failures per minute (each minute
        marked when a fault was on), memory per process at the start, the middle and
        the end, and the references answered 201 (A, one a line) against the tickets
        stored during the run (D): each answered one stored once

Linux only (/proc)."""

import argparse
import contextlib
import csv
import os
import sys
import time
from pathlib import Path


def children(pid: int) -> list[int]:
    """A process's children (none if it is gone: a restart in the middle of a sample)."""
    found = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        current = todo.pop()
        seen.append(current)
        todo += children(current)
    return seen


def uss_mb(pid: int) -> float:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0
    private = [line.split()[1] for line in lines if line.startswith("Private_")]
    return sum(map(int, private)) / 1024


def memory(out: str, named: list[str]) -> None:
    row = {"t": f"{time.time():.0f}"}
    for item in named:
        name, pid = item.split("=")
        row[name] = f"{sum(uss_mb(p) for p in tree(int(pid))) if pid else 0:.1f}"
    new = not os.path.exists(out)
    with open(out, "a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row))
        if new:
            writer.writeheader()
        writer.writerow(row)


def faults_at(path: str) -> list[tuple[float, float, str]]:
    """Lines `start end what` (Unix seconds) written by run_load.sh."""
    spans = []
    for line in Path(path).read_text().splitlines():
        start, end, what = line.split(maxsplit=2)
        spans.append((float(start), float(end), what))
    return spans


def rows(path: str) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def report(args) -> None:
    history = [r for r in rows(args.history) if r["Name"] == "Aggregated"]
    faults = faults_at(args.faults)
    first = int(history[0]["Timestamp"])
    minutes: dict[int, list] = {}
    for row in history:  # cumulative counts, one row a second
        minute = (int(row["Timestamp"]) - first) // 60
        minutes[minute] = [int(row["Total Request Count"]), int(row["Total Failure Count"])]
    print("| minute | requests | failures | fault |")
    print("|---|---|---|---|")
    before = [0, 0]
    after_faults = 0
    for minute in sorted(minutes):
        total = minutes[minute]
        start, end = first + 60 * minute, first + 60 * (minute + 1)
        during = [what for s, e, what in faults if s < end and e + 30 > start]
        failures = total[1] - before[1]
        if not during and minute > 0:
            after_faults += failures
        print(f"| {minute} | {total[0] - before[0]} | {failures} | {', '.join(during)} |")
        before = total
    print(f"\nfailures outside the fault minutes (and the 30 s after each): {after_faults}")

    samples = rows(args.memory)
    names = [n for n in samples[0] if n != "t"]
    picks = {"start (after 2 min)": samples[min(4, len(samples) - 1)],
             "middle": samples[len(samples) // 2], "end": samples[-1]}  # fmt: skip
    print("\n| process (private MB) | " + " | ".join(picks) + " |")
    print("|---|" + "---|" * len(picks))
    for name in names:
        print(f"| {name} | " + " | ".join(row[name] for row in picks.values()) + " |")

    answered = Path(args.answered).read_text().split()
    stored = Path(args.stored).read_text().split()
    lost = set(answered) - set(stored)
    print(
        f"\ncreations answered 201: {len(answered)} ({len(set(answered))} references); "
        f"tickets stored during the run: {len(stored)}; answered but not stored: {len(lost)}; "
        f"stored without a 201 (the answer lost in a fault): {len(set(stored) - set(answered))}"
    )
    if lost or len(set(answered)) != len(answered):
        print("LOST OR DUPLICATED TICKETS:", sorted(lost)[:20])
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sample = sub.add_parser("memory")
    sample.add_argument("out")
    sample.add_argument("named", nargs="+")
    summary = sub.add_parser("report")
    for name in ("history", "memory", "faults"):
        summary.add_argument(f"--{name}", required=True)
    summary.add_argument("--answered", required=True)
    summary.add_argument("--stored", required=True)
    args = parser.parse_args()
    if args.command == "memory":
        memory(args.out, args.named)
    else:
        report(args)


if __name__ == "__main__":
    main()
