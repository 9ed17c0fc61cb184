"""The action dialogs driven against the real portal on 127.0.0.1, through the real workstation
facade and its outbox: what the person does in the dialog, and what reached the portal."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from labdesk.api.schemas import Case
from labdesk.client import offers as action_offers
from labdesk.client.bulk import BulkResult
from labdesk.config import Settings
from labdesk.domain.lifecycle import Action, Status
from labdesk.gui.dialogs.bulk_dialog import BulkDialog
from labdesk.gui.dialogs.conflict_dialog import Choice, ConflictDialog
from labdesk.gui.dialogs.qc_dialog import QcDialog
from labdesk.gui.dialogs.reject_dialog import RejectDialog
from labdesk.gui.dialogs.run_action import ActionFlow, resolve_conflicts, run_action, run_bulk
from labdesk.gui.dialogs.ship_dialog import ShipDialog
from labdesk.gui.dialogs.step_dialog import StepDialog
from labdesk.services.workstation import Workstation
from tests.gui.dialog_helpers import attach_file

WAIT_MS = 30_000


class Desk:
    """Signs workstations in against a portal and shuts them down after the test."""

    def __init__(self, qtbot: QtBot, root: Path) -> None:
        self.qtbot = qtbot
        self.root = root
        self.opened: list[Workstation] = []

    def sign_in(self, url: str, username: str, *, live_feed: bool = True) -> Workstation:
        home = self.root / f"{username}-{len(self.opened)}"
        settings = Settings(server_url=url, cache_dir=str(home / "cache"), sync_interval_s=3600)
        ws = Workstation(settings, save_settings=False, live_feed=live_feed)
        self.opened.append(ws)
        errors: list[BaseException] = []
        ws.sign_in(url, username, "demo", remember=False, on_error=errors.append)
        self.qtbot.waitUntil(
            lambda: bool(errors) or (ws.status.online is True and ws.status.last_sync is not None),
            timeout=WAIT_MS,
        )
        assert not errors, errors
        return ws

    def view(self, ws: Workstation, case_id: int) -> Any:
        """The workstation's view of the case (``CaseView``), or the error it answered."""
        box: dict[str, Any] = {}
        ws.open_case(case_id, lambda v: box.update(v=v), lambda e: box.update(v=e))
        self.qtbot.waitUntil(lambda: "v" in box, timeout=WAIT_MS)
        return box["v"]

    def case(self, ws: Workstation, case_id: int, status: Status | None = None) -> Case:
        """The case as the workstation shows it, once a sync brought it (in ``status``)."""
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            view = self.view(ws, case_id)
            cached = getattr(view, "from_cache", False)
            if cached and (status is None or view.case.status is status):
                case: Case = view.case
                return case
            assert time.monotonic() < deadline, f"case {case_id} did not arrive: {view}"
            ws.sync_now()
            self.qtbot.wait(300)

    def close(self) -> None:
        for ws in self.opened:
            ws.shutdown()
        self.opened.clear()


