"""A content-addressed store for downloaded files: ``<root>/<ab>/<sha256>``.

A blob is named by its sha256, so the same scan attached to two cases is stored once, and a
file whose bytes no longer match its name is known to be damaged. Downloads land in
``<root>/partial/<sha256>.part`` and are moved into place only once verified, so a blob in
the store is always whole.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _check(sha256: str) -> str:
        sha = sha256.lower()
        if not _SHA.match(sha):
            raise ValueError(f"not a sha256: {sha256!r}")
        return sha

    def relative(self, sha256: str) -> str:
        sha = self._check(sha256)
        return f"{sha[:2]}/{sha}"

    def path(self, sha256: str) -> Path:
        return self.root / self.relative(sha256)

    def partial(self, sha256: str) -> Path:
        return self.root / "partial" / f"{self._check(sha256)}.part"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def adopt(self, partial: Path, sha256: str) -> Path:
        """Move a verified download into the store."""
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)
        return target

    def put(self, data: bytes) -> str:
        """Store ``data`` (written whole before it is moved into place); returns its sha256."""
        sha = hashlib.sha256(data).hexdigest()
        if not self.has(sha):
            partial = self.partial(sha)
            partial.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            self.adopt(partial, sha)
        return sha

    def read(self, sha256: str) -> bytes:
        """The stored bytes; raises ``FileNotFoundError`` when missing or damaged."""
        data = self.path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != self._check(sha256):
            raise FileNotFoundError(f"stored file {sha256} is damaged")
        return data

    def verify(self, sha256: str) -> bool:
        """Whether the stored bytes still hash to their name (False when missing)."""
        try:
            return file_sha256(self.path(sha256)) == self._check(sha256)
        except FileNotFoundError:
            return False

    def remove(self, sha256: str) -> int:
        """Delete a blob; returns the bytes freed."""
        target = self.path(sha256)
        try:
            size = target.stat().st_size
            target.unlink()
        except FileNotFoundError:
            return 0
        return size

    def blobs(self) -> dict[str, int]:
        """Every stored blob and its size."""
        out: dict[str, int] = {}
        for folder in self.root.iterdir():
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if _SHA.match(entry.name) and entry.is_file():
                    out[entry.name] = entry.stat().st_size
        return out

    def total_size(self) -> int:
        return sum(self.blobs().values())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
