"""Issue 13, points 2 and 3 on the case page: QC and shipping leave their record, and the
timeline tells the person's time of a step that reached the portal later.

The real window on the real portal, as the lab admin; the steps are taken on the portal as the
QC manager, shipping and the dentist would, and the open case page follows them by sync.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from labdesk.domain.qc import CHECKLIST
from labdesk.server import routes_actions
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced
from tests.gui.test_lab_day_barcode import burst

TRACKING = "1Z999AA10123456784"


def timeline_texts(window: Any) -> list[list[str]]:
    tree = window.detail.timeline.tree
    return [
        [tree.topLevelItem(r).text(c) for c in range(4)] for r in range(tree.topLevelItemCount())
    ]


def wait_status(qtbot: Any, window: Any, case_id: int, status: str) -> None:
    def shown() -> None:
        view = window.detail.view
        assert view is not None
        assert view.case.id == case_id
        assert view.case.status == status

    window.ws.sync_now()
    qtbot.waitUntil(shown, timeout=WAIT_MS)


def test_qc_and_shipping_show_on_the_case_page(
    qtbot: Any,
    portal: Any,
    portal_api: Any,
    workstation_window: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = portal_api.new_case()
    case_id = case["id"]
    portal_api.advance(case_id, "qc")
    checklist = [
        {"point": p, "passed": p != "contacts", "note": "open contact 14/15" * (p == "contacts")}
        for p, _ in CHECKLIST
    ]
    failed = portal_api.act(
        "qc_manager", case_id, "qc_fail", checklist=checklist, back_to="finishing"
    )
    assert failed.status_code == 200, failed.text
    assert portal_api.act("ceramist", case_id, "send_to_qc").status_code == 200

    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "lab_admin")
    wait_synced(qtbot, window)
    window.inbox.focus_table()
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        burst(qtbot, window.inbox.table, case["number"], 2)
    detail = window.detail
    assert detail.qc_record.isVisible()
    assert not detail.shipment.isVisible()
    summary = detail.qc_record.summary.text()
    assert "Failed" in summary
    assert "5/6 points" in summary
    assert "Henrik Berg" in summary
    assert "Failed: Contacts" in summary
    points = detail.qc_record.points.text()
    assert points.count("✘ fail") == 1
    assert points.count("✔ pass") == 5
    assert "open contact 14/15" in points
    changes = [row[2] for row in timeline_texts(window)]
    assert "QC failed — back to Finishing (5/6 points)" in changes
    assert "QC → QC" not in changes

    # Signed off on a workstation that was offline: it reaches the portal 3 minutes later
    # (the portal's clock moved on; the embedded portal runs in this process).
    taken = datetime.now(UTC).replace(microsecond=0)
    later = taken + timedelta(minutes=3)
    monkeypatch.setattr(routes_actions, "utcnow", lambda: later)
    signed = portal_api.act(
        "qc_manager", case_id, "qc_pass", checklist="all", occurred_at=taken.isoformat()
    )
    assert signed.status_code == 200, signed.text
    shipped = portal_api.act("shipping", case_id, "ship", carrier="UPS", tracking_number=TRACKING)
    assert shipped.status_code == 200, shipped.text
    assert portal_api.act("dentist1", case_id, "deliver").status_code == 200
    wait_status(qtbot, window, case_id, "delivered")

    summary = detail.qc_record.summary.text()
    assert "Signed off" in summary
    assert "6/6 points" in summary
    assert detail.shipment.isVisible()
    assert detail.shipment.carrier.text() == "UPS"
    link = detail.shipment.tracking.text()
    assert f'href="https://www.ups.com/track?tracknum={TRACKING}"' in link
    assert TRACKING in link
    assert "Sam Kowalski" in detail.shipment.shipped.text()
    assert detail.shipment.delivered.text() != "Not yet"
    rows = timeline_texts(window)
    changes = [row[2] for row in rows]
    assert changes[:3] == ["Delivered", f"Shipped — UPS {TRACKING}", "QC signed off — 6/6 points"]
    signed_when = rows[2][0]
    local = taken.astimezone()
    assert signed_when.startswith(local.strftime("%d %b %Y %H:%M"))
    assert " · synced " in signed_when  # reached the portal more than a minute later
    assert " · synced " not in rows[1][0]
