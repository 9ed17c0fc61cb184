"""How much occlusal room a restoration needs: what the prescription asks, else the lab's
default. The scan review compares the measured clearance of each prepared tooth with it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

DEFAULT_REQUIRED_MM: Final = 1.0
_MM = re.compile(r"(\d+(?:[.,]\d+)?)\s*mm\b", re.IGNORECASE)


def required_clearance_mm(
    answers: Iterable[tuple[str, str]], default: float = DEFAULT_REQUIRED_MM
) -> float:
    """The clearance the prescription states ("Occlusal clearance: 1.5 mm"), else ``default``."""
    for question, answer in answers:
        if "clearance" not in question.lower():
            continue
        found = _MM.search(answer)
        if found:
            return float(found.group(1).replace(",", "."))
    return default


def verdict(measured_mm: float, required_mm: float) -> str:
    """A sentence for the scan check: enough room, or how much is missing."""
    if measured_mm >= required_mm:
        return f"{measured_mm:.1f} mm (needs {required_mm:.1f} mm): enough room"
    short = required_mm - measured_mm
    return f"{measured_mm:.1f} mm (needs {required_mm:.1f} mm): {short:.1f} mm short"
