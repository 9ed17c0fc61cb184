"""A believable case to show the action dialogs on, without a portal.

Used by ``scripts/screenshots_dialogs.py`` and the offscreen dialog tests; the dialogs
themselves always work on the cases the portal sent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from labdesk.api.schemas import Case, CaseItem, FileKind, FileMeta, Jaw, Person
from labdesk.domain.lifecycle import Role, Status
from labdesk.domain.restorations import RestorationKind

_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def sample_case(status: Status | str = Status.RECEIVED, **changes: Any) -> Case:
    """A received crown-and-bridge case of a real-looking clinic; ``changes`` override fields."""
    today = date.today()
    files = [
        FileMeta(
            id=101 + i,
            case_id=42,
            kind=FileKind.SCAN,
            jaw=jaw,
            filename=name,
            media_type="model/stl",
            size=size,
            sha256="0" * 64,
            uploaded_at=_AT,
            uploaded_by="dentist1",
        )
        for i, (jaw, name, size) in enumerate(
            [
                (Jaw.UPPER, "upper_jaw.stl", 14_200_000),
                (Jaw.LOWER, "lower_jaw.stl", 13_900_000),
                (Jaw.BITE, "bite.ply", 2_100_000),
            ]
        )
    ]
    data: dict[str, Any] = {
        "id": 42,
        "number": "C-2026-00042",
        "lab_id": 1,
        "clinic_id": 3,
        "clinic_name": "Riverside Dental",
        "dentist_id": 7,
        "dentist_name": "Dr. Amelia Hart",
        "share_patient_name": False,
        "patient_name": None,
        "patient_initials": "J.M.",
        "patient_ref": "RD-1187",
        "items": [
            CaseItem(
                id=1,
                catalog_code="zirc_crown",
                catalog_name="Zirconia crown",
                kind=RestorationKind.CROWN,
                material="Zirconia HT",
                shade="A2",
                teeth=[16],
            ),
            CaseItem(
                id=2,
                catalog_code="emax_bridge",
                catalog_name="E.max bridge",
                kind=RestorationKind.BRIDGE,
                material="Lithium disilicate",
                shade="A1",
                teeth=[13, 12, 11],
                pontics=[12],
                bridge=True,
            ),
        ],
        "instructions": "Light occlusal contact on 16, please.",
        "due_date": today + timedelta(days=6),
        "expected_date": today + timedelta(days=5),
        "status": Status(status),
        "files": files,
        "version": 3,
        "seq": 1200,
        "created_at": _AT,
        "updated_at": _AT,
    }
    data.update(changes)
    return Case.model_validate(data)


def sample_people() -> list[Person]:
    return [
        Person(username="designer", display_name="Dana Designer", roles=[Role.DESIGNER]),
        Person(username="ceramist", display_name="Carlos Ceramist", roles=[Role.CERAMIST]),
        Person(
            username="production_tech",
            display_name="Priya Production",
            roles=[Role.PRODUCTION_TECH],
        ),
        Person(
            username="finishing_tech", display_name="Finn Finishing", roles=[Role.FINISHING_TECH]
        ),
    ]
