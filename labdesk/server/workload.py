"""The lab's workload figures: what is where now, what is due, what shipped, where work waits,
what came back.

Computed here, from the portal's whole history, because a workstation's cache holds only the
cases it has seen: 90 days of history computed there would be wrong. Rules of counting:

- *open work* is every case that is the lab's to finish: not rejected (back with the clinic),
  shipped, delivered, cancelled or replaced by a remake;
- a *stay* in a status runs from the history row that entered it to the row that left it;
  stays still running are not counted; the percentile is the nearest-rank one (p90 of ten stays
  is the ninth shortest), the median the ordinary one;
- a case shipped *on time* was shipped on or before its due date (in UTC); a case without a due
  date counts as on time;
- a remake is a ``request_remake`` of an original case in the window, attributed to each
  catalog item of the original case and to its reason (the reason code, else the reason text).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from labdesk.api import schemas
from labdesk.domain.lifecycle import Action, Status
from labdesk.server import models as m

DUE_DAYS: Final = 14
SHIPPED_DAYS: Final = 30
HISTORY_DAYS: Final = 90
NOT_OPEN: Final = frozenset(
    {Status.REJECTED, Status.SHIPPED, Status.DELIVERED, Status.CANCELLED, Status.REMAKE_REQUESTED}
)


@dataclass(frozen=True)
class _Case:
    id: int
    status: Status
    due: date | None
    rush: bool
    clinic_id: int
    codes: frozenset[str]


@dataclass(frozen=True)
class _Step:
    case_id: int
    at: datetime
    action: Action
    from_status: Status | None
    to_status: Status
    reason: str


def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def workload(
    session: Session,
    lab_id: int,
    *,
    clinic_id: int | None = None,
    catalog_code: str | None = None,
    now: datetime | None = None,
) -> schemas.Workload:
    now = now or datetime.now(UTC)
    today = now.date()
    cases = _cases(session, lab_id, clinic_id, catalog_code)
    steps = _steps(session, cases, since=now - timedelta(days=HISTORY_DAYS + 60))
    names = dict(session.execute(select(m.CatalogItem.code, m.CatalogItem.name)).all())
    return schemas.Workload(
        as_of=now,
        today=today,
        clinic_id=clinic_id,
        catalog_code=catalog_code,
        by_status=[
            schemas.StatusCount(status=s, count=n)
            for s, n in sorted(Counter(c.status for c in cases.values()).items())
        ],
        overdue=dict(Counter(c.status for c in _overdue(cases.values(), today))),
        overdue_rush=sum(c.rush for c in _overdue(cases.values(), today)),
        due=_due(cases.values(), today),
        shipped=_shipped_days(cases, steps, today),
        on_time=_on_time(cases, steps, today),
        dwell=_dwell(cases, steps, now),
        remakes_by_item=_remakes_by_item(cases, steps, now, names),
        remakes_by_reason=_remakes_by_reason(steps, now),
    )


def _cases(
    session: Session, lab_id: int, clinic_id: int | None, catalog_code: str | None
) -> dict[int, _Case]:
    query = select(m.Case.id, m.Case.status, m.Case.due_date, m.Case.rush, m.Case.clinic_id)
    query = query.where(m.Case.lab_id == lab_id)
    if clinic_id is not None:
        query = query.where(m.Case.clinic_id == clinic_id)
    codes: defaultdict[int, set[str]] = defaultdict(set)
    item_query = select(m.CaseItem.case_id, m.CaseItem.catalog_code).join(m.Case)
    for case_id, code in session.execute(item_query.where(m.Case.lab_id == lab_id)):
        codes[case_id].add(code)
    cases = {
        row.id: _Case(row.id, Status(row.status), row.due_date, row.rush, row.clinic_id,
                      frozenset(codes[row.id]))
        for row in session.execute(query)
    }  # fmt: skip
    if catalog_code is not None:
        cases = {k: c for k, c in cases.items() if catalog_code in c.codes}
    return cases


def _steps(session: Session, cases: dict[int, _Case], since: datetime) -> list[_Step]:
    query = (
        select(
            m.HistoryRow.case_id, m.HistoryRow.at, m.HistoryRow.action, m.HistoryRow.from_status,
            m.HistoryRow.to_status, m.HistoryRow.reason_code, m.HistoryRow.reason,
        )
        .join(m.Case)
        .order_by(m.HistoryRow.case_id, m.HistoryRow.id)
    )  # fmt: skip
    steps = []
    for row in session.execute(query):
        if row.case_id not in cases:
            continue
        steps.append(
            _Step(
                row.case_id, _utc(row.at), Action(row.action),
                Status(row.from_status) if row.from_status else None, Status(row.to_status),
                (row.reason_code or (row.reason or "").strip() or "unspecified"),
            )
        )  # fmt: skip
    return [s for s in steps if s.at >= since] if since else steps


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _overdue(cases: Iterable[_Case], today: date) -> list[_Case]:
    return [c for c in cases if c.status not in NOT_OPEN and c.due and c.due < today]


def _due(cases: Iterable[_Case], today: date) -> list[schemas.DueDay]:
    days = {today + timedelta(days=n): Counter[Status]() for n in range(DUE_DAYS)}
    rush: Counter[date] = Counter()
    for case in cases:
        if case.status in NOT_OPEN or case.due not in days:
            continue
        assert case.due is not None
        days[case.due][case.status] += 1
        rush[case.due] += case.rush
    return [schemas.DueDay(day=d, counts=dict(c), rush=rush[d]) for d, c in days.items()]


def _shipments(steps: list[_Step]) -> dict[int, datetime]:
    """Each case's last ``ship`` (a case ships once; a remake is another case)."""
    return {s.case_id: s.at for s in steps if s.action == Action.SHIP}