@pytest.fixture
def desk(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    monkeypatch.setenv("LABDESK_HOME", str(tmp_path / "home"))
    desk = Desk(qtbot, tmp_path)
    yield desk
    desk.close()
    for widget in QApplication.topLevelWidgets():
        widget.close()


def wait_dialog(qtbot: QtBot, flow: ActionFlow) -> Any:
    qtbot.waitUntil(lambda: flow.dialog is not None and flow.dialog.isVisible(), timeout=WAIT_MS)
    return flow.dialog


def wait_server(
    qtbot: QtBot, api: Any, case_id: int, check: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []

    def ask() -> bool:
        seen.append(api.get("lab_admin", case_id))
        return check(seen[-1])

    qtbot.waitUntil(ask, timeout=WAIT_MS)
    return seen[-1]


def jpeg_with_exif(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS R5"  # Model
    exif[0x0132] = "2026:03:01 10:22:01"  # DateTime
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 170, 150)).save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


# --- reject ---------------------------------------------------------------------------------


def test_reviewer_rejects_with_a_reason_a_note_and_a_photo_without_exif(
    qtbot: QtBot, desk: Desk, portal: Any, portal_api: Any, tmp_path: Path
) -> None:
    created = portal_api.new_case()
    ws = desk.sign_in(portal.url, "reviewer")
    case = desk.case(ws, created["id"], Status.RECEIVED)

    flow = run_action(None, ws, case, Action.REJECT)
    dialog: RejectDialog = wait_dialog(qtbot, flow)
    assert [r.code for r in dialog.reasons][-1] == "other"  # the portal's catalog
    assert not dialog.ok.isEnabled()  # no reason yet
    dialog.select_reason("other")
    assert not dialog.ok.isEnabled()  # "other" needs a note
    note = "The prescription asks for a denture but the scans show a crown prep on 11."
    qtbot.keyClicks(dialog.ui.noteEdit, note)
    assert dialog.ok.isEnabled()
    assert attach_file(qtbot, dialog, jpeg_with_exif(tmp_path / "prep-11.jpg"))
    preview = dialog.ui.previewEdit.toPlainText()

    dialog.ok.click()  # uploads the photo, then queues the rejection
    qtbot.waitUntil(lambda: flow.ended, timeout=WAIT_MS)
    assert flow.outcome is not None

    server = wait_server(qtbot, portal_api, case.id, lambda c: c["status"] == "rejected")
    last = server["history"][-1]
    assert last["action"] == "reject"
    assert last["reason_code"] == "other"
    assert last["note"] == note
    assert len(last["attachment_ids"]) == 1
    stored = portal_api.as_("reviewer").get(f"/files/{last['attachment_ids'][0]}")
    assert stored.status_code == 200
    with Image.open(io.BytesIO(stored.content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Canon" not in stored.content

    # The preview is what the clinic reads: both sides word it with labdesk.domain.notices.
    from sqlalchemy import select

    from labdesk.server import models

    with portal.app.state.portal.db.read_session() as session:
        sent = session.execute(
            select(models.Notification).where(
                models.Notification.case_id == case.id, models.Notification.channel == "email"
            )
        ).scalars().all()  # fmt: skip
        message = [(n.subject, n.body) for n in sent][-1]
    assert preview.startswith(f"Subject: {message[0]}\n\n{message[1]}")


def test_reject_is_impossible_without_a_reason(
    qtbot: QtBot, desk: Desk, portal: Any, portal_api: Any
) -> None:
    created = portal_api.new_case()
    ws = desk.sign_in(portal.url, "reviewer")
    case = desk.case(ws, created["id"], Status.RECEIVED)
    flow = run_action(None, ws, case, Action.REJECT)
    dialog: RejectDialog = wait_dialog(qtbot, flow)
    dialog.ok.click()  # disabled: nothing happens
    qtbot.keyClicks(dialog.ui.noteEdit, "No reason chosen")
    assert not dialog.ok.isEnabled()
    assert dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: flow.ended)
    assert flow.outcome is None
    assert portal_api.get("lab_admin", case.id)["status"] == "received"


# --- who sees what ---------------------------------------------------------------------------


def test_a_ceramist_sees_no_accept(qtbot: QtBot, desk: Desk, portal: Any, portal_api: Any) -> None:
    created = portal_api.new_case()
    ws = desk.sign_in(portal.url, "ceramist")
    case = desk.case(ws, created["id"], Status.RECEIVED)
    offers = action_offers.offers(case, ws.roles)
    assert Action.ACCEPT not in offers.commands
    assert Action.REJECT not in offers.commands
    why = {u.command: u.reason for u in offers.unavailable}
    assert why[Action.ACCEPT] == "Only lab admins and reviewers may accept cases."

    flow = run_action(None, ws, case, Action.ACCEPT)  # e.g. a stray shortcut
    assert flow.ended
    assert flow.dialog is None
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("reviewers" in box.text() for box in boxes)
    assert portal_api.get("lab_admin", case.id)["status"] == "received"


# --- QC and shipping -------------------------------------------------------------------------


def test_qc_fail_sends_the_case_back_to_finishing_with_the_failed_points(
    qtbot: QtBot, desk: Desk, portal: Any, portal_api: Any
) -> None:
    created = portal_api.new_case()
    portal_api.advance(created["id"], "qc")
    ws = desk.sign_in(portal.url, "qc_manager")
    case = desk.case(ws, created["id"], Status.QC)

    flow = run_action(None, ws, case, Action.QC_PASS)
    dialog: QcDialog = wait_dialog(qtbot, flow)
    dialog.ui.allPassButton.click()
    dialog.row("contacts").failed.click()
    qtbot.keyClicks(dialog.row("contacts").note, "open contact distal 16")
    dialog.row("surface_and_finish").failed.click()
    assert not dialog.ok.isEnabled()
    dialog.ui.backToFinishing.click()
    dialog.ok.click()
    qtbot.waitUntil(lambda: flow.ended, timeout=WAIT_MS)

    server = wait_server(qtbot, portal_api, case.id, lambda c: c["status"] == "finishing")
    last = server["history"][-1]
    assert last["action"] == "qc_fail"
    assert last["to_status"] == "finishing"
    assert "Contacts (open contact distal 16)" in last["reason"]
    assert "Surface and finish" in last["reason"]
    assert server["signed_off"] is False


def test_ship_refuses_an_empty_tracking_number(
    qtbot: QtBot, desk: Desk, portal: Any, portal_api: Any
) -> None:
    created = portal_api.new_case()
    portal_api.advance(created["id"], "signed_off")
    ws = desk.sign_in(portal.url, "shipping")
    case = desk.case(ws, created["id"], Status.QC)
    assert case.signed_off

    flow = run_action(None, ws, case, Action.SHIP)
    dialog: ShipDialog = wait_dialog(qtbot, flow)
    dialog.set_carrier("DHL Express")
    assert not dialog.ok.isEnabled()
    assert dialog.ui.problemLabel.text() == "Ship needs a tracking number."
    dialog.ok.click()
    assert dialog.isVisible()
    assert not flow.ended
    qtbot.keyClicks(dialog.ui.trackingEdit, "JD014600006281234567")
    dialog.ok.click()
    qtbot.waitUntil(lambda: flow.ended, timeout=WAIT_MS)
    server = wait_server(qtbot, portal_api, case.id, lambda c: c["status"] == "shipped")
    assert server["tracking"]["carrier"] == "DHL Express"
    assert server["tracking"]["tracking_number"] == "JD014600006281234567"


# --- bulk ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_bulk_move_of_20_cases_with_2_changed_elsewhere(
    qtbot: QtBot, desk: Desk, portal: Any, portal_api: Any
) -> None:
    ids = []
    for _ in range(20):
        created = portal_api.new_case()
        portal_api.advance(created["id"], "finishing")
        ids.append(created["id"])
    # Without the live feed: the workstation must not hear of the two changes below before
    # the bulk goes out (with it, the changed cases arrive within ~0.1 s and the bulk is
    # queued on their new versions — no conflict to show).
    ws = desk.sign_in(portal.url, "ceramist", live_feed=False)
    cases = [desk.case(ws, case_id, Status.FINISHING) for case_id in ids]

    # Another client changes two of the cases after this workstation last saw them.
    other = portal_api.as_("lab_admin")
    for case_id in ids[3], ids[11]:
        version = portal_api.get("lab_admin", case_id)["version"]
        response = other.patch(
            f"/cases/{case_id}", json={"memo": "tray moved"}, headers={"If-Match": str(version)}
        )
        assert response.status_code == 200, response.text

    flow = run_bulk(None, ws, cases, Action.SEND_TO_QC)
    dialog: BulkDialog = wait_dialog(qtbot, flow)
    assert dialog.ok.text() == "&Apply to 20 cases"
    dialog.ok.click()
    qtbot.waitUntil(lambda: flow.ended, timeout=60_000)
    result: BulkResult = flow.outcome
    assert (result.done, result.conflicts, result.refused) == (18, 2, 0), result.rows()
    conflicted = {o.case_id for o in result.rows() if o.outcome == "conflict"}
    assert conflicted == {ids[3], ids[11]}
    assert flow.result_dialog is not None
    summary = flow.result_dialog.ui.summaryLabel.text()
    assert "18 done" in summary
    assert "2 conflicts" in summary
    statuses = [portal_api.get("lab_admin", case_id)["status"] for case_id in ids]
    assert statuses.count("qc") == 18
    qtbot.waitUntil(lambda: ws.status.conflicts == 2, timeout=WAIT_MS)

    # Needs attention: each conflict shows both sides; the person applies it again.
    resolving = resolve_conflicts(None, ws)
    for _ in range(2):
        qtbot.waitUntil(
            lambda: isinstance(resolving.dialog, ConflictDialog) and resolving.dialog.isVisible(),
            timeout=WAIT_MS,
        )
        conflict: ConflictDialog = resolving.dialog
        assert "tray moved" not in conflict.ui.mineLabel.text()
        assert "Finishing" in conflict.ui.theirsLabel.text()
        assert conflict.ui.applyAgainButton.isEnabled()
        conflict.ui.applyAgainButton.click()
    qtbot.waitUntil(lambda: resolving.ended, timeout=WAIT_MS)
    assert [choice for _id, choice in resolving.outcome] == [Choice.APPLY_AGAIN] * 2
    for case_id in ids[3], ids[11]:
        server = wait_server(qtbot, portal_api, case_id, lambda c: c["status"] == "qc")
        assert [h["action"] for h in server["history"]].count("send_to_qc") == 1


# --- offline ---------------------------------------------------------------------------------


class OfflinePortal:
    """A portal of its own that a test can take away and bring back (same port, same data)."""

    def __init__(self, data_dir: Path) -> None:
        from labdesk.server.demo import seed_demo
        from labdesk.server.embedded import start_portal
        from labdesk.server.settings import ServerSettings
        from tests.conftest import PortalApi

        self._start = start_portal
        self.settings = ServerSettings(data_dir=data_dir, demo=True)
        seed_demo(self.settings, scans=False)
        self.running = start_portal(self.settings)
        self.url = self.running.url
        self.api = PortalApi(self.running)

    def gone(self) -> None:
        self.running.stop()

    def back(self) -> None:
        self.running = self._start(self.settings, port=self.running.port)
        self.api.running = self.running

    def close(self) -> None:
        self.api.close()
        self.running.stop()


def sync_until_sent(qtbot: QtBot, ws: Workstation) -> None:
    """Sync until the outbox is empty, then once more so the portal's answer is cached."""
    ws.sync_now()
    qtbot.waitUntil(lambda: ws.status.online is True and ws.status.pending == 0, timeout=60_000)
    ws.sync_now()
    time.sleep(0.3)


@pytest.fixture
def offline_portal(tmp_path: Path) -> Iterator[OfflinePortal]:
    portal = OfflinePortal(tmp_path / "portal")
    yield portal
    portal.close()


@pytest.mark.slow
def test_an_action_taken_offline_lands_once_when_the_portal_returns(
    qtbot: QtBot, desk: Desk, tmp_path: Path, offline_portal: OfflinePortal
) -> None:
    api, url = offline_portal.api, offline_portal.url
    created = api.new_case()
    api.advance(created["id"], "finishing")
    ws = desk.sign_in(url, "ceramist")
    case = desk.case(ws, created["id"], Status.FINISHING)

    offline_portal.gone()  # the network is gone
    flow = run_action(None, ws, case, Action.SEND_TO_QC)
    dialog: StepDialog = wait_dialog(qtbot, flow)
    qtbot.keyClicks(dialog.ui.noteEdit, "tray 7")
    dialog.ok.click()
    qtbot.waitUntil(lambda: flow.ended)
    qtbot.waitUntil(lambda: ws.status.online is False and ws.status.pending == 1, timeout=WAIT_MS)
    shown = desk.case(ws, case.id)
    assert shown.status is Status.QC  # shown at once, pending

    offline_portal.back()  # the network is back
    sync_until_sent(qtbot, ws)
    history = api.get("lab_admin", case.id)["history"]
    sent = [h for h in history if h["action"] == "send_to_qc"]
    assert len(sent) == 1
    assert sent[0]["note"] == "tray 7"
    assert api.get("lab_admin", case.id)["status"] == "qc"


@pytest.mark.slow
def test_a_rejection_with_a_photo_taken_offline_lands_once_with_the_photo(
    qtbot: QtBot, desk: Desk, tmp_path: Path, offline_portal: OfflinePortal
) -> None:
    api, url = offline_portal.api, offline_portal.url
    created = api.new_case()
    ws = desk.sign_in(url, "reviewer")
    case = desk.case(ws, created["id"], Status.RECEIVED)

    offline_portal.gone()  # the network is gone
    flow = run_action(None, ws, case, Action.REJECT)
    dialog: RejectDialog = wait_dialog(qtbot, flow)
    dialog.select_reason("unclear_margin")
    qtbot.keyClicks(dialog.ui.noteEdit, "distal 36")
    assert dialog.ui.addFileButton.isEnabled()  # no connection needed
    assert attach_file(qtbot, dialog, jpeg_with_exif(tmp_path / "margin-36.jpg"))
    dialog.ok.click()  # closes at once: the photo waits in the outbox with the rejection
    qtbot.waitUntil(lambda: flow.ended, timeout=WAIT_MS)
    assert flow.outcome is not None
    qtbot.waitUntil(lambda: ws.status.online is False and ws.status.pending == 1, timeout=WAIT_MS)
    view = desk.view(ws, case.id)
    assert view.pending
    assert view.case.status is Status.REJECTED  # shown at once, pending

    offline_portal.back()  # the network is back
    sync_until_sent(qtbot, ws)
    server = api.get("lab_admin", case.id)
    assert server["status"] == "rejected"
    rejects = [h for h in server["history"] if h["action"] == "reject"]
    assert len(rejects) == 1
    assert rejects[0]["reason_code"] == "unclear_margin"
    assert rejects[0]["note"] == "distal 36"
    assert len(rejects[0]["attachment_ids"]) == 1
    stored = api.as_("reviewer").get(f"/files/{rejects[0]['attachment_ids'][0]}")
    assert stored.status_code == 200
    with Image.open(io.BytesIO(stored.content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Canon" not in stored.content
    assert not desk.view(ws, case.id).pending
