"""PLY: ASCII and binary (little and big endian), vertex and face colours, float or double
coordinates, faces as lists of any number of corners.

Every property the header declares is read, generically, whatever its name, type or position:
a list after ``vertex_indices`` (MeshLab's ``property list uchar float texcoord``), MeshLab's
``quality``, normals, colours, any other element. Only the face list (``vertex_indices``,
or ``vertex_index``, else the first list) is taken as vertex numbers and checked as such.

Binary elements whose rows have a fixed layout (every face a triangle, the usual case) are read
with one ``np.frombuffer``; mixed polygon sizes fall back to a row walk. Every count the header
claims is checked against the bytes actually present before anything is allocated; the
header itself may be at most 64 KiB.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.polygons import fan_triangulate
from labdesk.mesh.scan import ColorArray, FloatArray, IndexArray, ScanError

_TYPES = {
    "char": "i1",
    "int8": "i1",
    "uchar": "u1",
    "uint8": "u1",
    "short": "i2",
    "int16": "i2",
    "ushort": "u2",
    "uint16": "u2",
    "int": "i4",
    "int32": "i4",
    "uint": "u4",
    "uint32": "u4",
    "float": "f4",
    "float32": "f4",
    "double": "f8",
    "float64": "f8",
}
_MAX_HEADER = 65536
_END_HEADER = re.compile(rb"(?m)^end_header[ \t\r]*$")
_COLOR_NAMES = (
    ("red", "green", "blue", "alpha"),
    ("diffuse_red", "diffuse_green", "diffuse_blue", "diffuse_alpha"),
    ("r", "g", "b", "a"),
)


@dataclass
class _Property:
    name: str
    kind: str  # numpy type code without byte order
    count_kind: str | None = None  # list properties: type of the length prefix


@dataclass
class _Element:
    name: str
    count: int
    props: list[_Property] = field(default_factory=list)


@dataclass
class PlyMesh:
    vertices: FloatArray
    faces: IndexArray
    colors: ColorArray | None


def parse_ply(data: bytes | memoryview) -> PlyMesh:
    """Vertices, triangles and colours of a PLY file (raises ScanError when unusable)."""
    fmt, elements, body_start = _parse_header(data)
    body = memoryview(data)[body_start:]
    if fmt == "ascii":
        tables = _read_ascii(body, elements)
    else:
        order = "<" if fmt == "binary_little_endian" else ">"
        tables = _read_binary(body, elements, order)
    return _assemble(elements, tables)


# ---------------------------------------------------------------- header


def _parse_header(data: bytes | memoryview) -> tuple[str, list[_Element], int]:
    head = bytes(data[:_MAX_HEADER])
    end = _header_end(head)
    if end < 0:
        if len(data) > _MAX_HEADER:
            raise ScanError(
                "this PLY file is damaged: its header does not end within the first 64 KB "
                "(LabDesk reads PLY headers up to 64 KB)"
            )
        raise ScanError("this PLY file is damaged: its header never ends (no 'end_header')")
    newline = head.find(b"\n", end)
    if newline < 0:
        raise ScanError("this PLY file ends right after its header: it holds no data")
    try:
        text = head[:end].decode("ascii")
    except UnicodeDecodeError as exc:
        raise ScanError("this PLY file is damaged: its header is not text") from exc
    fmt = ""
    elements: list[_Element] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words or words[0] in ("ply", "comment", "obj_info"):
            continue
        try:
            if words[0] == "format":
                fmt = words[1]
            elif words[0] == "element":
                count = int(words[2])
                if count < 0:
                    raise ValueError
                elements.append(_Element(words[1], count))
            elif words[0] == "property":
                if not elements:
                    raise ValueError
                if words[1] == "list":
                    elements[-1].props.append(
                        _Property(words[4], _TYPES[words[3]], count_kind=_TYPES[words[2]])
                    )
                else:
                    elements[-1].props.append(_Property(words[2], _TYPES[words[1]]))
            else:
                raise ValueError
        except (IndexError, ValueError, KeyError) as exc:
            raise ScanError(
                f"this PLY file is damaged: header line {number} is not understood ({line[:60]!r})"
            ) from exc
    if not fmt:
        raise ScanError("this PLY file is damaged: its header has no 'format' line")
    if fmt not in ("ascii", "binary_little_endian", "binary_big_endian"):
        raise ScanError(f"this PLY format is not supported: {fmt[:40]!r}")
    return fmt, elements, newline + 1


def _header_end(head: bytes) -> int:
    """Where the ``end_header`` line starts (a line of its own, not a word in a comment)."""
    match = _END_HEADER.search(head)
    return match.start() if match else -1


def _plural(element: _Element) -> str:
    return {"vertex": "vertices", "face": "faces"}.get(element.name, f"{element.name} entries")


def _promise_error(element: _Element, size: int) -> ScanError:
    return ScanError(
        f"the file is truncated or damaged: it promises {element.count:,} {_plural(element)} "
        f"but holds only {size:,} bytes of data"
    )


# ---------------------------------------------------------------- binary


def _read_binary(body: memoryview, elements: list[_Element], order: str) -> list[dict[str, object]]:
    tables: list[dict[str, object]] = []
    offset = 0
    size = len(body)
    # Cheap plausibility check of all claims at once: rows need at least their fixed part.
    minimum = 0
    for element in elements:
        row_min = sum(np.dtype(p.count_kind or p.kind).itemsize for p in element.props)
        minimum += element.count * row_min
        if minimum > size:
            raise _promise_error(element, size)
    for element in elements:
        if element.count == 0:
            tables.append({})
            continue
        if all(p.count_kind is None for p in element.props):
            dtype = np.dtype([(f"p{i}", order + p.kind) for i, p in enumerate(element.props)])
            table = _frombuffer(body, dtype, element, offset)
            offset += dtype.itemsize * element.count
            tables.append({p.name: table[f"p{i}"] for i, p in enumerate(element.props)})
            continue
        fast = _binary_uniform_lists(body, element, order, offset)
        if fast is not None:
            result, offset = fast
        else:
            result, offset = _binary_walk(body, element, order, offset)
        tables.append(result)
    return tables


def _frombuffer(
    body: memoryview, dtype: np.dtype[np.void], element: _Element, offset: int
) -> NDArray[np.void]:
    if offset + dtype.itemsize * element.count > len(body):
        have = max(0, (len(body) - offset) // max(dtype.itemsize, 1))
        raise ScanError(
            f"the file ends after {have:,} of {element.count:,} {_plural(element)} "
            "(it is truncated)"
        )
    return np.frombuffer(body, dtype=dtype, count=element.count, offset=offset)


def _binary_uniform_lists(
    body: memoryview, element: _Element, order: str, offset: int
) -> tuple[dict[str, object], int] | None:
    """Every list in the element as long as in its first row (all triangles): one frombuffer."""
    fields: list[tuple[str, str] | tuple[str, str, tuple[int]]] = []
    pos = offset
    lengths: list[int] = []
    for i, prop in enumerate(element.props):
        if prop.count_kind is None:
            fields.append((f"p{i}", order + prop.kind))
            pos += np.dtype(prop.kind).itemsize
            continue
        count_size = np.dtype(prop.count_kind).itemsize
        if pos + count_size > len(body):
            return None
        first = float(np.frombuffer(body, dtype=order + prop.count_kind, count=1, offset=pos)[0])
        if not (0 < first <= 64) or first % 1:
            return None  # the row walk explains what is wrong with it
        n = int(first)
        lengths.append(n)
        fields.append((f"n{i}", order + prop.count_kind))
        fields.append((f"p{i}", order + prop.kind, (n,)))
        pos += count_size + n * np.dtype(prop.kind).itemsize
    dtype = np.dtype(fields)
    if offset + dtype.itemsize * element.count > len(body):
        return None
    table = np.frombuffer(body, dtype=dtype, count=element.count, offset=offset)
    result: dict[str, object] = {}
    for i, prop in enumerate(element.props):
        if prop.count_kind is not None:
            n = lengths.pop(0)
            if not np.all(table[f"n{i}"] == n):
                return None
            values = np.asarray(table[f"p{i}"]).astype(prop.kind)  # native byte order, copied
            result[prop.name] = (values.reshape(-1), np.full(element.count, n, dtype=np.int64))
        else:
            result[prop.name] = table[f"p{i}"]
    return result, offset + dtype.itemsize * element.count


def _binary_walk(
    body: memoryview, element: _Element, order: str, offset: int
) -> tuple[dict[str, object], int]:
    """Row by row (mixed polygon sizes): offsets in Python, values gathered with numpy."""
    size = len(body)
    raw = np.frombuffer(body, dtype=np.uint8)
    starts = {i: np.empty(element.count, dtype=np.int64) for i in range(len(element.props))}
    counts = {i: np.zeros(element.count, dtype=np.int64) for i, p in enumerate(element.props)}
    readers = {
        i: struct.Struct(order + np.dtype(p.count_kind).char)
        for i, p in enumerate(element.props)
        if p.count_kind is not None
    }
    sizes = [np.dtype(p.kind).itemsize for p in element.props]
    pos = offset
    for row in range(element.count):
        for i, prop in enumerate(element.props):
            if prop.count_kind is None:
                starts[i][row] = pos
                pos += sizes[i]
            else:
                reader = readers[i]
                if pos + reader.size > size:
                    raise _truncated(element, row)
                length = float(reader.unpack_from(body, pos)[0])
                if not (0 <= length < 2**31) or length % 1:
                    raise ScanError(
                        f"this PLY file is damaged: {element.name} {row:,} has an invalid "
                        "number of entries"
                    )
                n = int(length)
                pos += reader.size
                starts[i][row] = pos
                counts[i][row] = n
                pos += n * sizes[i]
        if pos > size:
            raise _truncated(element, row)
    result: dict[str, object] = {}
    for i, prop in enumerate(element.props):
        itemsize = sizes[i]
        dtype = np.dtype(order + prop.kind)
        if prop.count_kind is None:
            index = starts[i][:, None] + np.arange(itemsize)
            result[prop.name] = raw[index].reshape(-1).view(dtype)
        else:
            lengths = counts[i]
            total = int(lengths.sum())
            owner = np.repeat(np.arange(element.count), lengths)
            within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            item_start = starts[i][owner] + within * itemsize
            index = item_start[:, None] + np.arange(itemsize)
            values = raw[index].reshape(-1).view(dtype).astype(prop.kind)
            result[prop.name] = (values, lengths)
    return result, pos


def _truncated(element: _Element, row: int) -> ScanError:
    return ScanError(
        f"the file ends after {row:,} of {element.count:,} {_plural(element)} (it is truncated)"
    )


# ---------------------------------------------------------------- ascii


def _read_ascii(body: memoryview, elements: list[_Element]) -> list[dict[str, object]]:
    raw = bytes(body)
    total_rows = sum(e.count for e in elements)
    if total_rows * 2 > len(raw) + 2:
        big = max(elements, key=lambda e: e.count)
        raise _promise_error(big, len(raw))
    tokens = raw.split()
    pos = 0
    tables: list[dict[str, object]] = []
    for element in elements:
        if element.count == 0:
            tables.append({})
            continue
        if all(p.count_kind is None for p in element.props):
            width = len(element.props)
            end = pos + width * element.count
            if end > len(tokens):
                have = (len(tokens) - pos) // max(width, 1)
                raise _ascii_short(element, have)
            values = _numbers(tokens[pos:end]).reshape(element.count, width)
            pos = end
            tables.append({p.name: values[:, i] for i, p in enumerate(element.props)})
            continue
        table, pos = _ascii_lists(tokens, element, pos)
        tables.append(table)
    return tables


def _ascii_short(element: _Element, have: int) -> ScanError:
    return ScanError(
        f"the file ends after {max(have, 0):,} of {element.count:,} {_plural(element)} "
        "(it is truncated)"
    )


def _numbers(tokens: list[bytes]) -> NDArray[np.float64]:
    try:
        return np.array(tokens, dtype=np.float64)
    except ValueError as exc:
        raise ScanError("this PLY file is damaged: it holds text where numbers belong") from exc


def _as_indices(values: NDArray[np.generic]) -> NDArray[np.int64]:
    """Whole numbers that fit an index, or a ScanError (any dtype: ASCII files give floats)."""
    if values.dtype.kind in "iu":
        return values.astype(np.int64)
    if values.size and not (
        np.isfinite(values).all() and np.abs(values).max() < 2.0**53 and (values % 1 == 0).all()
    ):
        raise ScanError("this PLY file is damaged: a face has an invalid vertex number")
    return values.astype(np.int64)


def _ascii_lists(tokens: list[bytes], element: _Element, pos: int) -> tuple[dict[str, object], int]:
    # Fast path: every list as long as in the first row.
    widths: list[int] = []
    probe = pos
    for prop in element.props:
        if prop.count_kind is None:
            widths.append(1)
            probe += 1
            continue
        try:
            n = int(tokens[probe])
        except (IndexError, ValueError):
            raise _ascii_short(element, 0) from None
        widths.append(1 + n)
        probe += 1 + n
    row = sum(widths)
    end = pos + row * element.count
    if row > 0 and end <= len(tokens):
        block = _numbers(tokens[pos:end]).reshape(element.count, row)
        col = 0
        ok = True
        result: dict[str, object] = {}
        for prop, width in zip(element.props, widths, strict=True):
            if prop.count_kind is None:
                result[prop.name] = block[:, col]
            else:
                if not np.all(block[:, col] == width - 1):
                    ok = False
                    break
                values = block[:, col + 1 : col + width]
                result[prop.name] = (
                    values.reshape(-1),
                    np.full(element.count, width - 1, dtype=np.int64),
                )
            col += width
        if ok:
            return result, end
    # General path: walk the rows.
    scalars: dict[str, list[float]] = {p.name: [] for p in element.props if p.count_kind is None}
    lists: dict[str, tuple[list[bytes], list[int]]] = {
        p.name: ([], []) for p in element.props if p.count_kind is not None
    }
    for row_index in range(element.count):
        for prop in element.props:
            try:
                if prop.count_kind is None:
                    scalars[prop.name].append(float(tokens[pos]))
                    pos += 1
                else:
                    n = int(tokens[pos])
                    if n < 0 or pos + 1 + n > len(tokens):
                        raise IndexError
                    lists[prop.name][0].extend(tokens[pos + 1 : pos + 1 + n])
                    lists[prop.name][1].append(n)
                    pos += 1 + n
            except IndexError:
                raise _ascii_short(element, row_index) from None
            except ValueError:
                raise ScanError(
                    "this PLY file is damaged: it holds text where numbers belong"
                ) from None
    out: dict[str, object] = {k: np.array(v, dtype=np.float64) for k, v in scalars.items()}
    for name, (items, lengths) in lists.items():
        out[name] = (_numbers(items), np.array(lengths, dtype=np.int64))
    return out, pos


# ---------------------------------------------------------------- assembly


def _assemble(elements: list[_Element], tables: list[dict[str, object]]) -> PlyMesh:
    by_name = {e.name: (e, t) for e, t in zip(elements, tables, strict=True)}
    if "vertex" not in by_name:
        raise ScanError("this PLY file has no vertices")
    velem, vtable = by_name["vertex"]
    if not all(c in vtable for c in "xyz"):
        if velem.count == 0:
            raise ScanError("the file has no triangles")
        raise ScanError("this PLY file has no vertex coordinates (x, y, z)")
    nv = velem.count
    vertices = np.empty((nv, 3), dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):  # out of float32 range -> inf -> refused
        for i, c in enumerate("xyz"):
            vertices[:, i] = np.asarray(vtable[c])
    vertex_colors = _colors(vtable)

    felem_table = by_name.get("face")
    if felem_table is None or felem_table[0].count == 0:
        raise ScanError("the file has no triangles (it holds points only)")
    felem, ftable = felem_table
    lists = [p.name for p in felem.props if p.count_kind is not None]
    preferred = [n for n in ("vertex_indices", "vertex_index") if n in lists]
    if not lists:
        raise ScanError("this PLY file's faces have no vertex list")
    pair = ftable[(preferred or lists)[0]]
    assert isinstance(pair, tuple)
    flat = _as_indices(np.asarray(pair[0]))
    counts = np.asarray(pair[1], dtype=np.int64)
    if flat.size and (flat.min() < 0 or flat.max() >= nv):
        bad = int(flat[(flat < 0) | (flat >= nv)][0])
        raise ScanError(
            f"this PLY file is damaged: a face refers to vertex {bad:,} but there are {nv:,}"
        )
    faces = fan_triangulate(flat, counts)
    if len(faces) == 0:
        raise ScanError("the file has no triangles")

    colors = vertex_colors
    face_colors = _colors(ftable)
    if colors is None and face_colors is not None:
        colors = _face_to_vertex_colors(face_colors, flat, counts, nv)
    return PlyMesh(vertices=vertices, faces=faces, colors=colors)


def _colors(table: dict[str, object]) -> ColorArray | None:
    for names in _COLOR_NAMES:
        if all(n in table for n in names[:3]):
            channels = [n for n in names if n in table]
            stack = np.stack([np.asarray(table[n], dtype=np.float64) for n in channels], axis=1)
            sources = [np.asarray(table[n]) for n in channels]
            if any(s.dtype.kind == "f" for s in sources) and np.nanmax(stack, initial=0) <= 1.0:
                stack = stack * 255.0
            stack = np.nan_to_num(stack, nan=0.0)
            return np.clip(np.rint(stack), 0, 255).astype(np.uint8)
    return None


def _face_to_vertex_colors(
    face_colors: ColorArray, flat: NDArray[np.int64], counts: NDArray[np.int64], nv: int
) -> ColorArray:
    """Average the colours of the faces around each vertex."""
    owner = np.repeat(np.arange(len(counts)), counts)
    out = np.zeros((nv, face_colors.shape[1]), dtype=np.float64)
    seen = np.bincount(flat, minlength=nv).astype(np.float64)
    for ch in range(face_colors.shape[1]):
        out[:, ch] = np.bincount(
            flat, weights=face_colors[owner, ch].astype(np.float64), minlength=nv
        )
    out /= np.maximum(seen, 1.0)[:, None]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)
