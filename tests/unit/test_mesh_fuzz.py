"""Whatever bytes arrive, load_scan returns a Scan or raises ScanError, and quickly."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labdesk.mesh import Scan, ScanError, load_scan
from labdesk.mesh.synthetic import (
    generate_arch,
    write_ascii_stl,
    write_binary_stl,
    write_obj,
    write_ply,
)

_FOLDER = Path(tempfile.mkdtemp(prefix="labdesk-fuzz-"))


def _valid_files() -> dict[str, bytes]:
    scan = generate_arch("lower", triangles=200, seed=5, with_colors=True)
    out: dict[str, bytes] = {}
    for name, write in (
        ("a.stl", lambda p: write_binary_stl(p, scan)),
        ("b.stl", lambda p: write_binary_stl(p, scan, header=b"solid binary")),
        ("c.stl", lambda p: write_ascii_stl(p, scan)),
        ("d.ply", lambda p: write_ply(p, scan)),
        ("e.ply", lambda p: write_ply(p, scan, binary=False)),
        ("f.ply", lambda p: write_ply(p, scan, big_endian=True, double=True)),
        ("g.obj", lambda p: write_obj(p, scan)),
    ):
        path = _FOLDER / name
        write(path)
        out[name] = path.read_bytes()
    return out


VALID = _valid_files()
NAMES = st.sampled_from(["x.stl", "x.ply", "x.obj", "x.bin", "x"])


def _load(data: bytes, name: str) -> None:
    path = _FOLDER / name
    path.write_bytes(data)
    result: Scan | ScanError
    try:
        result = load_scan(path)
    except ScanError as exc:
        result = exc
    if isinstance(result, ScanError):
        assert str(result)
    else:
        assert isinstance(result, Scan)
        assert result.n_faces > 0
        assert result.faces.min() >= 0
        assert result.faces.max() < result.n_vertices
    # (time per file: benchmarks/bench_bad_input.py; unit tests assert no wall times)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), name=NAMES)
def test_random_bytes(data: bytes, name: str) -> None:
    _load(data, name)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300), name=NAMES)
def test_random_bytes_behind_a_real_header(data: bytes, name: str) -> None:
    for prefix in (b"ply\nformat binary_little_endian 1.0\n", b"solid x\n", b"v 1 2 3\n"):
        _load(prefix + data, name)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    name = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[name])
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete", "digits"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "digits":
            data[at:at] = str(draw(st.integers(-(10**15), 10**15))).encode()
    return bytes(data), name


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_mutated_valid_files(case: tuple[bytes, str]) -> None:
    data, name = case
    _load(data, name)


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_unmutated_seeds_load(name: str) -> None:
    path = _FOLDER / name
    path.write_bytes(VALID[name])
    assert load_scan(path).n_faces > 150
