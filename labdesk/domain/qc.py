"""The QC sign-off checklist: what a QC manager checks before a case may ship."""

from __future__ import annotations

from typing import Final

CHECKLIST: Final[tuple[tuple[str, str], ...]] = (
    ("fit_and_margins", "Fit and margins"),
    ("contacts", "Contacts"),
    ("occlusion", "Occlusion"),
    ("shade_match", "Shade match"),
    ("surface_and_finish", "Surface and finish"),
    ("cleanliness_and_packaging", "Cleanliness and packaging"),
)
CHECKLIST_LABELS: Final[dict[str, str]] = dict(CHECKLIST)


def check_complete(points: dict[str, bool]) -> None:
    """Every point of the checklist must be answered, and only those."""
    missing = [label for code, label in CHECKLIST if code not in points]
    unknown = sorted(set(points) - set(CHECKLIST_LABELS))
    if missing:
        raise ValueError(f"the QC checklist is incomplete: {', '.join(missing)} not checked")
    if unknown:
        raise ValueError(f"unknown QC checklist points: {', '.join(unknown)}")


def failed_points(points: dict[str, bool]) -> list[str]:
    """Labels of the failed points, in checklist order (the reason of a QC fail)."""
    return [label for code, label in CHECKLIST if points.get(code) is False]
