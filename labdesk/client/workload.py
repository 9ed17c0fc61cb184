"""The lab's workload figures on a workstation: fetched from the portal, kept for offline use.

The portal computes the figures (``GET /workload``) because 90 days of history computed from a
workstation's partial cache would be wrong. What the workstation adds is memory: the last
figures it saw for each filter are written beside the account's cache (one JSON file, written
atomically), so the dashboard still shows them — marked with when they were fetched — when the
portal cannot be reached. No Qt here; the dashboard's tables come from
:mod:`labdesk.client.workload_tables`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from labdesk.api.errors import AuthExpired, Offline, ServerError
from labdesk.api.schemas import Workload
from labdesk.atomic import write_text_atomically

if TYPE_CHECKING:
    from labdesk.client.account import Account

log = logging.getLogger(__name__)

CACHE_SUFFIX: Final = ".workload.json"
_FORMAT: Final = 1

#: What keeps the portal from answering now but leaves yesterday's figures worth showing.
_UNREACHABLE: Final = (Offline, AuthExpired, ServerError)


@dataclass(frozen=True)
class WorkloadFilter:
    """Narrow the figures to one clinic and/or one catalog item (None: all)."""

    clinic_id: int | None = None
    catalog_code: str | None = None

    @property
    def key(self) -> str:
        return f"{self.clinic_id or '*'}|{self.catalog_code or '*'}"


@dataclass(frozen=True)
class WorkloadFigures:
    figures: Workload
    fetched_at: datetime
    #: Empty when fresh from the portal; else why the cached copy is shown (a person's words).
    stale_because: str = ""

    @property
    def from_cache(self) -> bool:
        return bool(self.stale_because)


def cache_file(account: Account) -> Path | None:
    """Beside the account's cache database (None for an in-memory cache)."""
    path = account.cache_file
    return path.with_name(path.name + CACHE_SUFFIX) if path is not None else None


def fetch_workload(account: Account, wanted: WorkloadFilter | None = None) -> WorkloadFigures:
    """The portal's figures (remembered for offline use), or the last remembered ones when the
    portal cannot be reached. Raises the portal's error when there is nothing remembered."""
    wanted = wanted or WorkloadFilter()
    path = cache_file(account)
    try:
        figures = account.client.workload(
            clinic_id=wanted.clinic_id, catalog_code=wanted.catalog_code
        )
    except _UNREACHABLE as exc:
        cached = load_cached(path, wanted) if path is not None else None
        if cached is None:
            raise
        return WorkloadFigures(cached.figures, cached.fetched_at, stale_because=str(exc))
    fetched = WorkloadFigures(figures, datetime.now(UTC))
    if path is not None:
        try:
            remember(path, wanted, fetched)
        except OSError as exc:  # the figures are still shown; only offline use is lost
            log.warning("workload figures not kept for offline use: %s", exc)
    return fetched


def load_cached(path: Path, wanted: WorkloadFilter) -> WorkloadFigures | None:
    """The remembered figures for ``wanted``; None when there are none or they are unreadable."""
    entry = _read(path).get(wanted.key)
    if not isinstance(entry, dict):
        return None
    try:
        return WorkloadFigures(
            Workload.model_validate(entry["figures"]),
            datetime.fromisoformat(entry["fetched_at"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("remembered workload figures unreadable (%s); ignored", exc)
        return None


def remember(path: Path, wanted: WorkloadFilter, fetched: WorkloadFigures) -> None:
    """Keep ``fetched`` for ``wanted`` (atomic: a crash leaves the old file or the new one)."""
    entries = _read(path)
    entries[wanted.key] = {
        "fetched_at": fetched.fetched_at.isoformat(),
        "figures": fetched.figures.model_dump(mode="json"),
    }
    text = json.dumps({"format": _FORMAT, "entries": entries}, ensure_ascii=False)
    write_text_atomically(path, text)


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("remembered workload figures unreadable (%s); starting afresh", exc)
        return {}
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
        return {}
    entries = raw.get("entries")
    return entries if isinstance(entries, dict) else {}


@dataclass(frozen=True)
class WorkloadChoices:
    """What the dashboard's filters offer: clinics and catalog items."""

    clinics: tuple[tuple[int, str], ...]  # (id, name) of the clinics with cached cases
    items: tuple[tuple[str, str], ...]  # (code, name); empty offline


def workload_choices(account: Account) -> WorkloadChoices:
    try:
        items = tuple((item.code, item.name) for item in account.client.catalog())
    except _UNREACHABLE:
        items = ()
    return WorkloadChoices(tuple(account.repo.clinics()), items)
