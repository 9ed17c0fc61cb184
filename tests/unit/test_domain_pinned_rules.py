"""Domain rules the mutation run (docs/testing.md) found unpinned: what the dentist is told,
the words a person reads when input is refused, business-day arithmetic with holidays, tooth
ranges at the ends of an arch, and conflicts of three items on one tooth."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from labdesk.domain import clearance, due, notices, qc, reasons, restorations
from labdesk.domain import lifecycle as L
from labdesk.domain import teeth as T

MONDAY = date(2026, 3, 2)


def _refusal(call: Callable[[], object]) -> str:
    """The message of the ValueError ``call`` raises."""
    with pytest.raises(ValueError, match=r".") as caught:
        call()
    return str(caught.value)


FDI_RANGES = "(permanent 11-18, 21-28, 31-38, 41-48; primary 51-55, 61-65, 71-75, 81-85)"


def test_rejection_notice_names_case_reason_and_note() -> None:
    notice = notices.rejection("C-1", "A. B.", "Unclear margin", "  see tooth 11  ")
    assert notice.subject == "Case C-1 was rejected"
    assert notice.body == (
        "The lab rejected case C-1 (A. B.): Unclear margin.\n\nNote from the lab: see tooth 11"
        "\n\nCorrect the case and resubmit it in the portal."
    )
    blank = notices.rejection("C-1", "A. B.", "Other", "   ")
    assert blank.body == (
        "The lab rejected case C-1 (A. B.): Other."
        "\n\nCorrect the case and resubmit it in the portal."
    )
    assert notices.rejection("C-1", "A. B.", "Other", None).body == blank.body


def test_hold_notice() -> None:
    notice = notices.hold("C-2", "C. D.", "Missing shade", " Which A-shade? ")
    assert notice.subject == "Case C-2 is on hold"
    assert notice.body == (
        "Case C-2 (C. D.) is on hold: Missing shade. Which A-shade? Please contact the lab."
    )
    plain = "Case C-2 (C. D.) is on hold: Missing shade. Please contact the lab."
    assert notices.hold("C-2", "C. D.", "Missing shade", " ").body == plain
    assert notices.hold("C-2", "C. D.", "Missing shade", None).body == plain


def test_shipped_notice_with_and_without_expected_delivery() -> None:
    notice = notices.shipped("C-3", "E. F.", "DHL", "JD01", date(2026, 3, 5))
    assert notice.subject == "Case C-3 has shipped"
    assert notice.body == (
        "Case C-3 (E. F.) has shipped with DHL, tracking number JD01. "
        "Expected delivery: 2026-03-05."
    )
    assert notices.shipped("C-3", "E. F.", "DHL", "JD01", None).body == (
        "Case C-3 (E. F.) has shipped with DHL, tracking number JD01."
    )


def test_required_clearance_from_the_prescription_else_default() -> None:
    answers = [("Margin", "2 mm chamfer"), ("Occlusal Clearance", "1,5 MM please")]
    assert clearance.required_clearance_mm(answers) == 1.5
    assert clearance.required_clearance_mm([("Occlusal clearance", "0.8mm")]) == 0.8
    assert clearance.required_clearance_mm([("Clearance", "as usual")]) == 1.0
    assert clearance.required_clearance_mm([("Margin", "2 mm")], default=1.2) == 1.2
    assert clearance.required_clearance_mm([]) == clearance.DEFAULT_REQUIRED_MM == 1.0
    two = [("clearance", "none given"), ("Clearance wanted", "2 mm")]
    assert clearance.required_clearance_mm(two) == 2.0


def test_clearance_verdict_words() -> None:
    assert clearance.verdict(1.5, 1.5) == "1.5 mm (needs 1.5 mm): enough room"
    assert clearance.verdict(2.04, 1.0) == "2.0 mm (needs 1.0 mm): enough room"
    assert clearance.verdict(0.6, 1.0) == "0.6 mm (needs 1.0 mm): 0.4 mm short"


def test_qc_checklist_messages() -> None:
    everything = {code: True for code, _ in qc.CHECKLIST}
    qc.check_complete(everything)
    assert (
        _refusal(lambda: qc.check_complete(everything | {"zz": True, "aa": False}))
        == "unknown QC checklist points: aa, zz"
    )
    assert _refusal(
        lambda: qc.check_complete({"fit_and_margins": True, "contacts": True, "occlusion": True})
    ) == (
        "the QC checklist is incomplete: Shade match, Surface and finish, "
        "Cleanliness and packaging not checked"
    )


def test_reason_messages() -> None:
    assert _refusal(lambda: reasons.rejection_reason("nope")) == (
        "unknown rejection reason 'nope'; valid codes: incomplete_prescription, "
        "unreadable_scan, missing_opposing_or_bite, unclear_margin, unsupported_service, "
        "invalid_timeline, insufficient_clearance, other"
    )
    assert _refusal(lambda: reasons.hold_reason("nope")) == (
        "unknown hold reason 'nope'; valid codes: unclear_impression, missing_shade, "
        "conflicting_teeth, awaiting_dentist, payment, other"
    )
    assert _refusal(lambda: reasons.check_rejection(None, None)) == "a rejection needs a reason"


def test_tooth_messages_and_parsing_edges() -> None:
    assert _refusal(lambda: T.parse("19", "fdi")) == f"'19' is not an FDI tooth number {FDI_RANGES}"
    assert (
        _refusal(lambda: T.to_label(19, "fdi")) == f"19 is not a tooth in FDI notation {FDI_RANGES}"
    )
    assert _refusal(lambda: T.parse("URX", "palmer")) == (
        "'URX' is not a Palmer tooth "
        "(quadrant UR, UL, LL or LR followed by 1-8, or A-E for primary teeth)"
    )
    with pytest.raises(ValueError, match=r"^no tooth given \(empty fdi label\)$"):
        T.parse(5, "fdi")  # type: ignore[arg-type]
    assert _refusal(lambda: T.teeth_between(13, 33)) == (
        "teeth 13 and 33 are not in the same arch and dentition; a range follows one arch"
    )
    assert T.parse(" 1 1 ", "fdi") == 11
    assert T.parse("08", "universal") == T.parse("8", "universal")
    assert T.parse("ulc", "palmer") == 63
    assert T.tooth_type(12) is T.ToothType.INCISOR
    assert T.tooth_type(13) is T.ToothType.CANINE
    assert T.arch_sequence(75) == (85, 84, 83, 82, 81, 71, 72, 73, 74, 75)


def test_ranges_reach_both_ends_of_the_arch() -> None:
    assert T.teeth_between(28, 17) == [28, 27, 26, 25, 24, 23, 22, 21, 11, 12, 13, 14, 15, 16, 17]
    assert T.teeth_between(28, 18)[-1] == 18
    assert T.teeth_between(11, 11) == [11]
    assert T.format_teeth([27, 28], "fdi") == "27-28"
    assert T.format_teeth([38, 27, 28], "fdi") == "27-28, 38"
    assert T.format_teeth([18, 17, 16], "fdi") == "18-16"


def test_business_days_with_holidays() -> None:
    wednesday = date(2026, 3, 4)
    assert due.add_business_days(MONDAY, 3) == date(2026, 3, 5)
    assert due.add_business_days(MONDAY, 3, {wednesday}) == date(2026, 3, 6)
    assert due.add_business_days(MONDAY, 5) == date(2026, 3, 9)  # over the weekend
    with pytest.raises(ValueError, match=r"^turnaround cannot be negative$"):
        due.add_business_days(MONDAY, -1)
    assert due.business_days_between(MONDAY, MONDAY) == 0
    assert due.business_days_between(MONDAY, date(2026, 3, 6)) == 4
    assert due.business_days_between(MONDAY, date(2026, 3, 6), {wednesday}) == 3
    assert due.business_days_between(date(2026, 3, 6), MONDAY, {wednesday}) == -3
    assert due.due_date(MONDAY, 5, rush=True) == date(2026, 3, 4)  # 5 // 2 = 2 days
    assert due.due_date(MONDAY, 3, {wednesday}) == date(2026, 3, 6)
    friday = date(2026, 3, 6)
    assert due.classify(friday, MONDAY, soon_days=3) is due.DueState.LATER
    assert due.classify(friday, MONDAY, {wednesday}, soon_days=3) is due.DueState.SOON


def test_three_items_on_one_tooth_are_one_conflict() -> None:
    k = restorations.RestorationKind
    items = [
        restorations.ToothWork(k.CROWN, (11,)),
        restorations.ToothWork(k.DENTURE, (11,)),
        restorations.ToothWork(k.VENEER, (11, 12), label="Veneers"),
        restorations.ToothWork(k.INLAY_ONLAY, (11,)),
    ]
    found = restorations.conflicting_teeth(items)
    assert set(found) == {11}
    conflict = found[11]
    assert conflict.fdi == 11
    assert conflict.items == (0, 2, 3)
    crown = restorations.KIND_LABELS[k.CROWN]
    inlay = restorations.KIND_LABELS[k.INLAY_ONLAY]
    assert conflict.explanation == (
        f"tooth 11 is in both “{crown}” and “Veneers”; "
        f"tooth 11 is in both “{crown}” and “{inlay}”; "
        f"tooth 11 is in both “Veneers” and “{inlay}”"
    )


def test_lifecycle_lists_in_messages() -> None:
    assert L.why_not("rejected", "hold", {"lab_admin"}) == (
        "“Put on hold” is not possible while the case is in “Rejected” "
        "(only from: design, finishing, invoicing, production, qc, received)"
    )
    assert L.why_not("rejected", "submit", {"dentist"}) == (
        "“Submit” is not possible while the case is in “Rejected” (only from: new)"
    )
    assert L.why_not("finishing", "send_to_qc", {"designer"}) == (
        "only ceramists, finishing techs and lab admins may send cases to QC"
    )
    with pytest.raises(L.TransitionError) as resume:
        L.apply("on_hold", "resume", {"lab_admin"})
    assert str(resume.value) == (
        "this case cannot be resumed: the status it was in before the hold is unknown"
    )
