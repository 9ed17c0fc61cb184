"""A scanner export as a set of named files, whether it arrived as a zip or a folder.

Zip members are untrusted input. A member is never read when its name climbs out of the
package (``..``), is absolute (``/x``, ``C:\\x``), is a symbolic link or is encrypted; the
whole package is refused beyond :data:`MAX_MEMBERS` members or :data:`MAX_TOTAL_BYTES`
uncompressed, and a member whose size or compression ratio is implausible (a zip bomb) is
skipped. Each refusal is a :class:`Problem` naming the member, so the person sees what was
left out and nothing is created from a package with an unsafe member.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from labdesk.errors import KnownError
from labdesk.intake.model import Problem, Severity
from labdesk.mesh import MAX_FILE_BYTES

MAX_MEMBERS = 5_000
MAX_TOTAL_BYTES = 4 << 30
MAX_MEMBER_BYTES = MAX_FILE_BYTES
#: Scans compress 3-10x; beyond this ratio (for members over 1 MB) a member is a zip bomb.
MAX_RATIO = 200
_RATIO_FLOOR = 1 << 20


class PackageError(KnownError):
    """The package cannot be opened at all (not a zip, damaged, missing, too large)."""


class Package:
    """The readable files of a zip or folder, by their ``/``-separated path inside it."""

    def __init__(self, source: Path, names: list[str], problems: list[Problem]) -> None:
        self.source = source
        self.names = names
        self.problems = problems
        self._zip: zipfile.ZipFile | None = None

    @property
    def label(self) -> str:
        return self.source.name

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """The bytes of a member (``PackageError`` beyond ``limit`` or when unreadable)."""
        if name not in self.names:
            raise PackageError(f"{name} is not in {self.label}")
        try:
            if self._zip is not None:
                with self._zip.open(name) as fh:
                    data = fh.read(limit + 1)
            else:
                with (self.source / name).open("rb") as fh:
                    data = fh.read(limit + 1)
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
            raise PackageError(f"{name} in {self.label} is damaged and cannot be read") from exc
        if len(data) > limit:
            raise PackageError(f"{name} in {self.label} is larger than {limit:,} bytes")
        return data

    @contextmanager
    def local_file(self, name: str) -> Iterator[Path]:
        """A path on disk holding the member (a folder's own file, or a temporary copy)."""
        if self._zip is None:
            yield self.source / name
            return
        with TemporaryDirectory(prefix="labdesk-intake-") as tmp:
            target = Path(tmp) / PurePosixPath(name).name
            target.write_bytes(self.read(name))
            yield target

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_package(path: str | os.PathLike[str]) -> Package:
    """Open a zip or a folder; unsafe zip members become problems and are left out."""
    source = Path(path)
    if source.is_dir():
        return _open_folder(source)
    if not source.exists():
        raise PackageError(f"{source} does not exist (moved or deleted?)")
    if not zipfile.is_zipfile(source):
        if _starts_like_zip(source):
            raise PackageError(
                f"{source.name} is a damaged zip file (cut short while downloading?) and "
                "cannot be read"
            )
        raise PackageError(
            f"{source.name} is neither a folder nor a zip file; LabDesk imports scanner "
            "exports as a zip or a folder"
        )
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PackageError(f"{source.name} is a damaged zip file and cannot be read") from exc
    try:
        names, problems = _safe_members(archive, source.name)
    except PackageError:
        archive.close()
        raise
    # A damaged member shows when it is read (manifest or scan check): a problem naming it.
    package = Package(source, names, problems)
    package._zip = archive
    return package


def _starts_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _safe_members(archive: zipfile.ZipFile, label: str) -> tuple[list[str], list[Problem]]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"{label} holds {len(infos):,} files; a scanner export has far fewer")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise PackageError(f"{label} would unpack to {total / 1e9:.1f} GB; that is no scan export")
    names: list[str] = []
    problems: list[Problem] = []
    for info in infos:
        if info.is_dir():
            continue
        reason = _unsafe(info)
        if reason:
            problems.append(Problem(f"{label}: {info.filename}", reason, Severity.ERROR))
        else:
            names.append(info.filename)
    return names, problems


def _unsafe(info: zipfile.ZipInfo) -> str:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path in the zip; the file was not read (the zip may be malicious)"
    if ".." in parts:
        return "a path leading out of the package ('..'); the file was not read (malicious zip?)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link in the zip; links are not followed"
    if info.flag_bits & 0x1:
        return "the file is encrypted (password-protected zip); export it without a password"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"the file is {info.file_size / 1e9:.1f} GB unpacked, larger than any scan"
    if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return "the file is compressed implausibly well (a zip bomb?); it was not unpacked"
    return ""


def _open_folder(root: Path) -> Package:
    names: list[str] = []
    problems: list[Problem] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        here = Path(current)
        for entry in sorted(dirs):
            if (here / entry).is_symlink():
                rel = (here / entry).relative_to(root).as_posix()
                problems.append(
                    Problem(f"{root.name}: {rel}", "a linked folder; links are not followed",
                            Severity.WARNING)
                )  # fmt: skip
        for entry in sorted(files):
            full = here / entry
            rel = full.relative_to(root).as_posix()
            if full.is_symlink():
                problems.append(
                    Problem(f"{root.name}: {rel}", "a link, not a file; it was not read",
                            Severity.WARNING)
                )  # fmt: skip
                continue
            names.append(rel)
            if len(names) > MAX_MEMBERS:
                raise PackageError(f"{root.name} holds more than {MAX_MEMBERS:,} files")
    return Package(root, sorted(names), problems)
