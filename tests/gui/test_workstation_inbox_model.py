"""The inbox model on its own: Qt's model tester, sorting, filtering, counts, search."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from labdesk.client.inbox_queues import (
    UNASSIGNED,
    DueWindow,
    InboxFilter,
    Queue,
    default_queue,
)
from labdesk.client.inbox_rows import InboxRow
from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import Status
from labdesk.gui.inbox_model import InboxModel

TODAY = date(2026, 3, 11)  # a Wednesday


def make_rows(n: int, seed: int = 7) -> list[InboxRow]:
    rnd = random.Random(seed)
    names = ["Ada Byrne", "Li Wei", "Olu Ade", "Mia Roth", "Sam Kerr", "Eva Lind"]
    clinics = ["North Clinic", "Harbour Dental", "Parkside"]
    people = [("ceramist", "Cera Mist"), ("designer", "Des Igner"), (None, None)]
    rows = []
    for i in range(n):
        status = rnd.choice(list(Status))
        who, who_name = rnd.choice(people)
        rows.append(
            InboxRow(
                case_id=i + 1,
                number=f"C-2026-{i + 1:05d}",
                patient=rnd.choice(names),
                clinic=rnd.choice(clinics),
                dentist=f"Dr {rnd.choice(names).split()[1]}",
                items=(("Crown", (rnd.choice([11, 21, 36, 46]),)), ("Bridge", (13, 12, 11))),
                status=status,
                due_date=TODAY + timedelta(days=rnd.randint(-5, 15))
                if rnd.random() > 0.1
                else None,
                expected_date=TODAY + timedelta(days=rnd.randint(0, 20)),
                assignee=who,
                assignee_name=who_name,
                rush=rnd.random() < 0.2,
                signed_off=status is Status.QC and rnd.random() < 0.5,
                tags=("implant",) if i % 7 == 0 else (),
                remake=i % 11 == 0,
                pending=1 if i % 13 == 0 else 0,
                conflict=i % 17 == 0,
            )
        )
    return rows


@pytest.fixture
def model(qtmodeltester) -> InboxModel:
    model = InboxModel()
    model.set_rows(make_rows(300), today=TODAY)
    qtmodeltester.check(model)
    return model


def column_values(model: InboxModel, column: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(r, column).data(role) for r in range(model.rowCount())]


def test_model_passes_qt_model_tester_through_sort_and_filter(qtmodeltester, model):
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        model.sort(column, Qt.SortOrder.AscendingOrder)
    model.set_filter(InboxFilter(queue=Queue.IN_WORK, search="clinic"))
    model.set_rows(make_rows(310, seed=8), today=TODAY)
    qtmodeltester.check(model)


@pytest.mark.parametrize("column", range(10))
def test_sort_by_every_column_orders_by_the_sort_role(model, column):
    model.sort(column, Qt.SortOrder.AscendingOrder)
    values = column_values(model, column, InboxModel.SortRole)
    assert values == sorted(values)
    model.sort(column, Qt.SortOrder.DescendingOrder)
    values = column_values(model, column, InboxModel.SortRole)
    assert values == sorted(values, reverse=True)


def test_queue_counts_match_the_rows(model):
    rows = model.all_rows()
    counts = model.counts()
    assert counts[Queue.ALL] == len(rows)
    assert counts[Queue.TO_REVIEW] == sum(r.status is Status.RECEIVED for r in rows)
    assert counts[Queue.READY_TO_SHIP] == sum(r.status is Status.QC and r.signed_off for r in rows)
    assert counts[Queue.NEEDS_ATTENTION] == sum(r.conflict or r.failed for r in rows)
    for queue in Queue:
        model.set_filter(InboxFilter(queue=queue))
        assert model.rowCount() == counts[queue], queue
    model.set_filter(InboxFilter(queue=Queue.IN_WORK, stage=Status.FINISHING))
    assert model.rowCount() == counts[Status.FINISHING]


def test_search_matches_number_patient_clinic_dentist_and_tag(model):
    model.set_filter(InboxFilter(search="c-2026-00042"))
    assert column_values(model, InboxModel.COL_NUMBER) == ["C-2026-00042"]
    model.set_filter(InboxFilter(search="HARBOUR"))
    assert set(column_values(model, InboxModel.COL_CLINIC)) == {"Harbour Dental"}
    model.set_filter(InboxFilter(search="implant"))
    assert model.rowCount() == len([r for r in model.all_rows() if "implant" in r.tags])
    model.set_filter(InboxFilter(search="dr roth"))
    assert set(column_values(model, InboxModel.COL_DENTIST)) == {"Dr Roth"}


def test_filters_narrow_inside_the_queue(model):
    spec = InboxFilter(clinic="Parkside", rush_only=True, due=DueWindow.OVERDUE)
    model.set_filter(spec)
    rows = [model.index(r, 0).data(InboxModel.RowRole) for r in range(model.rowCount())]
    assert rows
    assert all(r.clinic == "Parkside" and r.rush for r in rows)
    assert all(
        model.index(r, 0).data(InboxModel.DueStateRole) == DueState.OVERDUE
        for r in range(model.rowCount())
    )
    model.set_filter(InboxFilter(assignee=UNASSIGNED))
    assert set(column_values(model, InboxModel.COL_ASSIGNEE)) == {""}
    model.set_filter(InboxFilter(status=Status.DESIGN))
    assert set(column_values(model, InboxModel.COL_STATUS)) == {"Design"}


def test_due_dates_are_coloured_by_due_state(model):
    model.set_filter(InboxFilter(due=DueWindow.OVERDUE))
    brush = model.index(0, InboxModel.COL_DUE).data(Qt.ItemDataRole.ForegroundRole)
    assert brush is not None
    model.set_filter(InboxFilter(due=DueWindow.NO_DATE))
    assert model.index(0, InboxModel.COL_DUE).data(Qt.ItemDataRole.ForegroundRole) is None


def test_teeth_follow_the_notation(model):
    model.set_filter(InboxFilter(search="c-2026-00001"))
    assert "13-11" in model.index(0, InboxModel.COL_ITEMS).data()
    model.set_notation("universal")
    assert "6-8" in model.index(0, InboxModel.COL_ITEMS).data()


def test_new_cases_are_announced_and_highlighted(qtbot, model):
    rows = list(model.all_rows())
    newcomer = InboxRow(
        case_id=9999, number="C-2026-09999", patient="New Person", clinic="Parkside",
        dentist="Dr New", items=(), status=Status.RECEIVED,
    )  # fmt: skip
    with qtbot.waitSignal(model.new_cases_arrived) as blocker:
        model.set_rows([*rows, newcomer], today=TODAY)
    assert [r.case_id for r in blocker.args[0]] == [9999]
    assert model.is_new(9999)
    row = model.row_of_case(9999)
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    model.mark_seen([9999])
    assert not model.is_new(9999)


def test_find_case_number_searches_all_rows(model):
    model.set_filter(InboxFilter(queue=Queue.ON_HOLD))
    assert model.find_case_number("c-2026-00005") == 5
    assert model.find_case_number("  C-2026-00300 ") == 300
    assert model.find_case_number("C-2026-99999") is None


def test_sorting_keeps_the_selection_on_the_same_case(qtbot, model):
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.selectRow(10)
    case_id = model.case_id_at(10)
    model.sort(InboxModel.COL_PATIENT, Qt.SortOrder.DescendingOrder)
    current = view.selectionModel().selectedRows()[0]
    assert current.data(InboxModel.CaseIdRole) == case_id


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (["reviewer"], (Queue.TO_REVIEW, None)),
        (["ceramist"], (Queue.IN_WORK, Status.FINISHING)),
        (["qc_manager"], (Queue.QC, None)),
        (["shipping"], (Queue.READY_TO_SHIP, None)),
        (["lab_admin"], (Queue.ALL, None)),
        (["designer", "lab_admin"], (Queue.IN_WORK, Status.DESIGN)),
    ],
)
def test_default_queue_follows_the_roles(roles, expected):
    assert default_queue(roles) == expected


@pytest.mark.parametrize("descending", [False, True])
def test_row_of_case_finds_every_visible_case_in_any_order(model, descending):
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for spec in (InboxFilter(), InboxFilter(queue=Queue.IN_WORK, search="a")):
        model.set_filter(spec)
        for column in range(model.columnCount()):
            model.sort(column, order)
            for row in range(model.rowCount()):
                assert model.row_of_case(model.case_id_at(row)) == row


def test_typing_a_search_narrows_the_previous_results(model):
    for typed in ("c", "cl", "cla", "clar"):
        model.set_filter(InboxFilter(search=typed))
        expected = sum(
            typed in r.patient.casefold()
            or typed in r.clinic.casefold()
            or typed in r.dentist.casefold()
            or typed in r.number.casefold()
            or any(typed in t for t in r.tags)
            for r in model.all_rows()
        )
        assert model.rowCount() == expected
    model.set_filter(InboxFilter(search="xyz"))
    assert model.rowCount() == 0
