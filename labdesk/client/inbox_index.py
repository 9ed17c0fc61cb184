"""The inbox's rows, indexed so that sorting and filtering 100,000 cases stay instant (no Qt).

:meth:`InboxIndex.build` does the heavy part once per load, off the GUI thread: the order of
the rows by every column, the rows of every queue, the due state of every row and a
lower-cased search haystack per row. On the GUI thread, sorting is then picking a prepared
list, and filtering narrows a queue's rows with a few list comprehensions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Final

from labdesk.client.inbox_queues import (
    ANY_ASSIGNEE,
    DUE_WINDOW_STATES,
    IN_WORK_STAGES,
    DueWindow,
    InboxFilter,
    Queue,
    in_queue,
)
from labdesk.client.inbox_rows import InboxRow
from labdesk.domain import due as due_rules
from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import FINAL_STATUSES, LEFT_THE_LAB, Status

# Column numbers; the Qt model uses the same constants.
COL_NUMBER, COL_PATIENT, COL_CLINIC, COL_DENTIST, COL_ITEMS = 0, 1, 2, 3, 4
COL_STATUS, COL_DUE, COL_EXPECTED, COL_ASSIGNEE, COL_FLAGS = 5, 6, 7, 8, 9
COLUMN_COUNT: Final = 10

# A due date is no longer a worry once the case has left the lab.
_DONE_STATUSES: Final = LEFT_THE_LAB | FINAL_STATUSES
_STATUS_ORDER: Final = {status: i for i, status in enumerate(Status)}
_FAR_FUTURE: Final = date.max.toordinal() + 1

QueueKey = tuple[Queue, Status | None]


def status_sort_value(row: InboxRow) -> int:
    """Lifecycle order; a signed-off QC case sorts after one still waiting for QC."""
    return _STATUS_ORDER[row.status] * 2 + (1 if row.signed_off else 0)


def flags_sort_value(row: InboxRow) -> int:
    """Conflicts and failures weigh most, then pending work, rush, remake."""
    return (
        (16 if row.conflict else 0)
        + (8 if row.failed else 0)
        + (4 if row.pending else 0)
        + (2 if row.rush else 0)
        + (1 if row.remake else 0)
    )


def _date_value(day: date | None) -> int:
    return day.toordinal() if day is not None else _FAR_FUTURE


def items_sort_text(row: InboxRow) -> str:
    return "; ".join(name for name, _teeth in row.items).casefold()


SORT_VALUES: Final[dict[int, Callable[[InboxRow], Any]]] = {
    COL_NUMBER: lambda r: r.number,
    COL_PATIENT: lambda r: r.patient.casefold(),
    COL_CLINIC: lambda r: r.clinic.casefold(),
    COL_DENTIST: lambda r: r.dentist.casefold(),
    COL_ITEMS: items_sort_text,
    COL_STATUS: status_sort_value,
    COL_DUE: lambda r: _date_value(r.due_date),
    COL_EXPECTED: lambda r: _date_value(r.expected_date),
    # Unassigned cases sort after every name.
    COL_ASSIGNEE: lambda r: (r.assignee_name or r.assignee or "\U0010ffff").casefold(),
    COL_FLAGS: flags_sort_value,
}


def haystack(row: InboxRow) -> str:
    """What the search box matches: number, patient, clinic, dentist and tags."""
    return "\x1f".join((row.number, row.patient, row.clinic, row.dentist, *row.tags)).casefold()


def _queue_keys() -> list[QueueKey]:
    keys: list[QueueKey] = [(q, None) for q in Queue]
    keys += [(Queue.IN_WORK, stage) for stage in IN_WORK_STAGES]
    return keys


_STATUS_QUEUES: Final[dict[tuple[Status, bool], tuple[QueueKey, ...]]] = {
    (status, signed): tuple(
        (queue, stage)
        for queue, stage in _queue_keys()
        if queue not in (Queue.NEEDS_ATTENTION, Queue.ALL)
        and (stage is None or stage is status)
        and in_queue(InboxRow(0, "", "", "", "", (), status, signed_off=signed), queue)
    )
    for status in Status
    for signed in (False, True)
}


def _queues_of(row: InboxRow) -> tuple[QueueKey, ...]:
    """Every queue (and "In work" stage) ``row`` belongs to; one pass builds them all."""
    keys = _STATUS_QUEUES[(row.status, row.signed_off)] + ((Queue.ALL, None),)
    if row.conflict or row.failed:
        keys += ((Queue.NEEDS_ATTENTION, None),)
    return keys


def classify_all(
    rows: Sequence[InboxRow], today: date, holidays: frozenset[date] = frozenset()
) -> list[DueState]:
    """Each row's due state; ``due.classify`` is asked once per distinct date."""
    memo: dict[date, DueState] = {}
    states: list[DueState] = []
    for row in rows:
        day = row.due_date
        if day is None or row.status in _DONE_STATUSES:
            states.append(DueState.NONE)
            continue
        state = memo.get(day)
        if state is None:
            state = memo[day] = due_rules.classify(day, today, holidays)
        states.append(state)
    return states


