from __future__ import annotations

from datetime import date

import pytest

from labdesk.domain import due, qc, reasons
from labdesk.domain.restorations import RestorationKind as K
from labdesk.domain.restorations import ToothWork, conflicting_teeth, excludes

FRI = date(2026, 11, 20)
MON = date(2026, 11, 23)


def test_business_days_skip_weekends_and_holidays():
    assert due.add_business_days(FRI, 1) == MON
    assert due.add_business_days(FRI, 5) == date(2026, 11, 27)
    assert due.add_business_days(FRI, 5, holidays={date(2026, 11, 26)}) == date(2026, 11, 30)
    assert due.add_business_days(FRI, 0) == FRI
    assert due.business_days_between(FRI, MON) == 1
    assert due.business_days_between(MON, FRI) == -1
    with pytest.raises(ValueError, match="negative"):
        due.add_business_days(FRI, -1)


def test_rush_halves_turnaround():
    assert due.due_date(FRI, 6) == date(2026, 11, 30)
    assert due.due_date(FRI, 6, rush=True) == date(2026, 11, 25)
    assert due.due_date(FRI, 1, rush=True) == MON


@pytest.mark.parametrize(
    ("due_on", "state"),
    [
        (None, due.DueState.NONE),
        (date(2026, 11, 19), due.DueState.OVERDUE),
        (FRI, due.DueState.TODAY),
        (MON, due.DueState.SOON),
        (date(2026, 11, 24), due.DueState.SOON),
        (date(2026, 11, 25), due.DueState.LATER),
    ],
)
def test_classify(due_on, state):
    assert due.classify(due_on, FRI) is state


def test_rejection_reasons_have_stable_codes_and_other_needs_a_note():
    codes = [r.code for r in reasons.REJECTION_REASONS]
    assert codes == [
        "incomplete_prescription", "unreadable_scan", "missing_opposing_or_bite",
        "unclear_margin", "unsupported_service", "invalid_timeline", "insufficient_clearance",
        "other",
    ]  # fmt: skip
    assert reasons.check_rejection("unclear_margin", None).label == "Unclear margin"
    clearance = reasons.check_rejection("insufficient_clearance", None)
    assert clearance.label == "Insufficient occlusal clearance"
    with pytest.raises(ValueError, match="needs a note"):
        reasons.check_rejection("other", "  ")
    with pytest.raises(ValueError, match="needs a reason"):
        reasons.check_rejection(None, "x")
    with pytest.raises(ValueError, match="valid codes"):
        reasons.check_rejection("bad", "x")
    assert reasons.hold_reason("missing_shade").label == "Missing shade information"


def test_qc_checklist():
    points = {code: True for code, _ in qc.CHECKLIST}
    qc.check_complete(points)
    points["occlusion"] = False
    assert qc.failed_points(points) == ["Occlusion"]
    with pytest.raises(ValueError, match="incomplete"):
        qc.check_complete({"contacts": True})


def test_conflicting_tooth_selections():
    items = [
        ToothWork(K.CROWN, (16,)),
        ToothWork(K.EXTRACTION, (16, 17)),
        ToothWork(K.DENTURE, (16, 17, 18)),
        ToothWork(K.BRIDGE, (24, 25, 26), pontics=(25,)),
    ]
    found = conflicting_teeth(items)
    assert set(found) == {16}
    assert found[16].items == (0, 1)
    assert "Crown" in found[16].explanation
    assert "Extraction" in found[16].explanation
    assert excludes(K.CROWN, K.VENEER)
    assert not excludes(K.DENTURE, K.EXTRACTION)
    with pytest.raises(ValueError, match="FDI"):
        ToothWork(K.CROWN, (19,))
