"""SPEC §12, beat down for a day: the runs it missed are made at its next start, once.

Beat keeps each job's last run in its schedule file (compose: the `beatdata` volume);
started again, it finds every job whose time came while it was down due and sends it
once, then schedules from the present. The day is made to have passed by moving the
recorded times back — the schedule file's last runs (to an hour before the batch time
the outage spans) and the last reprint batch (older than the supervisor's interval) —
and by removing the statistics of the finished days, as if the day's refresh never
ran; the processes, the schedule and the clocks are otherwise the real ones."""

import datetime
import shelve
import time
import uuid
import zoneinfo

import requests

from .services import wait_until

CAUGHT_UP = {
    "reprint-batch": "reprints.tasks.scheduled_reprint_batch",
    "correction-lists": "corrections.tasks.scheduled_correction_lists",
    "stats-summary": "reporting.tasks.refresh_stats_summary",
}
QUIET_SECONDS = 8  # how long a second run would have had to show


def fire_times(schedule, now: datetime.datetime, days: range):
    """The times a crontab schedule fires on the days `days` away from `now`'s."""
    for away in days:
        day = now.date() + datetime.timedelta(days=away)
        if day.isoweekday() % 7 in schedule.day_of_week:  # crontab: 0 is Sunday
            for hour in sorted(schedule.hour):
                for minute in sorted(schedule.minute):
                    yield datetime.datetime.combine(day, datetime.time(hour, minute), now.tzinfo)


def previous_run(schedule, now: datetime.datetime) -> datetime.datetime:
    """The latest time before `now` a crontab schedule fired."""
    return max(at for at in fire_times(schedule, now, range(-7, 1)) if at < now)


def went_down_before_the_last_runs(schedule_file, zone) -> datetime.datetime:
    """Rewrites beat's stopped schedule file as if beat had stopped an hour before the
    last run of each after-shift job (and of everything else with them). Close to one
    of their times (17:45, 17:50), it first waits for that time to pass: the real run
    would come on top of the catch-up."""
    with shelve.open(str(schedule_file)) as store:
        entries = store["entries"]
        after_shift = [entries[name].schedule for name in ("reprint-batch", "correction-lists")]
        now = datetime.datetime.now(zone)
        soon = [at for s in after_shift for at in fire_times(s, now, range(0, 4)) if at >= now]
        wait = (min(soon) - now).total_seconds()
        if wait < 2 * QUIET_SECONDS + 60:
            time.sleep(wait + 5)
            now = datetime.datetime.now(zone)
        down_since = min(previous_run(s, now) for s in after_shift) - datetime.timedelta(hours=1)
        for entry in entries.values():
            entry.last_run_at = down_since
        store["entries"] = entries
    return down_since


def received(stack, task: str, since: int) -> int:
    return sum(
        1
        for line in stack.worker.log(since).splitlines()
        if f"Task {task}[" in line and "received" in line
    )


def test_the_missed_runs_are_made_at_the_next_start_once(stack):
    supervisor = stack.token("supervisor1")
    agent = stack.token("agent5")
    created = requests.post(
        stack.url("/api/v1/tickets/"),
        json={
            "caller_phone": "0912 345 678",
            "category": "other",
            "summary": f"beat-{uuid.uuid4().hex}",
        },
        headers=agent,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    # Beat has set its schedule up (and written its file) once it sends a task.
    wait_until(lambda: "Sending due task" in stack.beat.log(), timeout=60, what="beat to run")
    stack.beat.stop()
    items = [int(pk) for pk in stack.seed("reprints", 3).split()]
    stack.postgres.query(
        "UPDATE reprints_reprintbatch SET created_at = created_at - interval '7 days'"
    )
    stack.postgres.query("DELETE FROM tickets_dailysummary")
    batches = "SELECT count(*) FROM reprints_reprintbatch"
    before = stack.postgres.query(batches)[0][0]
    zone = zoneinfo.ZoneInfo(stack.env.get("TIME_ZONE", "Asia/Ho_Chi_Minh"))
    went_down_before_the_last_runs(stack.scratch / "beat-schedule", zone)

    since = stack.worker.mark()
    restarted = datetime.datetime.now(datetime.UTC)
    stack.beat.start()

    wait_until(
        lambda: stack.postgres.query(batches)[0][0] == before + 1,
        timeout=60,
        what=lambda: "the missed batch:\n" + stack.beat.log()[-3000:],
    )
    wait_until(
        lambda: all(received(stack, task, since) for task in CAUGHT_UP.values()),
        timeout=30,
        what=lambda: "every missed job:\n" + stack.worker.log(since)[-3000:],
    )
    time.sleep(QUIET_SECONDS)
    assert {name: received(stack, task, since) for name, task in CAUGHT_UP.items()} == {
        name: 1 for name in CAUGHT_UP
    }
    pending = "SELECT count(*) FROM reprints_reprintitem WHERE batch_id IS NULL AND id = ANY(%s)"
    assert stack.postgres.query(pending, [items])[0][0] == 0
    yesterday = "SELECT computed_at FROM tickets_dailysummary WHERE day = %s AND NOT stale"
    day = datetime.datetime.now(zone).date() - datetime.timedelta(days=1)
    stored = wait_until(
        lambda: stack.postgres.query(yesterday, [day]), what="yesterday's statistics"
    )
    assert stored[0][0] >= restarted

    # Started once more, beat finds nothing missed: its file says the runs were made.
    since = stack.worker.mark()
    stack.beat.stop()
    stack.beat.start()
    time.sleep(QUIET_SECONDS)
    assert {name: received(stack, task, since) for name, task in CAUGHT_UP.items()} == {
        name: 0 for name in CAUGHT_UP
    }
    assert stack.postgres.query(batches)[0][0] == before + 1
    response = requests.get(stack.url("/api/v1/reprint-batches/"), headers=supervisor, timeout=10)
    assert response.status_code == 200
