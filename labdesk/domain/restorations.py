"""Kinds of restoration and which of them cannot share a tooth.

A case's items each name a catalog item whose ``kind`` is one of :class:`RestorationKind`.
Two items that put excluding kinds on the same tooth are the "conflicting tooth selections"
that put cases on hold; :func:`conflicting_teeth` finds them so a reviewer sees the problem
before accepting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from labdesk.domain import teeth


class RestorationKind(StrEnum):
    CROWN = "crown"
    BRIDGE = "bridge"
    VENEER = "veneer"
    INLAY_ONLAY = "inlay_onlay"
    IMPLANT_CROWN = "implant_crown"
    DENTURE = "denture"
    NIGHT_GUARD = "night_guard"
    EXTRACTION = "extraction"


KIND_LABELS: Final[dict[RestorationKind, str]] = {
    RestorationKind.CROWN: "Crown",
    RestorationKind.BRIDGE: "Bridge",
    RestorationKind.VENEER: "Veneer",
    RestorationKind.INLAY_ONLAY: "Inlay / onlay",
    RestorationKind.IMPLANT_CROWN: "Implant crown",
    RestorationKind.DENTURE: "Denture",
    RestorationKind.NIGHT_GUARD: "Night guard",
    RestorationKind.EXTRACTION: "Extraction",
}

_K = RestorationKind
# Fixed restorations that each replace or cover the tooth's crown: one tooth takes one of them.
_FIXED: Final = frozenset({_K.CROWN, _K.BRIDGE, _K.VENEER, _K.INLAY_ONLAY, _K.IMPLANT_CROWN})
# Removable appliances rest on the arch and combine with anything (a denture after an
# extraction is the usual case).
_REMOVABLE: Final = frozenset({_K.DENTURE, _K.NIGHT_GUARD})


def excludes(a: RestorationKind | str, b: RestorationKind | str) -> bool:
    """Whether two kinds on the same tooth contradict each other."""
    first, second = RestorationKind(a), RestorationKind(b)
    if first in _REMOVABLE or second in _REMOVABLE:
        return False
    if _K.EXTRACTION in (first, second):
        # Extracting a tooth and restoring it in the same case contradict; an implant crown
        # goes where a tooth was extracted earlier, not in the same visit.
        return True
    return first in _FIXED and second in _FIXED


@dataclass(frozen=True)
class ToothWork:
    """The part of a case item that matters on a chart: what is made on which teeth."""

    kind: RestorationKind
    teeth: tuple[int, ...]
    pontics: tuple[int, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        for fdi in (*self.teeth, *self.pontics):
            if not teeth.is_valid(fdi):
                raise ValueError(f"{fdi!r} is not an FDI tooth number")


@dataclass(frozen=True)
class ToothConflict:
    fdi: int
    items: tuple[int, ...] = field(default_factory=tuple)  # indexes into the item list
    explanation: str = ""


def conflicting_teeth(items: Sequence[ToothWork]) -> dict[int, ToothConflict]:
    """Teeth that two items claim with kinds that exclude each other, with an explanation."""
    found: dict[int, ToothConflict] = {}
    for i, first in enumerate(items):
        for j in range(i + 1, len(items)):
            second = items[j]
            if not excludes(first.kind, second.kind):
                continue
            for fdi in sorted(set(_all_teeth(first)) & set(_all_teeth(second))):
                names = (_describe(first), _describe(second))
                text = f"tooth {fdi} is in both “{names[0]}” and “{names[1]}”"
                if fdi in found:
                    previous = found[fdi]
                    text = f"{previous.explanation}; {text}"
                    indexes = tuple(sorted({*previous.items, i, j}))
                else:
                    indexes = (i, j)
                found[fdi] = ToothConflict(fdi, indexes, text)
    return found


def _all_teeth(item: ToothWork) -> Iterable[int]:
    return (*item.teeth, *item.pontics)


def _describe(item: ToothWork) -> str:
    return item.label or KIND_LABELS[item.kind]
