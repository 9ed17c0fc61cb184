"""A generated corpus of scan files: valid ones written the way real tools write them, and the
malformed, renamed and hostile files labs actually receive (issue 12).

Nothing here comes from a patient: every mesh is generated. ``python -m tests.scan_corpus
FILE...`` is the worker the corpus test runs in a subprocess with a memory limit: it loads and
checks each file and prints one JSON line per file (``start`` before, the result after), so
the parent can tell a crash or a hang from an answer.
"""

from __future__ import annotations

import json
import resource
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from labdesk.mesh.synthetic import generate_arch

#: Substrings that betray a Python or numpy message in what a technician would read.
INTERNALS = (
    "Traceback",
    "Error(",
    "Error:",
    "numpy",
    "int too large",
    "index",
    "object has no attribute",
    "NoneType",
    "dtype",
    "unpack requires",
    "buffer",
    "<class",
)

#: The 1 GiB all-zero binary STL: the largest triangle count a consistent 1 GiB file holds.
GIB_TRIANGLES = ((1 << 30) - 84) // 50


@dataclass(frozen=True)
class Sample:
    """One corpus file. ``faces``/``vertices`` set: it must load with exactly these counts."""

    name: str
    data: bytes
    faces: int | None = None
    vertices: int | None = None
    warning: str | None = None  # a substring one of the scan check's warnings must contain
    message: str | None = None  # a substring the refusal must contain
    sparse_size: int = 0  # extend the file with zeros to this size (a sparse file)

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_bytes(self.data)
        if self.sparse_size:
            with path.open("r+b") as fh:
                fh.truncate(self.sparse_size)
        return path


# ---------------------------------------------------------------- meshes in tool styles


