"""Generated dental arches for demo data, tests and benchmarks (numpy only, deterministic).

Coordinate convention (millimetres, z up), shared by every generated file:

* ``x`` runs to the patient's left, ``y`` to the front (the incisors have the largest y),
  ``z`` up. The horseshoe opens towards -y.
* The **lower** arch sits with its open base near z = 0 and its occlusal surfaces facing +z.
* The **upper** arch is above it with its occlusal surfaces facing -z, its base near
  z = 2 x :data:`OCCLUSAL_PLANE_Z`, slightly wider and 1 mm forward (overjet), so loading an
  upper and a lower together shows a closed bite.

Each arch is one open surface (like an intraoral scan: no base): a gum ridge along the
horseshoe with 14 crowns on it (incisors, canines, premolars, molars, with cusps). Colours
(gum pink, teeth off-white) are per vertex when asked for.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.arch import TOOTH_SIZES, slot_of
from labdesk.mesh.scan import Scan
from labdesk.mesh.writers import write_ascii_stl, write_binary_stl, write_obj, write_ply

__all__ = [
    "OCCLUSAL_PLANE_Z",
    "generate_arch",
    "generate_pair",
    "write_ascii_stl",
    "write_binary_stl",
    "write_obj",
    "write_ply",
]

F64 = NDArray[np.float64]

#: The z of the plane where the generated arches meet.
OCCLUSAL_PLANE_Z = 17.0
_GUM_HEIGHT = 9.0
_GUM_MARGIN = 2.2  # gum beyond the crowns, buccal and lingual, mm
_HALF_WIDTH = 21.0  # ellipse semi-axis across the arch (centre line), mm
_DEPTH = 38.0  # ellipse semi-axis front to back, mm
_PHI_END = 1.75  # the horseshoe runs from -_PHI_END to +_PHI_END, rad
_BITE_GAP = 0.3

_KINDS = ("incisor", "incisor", "canine", "premolar", "premolar", "molar", "molar")

GUM_RGB = (214, 118, 126)
TOOTH_RGB = (238, 232, 214)


def generate_arch(
    jaw: str = "upper",
    *,
    triangles: int = 200_000,
    seed: int = 0,
    with_colors: bool = False,
    prepared: Mapping[int, float] | None = None,
    anterior_height: float = 1.0,
) -> Scan:
    """A plausible dental arch of about ``triangles`` faces (within a few percent).

    ``jaw`` is ``"upper"`` or ``"lower"``; see the module docstring for the coordinates.
    ``prepared`` maps FDI numbers of this jaw to an occlusal reduction (mm): those teeth are
    preparations (a stump with a chamfer margin) instead of crowns. ``anterior_height`` scales
    the incisors and canines (a pair in occlusion meets on its premolars and molars). The same
    arguments always give the same mesh.
    """
    prepared_slots = {slot_of(fdi): mm for fdi, mm in (prepared or {}).items()}
    if jaw not in TOOTH_SIZES:
        raise ValueError(f"jaw must be 'upper' or 'lower', not {jaw!r}")
    if triangles < 200:
        raise ValueError("triangles must be at least 200")
    rng = np.random.default_rng([seed, 0 if jaw == "lower" else 1])

    phi_dense = np.linspace(-_PHI_END, _PHI_END, 4097)
    cx, cy = _HALF_WIDTH * np.sin(phi_dense), _DEPTH * np.cos(phi_dense)
    seg = np.hypot(np.diff(cx), np.diff(cy))
    s_dense = np.concatenate([[0.0], np.cumsum(seg)])
    length = float(s_dense[-1])

    # Grid size: ~square cells; the cross-section runs ~2 x (gum height + ridge half-width).
    cross = 2.0 * (_GUM_HEIGHT + 8.0)
    cells = triangles / 2.0
    nv = max(4, round(np.sqrt(cells * cross / length))) + 1
    nu = max(4, round(cells / (nv - 1))) + 1

    s = np.linspace(0.0, length, nu)
    phi = np.interp(s, s_dense, phi_dense)
    px, py = _HALF_WIDTH * np.sin(phi), _DEPTH * np.cos(phi)
    tx, ty = _HALF_WIDTH * np.cos(phi), -_DEPTH * np.sin(phi)
    tn = np.hypot(tx, ty)
    nx, ny = -ty / tn, tx / tn  # outward (buccal) horizontal normal

    centres, widths, bl, heights, kinds = _place_teeth(jaw, length, rng)
    heights = heights * np.where(np.isin(kinds, ["incisor", "canine"]), anterior_height, 1.0)
    half_ridge = np.interp(s, centres, bl / 2.0 + _GUM_MARGIN)

    theta = np.linspace(-np.pi / 2, np.pi / 2, nv)
    lateral = half_ridge[:, None] * np.sin(theta)[None, :]  # (nu, nv), + is buccal
    gum = _GUM_HEIGHT * np.cos(theta) ** 0.7
    gum = np.broadcast_to(gum[None, :], (nu, nv)).copy()
    # A gentle scalloping of the gum line between teeth.
    gum += 0.6 * np.cos(np.pi * (theta / (np.pi / 2)))[None, :] * 0.5

    crown = np.zeros((nu, nv))
    for slot, (c, w, b, h, kind) in enumerate(
        zip(centres, widths, bl, heights, kinds, strict=True)
    ):
        cols = np.nonzero(np.abs(s - c) < 0.62 * w + 0.5)[0]
        if cols.size == 0:
            continue
        u = (s[cols, None] - c) / (w / 2.0)
        v = lateral[cols] / (b / 2.0)
        shape = _crown_shape(u, v, h, kind, rng)
        if slot in prepared_slots:
            shape = _preparation(u, v, shape, prepared_slots[slot])
        crown[cols] = np.maximum(crown[cols], shape)

    z = gum + crown
    x = px[:, None] + lateral * nx[:, None]
    y = py[:, None] + lateral * ny[:, None]
    vertices = np.stack([x, y, z], axis=-1).reshape(-1, 3)
    faces = _grid_faces(nu, nv)

    if jaw == "upper":
        vertices[:, 0] *= 1.03
        vertices[:, 1] = vertices[:, 1] * 1.03 + 1.0
        vertices[:, 2] = OCCLUSAL_PLANE_Z + _BITE_GAP / 2 + (vertices[:, 2].max() - vertices[:, 2])
        faces = faces[:, ::-1]  # mirroring flips the winding; keep normals outward
    else:
        vertices[:, 2] += OCCLUSAL_PLANE_Z - _BITE_GAP / 2 - vertices[:, 2].max()

    colors = None
    if with_colors:
        t = np.clip(crown.reshape(-1) / 0.5, 0.0, 1.0)[:, None]
        gum_rgb = np.array(GUM_RGB, dtype=np.float64)
        tooth_rgb = np.array(TOOTH_RGB, dtype=np.float64)
        shade = 1.0 + rng.normal(0.0, 0.015, size=(len(t), 1))
        rgb = (gum_rgb * (1.0 - t) + tooth_rgb * t) * shade
        colors = np.clip(np.rint(rgb), 0, 255).astype(np.uint8)

    return Scan(
        vertices=vertices.astype(np.float32),
        faces=np.ascontiguousarray(faces, dtype=np.int32),
        colors=colors,
        source=f"synthetic-{jaw}-{seed}",
    )


def _place_teeth(
    jaw: str, length: float, rng: np.random.Generator
) -> tuple[F64, F64, F64, F64, list[str]]:
    """Centres along the arch (arc length), sizes and kinds of the 14 teeth."""
    table = np.array(TOOTH_SIZES[jaw], dtype=np.float64)
    table = table * rng.uniform(0.96, 1.04, size=(1, 3))
    half = length / 2.0
    scale = min(1.0, (half - 2.5) / table[:, 0].sum())
    widths = table[:, 0] * scale
    edges = np.concatenate([[0.0], np.cumsum(widths)])
    offsets = (edges[:-1] + edges[1:]) / 2.0  # from the midline, per quadrant
    centres = np.concatenate([half - offsets[::-1], half + offsets])
    centres += rng.normal(0.0, 0.15, size=centres.shape)
    both = np.concatenate([widths[::-1], widths])
    bl = np.concatenate([table[::-1, 1], table[:, 1]])
    heights = np.concatenate([table[::-1, 2], table[:, 2]]) * rng.uniform(0.96, 1.04, 14)
    kinds = list(_KINDS[::-1]) + list(_KINDS)
    return centres, both, bl, heights, kinds


def _smoothstep(x: F64) -> F64:
    t = np.clip(x, 0.0, 1.0)
    out: F64 = t * t * (3.0 - 2.0 * t)
    return out


def _bump(u: F64, v: F64, cu: float, cv: float, sigma: float) -> F64:
    out: F64 = np.exp(-((u - cu) ** 2 + (v - cv) ** 2) / (2.0 * sigma * sigma))
    return out


def _crown_shape(u: F64, v: F64, height: float, kind: str, rng: np.random.Generator) -> F64:
    """Height above the gum of one crown; (u, v) in half-widths from its centre."""
    power = {"incisor": 2.6, "canine": 2.4, "premolar": 2.6}.get(kind, 2.8)
    r = (np.abs(u) ** power + np.abs(v) ** power) ** (1.0 / power)
    wall = _smoothstep((1.08 - r) / 0.38)
    jitter = rng.uniform(0.9, 1.1, size=4)
    groove = np.exp(-(v * v) / 0.03)  # the central groove, mesial to distal
    if kind == "molar":
        cusps = [(-0.42, 0.4), (0.42, 0.4), (-0.42, -0.4), (0.42, -0.4)]  # buccal first
        top = 0.6 - 0.07 * groove
        for j, (cu, cv) in zip(jitter, cusps, strict=True):
            top = top + 0.32 * j * _bump(u, v, cu, cv, 0.23)
    elif kind == "premolar":
        top = 0.6 - 0.06 * groove
        top = top + 0.38 * jitter[0] * _bump(u, v, 0.0, 0.42, 0.3)
        top = top + 0.28 * jitter[1] * _bump(u, v, 0.0, -0.42, 0.3)
    elif kind == "canine":
        top = 0.55 + 0.45 * jitter[0] * _bump(u, v, 0.0, 0.1, 0.5)
    else:
        # Incisor: a blade, highest along the incisal edge, a little lower lingually.
        top = 0.9 + 0.1 * jitter[0] * np.cos(np.clip(v, -1.0, 1.0) * np.pi / 2.0)
        top = top - 0.03 * np.abs(np.sin(np.clip(u, -1.0, 1.0) * 1.5 * np.pi))
    out: F64 = height * wall * top
    return out


def _preparation(u: F64, v: F64, crown: F64, reduction: float) -> F64:
    """A crown cut down to a preparation: the occlusal surface lowered by ``reduction`` mm
    and tapered, ending in a chamfer margin 0.5 mm above the gum."""
    r = np.sqrt(u * u + v * v)
    stump = np.maximum(crown - reduction, 0.0) * _smoothstep((0.86 - r) / 0.3)
    chamfer = 0.5 * _smoothstep((1.0 - r) / 0.12)
    out: F64 = np.maximum(stump, np.minimum(chamfer, crown))
    return out


def generate_pair(
    *,
    triangles: int = 200_000,
    seed: int = 0,
    with_colors: bool = False,
    prepared: Mapping[int, float] | None = None,
    contact_mm: float = 0.05,
) -> tuple[Scan, Scan]:
    """An upper and a lower arch in occlusion: the upper set down onto the lower until the
    highest cusps touch (overlapping by ``contact_mm``, as scans of teeth in contact do)."""
    prepared = prepared or {}
    upper_preps = {t: mm for t, mm in prepared.items() if t // 10 in (1, 2)}
    lower_preps = {t: mm for t, mm in prepared.items() if t // 10 in (3, 4)}
    upper, lower = (
        generate_arch(
            jaw, triangles=triangles, seed=seed, with_colors=with_colors, prepared=preps,
            anterior_height=0.72,
        )
        for jaw, preps in (("upper", upper_preps), ("lower", lower_preps))
    )  # fmt: skip
    from scipy.spatial import cKDTree

    # The lower jaw's height under each upper vertex (its highest nearby point).
    tree = cKDTree(lower.vertices[:, :2])
    _, near = tree.query(upper.vertices[:, :2], k=6, distance_upper_bound=0.8)
    found = near < len(lower.vertices)
    heights = np.where(found, lower.vertices[np.minimum(near, len(lower.vertices) - 1), 2], -np.inf)
    below = heights.max(axis=1)
    gap = upper.vertices[:, 2] - below
    drop = float(np.min(gap[np.isfinite(gap)])) + contact_mm
    upper.vertices[:, 2] -= np.float32(drop)
    # The estimate above uses the nearest lower vertices; finish with the true surface
    # distance (the vertical gap is the distance on these near-horizontal cusp tips).
    from labdesk.mesh.clearance import surface_distances

    cusps = upper.vertices[np.isfinite(gap) & (gap - drop + contact_mm < 1.0)]
    for _ in range(3):
        closest = float(surface_distances(cusps, lower).min())
        if abs(closest + contact_mm) < 0.01:
            break
        upper.vertices[:, 2] -= np.float32(closest + contact_mm)
        cusps[:, 2] -= np.float32(closest + contact_mm)
    return upper, lower


def _grid_faces(nu: int, nv: int) -> NDArray[np.int32]:
    """Two triangles per grid cell, wound so the normals of the occlusal side face +z."""
    idx = np.arange(nu * nv, dtype=np.int32).reshape(nu, nv)
    a = idx[:-1, :-1].ravel()
    b = idx[1:, :-1].ravel()
    c = idx[1:, 1:].ravel()
    d = idx[:-1, 1:].ravel()
    faces = np.empty((a.size * 2, 3), dtype=np.int32)
    faces[0::2] = np.stack([a, b, c], axis=1)
    faces[1::2] = np.stack([a, c, d], axis=1)
    return faces
