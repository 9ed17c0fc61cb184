"""From the scan review to the portal: a preparation short of clearance, the viewer's "Reject:
insufficient clearance…", the reject dialog prefilled with that reason and the figures, and the
rejection recorded on the real portal with the new reason code.

Offscreen: the viewer reports no OpenGL, its scan check still measures (no snapshot then).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from labdesk.api.schemas import FileMeta
from labdesk.domain.lifecycle import Status
from labdesk.gui.dialogs.reject_dialog import RejectDialog
from labdesk.mesh.synthetic import generate_pair, write_binary_stl
from tests.gui.conftest import action_dialog
from tests.gui.test_window_actions import (
    open_by_number,
    signed_in_window,
    wait_portal,
    wait_rows,
)

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


def _meta(file_id: int, case_id: int, jaw: str, path: Path) -> FileMeta:
    return FileMeta.model_validate(
        {
            "id": file_id,
            "case_id": case_id,
            "kind": "scan",
            "jaw": jaw,
            "filename": path.name,
            "media_type": "model/stl",
            "size": path.stat().st_size,
            "sha256": "0" * 64,
            "uploaded_at": datetime.now(UTC),
            "uploaded_by": "dentist1",
        }
    )


def test_a_short_preparation_is_rejected_with_the_prefilled_reason(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any, tmp_path: Path
) -> None:
    _reject_from_the_viewer(qtbot, portal, portal_api, workstation_window, tmp_path)


@pytest.mark.gl
def test_the_prefilled_rejection_carries_a_snapshot_of_the_map(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any, tmp_path: Path
) -> None:
    dialog_attachments = _reject_from_the_viewer(
        qtbot, portal, portal_api, workstation_window, tmp_path
    )
    assert [a.filename for a in dialog_attachments] == ["clearance-map.png"]


def _reject_from_the_viewer(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any, tmp_path: Path
) -> list[Any]:
    """Open a short pair in the case page, click the viewer's reject button, send the
    prefilled rejection; the dialog's attachments are returned."""
    created = portal_api.new_case(
        patient_name="Clara Clearance",
        items=[{"catalog_code": "ZR-CROWN", "shade": "A2", "teeth": [36]}],
    )
    upper, lower = generate_pair(triangles=40_000, prepared={36: 0.6})
    paths = {"upper": tmp_path / "upper.stl", "lower": tmp_path / "lower.stl"}
    write_binary_stl(paths["upper"], upper)
    write_binary_stl(paths["lower"], lower)

    window = signed_in_window(qtbot, workstation_window, portal.url, "reviewer")
    wait_rows(qtbot, window, [created["id"]], Status.RECEIVED)
    open_by_number(qtbot, window, created["number"])
    detail = window.detail
    metas = [_meta(n, created["id"], jaw, path) for n, (jaw, path) in enumerate(paths.items())]
    detail.show_scans([str(p) for p in paths.values()], metas)
    viewer = detail._scan_view
    qtbot.waitUntil(lambda: not viewer.is_loading(), timeout=60_000)
    with qtbot.waitSignal(viewer.clearance.review_ready, timeout=60_000):
        viewer.clearance.set_active(True)
    assert "36: " in viewer.clearance.box.text()  # the case's tooth, told by the case page
    button = viewer.clearance.box.reject_button
    assert button.isVisibleTo(viewer)

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog: RejectDialog = action_dialog(qtbot, window, RejectDialog)
    assert dialog.reason_code() == "insufficient_clearance"
    assert dialog.reason_label() == "Insufficient occlusal clearance"
    note = dialog.note()
    assert "36: " in note
    assert "(needs 1.0 mm)" in note
    assert dialog.ok.isEnabled()
    attachments = list(dialog.attachments)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    server = wait_portal(qtbot, portal_api, created["id"], "rejected")
    last = server["history"][-1]
    assert (last["action"], last["reason_code"]) == ("reject", "insufficient_clearance")
    assert last["note"] == note
    return attachments
