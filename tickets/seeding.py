"""Realistic simulated calls and tickets for demos, statistics and load work.

Rows are built in memory a few days at a time and written with bulk_create: a
quarter of a real hotline's history is a million tickets, and going through the
services one by one would take hours. Each step is taken through the life cycle's
table (lifecycle.check: the state it leads to, and whether that user may take it), so
timestamps, states and history rows agree with what the services write.
"""

import contextlib
import datetime
import random
import uuid
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from callcenter.calendar import business_seconds_between, is_working_day
from citizens.models import CardApplication

from . import lifecycle, sla
from .models import (
    Call,
    Category,
    Channel,
    ReferenceCounter,
    ResolutionCode,
    Status,
    Ticket,
    TicketEvent,
)

# Roughly the first quarter of 2022: most calls are general questions, one in ten
# about a late card, a few about the rules, very few complaints.
CATEGORY_WEIGHTS = {
    Category.OTHER: 0.78,
    Category.DELAYED_CARD: 0.18,
    Category.REGULATION_QUESTION: 0.035,
    Category.COMPLAINT: 0.005,
}
# Share of calls per hour of the shift (07:30–17:30): a mid-morning peak, a lunch dip.
HOUR_WEIGHTS = {7: 2, 8: 9, 9: 13, 10: 13, 11: 10, 12: 5, 13: 8, 14: 11, 15: 11, 16: 10, 17: 4}
WEEKDAY_FACTOR = {0: 1.3, 1: 1.05, 2: 1.0, 3: 0.95, 4: 0.85}
MOBILE_PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "86", "88", "89", "32", "33",
                   "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81",
                   "82", "83", "84", "85", "56", "58", "59"]  # fmt: skip
FAMILY = ["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 10 + ["Phạm"] * 7 + ["Hoàng"] * 5 + \
    ["Phan"] * 4 + ["Vũ"] * 4 + ["Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"] * 3  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quốc", "Thanh", "Hữu", "Hoài"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm",
         "Thảo", "Trang", "Tuấn", "Việt", "Yến"]  # fmt: skip
PLACES = ["Công an quận Hoàn Kiếm", "Công an quận Cầu Giấy", "Công an huyện Đông Anh",
          "Công an TP Thủ Đức", "Công an quận 3", "Công an TP Đà Nẵng - quận Hải Châu",
          "Công an huyện Bình Chánh", "Công an TP Huế",
          "Công an TP Cần Thơ - Ninh Kiều"]  # fmt: skip
SUMMARIES = {
    Category.DELAYED_CARD: [
        "Làm CCCD từ {month} nhưng chưa nhận được thẻ, quá hạn hẹn trả.",
        "Công dân hỏi tiến độ cấp thẻ, đã nộp hồ sơ {month}.",
        "Đã quá 7 ngày làm việc, chưa có thông báo trả thẻ.",
    ],
    Category.REGULATION_QUESTION: [
        "Hỏi thủ tục cấp đổi CCCD khi thay đổi nơi thường trú.",
        "Hỏi lệ phí cấp lại thẻ bị mất.",
        "Hỏi độ tuổi phải đổi thẻ CCCD gắn chip.",
    ],
    Category.COMPLAINT: [
        "Phản ánh cán bộ tiếp nhận hẹn trả không đúng hạn.",
        "Phản ánh thái độ tiếp dân tại điểm thu nhận hồ sơ.",
    ],
    Category.OTHER: [
        "Hỏi cách tra cứu tình trạng hồ sơ trực tuyến.",
        "Hỏi giờ làm việc của điểm cấp CCCD.",
        "Hỏi về tài khoản định danh điện tử.",
        "Gọi nhầm số, đã hướng dẫn.",
    ],
}


# Of the tickets an officer claims, this share waits on something (a call back, another
# office) and stays unresolved for a while; after a few days it is resolved too, so an
# officer holds a few dozen tickets at most, not everything stalled since the seed began.
STALLED_SHARE = 0.15
STALLED_FOR_AT_MOST = datetime.timedelta(days=3)


