"""Intake in the real window on the real portal: a dropped iTero zip → preview → Create → the
case on the portal; the same zip again → "already imported" and Open; a broken zip → a
message and no case; a new export in the watched folder opens its preview."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from labdesk.api.client import PortalClient
from labdesk.api.tokens import TokenStore
from labdesk.gui.dialogs.intake_dialog import IntakeDialog
from labdesk.mesh.synthetic import generate_arch, write_binary_stl
from tests import intake_fixtures as fx
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced


def drop_on(window: Any, path: Path) -> IntakeDialog:
    """Drag ``path`` onto the window the way a file manager does; the preview it opened."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(200, 200), action, mime, buttons, mods)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    opened: list[IntakeDialog] = []
    window.intake.dialog_opened.connect(opened.append)
    QApplication.sendEvent(window, QDropEvent(QPointF(200, 200), action, mime, buttons, mods))
    window.intake.dialog_opened.disconnect(opened.append)
    (dialog,) = opened
    return dialog


def wait_read(qtbot: Any, dialog: IntakeDialog) -> None:
    qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.read_error), timeout=WAIT_MS)


def itero_zip(tmp_path: Path, order: str, name: str = "export") -> Path:
    folder = fx.write_itero(tmp_path / name, order=order, versions=("2.4", "5.0"))
    return fx.zip_folder(folder, tmp_path / f"{name}.zip")


def portal_client(portal: Any) -> PortalClient:
    client = PortalClient(portal.url, TokenStore(), retries=1)
    client.login("lab_admin", "demo")
    return client


def cursor(client: PortalClient) -> int:
    since = 0
    while True:
        page = client.list_cases(since=since)
        since = page.next_since
        if not page.has_more:
            return since


