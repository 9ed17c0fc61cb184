"""The workload figures as tables: what the dashboard shows beside its charts and what "Export
CSV" writes — one home, so the file says exactly what the screen says. No Qt.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from labdesk.api.schemas import Dwell, RemakeRate, Workload
from labdesk.domain.lifecycle import STATUS_LABELS, Status

Cell = str | int | float
ALL_ITEMS = "All items"


@dataclass(frozen=True)
class Table:
    key: str  # file-name friendly
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def due_statuses(figures: Workload) -> list[Status]:
    """The statuses that have work due in the next days, in lifecycle order."""
    present = {status for day in figures.due for status in day.counts}
    return [status for status in Status if status in present]


def status_table(figures: Workload) -> Table:
    rows = tuple(
        (STATUS_LABELS[entry.status], entry.count, figures.overdue.get(entry.status, 0))
        for entry in sorted(figures.by_status, key=lambda e: list(Status).index(e.status))
    )
    return Table("cases_per_status", "Cases per status", ("Status", "Cases", "Overdue"), rows)


def due_table(figures: Workload) -> Table:
    statuses = due_statuses(figures)
    headers = ("Day", *(STATUS_LABELS[s] for s in statuses), "Rush", "Total")
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            day.day.isoformat(),
            *(day.counts.get(s, 0) for s in statuses),
            day.rush,
            sum(day.counts.values()),
        )
        for day in figures.due
    )
    return Table("due_next_14_days", "Due in the next 14 days", headers, rows)


def throughput_table(figures: Workload) -> Table:
    rows = tuple((day.day.isoformat(), day.shipped) for day in figures.shipped)
    return Table("shipped_per_day", "Shipped per day (30 days)", ("Day", "Shipped"), rows)


def on_time_table(figures: Workload) -> Table:
    rows = tuple(
        (w.week_start.isoformat(), w.shipped, w.on_time, percent(w.on_time, w.shipped))
        for w in figures.on_time
    )
    headers = ("Week of", "Shipped", "On time", "On-time rate")
    return Table("on_time_per_week", "On time per week", headers, rows)


def dwell_table(figures: Workload, item_names: dict[str, str] | None = None) -> Table:
    names = item_names or {}
    rows = tuple(
        (
            STATUS_LABELS[entry.status],
            names.get(entry.catalog_code, entry.catalog_code) if entry.catalog_code else ALL_ITEMS,
            entry.stays,
            round(entry.median_hours, 1),
            round(entry.p90_hours, 1),
        )
        for entry in sorted(figures.dwell, key=_dwell_order)
    )
    headers = ("Status", "Item", "Stays", "Median (hours)", "90th percentile (hours)")
    return Table("time_in_status", "Where work waits (90 days)", headers, rows)


def _dwell_order(entry: Dwell) -> tuple[int, bool, str]:
    """In lifecycle order; "All items" first within a status."""
    return (
        list(Status).index(entry.status),
        entry.catalog_code is not None,
        entry.catalog_code or "",
    )


def _remake_rows(entries: Sequence[RemakeRate]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        (entry.label, entry.remakes, entry.shipped, percent(entry.remakes, entry.shipped))
        for entry in entries
    )


def remakes_by_item_table(figures: Workload) -> Table:
    headers = ("Item", "Remakes", "Shipped", "Remake rate")
    rows = _remake_rows(figures.remakes_by_item)
    return Table("remakes_per_item", "Remakes per item (90 days)", headers, rows)


def remakes_by_reason_table(figures: Workload) -> Table:
    headers = ("Reason", "Remakes", "Shipped (all items)", "Remake rate")
    rows = _remake_rows(figures.remakes_by_reason)
    return Table("remakes_per_reason", "Remakes per reason (90 days)", headers, rows)


def all_tables(figures: Workload, item_names: dict[str, str] | None = None) -> list[Table]:
    return [
        status_table(figures),
        due_table(figures),
        throughput_table(figures),
        on_time_table(figures),
        dwell_table(figures, item_names),
        remakes_by_item_table(figures),
        remakes_by_reason_table(figures),
    ]


def write_csv(table: Table, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.headers)
        writer.writerows(table.rows)
