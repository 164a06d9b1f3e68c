"""The supervisors' dashboard: today live, any date range, charts, tables and CSV."""

import csv
import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from callcenter.calendar import is_working_day
from callcenter.exports import safe_row
from reprints.selectors import batches
from tickets.models import Category, Channel

from . import staffing, stats, summary, wallboard
from .forms import RangeForm


def _range(request):
    form = RangeForm(request.GET)
    return form, (form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else None


def _hours(seconds: int | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def _agent_for_display(agent: dict) -> dict:
    """Seconds in each status as hours, breaks as lunch / meeting / training / other."""
    breaks = agent["break_seconds"]
    return {
        **agent,
        "ready_hours": _hours(agent["ready_seconds"]),
        "on_call_hours": _hours(agent["on_call_seconds"]),
        "wrap_up_hours": _hours(agent["wrap_up_seconds"]),
        "break_hours": [_hours(breaks[r]) for r in breaks],  # the page localises each
    }


def _for_display(day: dict) -> dict:
    """Business-time averages in hours, as supervisors read them."""
    return {
        **day,
        "claim_hours": _hours(day["average_claim_business_seconds"]),
        "resolve_hours": _hours(day["average_resolve_business_seconds"]),
    }


@login_required
@permission_required("reporting.view_statistics", raise_exception=True)
def dashboard(request):
    form, period = _range(request)
    days = summary.daily(*period) if period else []
    # A range ending today has today's row, live already: the strip reuses it.
    today = days[-1] if days and days[-1]["date"] == timezone.localdate() else None
    context = {
        "form": form,
        "today": stats.today_summary(today),
        "agents_now": wallboard.agents_now(),
    }
    if period:
        context.update(
            days=[_for_display(d) for d in days],
            people=_people_for_display(summary.per_person(*period)),
            charts={
                "days": [date_format(d["date"], "d/m") for d in days],  # as the tables
                "categories": {
                    str(label): [d["tickets_by_category"][value] for d in days]
                    for value, label in Category.choices
                },
                "channels": {
                    str(label): sum(d["tickets_by_channel"][value] for d in days)
                    for value, label in Channel.choices
                },
                "backlog": [d["open_backlog_end_of_day"] for d in days],
                "hours": [h["calls"] for h in summary.by_hour(*period)],
                "labels": {
                    "backlog": _("Open backlog at day end"),
                    "calls": _("Calls"),
                    "tickets": _("Tickets"),
                },
            },  # fmt: skip
            staffing=_staffing(period[1]),
            query=request.GET.urlencode(),
            batches=batches()[:5],
        )
    return render(request, "reporting/dashboard.html", context, status=200 if period else 400)


@login_required
@permission_required("reporting.view_statistics", raise_exception=True)
def today_fragment(request):
    context = {"today": stats.today_summary(), "agents_now": wallboard.agents_now()}
    return render(request, "reporting/_today.html", context)


def _staffing(day) -> dict:
    """The forecast for the range's last working day, and the week's busiest half-hour."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    result = staffing.forecast(day)
    chart = {
        "labels": [timezone.localtime(r["start"]).strftime("%H:%M") for r in result["results"]],
        "calls": [r["forecast_calls"] for r in result["results"]],
        "needed": [r["agents_needed"] for r in result["results"]],
        "ready": [r["agents_ready"] for r in result["results"]],
        "names": {"calls": _("Calls offered"), "needed": _("Seats needed (80/20)"),
                  "ready": _("Seats staffed")},
    }  # fmt: skip
    return {**result, "week": staffing.week_peak(day), "chart": chart}


def _people_for_display(people: dict) -> dict:
    return {**people, "agents": [_agent_for_display(a) for a in people["agents"]]}


def _blank(value):
    return "" if value is None else value


def _csv(filename: str, header: list, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(safe_row(row) for row in rows)
    return response


@login_required
@permission_required("reporting.view_statistics", raise_exception=True)
def daily_csv(request):
    form, period = _range(request)
    if not period:
        return HttpResponse(status=400)
    categories, channels = Category.values, Channel.values
    header = [
        _("Date"), _("Calls"), _("Calls in shift"), _("Calls outside shift"), _("Tickets"),
        *[str(label) for label in Category.labels], *[str(label) for label in Channel.labels],
        _("Answered at first contact"), _("Escalated"), _("Resolved"),
        _("Average handle (s)"), _("PBX calls answered"), _("PBX calls abandoned"),
        _("Abandonment rate (%)"), _("Average speed of answer (s)"), _("Service level (%)"),
        _("Average time to claim (business s)"),
        _("Average time to resolve (business s)"), _("Open backlog at day end"),
        _("Oldest open (h)"), _("SLA breaches"), _("Reprints requested"), _("Reprints printed"),
        _("Self-service look-ups found"), _("Self-service look-ups not found"),
        _("Self-service look-ups refused by the limits"), _("Callbacks asked from self-service"),
        _("Tickets resolved with an answer"), _("Regulation questions resolved with an answer"),
        _("Repeat calls"), _("Callbacks created"), _("Callbacks reached"),
        _("Callbacks given up"), _("Median minutes to first callback"),
    ]  # fmt: skip
    rows = (
        [d["date"].isoformat(), d["calls"], d["calls_in_shift"], d["calls_outside_shift"],
         d["tickets"], *[d["tickets_by_category"][c] for c in categories],
         *[d["tickets_by_channel"][c] for c in channels], d["first_contact_resolved"],
         d["escalated"], d["resolved"], _blank(d["average_handle_seconds"]),
         d["pbx_calls_answered"], d["pbx_calls_abandoned"], _blank(d["abandonment_rate_percent"]),
         _blank(d["average_speed_of_answer_seconds"]), _blank(d["service_level_percent"]),
         _blank(d["average_claim_business_seconds"]),
         _blank(d["average_resolve_business_seconds"]), d["open_backlog_end_of_day"],
         _blank(d["oldest_open_age_hours"]), d["sla_breaches"], d["reprints_requested"],
         d["reprints_printed"], d["self_service_found"], d["self_service_not_found"],
         d["self_service_limited"], d["self_service_callbacks"], d["answers_used"],
         d["regulation_resolved_with_answer"], d["repeat_contacts"], d["callbacks_created"],
         d["callbacks_reached"], d["callbacks_given_up"],
         _blank(d["callback_median_minutes_to_first_attempt"])]
        for d in summary.daily(*period)
    )  # fmt: skip
    return _csv(f"daily-{period[0]}-{period[1]}.csv", header, rows)


@login_required
@permission_required("reporting.view_statistics", raise_exception=True)
def people_csv(request):
    form, period = _range(request)
    if not period:
        return HttpResponse(status=400)
    people = summary.per_person(*period)
    header = [_("Role"), _("User"), _("Calls"), _("Average handle (s)"), _("Tickets"),
              _("Answered at first contact"), _("Callbacks made"), _("Ready (s)"),
              _("On calls (s)"), _("Wrap-up (s)"), _("Lunch (s)"), _("Meeting (s)"),
              _("Training (s)"), _("Other breaks (s)"), _("Occupancy (%)"), _("Claimed"),
              _("Resolved")]  # fmt: skip
    rows = [
        *([_("Agent"), a["username"], a["calls"], a["average_handle_seconds"] or "",
           a["tickets"], a["first_contact_resolved"], a["callbacks_made"],
           a["ready_seconds"], a["on_call_seconds"], a["wrap_up_seconds"],
           *a["break_seconds"].values(), _blank(a["occupancy_percent"]), "", ""]
          for a in people["agents"]),
        *([_("Officer"), o["username"], *[""] * 13, o["claimed"], o["resolved"]]
          for o in people["officers"]),
    ]  # fmt: skip
    return _csv(f"people-{period[0]}-{period[1]}.csv", header, rows)
