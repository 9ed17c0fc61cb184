"""Open a scan file: recognise the format from its bytes, parse, validate, weld.

``load_scan`` is the one entry point for callers that want a finished :class:`Scan`. The
viewer uses the two halves separately: :func:`read_mesh` (fast: for a binary STL just the
``frombuffer``, giving a triangle soup it can draw flat-shaded at once) and
:func:`finish_scan` (weld the soup into shared vertices).

Every failure is a :class:`ScanError` whose message is written for a technician; no Python
or numpy message ever reaches one (a parser that trips over bytes it did not anticipate is
logged with its traceback and reported as a damaged file).

Limits, so that a hostile or broken file costs bounded time and memory:

- files over :data:`MAX_FILE_BYTES` (1 GiB) are refused before reading;
- the first 4 KiB are sniffed before the rest is read: pictures, PDFs, archives, DICOM,
  3Shape DCM, UTF-16 and other text files are named and refused (:mod:`labdesk.mesh.sniff`);
- a binary STL of 100,000 triangles or more whose 4,096 sampled triangles all have no area
  (a 1 GiB file of zeros with a consistent count) is refused from the sample, read with
  ``pread`` before the file itself (:mod:`labdesk.mesh.stl`);
- counts a header promises are checked against the bytes present before anything is
  allocated (PLY header at most 64 KiB, :mod:`labdesk.mesh.ply`);
- at most :data:`MAX_TRIANGLES` triangles after parsing.

Within those limits a binary STL needs about 3.5 times its size in memory at the peak
(bytes, corners, weld), an ASCII file several times more (its numbers as text).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from struct import error as struct_error
from typing import BinaryIO

import numpy as np

from labdesk.mesh import obj, ply, sniff, stl
from labdesk.mesh.scan import ColorArray, FloatArray, IndexArray, Scan, ScanError
from labdesk.mesh.weld import weld_soup

log = logging.getLogger(__name__)

#: Files larger than this are refused before reading (a 1M-triangle binary STL is 50 MB).
MAX_FILE_BYTES = 1 << 30
#: Scans with more triangles than this are refused after parsing.
MAX_TRIANGLES = 30_000_000


@dataclass(eq=False)
class RawMesh:
    """A parsed file before welding.

    ``faces`` None means a triangle soup: triangle i is ``vertices[3 i : 3 i + 3]`` (STL).
    ``warnings`` are what the parser noticed without refusing the file (they become
    :attr:`Scan.load_warnings`).
    """

    vertices: FloatArray
    faces: IndexArray | None
    colors: ColorArray | None
    source: str
    format: str
    warnings: tuple[str, ...] = ()

    @property
    def n_faces(self) -> int:
        return len(self.vertices) // 3 if self.faces is None else len(self.faces)


def load_scan(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> Scan:
    """Read an STL, PLY or OBJ file into a :class:`Scan` (raises :class:`ScanError`)."""
    raw = read_mesh(path, max_bytes=max_bytes)
    try:
        return finish_scan(raw)
    except MemoryError:
        raise ScanError(_NO_MEMORY) from None


def read_mesh(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> RawMesh:
    """Read and parse a file without welding; every failure is a :class:`ScanError`."""
    name = Path(path).name
    data = _read_bytes(Path(path), max_bytes)
    return parse_bytes(data, name)


def parse_bytes(data: bytes | memoryview, name: str = "") -> RawMesh:
    """Parse the bytes of a scan file; ``name`` (with its extension) helps recognise it."""
    if not len(data):
        raise ScanError("the file is empty")
    ext = Path(name).suffix.lower()
    body = sniff.strip_utf8_bom(data)
    kind = sniff.mesh_kind(body, ext)
    try:
        raw = _parse(body, kind, name)
        _validate(raw)
    except ScanError:
        raise
    except MemoryError:
        raise ScanError(_NO_MEMORY) from None
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, struct_error):
        # A parser met bytes it did not anticipate: a bad file for the technician (never
        # numpy's words), a gap in the parser for us (hence the traceback in the log).
        log.warning("unanticipated content in %s (%s)", name or "a scan", kind, exc_info=True)
        raise ScanError(f"this {kind} file is damaged and cannot be read") from None
    return raw


_NO_MEMORY = "the scan is too large for this computer's memory"


def finish_scan(raw: RawMesh) -> Scan:
    """Weld a soup into shared vertices (indexed formats pass through)."""
    if raw.faces is None:
        vertices, inverse = weld_soup(raw.vertices)
        faces = inverse.reshape(-1, 3)
        return Scan(
            vertices=vertices,
            faces=faces,
            colors=None,
            source=raw.source,
            load_warnings=raw.warnings,
        )
    return Scan(
        vertices=raw.vertices,
        faces=raw.faces,
        colors=raw.colors,
        source=raw.source,
        load_warnings=raw.warnings,
    )


# ---------------------------------------------------------------- internals


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ScanError("this is a folder, not a scan file")
        if size > max_bytes:
            raise ScanError(
                f"the file is {_human(size)}; LabDesk opens scans up to {_human(max_bytes)}"
            )
        with path.open("rb") as fh:
            _refuse_early(fh, size, path.suffix.lower())
            # Not read(max_bytes + 1): Python allocates the whole request up front (1 GiB for
            # every small file), which fails under a memory limit.
            data = fh.read(min(size, max_bytes) + 1)
    except FileNotFoundError:
        raise ScanError("the file does not exist (it may have been moved or deleted)") from None
    except PermissionError:
        raise ScanError("LabDesk is not allowed to read this file (permission denied)") from None
    except MemoryError:
        raise ScanError(_NO_MEMORY) from None
    except OSError as exc:
        raise ScanError(f"the file cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ScanError(f"the file is larger than {_human(max_bytes)}")
    return data


def _refuse_early(fh: BinaryIO, size: int, ext: str) -> None:
    """Refuse what the first bytes (and a sample of a big binary STL) already condemn.

    Reading a 1 GiB file only to find it is a video, or all zeros, costs seconds and a
    gigabyte; these looks cost a few thousand small reads.
    """
    head = fh.read(sniff.HEAD_BYTES)
    fh.seek(0)
    if not head:
        return
    sniff.refuse_foreign(head, ext)
    if size < stl.HEADER_SIZE or head[:3] == b"ply":
        return
    count = stl.binary_count_from_size(size, stl.binary_triangle_count(head))
    if size != stl.HEADER_SIZE + stl.RECORD_SIZE * count:
        return  # not a consistent binary STL: the full parse decides
    picks = stl.sample_indices(count)
    if len(picks):
        fd = fh.fileno()
        records = b"".join(
            os.pread(fd, stl.RECORD_SIZE, stl.HEADER_SIZE + int(i) * stl.RECORD_SIZE) for i in picks
        )
        stl.refuse_if_all_degenerate(records, count)


def _human(size: int) -> str:
    if size >= 1e9:
        return f"{size / 1e9:.1f} GB"
    if size >= 1e6:
        return f"{size / 1e6:,.0f} MB"
    return f"{size / 1e3:,.0f} KB"


def _parse(data: bytes | memoryview, kind: str, name: str) -> RawMesh:
    if kind == "binary STL":
        return RawMesh(stl.parse_binary_stl(data), None, None, name, kind)
    if kind == "ASCII STL":
        ascii_stl = stl.parse_ascii_stl(data)
        return RawMesh(ascii_stl.corners, None, None, name, kind, ascii_stl.warnings)
    if kind == "PLY":
        mesh = ply.parse_ply(data)
        return RawMesh(mesh.vertices, mesh.faces, mesh.colors, name, kind)
    mesh_obj = obj.parse_obj(data)
    return RawMesh(mesh_obj.vertices, mesh_obj.faces, mesh_obj.colors, name, kind)


def _validate(raw: RawMesh) -> None:
    if raw.n_faces == 0:
        raise ScanError("the file has no triangles")
    if raw.n_faces > MAX_TRIANGLES:
        raise ScanError(
            f"the scan has {raw.n_faces:,} triangles; LabDesk opens scans of up to "
            f"{MAX_TRIANGLES:,}"
        )
    finite = np.isfinite(raw.vertices)
    if not finite.all():
        bad = int((~finite.all(axis=1)).sum())
        raise ScanError(
            f"coordinates contain NaN or infinite values ({bad:,} of {len(raw.vertices):,} "
            "vertices)"
        )
