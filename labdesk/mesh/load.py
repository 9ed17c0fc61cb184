"""Open a scan file: recognise the format from its bytes, parse, validate, weld.

``load_scan`` is the one entry point for callers that want a finished :class:`Scan`. The
viewer uses the two halves separately: :func:`read_mesh` (fast: for a binary STL just the
``frombuffer``, giving a triangle soup it can draw flat-shaded at once) and
:func:`finish_scan` (weld the soup into shared vertices).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from struct import error as struct_error

import numpy as np

from labdesk.mesh import obj, ply, stl
from labdesk.mesh.scan import ColorArray, FloatArray, IndexArray, Scan, ScanError
from labdesk.mesh.weld import weld_soup

#: Files larger than this are refused before reading (a 1M-triangle binary STL is 50 MB).
MAX_FILE_BYTES = 1 << 30
#: Scans with more triangles than this are refused after parsing.
MAX_TRIANGLES = 30_000_000


@dataclass(eq=False)
class RawMesh:
    """A parsed file before welding.

    ``faces`` None means a triangle soup: triangle i is ``vertices[3 i : 3 i + 3]`` (STL).
    """

    vertices: FloatArray
    faces: IndexArray | None
    colors: ColorArray | None
    source: str
    format: str

    @property
    def n_faces(self) -> int:
        return len(self.vertices) // 3 if self.faces is None else len(self.faces)


def load_scan(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> Scan:
    """Read an STL, PLY or OBJ file into a :class:`Scan` (raises :class:`ScanError`)."""
    return finish_scan(read_mesh(path, max_bytes=max_bytes))


def read_mesh(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> RawMesh:
    """Read and parse a file without welding; every failure is a :class:`ScanError`."""
    name = Path(path).name
    data = _read_bytes(Path(path), max_bytes)
    return parse_bytes(data, name)


def parse_bytes(data: bytes, name: str = "") -> RawMesh:
    """Parse the bytes of a scan file; ``name`` (with its extension) helps recognise it."""
    if not data:
        raise ScanError("the file is empty")
    ext = Path(name).suffix.lower()
    kind = _sniff(data, ext)
    try:
        raw = _parse(data, kind, name)
    except ScanError:
        raise
    except MemoryError:
        raise ScanError("the scan is too large for this computer's memory") from None
    except (ValueError, TypeError, IndexError, OverflowError, struct_error) as exc:
        # A parser met something it did not anticipate: still a bad file, not a crash.
        raise ScanError(f"this {kind} file is damaged and cannot be read ({exc})") from exc
    _validate(raw)
    return raw


def finish_scan(raw: RawMesh) -> Scan:
    """Weld a soup into shared vertices (indexed formats pass through)."""
    if raw.faces is None:
        vertices, inverse = weld_soup(raw.vertices)
        faces = inverse.reshape(-1, 3)
        return Scan(vertices=vertices, faces=faces, colors=None, source=raw.source)
    return Scan(vertices=raw.vertices, faces=raw.faces, colors=raw.colors, source=raw.source)


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
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise ScanError("the file does not exist (it may have been moved or deleted)") from None
    except PermissionError:
        raise ScanError("LabDesk is not allowed to read this file (permission denied)") from None
    except OSError as exc:
        raise ScanError(f"the file cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ScanError(f"the file is larger than {_human(max_bytes)}")
    return data


def _human(size: int) -> str:
    if size >= 1e9:
        return f"{size / 1e9:.1f} GB"
    if size >= 1e6:
        return f"{size / 1e6:,.0f} MB"
    return f"{size / 1e3:,.0f} KB"


def _sniff(data: bytes, ext: str) -> str:
    head = data[:4096]
    if head[:3] == b"ply" and head[3:4] in (b"\n", b"\r", b" "):
        return "PLY"
    lowered = head.lower()
    if head[128:132] == b"DICM":
        raise ScanError(
            "this is a DICOM image (CT or CBCT), not a surface scan; export the surface as STL"
        )
    if ext == ".dcm" or (lowered.lstrip().startswith(b"<?xml") and b"<hps" in lowered):
        raise ScanError(
            "this is a 3Shape DCM file; export STL from 3Shape (DCM files are encrypted)"
        )
    if head[:4] == b"PK\x03\x04":
        raise ScanError(
            "this is a ZIP archive (for example a 3Shape .3oxz or a case export); unpack it "
            "and open the STL, PLY or OBJ inside"
        )
    if stl.is_exact_binary_stl(data):
        return "binary STL"
    if stl.looks_like_ascii_stl(data):
        return "ASCII STL"
    if ext == ".obj" or obj.looks_like_obj(data):
        return "OBJ"
    if ext == ".ply":
        raise ScanError("this .ply file is damaged: it does not start with 'ply'")
    if ext == ".stl":
        if len(data) >= stl.HEADER_SIZE and b"\0" in data[: stl.HEADER_SIZE + 200]:
            return "binary STL"
        if lowered.lstrip().startswith(b"solid"):
            return "ASCII STL"
        if len(data) >= stl.HEADER_SIZE:
            return "binary STL"
        raise ScanError(f"the file is too short to be an STL ({len(data)} bytes)")
    raise ScanError(
        "LabDesk cannot read this file: it is not an STL, PLY or OBJ scan"
        + (f" ({ext} files are not supported)" if ext else "")
    )


def _parse(data: bytes, kind: str, name: str) -> RawMesh:
    if kind == "binary STL":
        return RawMesh(stl.parse_binary_stl(data), None, None, name, kind)
    if kind == "ASCII STL":
        return RawMesh(stl.parse_ascii_stl(data), None, None, name, kind)
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
