"""Camera placement for the scan viewer: standard dental views and fitting the scans in."""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np

# name: (elevation, azimuth) for a lower arch; the upper arch is seen from below.
STANDARD_VIEWS: dict[str, tuple[float, float]] = {
    "occlusal": (90.0, -90.0),
    "frontal": (0.0, 90.0),
    "left": (0.0, 0.0),
    "right": (0.0, 180.0),
    "lingual": (35.0, -90.0),
}


def standard_view_angles(name: str, visible_roles: Collection[str]) -> tuple[float, float]:
    """(elevation, azimuth) in degrees for a standard view of what is visible.

    Coordinates as in :mod:`labdesk.mesh.synthetic`: +y towards the incisors, +x the
    patient's left, lower occlusal surfaces up. With only an upper arch visible, the occlusal
    and lingual views look from below.
    """
    elevation, azimuth = STANDARD_VIEWS[name]
    upper_only = "upper" in visible_roles and "lower" not in visible_roles
    if upper_only and name in ("occlusal", "lingual"):
        elevation = -elevation
    return elevation, azimuth


def fit_camera(
    bounds: tuple[np.ndarray, np.ndarray] | None, fov_degrees: float, width: int, height: int
) -> tuple[np.ndarray, float]:
    """Centre and camera distance so that the bounding sphere of ``bounds`` fills the view.

    ``fov_degrees`` is pyqtgraph's horizontal field of view; the narrower of the two decides.
    """
    if bounds is None:
        return np.zeros(3), 100.0
    lo, hi = bounds
    centre = (np.asarray(lo, float) + np.asarray(hi, float)) / 2.0
    radius = max(float(np.linalg.norm(np.asarray(hi, float) - lo)) / 2.0, 1e-6)
    w, h = max(width, 1), max(height, 1)
    half = math.atan(math.tan(math.radians(fov_degrees) / 2.0) * min(1.0, h / w))
    return centre, radius / math.sin(half) * 1.02
