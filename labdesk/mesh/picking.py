"""Where does a ray hit the scan? (Möller–Trumbore, vectorised over all triangles.)

Used by the viewer's measure tool on the full-resolution mesh. A cheap bounding-sphere test
keeps the exact test to the few triangles near the ray.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import Scan

F64 = NDArray[np.float64]
_EPS = 1e-12


class RayPicker:
    """Per-triangle data for fast picks, built on first use (issue 18: picking structures are
    built lazily, so a scan nobody measures never pays ~52 bytes per triangle for them).

    Creating one is free; :meth:`prepare` builds the data (about 0.1 s at 1M triangles) and
    may be called ahead on a worker thread, e.g. when the measure tool is switched on.
    """

    def __init__(self, scan: Scan) -> None:
        self._scan = scan
        self._lock = threading.Lock()
        self._ready = False

    @property
    def is_prepared(self) -> bool:
        return self._ready

    def prepare(self) -> None:
        """Build the per-triangle data now (idempotent, thread-safe)."""
        with self._lock:
            if not self._ready:
                self._build()
                self._ready = True

    def _build(self) -> None:
        # float32 keeps this at ~52 bytes per triangle; the exact test runs in float64 on the
        # few candidates near the ray.
        v = self._scan.vertices
        f = self._scan.faces
        self._v0 = v[f[:, 0]]
        self._e1 = v[f[:, 1]] - self._v0
        self._e2 = v[f[:, 2]] - self._v0
        with np.errstate(invalid="ignore", over="ignore"):
            self._centre = self._v0 + (self._e1 + self._e2) / np.float32(3.0)
            reach = np.maximum.reduce(
                [
                    np.einsum("ij,ij->i", d, d)
                    for d in (
                        self._v0 - self._centre,
                        self._v0 + self._e1 - self._centre,
                        self._v0 + self._e2 - self._centre,
                    )
                ]
            )
            self._radius = np.sqrt(reach).astype(np.float32)
        self._radius[~np.isfinite(self._radius)] = -1.0  # never a candidate

    def pick(self, origin: Sequence[float] | F64, direction: Sequence[float] | F64) -> F64 | None:
        """The nearest hit point in front of ``origin`` along ``direction``, or None."""
        self.prepare()
        o = np.asarray(origin, dtype=np.float64).reshape(3)
        d = np.asarray(direction, dtype=np.float64).reshape(3)
        norm = float(np.linalg.norm(d))
        if norm == 0.0 or not np.isfinite(norm) or not np.isfinite(o).all():
            return None
        d = d / norm
        # Distance from each triangle's centre to the ray (the line, then the half-line).
        rel = self._centre - o
        along = rel @ d
        perp2 = np.einsum("ij,ij->i", rel, rel) - along * along
        r = self._radius.astype(np.float64) * 1.0001 + 1e-6  # float32 rounding margin
        near = np.flatnonzero((perp2 <= r * r) & (along >= -r) & (self._radius >= 0))
        if near.size == 0:
            return None
        t = _moller_trumbore(
            o,
            d,
            self._v0[near].astype(np.float64),
            self._e1[near].astype(np.float64),
            self._e2[near].astype(np.float64),
        )
        if t is None:
            return None
        return o + t * d


def _moller_trumbore(o: F64, d: F64, v0: F64, e1: F64, e2: F64) -> float | None:
    p = np.cross(d, e2)
    det = np.einsum("ij,ij->i", e1, p)
    ok = np.abs(det) > _EPS
    inv = np.zeros_like(det)
    inv[ok] = 1.0 / det[ok]
    s = o - v0
    u = np.einsum("ij,ij->i", s, p) * inv
    q = np.cross(s, e1)
    w = (q @ d) * inv
    t = np.einsum("ij,ij->i", e2, q) * inv
    hit = ok & (u >= 0.0) & (w >= 0.0) & (u + w <= 1.0) & (t > 0.0)
    if not hit.any():
        return None
    return float(t[hit].min())


def pick(scan: Scan, origin: Sequence[float] | F64, direction: Sequence[float] | F64) -> F64 | None:
    """The nearest point where the ray ``origin + t * direction`` (t > 0) meets the scan."""
    return RayPicker(scan).pick(origin, direction)