def _shipped_days(
    cases: dict[int, _Case], steps: list[_Step], today: date
) -> list[schemas.ShippedDay]:
    first = today - timedelta(days=SHIPPED_DAYS - 1)
    per_day = Counter(at.date() for at in _shipments(steps).values() if at.date() >= first)
    return [
        schemas.ShippedDay(
            day=first + timedelta(days=n), shipped=per_day[first + timedelta(days=n)]
        )
        for n in range(SHIPPED_DAYS)
    ]


def _on_time(cases: dict[int, _Case], steps: list[_Step], today: date) -> list[schemas.OnTimeWeek]:
    first = today - timedelta(days=SHIPPED_DAYS - 1)
    weeks: dict[date, list[int]] = {}
    monday = first - timedelta(days=first.weekday())
    while monday <= today:
        weeks[monday] = [0, 0]
        monday += timedelta(days=7)
    for case_id, at in _shipments(steps).items():
        day = at.date()
        if day < first:
            continue
        week = weeks[day - timedelta(days=day.weekday())]
        week[0] += 1
        due = cases[case_id].due
        week[1] += due is None or day <= due
    return [schemas.OnTimeWeek(week_start=w, shipped=s, on_time=o) for w, (s, o) in weeks.items()]


def _dwell(cases: dict[int, _Case], steps: list[_Step], now: datetime) -> list[schemas.Dwell]:
    since = now - timedelta(days=HISTORY_DAYS)
    stays: defaultdict[tuple[Status, str | None], list[float]] = defaultdict(list)
    previous: _Step | None = None
    for step in steps:
        entered = previous if previous and previous.case_id == step.case_id else None
        previous = step
        if entered is None or step.from_status is None or step.at < since:
            continue
        if entered.to_status != step.from_status:
            continue  # history older than the window's lookback: the entry is not known
        hours = (step.at - entered.at).total_seconds() / 3600
        stays[(step.from_status, None)].append(hours)
        for code in cases[step.case_id].codes:
            stays[(step.from_status, code)].append(hours)
    return [
        schemas.Dwell(
            status=status, catalog_code=code, stays=len(values),
            median_hours=round(statistics.median(values), 3),
            p90_hours=round(nearest_rank(values, 0.9), 3),
        )
        for (status, code), values in sorted(stays.items(), key=_dwell_order)
    ]  # fmt: skip


def _is_remake(step: _Step) -> bool:
    """The original's ``request_remake`` (the child's first row carries the same action)."""
    return step.action == Action.REQUEST_REMAKE and step.to_status == Status.REMAKE_REQUESTED


def _dwell_order(entry: tuple[tuple[Status, str | None], list[float]]) -> tuple[str, str]:
    (status, code), _ = entry
    return (status.value, code or "")


def _remakes_by_item(
    cases: dict[int, _Case], steps: list[_Step], now: datetime, names: dict[str, str]
) -> list[schemas.RemakeRate]:
    since = now - timedelta(days=HISTORY_DAYS)
    remakes: Counter[str] = Counter()
    shipped: Counter[str] = Counter()
    for step in steps:
        if step.at < since:
            continue
        if _is_remake(step):
            remakes.update(cases[step.case_id].codes)
        elif step.action == Action.SHIP:
            shipped.update(cases[step.case_id].codes)
    return [
        schemas.RemakeRate(key=code, label=names.get(code, code), remakes=remakes[code],
                           shipped=shipped[code])
        for code in sorted(set(remakes) | set(shipped))
    ]  # fmt: skip


def _remakes_by_reason(steps: list[_Step], now: datetime) -> list[schemas.RemakeRate]:
    since = now - timedelta(days=HISTORY_DAYS)
    shipped = sum(1 for s in steps if s.action == Action.SHIP and s.at >= since)
    reasons = Counter(s.reason for s in steps if _is_remake(s) and s.at >= since)
    return [
        schemas.RemakeRate(key=reason, label=reason, remakes=n, shipped=shipped)
        for reason, n in reasons.most_common()
    ]