def test_dropped_itero_zip_becomes_a_case_and_a_second_drop_says_already_imported(
    qtbot: Any, portal: Any, workstation_window: Any, tmp_path: Path
) -> None:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    number = str(uuid.uuid4().int)[:9]
    package = itero_zip(tmp_path, number)

    dialog = drop_on(window, package)
    wait_read(qtbot, dialog)
    ui = dialog.ui
    assert ui.headline.text() == f"Import iTero order {number}"
    assert ui.patientLabel.text().startswith("Testperson, Alma")
    assert ui.dentistCombo.currentText().startswith("Dr. Emma Lindqvist — ")
    assert "licence number" in ui.dentistNote.text()
    assert ui.clinicLabel.text().startswith("Riverside Family Dentistry")
    assert "18 Dec 2026" in ui.dueLabel.text()
    assert {w.teeth for w in dialog.chart.work()} == {(15, 14, 13), (36,)}
    files = {
        ui.scanList.topLevelItem(i).text(0): ui.scanList.topLevelItem(i).text(1)
        for i in range(ui.scanList.topLevelItemCount())
    }
    assert files[f"iTero_Export_#{number}_u.stl"] == "Upper jaw"
    assert files[f"iTero_Export_#{number}_l.stl"] == "Lower jaw"
    assert files[f"iTero_Export_#{number}_margin_19.pts"] == "Margin line 36"
    assert ui.scanList.topLevelItem(0).text(2).startswith("OK · ")
    assert "OpenGL" in ui.viewerNote.text()  # offscreen: the list is the check
    assert dialog.create_button.isEnabled(), ui.blockersLabel.text()

    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS) as shown:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.created is not None
    case_id = shown.args[0]
    assert case_id == dialog.created.id
    assert window.detail.view.case.number == dialog.created.number

    client = portal_client(portal)
    try:
        case = client.get_case(case_id)
        assert case.patient_name == "Testperson, Alma"
        assert case.due_date == fx.DUE
        assert sorted(tuple(i.teeth) for i in case.items) == [(15, 14, 13), (36,)]
        jaws = sorted(f.jaw.value for f in case.files if f.jaw is not None)
        assert jaws == ["lower", "upper"]
        assert case.history[0].note == f"imported from iTero order {number}"

        # The same order again (another download of it): refused, and Open opens the first.
        again = drop_on(window, itero_zip(tmp_path, number, name="again"))
        wait_read(qtbot, again)
        assert again.create_button.isEnabled()
        qtbot.mouseClick(again.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: again.ui.alreadyRow.isVisible(), timeout=WAIT_MS)
        assert f"already imported as {case.number}" in again.ui.alreadyLabel.text()
        assert not again.create_button.isEnabled()
        window.on_back_triggered()
        with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS) as reopened:
            qtbot.mouseClick(again.ui.openButton, Qt.MouseButton.LeftButton)
        assert reopened.args == [case_id]

        # A zip cut short while downloading: said so, nothing to create, nothing created.
        before = cursor(client)
        whole = itero_zip(tmp_path, str(uuid.uuid4().int)[:9], name="broken").read_bytes()
        broken = tmp_path / "broken-cut.zip"
        broken.write_bytes(whole[: len(whole) // 2])
        refused = drop_on(window, broken)
        wait_read(qtbot, refused)
        assert refused.preview is None
        assert "damaged zip file" in refused.ui.blockersLabel.text()
        assert refused.ui.headline.text() == "This package cannot be imported"
        assert not refused.create_button.isEnabled()
        assert client.list_cases(since=before).cases == []
        refused.reject()
    finally:
        client.close()


def test_unknown_dentist_missing_file_and_a_failing_scan_block_create(
    qtbot: Any, portal: Any, workstation_window: Any, tmp_path: Path
) -> None:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    number = str(uuid.uuid4().int)[:9]
    lower = f"iTero_Export_#{number}_l.stl"
    folder = fx.write_itero(tmp_path / "e", order=number, versions=("5.0",), missing=(lower,))
    arch = generate_arch("upper", triangles=1_000, seed=3)  # saved in the wrong unit
    write_binary_stl(folder / f"iTero_Export_#{number}_u.stl",
                     dataclasses.replace(arch, vertices=arch.vertices * 40))  # fmt: skip
    manifest = folder / f"iTero_Export_#{number}_v50.xml"
    text = manifest.read_text(encoding="utf-8-sig").replace("SE-40117", "XX-0")
    manifest.write_text(text.replace("Dr. Emma Lindqvist", "Dr. Nobody Known"), encoding="utf-8")

    dialog = window.intake.open_package(str(folder))
    wait_read(qtbot, dialog)
    ui = dialog.ui
    assert ui.dentistCombo.currentText() == "(not known on the portal)"
    assert "add the dentist on the portal first" in ui.dentistNote.text()
    problems = [ui.problemList.item(i).text() for i in range(ui.problemList.count())]
    assert any(lower in p for p in problems), problems  # the missing file, with its place
    assert any("micrometres" in p for p in problems), problems
    assert "micrometres" in ui.scanList.topLevelItem(0).text(2)
    assert "Dr. Nobody Known is not matched on the portal" in ui.blockersLabel.text()
    assert "the scan check found problems" in ui.blockersLabel.text()
    assert ui.importAnywayCheck.isVisible()
    assert not dialog.create_button.isEnabled()

    box = ui.importAnywayCheck  # the person accepts the scan as it is: ticks the box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    assert "the scan check found problems" not in ui.blockersLabel.text()
    assert "Dr. Nobody Known" in ui.blockersLabel.text()  # still in the way
    assert not dialog.create_button.isEnabled()
    dialog.reject()


def test_a_new_export_in_the_watched_folder_opens_its_preview(
    qtbot: Any, portal: Any, workstation_window: Any, tmp_path: Path
) -> None:
    inbox = tmp_path / "scanner-inbox"
    inbox.mkdir()
    (inbox / "old.zip").write_bytes(b"there before watching: not news")
    window = workstation_window(portal.url, intake_watch_dir=str(inbox))
    qtbot.waitUntil(lambda: window.ws.intake.watcher.watching, timeout=WAIT_MS)
    opened: list[IntakeDialog] = []
    window.intake.dialog_opened.connect(opened.append)
    itero_zip(tmp_path, str(uuid.uuid4().int)[:9], name="arriving").rename(inbox / "new.zip")
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT_MS)
    assert opened[0].path == str(inbox / "new.zip")
    wait_read(qtbot, opened[0])
    assert opened[0].preview is not None
    opened[0].reject()
