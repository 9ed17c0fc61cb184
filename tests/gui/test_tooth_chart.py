"""The tooth chart driven the way a user drives it: clicks on teeth, keys, tooltips."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette
from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from labdesk.domain import teeth
from labdesk.domain.restorations import RestorationKind, ToothWork, conflicting_teeth
from labdesk.domain.teeth import Notation
from labdesk.gui.widgets.tooth_chart import (
    KIND_COLOURS,
    ChartMode,
    Dentition,
    ToothChart,
    dentition_for,
)
from labdesk.gui.widgets.tooth_chart_preview import PreviewWindow, dark_palette, sample_work

LEFT = Qt.MouseButton.LeftButton
SHIFT = Qt.KeyboardModifier.ShiftModifier
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def chart(qtbot: QtBot) -> ToothChart:
    widget = ToothChart()
    qtbot.addWidget(widget)
    widget.resize(900, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _at(chart: ToothChart, fdi: int) -> QPoint:
    return chart.tooth_center(fdi).toPoint()


def _click(
    qtbot: QtBot, chart: ToothChart, fdi: int, modifier: Qt.KeyboardModifier = NO_MODIFIER
) -> list[int]:
    with qtbot.waitSignal(chart.selection_changed, timeout=1000) as blocker:
        qtbot.mouseClick(chart, LEFT, modifier, _at(chart, fdi))
    emitted: list[int] = blocker.args[0]
    return emitted


@pytest.mark.parametrize(
    ("dentition", "shown"),
    [(Dentition.PERMANENT, teeth.PERMANENT), (Dentition.PRIMARY, teeth.PRIMARY)],
)
def test_clicking_the_centre_of_every_tooth_selects_exactly_that_tooth(
    qtbot: QtBot, chart: ToothChart, dentition: Dentition, shown: tuple[int, ...]
) -> None:
    chart.set_dentition(dentition)
    assert set(chart.visible_teeth()) == set(shown)
    for fdi in shown:
        assert chart.tooth_at(chart.tooth_center(fdi)) == fdi
        assert _click(qtbot, chart, fdi) == [fdi]
        assert _click(qtbot, chart, fdi) == []  # a second click toggles it off


def test_every_tooth_of_the_mixed_dentition_has_its_own_place(chart: ToothChart) -> None:
    chart.set_dentition(Dentition.MIXED)
    assert sorted(chart.visible_teeth()) == sorted(teeth.ALL_TEETH)
    for fdi in teeth.ALL_TEETH:
        assert chart.tooth_at(chart.tooth_center(fdi)) == fdi
        others = [t for t in teeth.ALL_TEETH if t != fdi]
        assert not any(chart.tooth_path(t).intersects(chart.tooth_path(fdi)) for t in others)


def test_chart_orientation_is_the_dental_one(chart: ToothChart) -> None:
    """Upper arch on top, patient's right on the viewer's left, incisors at the front."""
    centre = {fdi: chart.tooth_center(fdi) for fdi in teeth.PERMANENT}
    assert max(centre[f].y() for f in teeth.UPPER_PERMANENT) < min(
        centre[f].y() for f in teeth.LOWER_PERMANENT
    )
    assert centre[18].x() < centre[11].x() < centre[21].x() < centre[28].x()
    assert centre[48].x() < centre[41].x() < centre[31].x() < centre[38].x()
    assert centre[11].y() < centre[16].y()  # the upper arch opens downwards
    assert centre[41].y() > centre[46].y()  # and the lower one upwards


def test_clicks_add_up_and_come_in_chart_order(qtbot: QtBot, chart: ToothChart) -> None:
    _click(qtbot, chart, 21)
    assert _click(qtbot, chart, 11) == [11, 21]
    assert _click(qtbot, chart, 46) == [11, 21, 46]
    assert chart.selection() == [11, 21, 46]


def test_shift_click_selects_the_run_through_the_midline(qtbot: QtBot, chart: ToothChart) -> None:
    _click(qtbot, chart, 13)
    assert _click(qtbot, chart, 23, SHIFT) == [13, 12, 11, 21, 22, 23]
    assert chart.selection() == teeth.teeth_between(13, 23)


def test_shift_click_works_backwards_and_on_the_lower_arch(qtbot: QtBot, chart: ToothChart) -> None:
    _click(qtbot, chart, 33)
    assert sorted(_click(qtbot, chart, 43, SHIFT)) == sorted(teeth.teeth_between(33, 43))
    assert set(chart.selection()) == {43, 42, 41, 31, 32, 33}


def test_shift_click_in_the_other_arch_just_toggles(qtbot: QtBot, chart: ToothChart) -> None:
    _click(qtbot, chart, 13)
    assert _click(qtbot, chart, 43, SHIFT) == [13, 43]


def test_drag_selects_every_tooth_passed_over(qtbot: QtBot, chart: ToothChart) -> None:
    seen: list[list[int]] = []
    chart.selection_changed.connect(seen.append)
    qtbot.mousePress(chart, LEFT, NO_MODIFIER, _at(chart, 14))
    for fdi in (13, 12, 11, 21):
        qtbot.mouseMove(chart, _at(chart, fdi))
    qtbot.mouseRelease(chart, LEFT, NO_MODIFIER, _at(chart, 21))
    assert chart.selection() == [14, 13, 12, 11, 21]
    assert seen[0] == [14]
    assert seen[-1] == [14, 13, 12, 11, 21]
    qtbot.mouseMove(chart, _at(chart, 22))  # released: moving no longer selects
    assert chart.selection() == [14, 13, 12, 11, 21]


def test_a_fast_drag_fills_the_teeth_it_skipped(qtbot: QtBot, chart: ToothChart) -> None:
    qtbot.mousePress(chart, LEFT, NO_MODIFIER, _at(chart, 46))
    qtbot.mouseMove(chart, _at(chart, 42))
    qtbot.mouseRelease(chart, LEFT, NO_MODIFIER, _at(chart, 42))
    assert chart.selection() == [46, 45, 44, 43, 42]


def test_dragging_from_a_selected_tooth_deselects(qtbot: QtBot, chart: ToothChart) -> None:
    chart.set_selection([24, 25, 26, 27])
    qtbot.mousePress(chart, LEFT, NO_MODIFIER, _at(chart, 25))
    qtbot.mouseMove(chart, _at(chart, 26))
    qtbot.mouseRelease(chart, LEFT, NO_MODIFIER, _at(chart, 26))
    assert chart.selection() == [24, 27]


def test_keyboard_moves_along_the_arch_and_space_toggles(qtbot: QtBot, chart: ToothChart) -> None:
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.focused_tooth() == 18
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.focused_tooth() == 28
    qtbot.keyClick(chart, Qt.Key.Key_Right)  # already at the end
    assert chart.focused_tooth() == 28
    for _ in range(8):
        qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.focused_tooth() == 11  # through the midline: ... 22, 21, 11
    with qtbot.waitSignal(chart.selection_changed) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert blocker.args == [[11]]
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.focused_tooth() == 41
    qtbot.keyClick(chart, Qt.Key.Key_Down)  # no arch below the lower one
    assert chart.focused_tooth() == 41
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.focused_tooth() == 31
    qtbot.keyClick(chart, Qt.Key.Key_Up)
    assert chart.focused_tooth() == 21
    qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert chart.selection() == [11, 21]
    qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert chart.selection() == [11]
    qtbot.keyClick(chart, Qt.Key.Key_Right, SHIFT)  # Shift+arrow extends the selection
    assert chart.selection() == [11, 21, 22]
    assert chart.focused_tooth() == 22
    assert "Upper left lateral incisor" in chart.accessibleDescription()


def test_keyboard_crosses_between_the_ovals_of_a_mixed_dentition(
    qtbot: QtBot, chart: ToothChart
) -> None:
    chart.set_dentition(Dentition.MIXED)
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_End)
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.focused_tooth() == 55  # beside 28: the upper primary arch
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.focused_tooth() == 85
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.focused_tooth() == 38
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.focused_tooth() == 48


@pytest.mark.parametrize("notation", list(Notation))
def test_notation_switch_relabels_all_52_teeth(chart: ToothChart, notation: Notation) -> None:
    chart.set_dentition(Dentition.MIXED)
    chart.set_selection([13, 53])
    chart.set_notation(notation)
    assert chart.notation() is notation
    for fdi in teeth.ALL_TEETH:
        assert chart.label_for(fdi) == teeth.to_label(fdi, notation)
    assert chart.selection() == [13, 53]  # relabelling keeps what was chosen
    assert len(set(map(chart.label_for, teeth.ALL_TEETH))) == 52


@pytest.mark.parametrize(
    ("size", "dentition", "notation"),
    [
        ((900, 520), Dentition.MIXED, Notation.PALMER),  # the widest labels, all 52 teeth
        ((900, 520), Dentition.PERMANENT, Notation.UNIVERSAL),
        ((800, 240), Dentition.PERMANENT, Notation.FDI),  # a strip in the case detail
        ((1000, 300), Dentition.MIXED, Notation.FDI),
    ],
)
def test_labels_and_legend_fit_without_overlapping(
    chart: ToothChart, size: tuple[int, int], dentition: Dentition, notation: Notation
) -> None:
    chart.set_mode(ChartMode.DISPLAY)
    chart.set_work(*sample_work())
    chart.set_dentition(dentition)
    chart.set_notation(notation)
    chart.resize(*size)
    rects = chart._label_rects
    paths = {fdi: chart.tooth_path(fdi) for fdi in chart.visible_teeth()}
    for fdi, rect in rects.items():
        assert chart.rect().contains(rect.toAlignedRect()), fdi
        assert not any(rect.intersects(r) for f, r in rects.items() if f != fdi), fdi
        assert not any(path.intersects(rect) for path in paths.values()), fdi
        assert not chart._legend_rect.intersects(rect), fdi
    for fdi, path in paths.items():
        assert not chart._legend_rect.intersects(path.boundingRect()), fdi
    assert chart.rect().contains(chart._legend_rect.toAlignedRect())


# The offscreen platform cannot raise the tooltip window and says so.
TOOLTIP_WARNING = pytest.mark.qt_log_ignore("This plugin does not support raise")


@TOOLTIP_WARNING
def test_tooltip_names_the_tooth_in_all_three_notations(qtbot: QtBot, chart: ToothChart) -> None:
    assert chart.tooltip_for(16) == "Upper right first molar — FDI 16 · Universal 3 · Palmer UR6"
    _show_tooltip(chart, 16)
    assert QToolTip.text() == teeth.describe(16)
    chart.set_selection([16])  # shown again for a selected tooth, it says so
    _show_tooltip(chart, 16)
    assert QToolTip.text().splitlines() == [teeth.describe(16), "Selected"]


def _show_tooltip(chart: ToothChart, fdi: int) -> None:
    pos = _at(chart, fdi)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos))
    assert chart.event(event)


@TOOLTIP_WARNING
def test_conflicting_crown_and_extraction_are_flagged_in_red(
    qtbot: QtBot, chart: ToothChart
) -> None:
    items = [
        ToothWork(RestorationKind.CROWN, (26,), (), "Crown 26"),
        ToothWork(RestorationKind.EXTRACTION, (26,), (), "Extraction 26"),
        ToothWork(RestorationKind.CROWN, (11,), (), "Crown 11"),
    ]
    chart.set_mode(ChartMode.DISPLAY)
    chart.set_work(items)
    explanation = conflicting_teeth(items)[26].explanation
    assert set(chart.conflicts()) == {26}
    assert "Crown 26" in explanation
    assert "Extraction 26" in explanation
    _show_tooltip(chart, 26)
    assert explanation in QToolTip.text()
    assert QToolTip.text().startswith(teeth.describe(26))
    _show_tooltip(chart, 11)
    assert "Conflict" not in QToolTip.text()
    image = chart.grab().toImage()
    conflict = _fill(chart, 26, image)
    crown = _fill(chart, 11, image)
    assert conflict.red() > 180
    assert max(conflict.green(), conflict.blue()) < 120
    assert _close(crown, KIND_COLOURS[RestorationKind.CROWN])
    assert "conflict: tooth 26" in chart.accessibleDescription()


def _fill(chart: ToothChart, fdi: int, image: QImage) -> QColor:
    """The tooth's fill: the most common colour inside its outline (lines drawn over it and
    the antialiased edge are the minority)."""
    path = chart.tooth_path(fdi)
    box = path.boundingRect()
    ratio = image.devicePixelRatio()
    counts: Counter[int] = Counter()
    for i in range(1, 12):
        for j in range(1, 12):
            point = QPointF(box.left() + box.width() * i / 12, box.top() + box.height() * j / 12)
            inner = QRectF(point.x() - 2.5, point.y() - 2.5, 5, 5)
            if path.contains(inner):
                x, y = round(point.x() * ratio), round(point.y() * ratio)
                counts[image.pixel(x, y)] += 1
    return QColor.fromRgb(counts.most_common(1)[0][0])


def _close(a: QColor, b: QColor, tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_display_mode_shows_bridge_pontic_implant_and_missing(
    qtbot: QtBot, chart: ToothChart
) -> None:
    items, missing = sample_work()
    chart.set_mode(ChartMode.DISPLAY)
    chart.set_work(items, missing)
    assert chart.work() == tuple(items)
    assert "Bridge 14-16 (pontic)" in chart.tooltip_for(15).splitlines()
    assert "Missing" in chart.tooltip_for(46).splitlines()
    assert "Implant crown 36" in chart.tooltip_for(36).splitlines()
    keys = [key for key, *_ in chart._legend_entries()]
    assert keys == [
        "crown", "bridge", "veneer", "implant_crown", "extraction",
        "pontic", "implant", "missing", "conflict",
    ]  # fmt: skip
    assert chart._legend_rect.right() <= chart.width()
    image = chart.grab().toImage()
    assert _close(_fill(chart, 16, image), KIND_COLOURS[RestorationKind.BRIDGE])
    # The bridge is one unit: the gap between its teeth is filled with the bridge colour.
    # The bridge (blue) joins its teeth: the narrow gaps between them are blue, not background.
    for first, second in ((14, 15), (15, 16)):
        joint = image.pixelColor(_gap(chart, first, second))
        assert joint.blue() > joint.red() + 80, (first, second, joint.getRgb())
    assert _close(
        image.pixelColor(_gap(chart, 24, 25)), chart.palette().color(QPalette.ColorRole.Base)
    )


def _gap(chart: ToothChart, first: int, second: int) -> QPoint:
    """The middle of the space between two neighbouring teeth, on the line joining them."""
    a, b = chart.tooth_center(first), chart.tooth_center(second)
    outside = [
        a + (b - a) * (i / 100)
        for i in range(101)
        if not chart.tooth_path(first).contains(a + (b - a) * (i / 100))
        and not chart.tooth_path(second).contains(a + (b - a) * (i / 100))
    ]
    assert outside, f"teeth {first} and {second} touch"
    return outside[len(outside) // 2].toPoint()


def test_display_mode_ignores_clicks(qtbot: QtBot, chart: ToothChart) -> None:
    chart.set_mode(ChartMode.DISPLAY)
    with qtbot.assertNotEmitted(chart.selection_changed):
        qtbot.mouseClick(chart, LEFT, NO_MODIFIER, _at(chart, 11))
    assert chart.selection() == []


def test_set_selection_and_clear_emit_only_on_change(qtbot: QtBot, chart: ToothChart) -> None:
    with qtbot.waitSignal(chart.selection_changed) as blocker:
        chart.set_selection([23, 13])
    assert blocker.args == [[13, 23]]
    with qtbot.assertNotEmitted(chart.selection_changed):
        chart.set_selection([13, 23])
    with qtbot.waitSignal(chart.selection_changed) as blocker:
        chart.clear()
    assert blocker.args == [[]]
    assert "selected teeth: none" in chart.accessibleDescription()


def test_set_selection_refuses_teeth_that_are_not_shown(chart: ToothChart) -> None:
    with pytest.raises(ValueError, match="not an FDI tooth"):
        chart.set_selection([19])
    with pytest.raises(ValueError, match="not shown"):
        chart.set_selection([55])
    with pytest.raises(ValueError, match="not shown"):
        chart.tooth_center(55)


def test_changing_dentition_drops_teeth_no_longer_shown(qtbot: QtBot, chart: ToothChart) -> None:
    chart.set_dentition(Dentition.MIXED)
    chart.set_selection([16, 55])
    with qtbot.waitSignal(chart.selection_changed) as blocker:
        chart.set_dentition(Dentition.PRIMARY)
    assert blocker.args == [[55]]


def test_clicks_off_the_teeth_hit_nothing(qtbot: QtBot, chart: ToothChart) -> None:
    assert chart.tooth_at(QPointF(2, 2)) is None
    middle = (chart.tooth_center(11) + chart.tooth_center(41)) / 2
    assert chart.tooth_at(middle) is None
    with qtbot.assertNotEmitted(chart.selection_changed):
        qtbot.mouseClick(chart, LEFT, NO_MODIFIER, middle.toPoint())


def test_layout_follows_the_widget_size(qtbot: QtBot, chart: ToothChart) -> None:
    before = chart.tooth_center(16)
    chart.resize(420, 300)
    assert chart.tooth_center(16) != before
    for fdi in teeth.PERMANENT:
        assert chart.tooth_at(chart.tooth_center(fdi)) == fdi
        assert chart.rect().contains(chart.tooth_path(fdi).boundingRect().toAlignedRect())
    assert _click(qtbot, chart, 47) == [47]


def test_paints_crisply_at_device_pixel_ratio_two(chart: ToothChart) -> None:
    chart.set_selection([36])
    image = QImage(chart.size() * 2, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(2.0)
    image.fill(0)
    chart.render(image)
    highlight = chart.palette().color(QPalette.ColorRole.Highlight)
    assert _close(_fill(chart, 36, image), highlight)
    assert not _close(_fill(chart, 37, image), highlight)


def test_follows_a_dark_theme(chart: ToothChart) -> None:
    chart.setPalette(dark_palette())
    image = chart.grab().toImage()
    base = dark_palette().color(QPalette.ColorRole.Base)
    assert _close(image.pixelColor(2, 2), base)
    assert _fill(chart, 16, image).lightness() < 80  # no white teeth


def test_accessible_name_and_whats_this(chart: ToothChart) -> None:
    assert chart.accessibleName() == "Tooth chart"
    assert "Shift-click" in chart.whatsThis()
    assert "Permanent dentition, FDI notation" in chart.accessibleDescription()


def test_dentition_for_picks_the_rows_a_case_needs() -> None:
    assert dentition_for([]) is Dentition.PERMANENT
    assert dentition_for([16, 26]) is Dentition.PERMANENT
    assert dentition_for([55, 85]) is Dentition.PRIMARY
    assert dentition_for([16, 55]) is Dentition.MIXED


def test_preview_switches_the_chart_live(qtbot: QtBot) -> None:
    window = PreviewWindow()
    qtbot.addWidget(window)
    window.notation.setCurrentIndex(list(Notation).index(Notation.UNIVERSAL))
    assert window.chart.label_for(16) == "3"
    window.dentition.setCurrentIndex(list(Dentition).index(Dentition.MIXED))
    assert window.chart.dentition() is Dentition.MIXED
    window.chart.set_selection([16, 15, 14])
    assert window.status.text() == "Selected: 3-5"
    window.mode.setCurrentIndex(list(ChartMode).index(ChartMode.DISPLAY))
    assert window.chart.mode() is ChartMode.DISPLAY
    window.dark.setChecked(True)
    assert window.chart.palette().color(QPalette.ColorRole.Base) == QColor("#1E1F22")


def test_widget_module_stays_out_of_server_cache_and_httpx() -> None:
    code = (
        "import sys, labdesk.gui.widgets.tooth_chart, labdesk.gui.widgets.tooth_chart_preview;"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'httpx'"
        " or m.startswith(('labdesk.server', 'labdesk.cache'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