def random_phone(rng: random.Random) -> str:
    return "+84" + rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def random_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _take(ticket, events, action, actor, at, changes=None, **fields) -> None:
    """One step of a ticket's life, in memory: the life cycle says whether `actor` may
    take it and where it leads; the history row is kept for saving."""
    source = ticket.status
    ticket.status = lifecycle.check(ticket, action, actor)
    for name, value in fields.items():
        setattr(ticket, name, value)
    events.append((at, actor, action, source, ticket.status, changes or {}))


class _Builder:
    def __init__(self, rng, agents, officers):
        self.rng = rng
        self.agents = agents
        self.officers = officers
        self.repeat_pool = [random_phone(rng) for _ in range(300)]
        self.counters = defaultdict(
            int, dict(ReferenceCounter.objects.values_list("period", "last"))
        )
        self.tickets, self.calls, self.events = [], [], []
        self.citizens = _sample_citizens(rng)
        self.targets = sla.targets()

    def identity(self):
        """A caller who is in the records: what they would tell the agent."""
        rng = self.rng
        if not self.citizens or rng.random() < 0.1:
            return {"caller_name": random_name(rng), "place_of_application": rng.choice(PLACES)}
        a = rng.choice(self.citizens)
        identity = {
            "caller_name": a.full_name,
            "date_of_birth": a.date_of_birth,
            "place_of_application": a.receiving_unit,
            "application_date": a.lodged_on,
        }
        if rng.random() < 0.4:
            identity["cccd_number"] = a.cccd_number
        return identity

    def reference(self, at):
        period = timezone.localtime(at).strftime("%y%m")
        self.counters[period] += 1
        return f"{period}-{self.counters[period]:05d}"

    def moment(self, day):
        hour = _weighted(self.rng, HOUR_WEIGHTS)
        minute = self.rng.randrange(30, 60) if hour in (7,) else self.rng.randrange(60)
        if hour == 17:
            minute = self.rng.randrange(30)
        naive = datetime.datetime.combine(day, datetime.time(hour, minute, self.rng.randrange(60)))
        return timezone.make_aware(naive)

    def ticket(self, day, now):
        rng = self.rng
        start = self.moment(day)
        if start >= now:
            return
        category = _weighted(rng, CATEGORY_WEIGHTS)
        agent = rng.choice(self.agents)
        phone = rng.choice(self.repeat_pool) if rng.random() < 0.2 else random_phone(rng)
        handle = datetime.timedelta(seconds=max(60, int(rng.gauss(330, 120))))
        created = start + handle - datetime.timedelta(seconds=20)
        identified = category in (Category.DELAYED_CARD, Category.COMPLAINT)
        if identified:
            identity = self.identity()
        elif rng.random() < 0.3:
            identity = {"caller_name": random_name(rng)}
        else:
            identity = {}
        t = Ticket(
            channel=Channel.PHONE,
            caller_phone=phone,
            **identity,
            category=category,
            summary=rng.choice(SUMMARIES[category]).format(month=f"{rng.randrange(1, 13)}/2022"),
            created_by=agent,
            created_at=created,
            updated_at=created,
        )
        events = [(created, agent, "create", "", Status.OPEN, {})]
        escalate = category == Category.COMPLAINT or (
            category == Category.DELAYED_CARD and rng.random() < 0.7
        )
        if not escalate:
            code = ResolutionCode.ANSWERED
            _take(t, events, "resolve", agent, created, {"resolution_code": code},
                  resolution_code=code, resolved_at=created)  # fmt: skip
        else:
            self._escalated(t, events, created, now)
        t.updated_at = events[-1][0]
        self.tickets.append(t)
        # Reported by the PBX, as every call to the hotline is: its answer figures count.
        self.calls.append(Call(caller_phone=phone, agent=agent, started_at=start,
                               answered_at=start + datetime.timedelta(seconds=rng.randrange(3, 40)),
                               ended_at=start + handle,
                               pbx_call_id=f"seed-{uuid.uuid4().hex}"))  # fmt: skip
        self.events.append(events)

    def _escalated(self, t, events, created, now):
        rng = self.rng
        claim_due, resolve_due = sla.deadlines(t.category, created, table=self.targets)
        _take(t, events, "escalate", t.created_by, created, escalated_at=created,
              claim_due_at=claim_due, resolve_due_at=resolve_due)  # fmt: skip
        claimed = created + datetime.timedelta(minutes=rng.randrange(10, 600))
        if claimed >= now or rng.random() < 0.1:
            return
        officer = rng.choice(self.officers)
        _take(t, events, "claim", officer, claimed, assignee=officer, assigned_at=claimed,
              claim_business_seconds=business_seconds_between(created, claimed))  # fmt: skip
        resolved = claimed + datetime.timedelta(minutes=rng.randrange(15, 3000))
        stalled = rng.random() < STALLED_SHARE
        if resolved >= now or (stalled and now - claimed < STALLED_FOR_AT_MOST):
            return
        code = rng.choice([ResolutionCode.CARD_AT_LOCAL_POLICE, ResolutionCode.IN_PROCESSING,
                           ResolutionCode.MUST_REAPPLY, ResolutionCode.NOT_FOUND])  # fmt: skip
        if t.category == Category.COMPLAINT:
            code = ResolutionCode.COMPLAINT_FORWARDED
        _take(t, events, "resolve", officer, resolved, {"resolution_code": code},
              resolution_code=code, resolved_at=resolved,
              resolve_business_seconds=business_seconds_between(created, resolved))  # fmt: skip

    @transaction.atomic
    def save(self):
        """Write what was built so far and start afresh (the counters carry on)."""
        # References follow creation time, as the services hand them out.
        for t in sorted(self.tickets, key=lambda t: t.created_at):
            t.reference = self.reference(t.created_at)
        with _keeping_updated_at():
            Ticket.objects.bulk_create(self.tickets, batch_size=2000)
        for call, t in zip(self.calls, self.tickets, strict=True):
            call.ticket = t
        Call.objects.bulk_create(self.calls, batch_size=2000)
        rows = [
            TicketEvent(
                ticket=t,
                actor=actor,
                action=action,
                from_status=src,
                to_status=dst,
                changes=changes,
                at=at,
            )  # fmt: skip
            for t, events in zip(self.tickets, self.events, strict=True)
            for (at, actor, action, src, dst, changes) in events
        ]
        TicketEvent.objects.bulk_create(rows, batch_size=5000)
        for period, last in self.counters.items():
            ReferenceCounter.objects.update_or_create(period=period, defaults={"last": last})
        made = len(self.tickets)
        self.tickets, self.calls, self.events = [], [], []
        return made


