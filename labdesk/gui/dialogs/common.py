"""What every action dialog shares: the case line, dates, warnings, and an OK button that is
enabled only while the input makes a valid request (the reason shows under the form)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any, TypeVar, cast

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget

from labdesk.api.schemas import Case
from labdesk.domain.due import DueState, classify
from labdesk.domain.patients import patient_label
from labdesk.domain.required import ActionInputError
from labdesk.gui.theme import current_palette

Form = TypeVar("Form")


def use_form(widget: QWidget, form: Form) -> Form:
    """``form.setupUi(widget)`` — composition with a generated form (they are untyped, so the
    call goes through ``Any`` to keep mypy's untyped-call check quiet)."""
    cast(Any, form).setupUi(widget)
    return form


def case_line(case: Case) -> str:
    """``J.M. · RD-1187 · Riverside Dental · Dr. Amelia Hart`` (the number is in the title)."""
    patient = patient_label(
        case.share_patient_name, case.patient_name, case.patient_initials, case.patient_ref
    )
    parts = [patient, case.clinic_name, case.dentist_name]
    return " · ".join(p for p in parts if p)


def day_text(day: date | None) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}" if day else "—"


def relative_day(day: date, today: date | None = None) -> str:
    delta = (day - (today or date.today())).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def due_html(day: date | None, *, rush: bool = False, today: date | None = None) -> str:
    """The due date coloured like the inbox does (overdue, today, soon)."""
    if day is None:
        return "no date requested"
    today = today or date.today()
    text = f"{escape(day_text(day))} ({relative_day(day, today)})"
    color = current_palette().due.get(classify(day, today))
    if color is not None:
        weight = "600" if classify(day, today) is not DueState.SOON else "normal"
        text = f'<span style="color:{color.name()}; font-weight:{weight}">{text}</span>'
    if rush:
        text += " — <b>rush</b>"
    return text


def warning_style() -> str:
    """A calm amber box for consequences a person must read (lock, SMS, final)."""
    if current_palette().dark:
        bg, border, fg = "#3b2a0a", "#b45309", "#fde68a"
    else:
        bg, border, fg = "#fffbeb", "#f59e0b", "#78350f"
    return (
        f'QLabel[role="warning"] {{ background: {bg}; border: 1px solid {border}; color: {fg};'
        " border-radius: 6px; padding: 8px 10px; }"
    )


def style_dialog(dialog: QDialog) -> None:
    dialog.setStyleSheet(warning_style())


def ok_button(box: QDialogButtonBox) -> QPushButton:
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None, "the form has no OK button"
    return button


def cancel_button(box: QDialogButtonBox) -> QPushButton:
    button = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert button is not None, "the form has no Cancel button"
    return button


def setup_buttons(box: QDialogButtonBox, ok_text: str, cancel_text: str = "") -> QPushButton:
    """Name the OK button after what it does, make it the default, return it."""
    ok = ok_button(box)
    ok.setText(ok_text)
    ok.setDefault(True)
    ok.setAutoDefault(True)
    if cancel_text:
        cancel_button(box).setText(cancel_text)
    return ok


def input_problem(build: Callable[[], object]) -> str:
    """What is wrong with a dialog's input, for a person ("" when ``build`` succeeds)."""
    try:
        build()
    except ActionInputError as exc:
        return str(exc)
    return ""


def show_problem(label: QLabel, ok: QPushButton, problem: str) -> None:
    """Enable OK when there is no problem; otherwise say what is missing, there and on hover."""
    ok.setEnabled(not problem)
    ok.setToolTip(problem)
    label.setText(problem)
    label.setVisible(bool(problem))


def first_line_focus(widget: QWidget) -> None:
    widget.setFocus()