class InboxIndex:
    """All rows of the inbox with their orders, queues, due states and search text."""

    def __init__(self) -> None:
        self.rows: list[InboxRow] = []
        self.due_states: list[DueState] = []
        self.today = date.today()
        self._hay: list[str] = []
        self._ascending: dict[int, list[int]] = {}
        self._descending: dict[int, list[int]] = {}
        self._rank: dict[int, list[int]] = {}  # position -> place in the ascending order
        self._blob = ""  # every haystack, one per line: one str.find scans them all
        self._starts: list[int] = []
        self._queues: dict[QueueKey, list[int]] = {}
        self._last_search: tuple[str, list[int]] = ("", [])
        self._masks: dict[InboxFilter, tuple[list[int], bytearray] | None] = {}
        self._by_id: dict[int, int] = {}
        self._by_number: dict[str, int] = {}
        self._counts: dict[Queue | Status, int] = self._count()

    @classmethod
    def build(
        cls,
        rows: Sequence[InboxRow],
        today: date | None = None,
        holidays: frozenset[date] = frozenset(),
    ) -> InboxIndex:
        """Index ``rows``; the heavy step — run it off the GUI thread for large inboxes."""
        index = cls()
        index.rows = rows = list(rows)
        index.today = today = today or date.today()
        index.due_states = classify_all(rows, today, holidays)
        index._hay = [haystack(r) for r in rows]
        index._by_id = {r.case_id: i for i, r in enumerate(rows)}
        index._by_number = {r.number.casefold(): i for i, r in enumerate(rows)}
        n = len(rows)
        positions = range(n)
        for column, value_of in SORT_VALUES.items():
            values = [value_of(r) for r in rows]
            ascending = sorted(positions, key=values.__getitem__)
            inverse = [0] * n
            for rank, pos in enumerate(ascending):
                inverse[pos] = rank
            index._ascending[column] = ascending
            index._rank[column] = inverse
        index._blob = "\n".join(index._hay)
        starts, offset = [], 0
        for text in index._hay:
            starts.append(offset)
            offset += len(text) + 1
        index._starts = starts
        queues: dict[QueueKey, list[int]] = {key: [] for key in _queue_keys()}
        for i, r in enumerate(rows):
            for key in _queues_of(r):
                queues[key].append(i)
        index._queues = queues
        index._counts = index._count()
        return index

    # --- lookups ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.rows)

    def ids(self) -> set[int]:
        return set(self._by_id)

    def position_of(self, case_id: int) -> int | None:
        return self._by_id.get(case_id)

    def find_number(self, text: str) -> int | None:
        """The position of the case whose number is ``text`` (a barcode), case-insensitive.

        Digits alone match the number's last digits when exactly one case ends with them, so
        ``42`` finds ``C-2026-00042`` on a small bench.
        """
        key = text.strip().casefold()
        if not key:
            return None
        found = self._by_number.get(key)
        if found is not None or not key.isdigit():
            return found
        value = int(key)
        hits = [
            i
            for i, r in enumerate(self.rows)
            if (tail := r.number.rsplit("-", 1)[-1]).isdigit() and int(tail) == value
        ]
        return hits[0] if len(hits) == 1 else None

    # --- sorting and filtering --------------------------------------------------------------

    def order(self, column: int, descending: bool = False) -> list[int]:
        """Every row position sorted by ``column`` (ties keep the load order, ascending)."""
        ascending = self._ascending.get(column)
        if ascending is None:
            return list(range(len(self.rows)))
        if not descending:
            return ascending
        cached = self._descending.get(column)
        if cached is None:
            cached = self._descending[column] = ascending[::-1]
        return cached

    def mask(self, spec: InboxFilter) -> tuple[list[int], bytearray] | None:
        """The rows that pass everything but the search, as positions and as a byte mask
        (None: every row passes)."""
        key = InboxFilter(
            queue=spec.queue,
            stage=spec.stage if spec.queue is Queue.IN_WORK else None,
            status=spec.status,
            clinic=spec.clinic,
            due=spec.due,
            assignee=spec.assignee,
            rush_only=spec.rush_only,
        )
        if key in self._masks:
            return self._masks[key]
        if key.queue is Queue.ALL and not key.narrowed:
            self._masks[key] = None
            return None
        rows = self.rows
        stage = key.stage if key.stage in IN_WORK_STAGES else None
        chosen = self._queues.get((key.queue, stage)) or []
        if key.status is not None:
            chosen = [i for i in chosen if rows[i].status is key.status]
        if key.clinic is not None:
            chosen = [i for i in chosen if rows[i].clinic == key.clinic]
        if key.due is not DueWindow.ANY:
            states, due_states = DUE_WINDOW_STATES[key.due], self.due_states
            chosen = [i for i in chosen if due_states[i] in states]
        if key.assignee != ANY_ASSIGNEE:
            who = key.assignee or None
            chosen = [i for i in chosen if rows[i].assignee == who]
        if key.rush_only:
            chosen = [i for i in chosen if rows[i].rush]
        flags = bytearray(len(rows))
        for i in chosen:
            flags[i] = 1
        if len(self._masks) > 32:
            self._masks.clear()
        self._masks[key] = (chosen, flags)
        return self._masks[key]

    def search(self, needle: str) -> list[int]:
        """Positions (ascending) of the rows whose haystack contains ``needle``.

        A needle found in few rows is found fastest by ``str.find`` over all rows at once; one
        found in many rows (a single letter) is cheaper to test row by row. ``str.count`` on
        a sixteenth of the rows tells which. Typing narrows: a needle that extends the last
        one is only looked for in the last one's rows.
        """
        last_needle, last_hits = self._last_search
        if last_needle and last_needle in needle:
            hay = self._hay
            hits = [i for i in last_hits if needle in hay[i]]
        else:
            hits = self._search_all(needle)
        self._last_search = (needle, hits)
        return hits

    def _search_all(self, needle: str) -> list[int]:
        blob, starts, hay = self._blob, self._starts, self._hay
        n = len(hay)
        if n == 0:
            return []
        probe = starts[n // 16] if n >= 1024 else len(blob)
        if blob.count(needle, 0, probe) * (16 if n >= 1024 else 1) > max(64, n // 20):
            return [i for i, text in enumerate(hay) if needle in text]
        hits: list[int] = []
        end = len(blob)
        at = blob.find(needle)
        while at != -1:
            i = bisect_right(starts, at) - 1
            hits.append(i)
            at = blob.find(needle, starts[i + 1] if i + 1 < n else end)
        return hits

    def locate(self, visible: list[int], pos: int, column: int, descending: bool) -> int | None:
        """Where row ``pos`` is in ``visible`` (a list :meth:`visible` returned for this
        column and direction), by binary search on the column's order."""
        rank = self._rank.get(column)
        if rank is None or pos >= len(rank):
            try:
                return visible.index(pos)
            except ValueError:
                return None
        if descending:
            i = bisect_left(visible, -rank[pos], key=lambda p: -rank[p])
        else:
            i = bisect_left(visible, rank[pos], key=rank.__getitem__)
        return i if i < len(visible) and visible[i] == pos else None

    def visible(self, spec: InboxFilter, column: int, descending: bool) -> list[int]:
        """Row positions the table shows, in display order."""
        order = self.order(column, descending)
        mask = self.mask(spec)
        needle = spec.search.strip().casefold().replace("\n", " ")
        if not needle:
            if mask is None:
                return list(order)
            chosen, flags = mask
        elif mask is not None and len(mask[0]) * 8 < len(self.rows):
            hay = self._hay  # a narrow filter: search only its rows
            chosen = [i for i in mask[0] if needle in hay[i]]
            flags = bytearray(len(self.rows))
            for i in chosen:
                flags[i] = 1
        else:
            hits = self.search(needle)
            chosen = hits if mask is None else [i for i in hits if mask[1][i]]
            flags = bytearray(len(self.rows))
            for i in chosen:
                flags[i] = 1
        rank = self._rank.get(column)
        if rank is not None and len(chosen) * 4 < len(self.rows):
            # Few rows: sort them by their place in the column's order.
            return sorted(chosen, key=rank.__getitem__, reverse=descending)
        return [i for i in order if flags[i]]

    # --- counts and choices -----------------------------------------------------------------

    def _count(self) -> dict[Queue | Status, int]:
        counts: dict[Queue | Status, int] = dict.fromkeys(Queue, 0)
        counts.update(dict.fromkeys(IN_WORK_STAGES, 0))
        for (queue, stage), positions in self._queues.items():
            counts[stage if stage is not None else queue] = len(positions)
        return counts

    def counts(self) -> dict[Queue | Status, int]:
        """How many cases each queue holds (and each stage of "In work")."""
        return dict(self._counts)

    def clinics(self) -> list[str]:
        return sorted({r.clinic for r in self.rows}, key=str.casefold)

    def assignees(self) -> list[tuple[str, str]]:
        """(username, display name) of everyone some case is assigned to."""
        people = {r.assignee: r.assignee_name or r.assignee for r in self.rows if r.assignee}
        return sorted(people.items(), key=lambda p: p[1].casefold())
