"""Due dates in business days and their urgency.

Turnaround is counted in business days: weekends and the lab's holidays do not count. The
inbox colours a due date by :func:`classify`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

DEFAULT_SOON_BUSINESS_DAYS: Final = 2


class DueState(StrEnum):
    NONE = "none"  # no date, or the case is finished
    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"


def is_business_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_business_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The date ``days`` business days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("turnaround cannot be negative")
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            remaining -= 1
    return day


def business_days_between(start: date, end: date, holidays: Collection[date] = ()) -> int:
    """Business days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -business_days_between(end, start, holidays)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            count += 1
    return count


def due_date(
    received: date, turnaround_days: int, holidays: Collection[date] = (), *, rush: bool = False
) -> date:
    """When a case received on ``received`` is due; rush halves the turnaround (at least 1)."""
    days = max(1, turnaround_days // 2) if rush else turnaround_days
    return add_business_days(received, days, holidays)


def classify(
    due: date | None,
    today: date,
    holidays: Collection[date] = (),
    *,
    soon_days: int = DEFAULT_SOON_BUSINESS_DAYS,
) -> DueState:
    """Overdue, due today, due soon (within ``soon_days`` business days) or later."""
    if due is None:
        return DueState.NONE
    if due < today:
        return DueState.OVERDUE
    if due == today:
        return DueState.TODAY
    if business_days_between(today, due, holidays) <= soon_days:
        return DueState.SOON
    return DueState.LATER
