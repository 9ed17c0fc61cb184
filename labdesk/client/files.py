"""Scans, photos and attachments on this workstation: fetched once, verified, kept in budget.

Files are streamed into :class:`~labdesk.cache.files.BlobStore` (content-addressed by
sha256), verified against the portal's checksum, resumed with ``Range`` after a broken
connection, and checked again every time they are opened, so a damaged copy is noticed and
fetched again. The store stays under a size limit by evicting the least recently used files,
never one that belongs to a case open on screen (:meth:`FileCache.pin_case`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from labdesk.api.client import PortalClient
from labdesk.api.errors import ChecksumMismatch, NotFound
from labdesk.cache.files import BlobStore
from labdesk.cache.repository import CacheRepository
from labdesk.cache.rows import FileRow

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, int], None]  # (file id, bytes done, bytes total)


class FileCache:
    def __init__(
        self,
        client: PortalClient,
        repo: CacheRepository,
        store: BlobStore,
        *,
        limit_bytes: int,
        progress: ProgressFn | None = None,
    ) -> None:
        self.client = client
        self.repo = repo
        self.store = store
        self.limit_bytes = limit_bytes
        self.progress = progress
        self._pinned: dict[int, int] = {}  # case id -> how many views hold it open
        self._lock = threading.RLock()

    # --- open cases ----------------------------------------------------------------------

    def pin_case(self, case_id: int) -> None:
        """A case is open on screen: its files are not evicted until it is unpinned."""
        with self._lock:
            self._pinned[case_id] = self._pinned.get(case_id, 0) + 1

    def unpin_case(self, case_id: int) -> None:
        with self._lock:
            left = self._pinned.get(case_id, 0) - 1
            if left > 0:
                self._pinned[case_id] = left
            else:
                self._pinned.pop(case_id, None)

    @property
    def pinned(self) -> frozenset[int]:
        with self._lock:
            return frozenset(self._pinned)

    # --- reading -------------------------------------------------------------------------

    def local_path(self, file_id: int) -> Path | None:
        """Where the file is, when it is stored (not verified: for listing only)."""
        row = self.repo.file_row(file_id)
        if row is None or not self.store.has(row.sha256):
            return None
        return self.store.path(row.sha256)

    def open_file(self, file_id: int) -> Path:
        """A verified local copy of the file: from the store (works offline), or downloaded.

        Raises ``Offline`` when it is not stored and the portal cannot be reached.
        """
        row = self.repo.file_row(file_id)
        if row is None:
            raise NotFound("This file is not known here yet; sync with the portal first.")
        with self._lock:
            sha = row.sha256
            if self.store.has(sha):
                if self.store.verify(sha):
                    if row.local_path is None or not row.verified:
                        self.repo.mark_stored(sha, self.store.relative(sha))
                    else:
                        self.repo.touch_file(sha)
                    return self.store.path(sha)
                log.warning("stored copy of file %s is damaged; fetching it again", file_id)
                self.store.remove(sha)
                self.repo.mark_missing(sha)
            return self._download(row)

    def _download(self, row: FileRow) -> Path:
        partial = self.store.partial(row.sha256)
        report = self.progress

        def on_progress(done: int, total: int) -> None:
            if report is not None:
                report(row.id, done, total or row.size)

        for attempt in (1, 2):
            offset = partial.stat().st_size if partial.exists() else 0
            try:
                self.client.download_file(
                    row.id,
                    partial,
                    expected_sha256=row.sha256,
                    offset=offset,
                    progress=on_progress,
                )
                break
            except ChecksumMismatch:
                if attempt == 2:  # damaged twice in a row: the portal's copy is
                    raise
                log.warning("file %s failed its checksum; downloading it again", row.id)
        path = self.store.adopt(partial, row.sha256)
        self.repo.mark_stored(row.sha256, self.store.relative(row.sha256))
        self.evict(keep={row.sha256})
        return path

    # --- prefetch and eviction -----------------------------------------------------------

    def prefetch(
        self,
        case_ids: Iterable[int],
        kinds: Collection[str] = ("scan",),
        *,
        max_files: int | None = None,
    ) -> list[int]:
        """Download the files of these cases (in this order) ahead of time, while the budget
        allows: a prefetch never evicts. Returns the file ids fetched; at most ``max_files``
        (the worker fetches one at a time so a push never waits long). Stops at the first
        network problem (raised)."""
        fetched: list[int] = []
        order = {case_id: n for n, case_id in enumerate(case_ids)}
        with self._lock:
            used = self.store.total_size()
            rows = self.repo.files_of_cases(list(order))
            rows.sort(key=lambda r: (order[r.case_id], r.id))
            for row in rows:
                if max_files is not None and len(fetched) >= max_files:
                    break
                if row.kind not in kinds or self.store.has(row.sha256):
                    continue
                if used + row.size > self.limit_bytes:
                    break
                self._download(row)
                used += row.size
                fetched.append(row.id)
        return fetched

    def evict(self, keep: Collection[str] = ()) -> int:
        """Remove least recently used files until the store fits its limit; bytes freed."""
        with self._lock:
            blobs = self.store.blobs()
            total = sum(blobs.values())
            if total <= self.limit_bytes:
                return 0
            usage = self.repo.stored_blobs()
            pinned = self.pinned
            freed = 0
            for sha in sorted(blobs, key=lambda s: usage.get(s, (0.0, frozenset()))[0]):
                if total <= self.limit_bytes:
                    break
                cases = usage.get(sha, (0.0, frozenset()))[1]
                if sha in keep or cases & pinned:
                    continue
                size = self.store.remove(sha)
                self.repo.mark_missing(sha)
                total -= size
                freed += size
            return freed