def _grid(n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """A small wavy sheet (n x n vertices, 2 (n-1)^2 triangles) 30 mm across."""
    u, v = np.meshgrid(np.linspace(0, 30, n), np.linspace(0, 30, n))
    z = 2.0 * np.sin(u / 5.0) * np.cos(v / 7.0)
    vertices = np.column_stack([u.ravel(), v.ravel(), z.ravel()]).astype(np.float32)
    faces = []
    for row in range(n - 1):
        for col in range(n - 1):
            a = row * n + col
            faces += [[a, a + 1, a + n + 1], [a, a + n + 1, a + n]]
    return vertices, np.array(faces, dtype=np.int32)


def meshlab_ascii_ply() -> Sample:
    """MeshLab "Export Mesh" as ASCII with normals, quality, colour and wedge texcoords."""
    vertices, faces = _grid()
    head = [
        "ply",
        "format ascii 1.0",
        "comment VCGLIB generated",
        "comment TextureFile scan_texture.png",
        f"element vertex {len(vertices)}",
        "property float x",
        "property float y",
        "property float z",
        "property float nx",
        "property float ny",
        "property float nz",
        "property uchar red",
        "property uchar green",
        "property uchar blue",
        "property uchar alpha",
        "property float quality",
        f"element face {len(faces)}",
        "property list uchar int vertex_indices",
        "property list uchar float texcoord",
        "property float quality",
        "end_header",
    ]
    rows = [
        f"{x:.6f} {y:.6f} {z:.6f} 0 0 1 200 180 170 255 {i * 0.5:g} "
        for i, (x, y, z) in enumerate(vertices)
    ]
    rows += [
        f"3 {a} {b} {c} 6 0.1 0.2 0.3 0.4 0.5 0.6 {k * 0.25:g} "
        for k, (a, b, c) in enumerate(faces)
    ]
    text = "\n".join(head + rows) + "\n"
    return Sample("meshlab_ascii.ply", text.encode(), len(faces), len(vertices))


def meshlab_binary_ply(big_endian: bool = False) -> Sample:
    """MeshLab binary export: quality per vertex, texcoord list after the indices."""
    vertices, faces = _grid(8)
    order = ">" if big_endian else "<"
    fmt = "binary_big_endian" if big_endian else "binary_little_endian"
    head = (
        f"ply\nformat {fmt} 1.0\ncomment VCGLIB generated\nelement vertex {len(vertices)}\n"
        "property float x\nproperty float y\nproperty float z\nproperty float quality\n"
        f"element face {len(faces)}\nproperty list uchar int vertex_indices\n"
        "property list uchar float texcoord\nend_header\n"
    ).encode()
    body = b"".join(struct.pack(order + "4f", *v, 1.5) for v in vertices.tolist())
    body += b"".join(
        struct.pack(order + "B3iB6f", 3, *f, 6, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0)
        for f in faces.tolist()
    )
    suffix = "_be" if big_endian else ""
    return Sample(f"meshlab_binary{suffix}.ply", head + body, len(faces), len(vertices))


def exocad_ply() -> Sample:
    """exocad-style binary PLY: vertex colours (uchar RGB), ``vertex_indices`` as uint."""
    scan = generate_arch("upper", triangles=3000, seed=12, with_colors=True)
    assert scan.colors is not None
    head = (
        "ply\nformat binary_little_endian 1.0\ncomment exocad export\n"
        f"element vertex {scan.n_vertices}\nproperty float x\nproperty float y\n"
        "property float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\n"
        f"element face {scan.n_faces}\nproperty list uchar uint vertex_indices\nend_header\n"
    ).encode()
    vrow = np.dtype([("xyz", "<f4", (3,)), ("rgb", "u1", (3,))])
    vdata = np.zeros(scan.n_vertices, dtype=vrow)
    vdata["xyz"] = scan.vertices
    vdata["rgb"] = scan.colors[:, :3]
    frow = np.dtype([("n", "u1"), ("idx", "<u4", (3,))])
    fdata = np.zeros(scan.n_faces, dtype=frow)
    fdata["n"] = 3
    fdata["idx"] = scan.faces
    data = head + vdata.tobytes() + fdata.tobytes()
    return Sample("exocad_upper.ply", data, scan.n_faces, scan.n_vertices)


def blender_obj() -> Sample:
    """Blender's OBJ exporter: header comments, mtllib, o, v, vn, vt, s off, usemtl, f a/b/c."""
    vertices, faces = _grid()
    lines = [
        "# Blender 4.1.1",
        "# www.blender.org",
        "mtllib scan.mtl",
        "o Scan",
        *(f"v {x:.6f} {y:.6f} {z:.6f}" for x, y, z in vertices),
        *("vn -0.0000 -0.0000 1.0000" for _ in range(3)),
        *(f"vt {i / 10:.6f} {i / 20:.6f}" for i in range(len(vertices))),
        "s off",
        "usemtl Material",
        *(f"f {a + 1}/{a + 1}/1 {b + 1}/{b + 1}/2 {c + 1}/{c + 1}/3" for a, b, c in faces),
        "l 1 2",
    ]
    return Sample("blender.obj", ("\n".join(lines) + "\n").encode(), len(faces), len(vertices))


def quads_obj() -> Sample:
    """Quads and an n-gon (``f a//n`` form) fanned into triangles; CRLF line ends."""
    lines = ["o Quads", "v 0 0 0", "v 10 0 0", "v 10 10 0", "v 0 10 0", "v 5 15 1", "v -5 5 1"]
    lines += ["vn 0 0 1", "f 1//1 2//1 3//1 4//1", "f 4//1 3//1 5//1 6//1 1//1"]
    return Sample("quads.obj", "\r\n".join(lines).encode() + b"\r\n", 2 + 3, 6)


def continued_obj() -> Sample:
    lines = "v 0 0 0\nv 20 0 0\nv 0 20 \\\n 0\nv 20 20 3\nf 1 2 \\\n 3\nf 2 4 3\n"
    return Sample("continued.obj", lines.encode(), 2, 4)


def valid_samples() -> list[Sample]:
    scan = generate_arch("lower", triangles=2000, seed=3)
    tri = scan.faces
    corners = scan.vertices[tri].reshape(-1, 9)
    records = np.zeros(len(tri), dtype=[("n", "<f4", (3,)), ("c", "<f4", (9,)), ("a", "<u2")])
    records["c"] = corners
    stl_bin = b"solid binary header".ljust(80, b" ") + struct.pack("<I", len(tri))
    stl_bin += records.tobytes()
    ascii_rows = ["solid scan"]
    for c in corners.reshape(-1, 3, 3).tolist():
        ascii_rows += ["  facet normal 0 0 0", "    outer loop"]
        ascii_rows += [f"      vertex {x:.6e} {y:.6e} {z:.6e}" for x, y, z in c]
        ascii_rows += ["    endloop", "  endfacet"]
    full = "\n".join(ascii_rows)
    cut = full[: full.index("endfacet", len(full) // 2)]  # a download cut off
    n_welded = scan.n_vertices
    return [
        meshlab_ascii_ply(),
        meshlab_binary_ply(),
        meshlab_binary_ply(big_endian=True),
        exocad_ply(),
        blender_obj(),
        quads_obj(),
        continued_obj(),
        Sample("solid_header_binary.stl", stl_bin, len(tri), n_welded),
        Sample("ascii.stl", (full + "\nendsolid scan\n").encode(), len(tri), n_welded),
        Sample("utf8_bom.stl", b"\xef\xbb\xbf" + (full + "\nendsolid\n").encode(), len(tri)),
        Sample("cut_off.stl", cut.encode(), full[: len(cut)].count("endloop"), None, "incomplete"),
        Sample("face_before_vertices.obj", b"f 1 2 3\nv 0 0 0\nv 9 0 0\nv 0 9 0\n", 1, 3),
        Sample("zero_facet.stl", b"\0" * 80 + struct.pack("<I", 1) + b"\0" * 50, 1, 1, "no area"),
        Sample("v000_f111.obj", b"v 0 0 0\nf 1 1 1\n", 1, 1, "no area"),
    ]


# ---------------------------------------------------------------- malformed and hostile


def _ply_head(fmt: str, nv: int, nf: int, extra: str = "") -> bytes:
    return (
        f"ply\nformat {fmt} 1.0\n{extra}element vertex {nv}\nproperty float x\n"
        f"property float y\nproperty float z\nelement face {nf}\n"
        "property list uchar int vertex_indices\nend_header\n"
    ).encode()


def malformed_samples() -> list[Sample]:
    good = valid_samples()
    stl_bin = next(s for s in good if s.name == "solid_header_binary.stl").data
    exocad = exocad_ply().data
    tri = struct.pack("<12fH", 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0)
    nan_tri = struct.pack("<12fH", 0, 0, 1, float("nan"), 0, 0, 1, 0, 0, 0, 1, 0, 0)
    inf_tri = struct.pack("<12fH", 0, 0, 1, float("inf"), 0, 0, 1, 0, 0, 0, 1, 0, 0)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    ascii_stl = "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
    ascii_stl += "vertex 0 1 0\nendloop\nendfacet\nendsolid x\n"
    rng = np.random.default_rng(12)
    out = [
        Sample("empty.stl", b"", message="empty"),
        Sample("empty.obj", b"", message="empty"),
        Sample("header_only.stl", b"\0" * 84, message="no triangles"),
        Sample("truncated.stl", stl_bin[: len(stl_bin) // 2], message="truncated"),
        Sample("lying_count.stl", b"\0" * 80 + struct.pack("<I", 4_000_000_000) + tri * 3),
        Sample("count_zero.stl", b"\0" * 80 + struct.pack("<I", 0) + tri * 2, 2, 3),
        Sample("nan.stl", b"\0" * 80 + struct.pack("<I", 2) + tri + nan_tri, message="NaN"),
        Sample("inf.stl", b"\0" * 80 + struct.pack("<I", 2) + tri + inf_tri, message="NaN"),
        Sample("png_renamed.stl", png, message="PNG picture"),
        Sample("jpeg_renamed.ply", b"\xff\xd8\xff\xe0\x00\x10JFIF" + png, message="JPEG"),
        Sample("pdf_renamed.obj", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", message="PDF document"),
        Sample("zip_renamed.stl", b"PK\x03\x04" + png, message="ZIP archive"),
        Sample("dicom_renamed.stl", b"\0" * 128 + b"DICM" + png, message="DICOM"),
        Sample("case.dcm", b'<?xml version="1.0"?>\n<HPS version="1.0">', message="3Shape's own"),
        Sample("utf16.stl", ascii_stl.encode("utf-16"), message="ASCII STL saved as UTF-16"),
        Sample("utf16_nobom.stl", ascii_stl.encode("utf-16-le"), message="UTF-16"),
        Sample("utf16.obj", b"v 0 0 0\nf 1 1 1\n".decode().encode("utf-16"), message="UTF-16"),
        Sample(
            "html.stl",
            b"<!DOCTYPE html>\n<html><body>Not found</body></html>\n",
            message="web page",
        ),
        Sample("notes.stl", b"Patient prefers afternoon appointments.\n", message="text file"),
        Sample("binary.obj", rng.integers(0, 256, 3000, dtype=np.uint8).tobytes()),
        Sample("noise.ply", b"ply\n" + rng.integers(0, 256, 3000, dtype=np.uint8).tobytes()),
        Sample("noise.stl", rng.integers(0, 256, 5000, dtype=np.uint8).tobytes()),
        Sample("truncated.ply", exocad[: len(exocad) - 500], message="truncated"),
        Sample(
            "lying.ply",
            _ply_head("binary_little_endian", 10**15, 10**15) + b"\0" * 64,
            message="promises",
        ),
        Sample("lying_ascii.ply", _ply_head("ascii", 10**12, 1) + b"0 0 0\n", message="promises"),
        Sample(
            "giant_header.ply",
            b"ply\nformat ascii 1.0\n" + b"comment " + b"x" * 200_000 + b"\n",
            message="64 KB",
        ),
        Sample(
            "big_endian_nan_count.ply",
            _ply_head("binary_big_endian", 3, 1).replace(b"list uchar", b"list float")
            + struct.pack(">9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)
            + struct.pack(">f3i", float("nan"), 0, 1, 2),
        ),
        Sample(
            "ply_index_out_of_range.ply",
            _ply_head("ascii", 3, 1) + b"0 0 0\n1 0 0\n0 1 0\n3 0 1 99\n",
            message="refers to vertex 99",
        ),
        Sample(
            "ply_negative_index.ply",
            _ply_head("ascii", 3, 1) + b"0 0 0\n1 0 0\n0 1 0\n3 0 1 -5\n",
            message="refers to vertex -5",
        ),
        Sample(
            "ply_ngons.ply",
            _ply_head("ascii", 5, 2)
            + b"0 0 0\n9 0 0\n9 9 0\n0 9 0\n4 12 2\n4 0 1 2 3\n5 0 1 2 3 4\n",
            5,
            5,
        ),
        Sample(
            "ply_float_index.ply",
            _ply_head("ascii", 3, 1) + b"0 0 0\n1 0 0\n0 1 0\n3 0 1 1.5\n",
            message="invalid vertex number",
        ),
        Sample("obj_face_no_vertex.obj", b"f 1 2 3\n", message="no vertices"),
        Sample("obj_huge_index.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 " + b"1" * 24 + b"\n"),
        Sample("obj_negative.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf -1 -2 -9\n", message="back"),
        Sample("obj_out_of_range.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 7\n", message="vertex 7"),
        Sample("obj_zero_index.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n", message="vertex 0"),
        Sample("obj_nan.obj", b"v 0 0 nan\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", message="NaN"),
        Sample("obj_text_coords.obj", b"v 0 0 zero\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"),
        Sample(
            "obj_ngon.obj", b"v 0 0 0\nv 9 0 0\nv 9 9 0\nv 0 9 0\nv -4 4 0\nf 1 2 3 4 5\n", 3, 5
        ),
        Sample("obj_huge_digits.obj", b"v 0 0 0\nf " + b"9" * 5000 + b" 1 1\n"),
        Sample("stl_text_in_vertex.stl", ascii_stl.replace("1 0 0", "1 0 x").encode()),
        Sample("deep_nesting.ply", b"ply\n" + b"element " * 9000),
        Sample("nul_name.stl", b"\0" * 10),
        Sample(
            "all_zero_1gib.stl",
            b"\0" * 80 + struct.pack("<I", GIB_TRIANGLES),
            message="no area",
            sparse_size=84 + 50 * GIB_TRIANGLES,
        ),
    ]
    return out


def corpus() -> list[Sample]:
    samples = valid_samples() + malformed_samples()
    names = [s.name for s in samples]
    assert len(names) == len(set(names)), "corpus file names must be unique"
    return samples


# ---------------------------------------------------------------- the worker


def load_and_check(path: Path) -> dict[str, object]:
    """What the app would show for one file: counts and warnings, or the refusal."""
    from labdesk.mesh import ScanError, check_scan, load_scan

    try:
        scan = load_scan(path)
        report = check_scan(scan)
    except ScanError as exc:
        return {"ok": False, "message": str(exc)}
    return {
        "ok": True,
        "faces": report.triangles,
        "vertices": report.vertices,
        "warnings": report.warnings,
    }


def _worker(paths: list[str], memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    for name in paths:
        print(json.dumps({"start": name}), flush=True)
        result = load_and_check(Path(name))
        print(json.dumps({"done": name, **result}), flush=True)


if __name__ == "__main__":
    _worker(sys.argv[2:], int(sys.argv[1]))
