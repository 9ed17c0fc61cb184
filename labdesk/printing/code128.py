"""Code 128, the symbology lab floors and USB scanners read: a case number as bar modules.

The symbol table and the checksum come from ``python-barcode`` (one well-tested source rather
than a second copy of the 107 patterns here); this module only turns its output into runs of
bars a painter can fill.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from barcode.codex import Code128

QUIET_ZONE_MODULES: Final = 10  # the blank margin each side that a scanner needs


@dataclass(frozen=True)
class Bars:
    """The barcode as ``(start, width)`` runs of black, in modules, and its total width."""

    runs: tuple[tuple[int, int], ...]
    modules: int  # the symbol's width in modules, quiet zones excluded


def encode(text: str) -> Bars:
    """The bars of ``text`` (printable ASCII) as Code 128, with its check symbol."""
    if not text or not all(32 <= ord(ch) < 127 for ch in text):
        raise ValueError(f"Code 128 on a ticket carries printable ASCII only, not {text!r}")
    pattern = "".join(Code128(text).build())
    runs: list[tuple[int, int]] = []
    start = -1
    for index, bit in enumerate(pattern + "0"):
        if bit == "1" and start < 0:
            start = index
        elif bit != "1" and start >= 0:
            runs.append((start, index - start))
            start = -1
    return Bars(tuple(runs), len(pattern))
