"""The measure tool's state: up to two picked surface points and the distance between them."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from labdesk.mesh import RayPicker


class Measurement:
    """Click, click: a distance. A third click starts a new measurement."""

    def __init__(self) -> None:
        self.points: list[np.ndarray] = []
        self.distance: float | None = None

    def add(self, point: np.ndarray) -> float | None:
        """Add a picked point; returns the distance once there are two."""
        if len(self.points) >= 2:
            self.points = []
        self.points.append(np.asarray(point, dtype=float))
        self.distance = None
        if len(self.points) == 2:
            self.distance = float(np.linalg.norm(self.points[0] - self.points[1]))
        return self.distance

    def clear(self) -> None:
        self.points = []
        self.distance = None

    def restore(self, points: list[np.ndarray]) -> None:
        """Put back points measured earlier on the same scan (an empty list clears)."""
        self.clear()
        for point in points[:2]:
            self.add(point)

    @property
    def ends(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        a = self.points[0] if self.points else None
        b = self.points[1] if len(self.points) > 1 else None
        return a, b

    @property
    def label(self) -> str:
        return f"{self.distance:.2f} mm" if self.distance is not None else ""


ScanKey = tuple[tuple[str, str], ...]  # (role, source) of every file shown together


class MeasurementsPerScan:
    """Measurements belong to the scan they were made on: points are in that mesh's space and
    mean nothing on another case's. Kept for the session, per set of files shown together,
    so coming back to a scan brings its ruler back; another scan starts with none."""

    def __init__(self) -> None:
        self._kept: dict[ScanKey, list[np.ndarray]] = {}

    def keep(self, key: ScanKey, measurement: Measurement) -> None:
        if not key:
            return
        if measurement.points:
            self._kept[key] = list(measurement.points)
        else:
            self._kept.pop(key, None)

    def points_for(self, key: ScanKey) -> list[np.ndarray]:
        return list(self._kept.get(key, []))


def nearest_hit(
    pickers: Iterable[RayPicker], origin: np.ndarray, direction: np.ndarray
) -> np.ndarray | None:
    """The hit closest to ``origin`` over several meshes (upper, lower, bite)."""
    best: np.ndarray | None = None
    best_distance = math.inf
    for picker in pickers:
        hit = picker.pick(origin, direction)
        if hit is not None:
            distance = float(np.linalg.norm(hit - origin))
            if distance < best_distance:
                best, best_distance = hit, distance
    return best
