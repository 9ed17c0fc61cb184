"""Which jaw a scan is, told from its file name: exocad, Medit and plain-folder conventions.

The one home of these name rules (exocad ``-UpperJaw`` / ``-TotalJaw0`` / ``-upperjaw-situ``,
Medit ``Maxilla_Base`` / ``*_PreOP`` / ``MarginLine_<FDI>``, and plain words such as
``upper``, ``maxilla``, ``bite``). A name that matches nothing is :attr:`FileRole.UNKNOWN`
and the person confirms it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from labdesk.domain import teeth
from labdesk.intake.model import MESH_EXTENSIONS, FileRole

_MARGIN = re.compile(r"marginline_?(\d{2})$", re.IGNORECASE)
_UPPER = ("upperjaw", "upper", "maxilla", "maxillary", "oberkiefer")
_LOWER = ("lowerjaw", "lower", "mandible", "mandibular", "unterkiefer")
_BITE = ("totaljaw", "bite", "occlusion", "buccal", "antagonist")
_PREOP = ("situ", "preop", "pre-op", "pretreatment")

MARGIN_SUFFIXES = frozenset({".xyz", ".pts"})


def role_from_name(path: str) -> tuple[FileRole, int | None]:
    """``(role, margin tooth)`` for a file name; ``UNKNOWN`` when the name says nothing."""
    stem = PurePosixPath(path).stem.lower()
    margin = _MARGIN.search(stem)
    if margin and teeth.is_valid(int(margin[1])):
        return FileRole.MARGIN, int(margin[1])
    words = re.split(r"[^a-z0-9]+", stem.replace("-", " ").replace("_", " "))
    joined = " ".join(words)
    if any(w in joined for w in _PREOP):
        if _has(joined, _UPPER):
            return FileRole.PREOP_UPPER, None
        if _has(joined, _LOWER):
            return FileRole.PREOP_LOWER, None
    if _has(joined, _BITE):
        return FileRole.BITE, None
    if _has(joined, _UPPER):
        return FileRole.UPPER, None
    if _has(joined, _LOWER):
        return FileRole.LOWER, None
    return FileRole.UNKNOWN, None


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def is_mesh(path: str) -> bool:
    return PurePosixPath(path).suffix.lower().lstrip(".") in MESH_EXTENSIONS