@contextlib.contextmanager
def _keeping_updated_at():
    """bulk_create would stamp `updated_at` (auto_now) with the present; history rows
    keep the time of their last event instead."""
    field = Ticket._meta.get_field("updated_at")
    field.auto_now = False
    try:
        yield
    finally:
        field.auto_now = True


def _sample_citizens(rng, size: int = 3000) -> list:
    """Random card applications (by id range, without scanning the table)."""
    bounds = CardApplication.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return []
    ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(size)]
    return list(CardApplication.objects.filter(id__in=ids))


SAVE_EVERY = 50_000


def seed_tickets(*, days: int, per_day: int, seed: int = 1) -> int:
    """Create `per_day` calls (on an average working day) for each of the last
    `days` days; returns how many tickets were made."""
    User = get_user_model()
    agents = list(User.objects.filter(groups__name="agent"))
    officers = list(User.objects.filter(groups__name="officer"))
    if not agents or not officers:
        raise ValueError("seed the demo users first (manage.py seed_demo)")
    rng = random.Random(seed)
    builder = _Builder(rng, agents, officers)
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    for offset in range(days, -1, -1):
        day = today - datetime.timedelta(days=offset)
        if not is_working_day(day):
            continue
        for _ in range(int(per_day * WEEKDAY_FACTOR[day.weekday()])):
            builder.ticket(day, now)
        # A few days at a time, so that memory stays flat however long the history.
        if len(builder.tickets) >= SAVE_EVERY:
            made += builder.save()
    return made + builder.save()
