"""The staffing forecast (SPEC §8.4): per half-hour of the shift, the calls to expect,
the seats Erlang C says they need, and — for a past day — the seats that were ready.

Forecast: the mean of the same half-hour on the same weekday over the previous
WEEKS weeks (working days only; a holiday among them counts as missing, not as zero).
Calls offered are every call that began in the half-hour, answered or not; the handle
time is the mean of the answered ones, or DEFAULT_AHT_SECONDS without history. Erlang C
is pyworkforce's.
"""

import datetime
from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, ExtractMinute
from django.utils import timezone

from callcenter.calendar import is_working_day, shift_hours
from presence.models import Status, StatusInterval
from tickets.models import Call

WEEKS = 4
SLOT = datetime.timedelta(minutes=30)
DEFAULT_AHT_SECONDS = 300
STAFFED = (Status.READY, Status.ON_CALL, Status.WRAP_UP)


def _slots(day: datetime.date) -> list[datetime.datetime]:
    opens, closes = shift_hours()
    start = timezone.make_aware(datetime.datetime.combine(day, opens))
    end = timezone.make_aware(datetime.datetime.combine(day, closes))
    slots = []
    while start < end:
        slots.append(start)
        start += SLOT
    return slots


def _history_days(day: datetime.date) -> list[datetime.date]:
    days = [day - datetime.timedelta(weeks=n) for n in range(1, WEEKS + 1)]
    return [d for d in days if is_working_day(d)]


def _calls_per_slot(days: list[datetime.date]) -> dict[int, dict]:
    """Offered calls and handle time per slot index of the shift, summed over `days`:
    one grouped query."""
    if not days:
        return {}
    tz = timezone.get_current_timezone()
    within = Q()
    for day in days:
        slots = _slots(day)
        within |= Q(started_at__gte=slots[0], started_at__lt=slots[-1] + SLOT)
    handle = ExpressionWrapper(F("ended_at") - F("answered_at"), output_field=DurationField())
    rows = (
        Call.objects.filter(within)
        .annotate(
            hour=ExtractHour("started_at", tzinfo=tz), minute=ExtractMinute("started_at", tzinfo=tz)
        )
        .annotate(half=Case(When(minute__gte=30, then=Value(1)), default=Value(0)))
        .values("hour", "half")
        .annotate(calls=Count("id"), handled=Count(handle), total=Sum(handle))
        .order_by()
    )
    opens = shift_hours()[0]
    first = opens.hour * 2 + (1 if opens.minute >= 30 else 0)
    return {
        row["hour"] * 2 + row["half"] - first: {
            "calls": row["calls"],
            "handled": row["handled"],
            "handle": row["total"] or datetime.timedelta(),
        }
        for row in rows
    }


def _ready_per_slot(day: datetime.date) -> dict[int, float]:
    """Seats staffed (ready, on a call or in wrap-up) per slot: agent-seconds / 1800."""
    slots = _slots(day)
    start, end = slots[0], slots[-1] + SLOT
    seconds = defaultdict(float)
    intervals = StatusInterval.objects.filter(status__in=STAFFED, started_at__lt=end).exclude(
        ended_at__lte=start
    )
    now = timezone.now()
    for began, ended in intervals.values_list("started_at", "ended_at"):
        began, ended = max(began, start), min(ended or now, end)
        for index, slot in enumerate(slots):
            overlap = (min(ended, slot + SLOT) - max(began, slot)).total_seconds()
            if overlap > 0:
                seconds[index] += overlap
    return {index: seconds[index] / SLOT.total_seconds() for index in range(len(slots))}


def _service_level(erlang, calls: float, aht: float, staffed: float) -> float:
    """The share answered in time with the seats that were staffed; none when they were
    fewer than the traffic itself (the queue only grows)."""
    seats = int(staffed)
    if seats <= calls * aht / SLOT.total_seconds():
        return 0.0
    return round(erlang.service_level(positions=seats), 3)


def forecast(
    day: datetime.date,
    *,
    service_level: float = 0.8,
    answer_seconds: int = 20,
    shrinkage: float = 0.3,
) -> dict:
    """One row per half-hour of the day's shift, and the day's totals."""
    from pyworkforce.queuing import ErlangC

    history = _history_days(day)
    totals = _calls_per_slot(history)
    past = day < timezone.localdate() or (
        day == timezone.localdate() and timezone.now() >= _slots(day)[-1] + SLOT
    )
    ready = _ready_per_slot(day) if day <= timezone.localdate() else {}
    rows = []
    for index, start in enumerate(_slots(day)):
        slot = totals.get(index, {"calls": 0, "handled": 0, "handle": datetime.timedelta()})
        calls = slot["calls"] / len(history) if history else 0.0
        aht = (
            slot["handle"].total_seconds() / slot["handled"]
            if slot["handled"]
            else DEFAULT_AHT_SECONDS
        )
        row = {
            "start": start,
            "forecast_calls": round(calls, 1),
            "aht_seconds": round(aht),
            "agents_needed": 0,
            "agents_needed_on_phones": 0,
            "agents_ready": round(ready[index], 1) if index in ready else None,
            "expected_service_level": None,
        }
        if calls > 0:
            erlang = ErlangC(
                transactions=calls,
                aht=aht / 60,
                asa=answer_seconds / 60,
                interval=SLOT.total_seconds() / 60,
                shrinkage=shrinkage,
            )
            needed = erlang.required_positions(service_level=service_level, max_occupancy=1.0)
            row["agents_needed"] = needed["positions"]
            row["agents_needed_on_phones"] = needed["raw_positions"]
            if index in ready:
                row["expected_service_level"] = _service_level(erlang, calls, aht, ready[index])
        rows.append(row)
    return {
        "date": day,
        "weeks_of_history": len(history),
        "past": past,
        "results": rows,
        "totals": {
            "forecast_calls": round(sum(r["forecast_calls"] for r in rows)),
            "peak_agents_needed": max((r["agents_needed"] for r in rows), default=0),
            "peak_agents_needed_on_phones": max(
                (r["agents_needed_on_phones"] for r in rows), default=0
            ),
            "peak_agents_ready": max(
                (r["agents_ready"] for r in rows if r["agents_ready"] is not None), default=None
            ),
        },
    }


def week_peak(day: datetime.date, **targets) -> dict:
    """The seats the busiest half-hour of the week of `day` needs (Monday to Friday)."""
    monday = day - datetime.timedelta(days=day.weekday())
    best = {"date": monday, "peak_agents_needed": 0, "peak_agents_needed_on_phones": 0}
    for offset in range(5):
        current = monday + datetime.timedelta(days=offset)
        if not is_working_day(current):
            continue
        totals = forecast(current, **targets)["totals"]
        if totals["peak_agents_needed"] > best["peak_agents_needed"]:
            best = {"date": current, **totals}
    return best
