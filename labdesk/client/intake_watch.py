"""The watched intake folder: which scanner exports have arrived and finished arriving.

A scanner's lab connector writes a zip (or a folder) over seconds; opening it half-written
would show a damaged package. An entry is announced once its size and newest change are the
same at two looks in a row, and only once; what was there when watching began is not news.
No Qt: the services layer looks (on the task runner) when the folder changes.
"""

from __future__ import annotations

import os
from pathlib import Path

#: (bytes, newest modification in ns) of a zip file, or of everything inside a folder.
Signature = tuple[int, int]
Snapshot = dict[str, Signature]

_IGNORED_PREFIXES = (".", "~")


def snapshot(folder: Path) -> Snapshot:
    """The candidate packages in ``folder`` (zips and sub-folders) and their signatures."""
    out: Snapshot = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for entry in entries:
        if entry.name.startswith(_IGNORED_PREFIXES):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                out[entry.path] = _folder_signature(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and entry.name.lower().endswith(".zip"):
                info = entry.stat(follow_symlinks=False)
                out[entry.path] = (info.st_size, info.st_mtime_ns)
        except OSError:  # removed while we looked: not there
            continue
    return out


def _folder_signature(root: Path) -> Signature:
    size, newest = 0, 0
    for current, _dirs, files in os.walk(root, followlinks=False):
        for name in files:
            try:
                info = os.stat(os.path.join(current, name), follow_symlinks=False)
            except OSError:
                continue
            size += info.st_size
            newest = max(newest, info.st_mtime_ns)
    return size, newest


class Arrivals:
    """Tells which entries of successive snapshots have settled and are new."""

    def __init__(self, baseline: Snapshot) -> None:
        self._last: Snapshot = dict(baseline)
        self._announced: set[str] = set(baseline)

    def settle(self, current: Snapshot) -> list[str]:
        """The entries new since the baseline, unchanged since the previous look, not empty."""
        settled = sorted(
            path
            for path, signature in current.items()
            if path not in self._announced
            and signature[0] > 0
            and self._last.get(path) == signature
        )
        self._announced.update(settled)
        self._announced &= set(current)  # one removed and dropped again is news again
        self._last = dict(current)
        return settled

    def waiting(self) -> bool:
        """Whether an entry is still arriving (look again soon)."""
        return any(path not in self._announced for path in self._last)
