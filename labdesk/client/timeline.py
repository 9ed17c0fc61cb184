"""The case's history as the case page shows it: one line per step, in the person's words.

Steps are ordered and dated by when the person took them (``occurred_at``); when the portal
recorded one more than a minute later (an action taken offline), the line says both,
"12:54 · synced 12:56". The portal's own order of record stays in the data; this is display.
QC and shipping say what happened ("QC signed off — 6/6 points", "Shipped — UPS 1Z…"),
not a status that did not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from labdesk.api.schemas import Case, HistoryEntry, QCRecord
from labdesk.domain.lifecycle import ACTION_LABELS, STATUS_LABELS, Action

SYNC_LAG_SHOWN = timedelta(minutes=1)  # a later recording than this is worth saying


@dataclass(frozen=True)
class TimelineLine:
    when: str
    who: str
    change: str
    why: str
    action_label: str  # the action's name, for a tooltip
    occurred_at: datetime


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def when_text(entry: HistoryEntry) -> str:
    """When the person acted; with the portal's time too when it came much later."""
    occurred = entry.occurred_at or entry.at
    text = local_time(occurred)
    if entry.at - occurred > SYNC_LAG_SHOWN:
        recorded = entry.at.astimezone()
        same_day = recorded.date() == occurred.astimezone().date()
        text += f" · synced {recorded.strftime('%H:%M' if same_day else '%d %b %H:%M')}"
    return text


def points_text(record: QCRecord) -> str:
    passed = sum(1 for e in record.checklist if e.passed)
    return f"{passed}/{len(record.checklist)} points"


def change_text(case: Case, entry: HistoryEntry, latest_qc: HistoryEntry | None) -> str:
    before = STATUS_LABELS[entry.from_status] if entry.from_status else "New"
    moved = f"{before} → {STATUS_LABELS[entry.to_status]}"
    record = case.qc_record if entry is latest_qc else None
    if entry.action is Action.QC_PASS:
        return f"QC signed off — {points_text(record)}" if record else "QC signed off"
    if entry.action is Action.QC_FAIL:
        where = f" — back to {STATUS_LABELS[entry.to_status]}"
        return f"QC failed{where}" + (f" ({points_text(record)})" if record else "")
    if entry.action is Action.SHIP and case.tracking is not None:
        return f"Shipped — {case.tracking.carrier} {case.tracking.tracking_number}"
    if entry.action is Action.DELIVER:
        return "Delivered"
    return moved


def timeline(case: Case) -> list[TimelineLine]:
    """The steps of ``case``, newest first by the person's time."""
    qc_steps = [h for h in case.history if h.action in (Action.QC_PASS, Action.QC_FAIL)]
    latest_qc = qc_steps[-1] if qc_steps else None
    ordered = sorted(case.history, key=lambda e: (e.occurred_at or e.at, e.id), reverse=True)
    return [
        TimelineLine(
            when=when_text(entry),
            who=entry.by_name,
            change=change_text(case, entry, latest_qc),
            why=" — ".join(p for p in (entry.reason, entry.note) if p),
            action_label=ACTION_LABELS.get(entry.action, str(entry.action)),
            occurred_at=entry.occurred_at or entry.at,
        )
        for entry in ordered
    ]
