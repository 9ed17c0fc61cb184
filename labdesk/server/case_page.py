"""Case answers on the lean path, Core rows straight to JSON: the sync page
(``GET /cases?since=…``) and one case (``GET /cases/{id}``), the portal's most frequent reads.

Why a path of its own: a page of 500 cases through the ORM and the validated wire models cost
~0.3 s of portal CPU (one case ~6 ms), three quarters of it building ORM objects (identity
map, collections, one ``selectinload`` query per relationship) and validating pydantic models
the portal had just built from its own rows. Here six prepared Core statements (built once,
at import: SQLAlchemy memoises their cache keys, so a request only binds values) read plain
rows, and the page is written as dicts in the wire shape of :class:`labdesk.api.schemas.Case`
and serialised once by pydantic-core's JSON writer (the one ``model_dump_json`` uses: same date
and time format).

The wire format keeps one home, ``labdesk.api.schemas``: this module only fills it, and
``tests/integration/test_case_page.py`` checks, case by case on the demo portal, that the
answer here parses to exactly what :func:`labdesk.server.serialize.case_out` gives (the
validated path the answers to changes still take: PATCH, actions, comments), for a lab
and for a clinic. A field
added to ``schemas.Case`` without being added here fails that test.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Final

from pydantic_core import to_json
from sqlalchemy import ARRAY, BindParameter, ColumnElement, Integer, any_, bindparam, select
from sqlalchemy.orm import Session, aliased

from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.serialize import initials

_dentist = aliased(m.User, name="dentist")
_assignee = aliased(m.User, name="assignee")
_qc_by = aliased(m.User, name="qc_by")
_parent = aliased(m.Case, name="parent")
_case = m.Case


def _cases_of(owner_column: Any) -> Any:
    """Cases of one lab or clinic (``:owner``) with the names each answer carries, in one
    statement; columns, not the entity, so that no ORM objects are built."""
    return (
        select(
            *m.Case.__table__.columns,
            m.Clinic.name.label("clinic_name"),
            _dentist.display_name.label("dentist_name"),
            _assignee.username.label("assignee"),
            _assignee.display_name.label("assignee_name"),
            _qc_by.username.label("qc_by"),
            _qc_by.display_name.label("qc_by_name"),
            _parent.number.label("parent_number"),
            _parent.status.label("parent_status"),
        )
        .join(m.Clinic, m.Clinic.id == _case.clinic_id)
        .join(_dentist, _dentist.id == _case.dentist_id)
        .outerjoin(_assignee, _assignee.id == _case.assignee_id)
        .outerjoin(_qc_by, _qc_by.id == _case.qc_by_id)
        .outerjoin(_parent, _parent.id == _case.parent_id)
        .where(owner_column == bindparam("owner"))
    )


def _page_of(owner_column: Any) -> Any:
    """The sync page: ``seq > :since`` in seq order, at most ``:limit``."""
    return (
        _cases_of(owner_column)
        .where(_case.seq > bindparam("since"))
        .order_by(_case.seq)
        .limit(bindparam("limit"))
    )


# Built once: a request binds values and nothing else.
LAB_PAGE: Final = _page_of(_case.lab_id)
CLINIC_PAGE: Final = _page_of(_case.clinic_id)
LAB_CASE: Final = _cases_of(_case.lab_id).where(_case.id == bindparam("case_id"))
CLINIC_CASE: Final = _cases_of(_case.clinic_id).where(_case.id == bindparam("case_id"))


def _in_ids(column: Any, postgres: bool) -> ColumnElement[bool]:
    """``column`` is one of the page's case ids: ``= ANY(:ids)`` with one array parameter on
    PostgreSQL (a constant statement text), an expanding ``IN`` elsewhere. The expanded list
    of 500 values was rendered by SQLAlchemy and parsed by psycopg on every page (~20 ms)."""
    ids: BindParameter[Any] = (
        bindparam("ids", type_=ARRAY(Integer)) if postgres else bindparam("ids", expanding=True)
    )
    return column == any_(ids) if postgres else column.in_(ids)  # type: ignore[no-any-return]


def _related_statements(postgres: bool) -> dict[str, Any]:
    """Children, items, files, history and comments of a set of case ids (``:ids``)."""
    return {
        "children": (
            select(_case.parent_id, _case.id, _case.number, _case.status)
            .where(_in_ids(_case.parent_id, postgres))
            .order_by(_case.id)
        ),
        "items": (
            select(
                m.CaseItem.case_id,
                m.CaseItem.id,
                m.CaseItem.catalog_code,
                m.CatalogItem.name,
                m.CatalogItem.kind,
                m.CaseItem.material,
                m.CaseItem.shade,
                m.CaseItem.teeth,
                m.CaseItem.pontics,
                m.CaseItem.notes,
            )
            .join(m.CatalogItem, m.CatalogItem.code == m.CaseItem.catalog_code)
            .where(_in_ids(m.CaseItem.case_id, postgres))
            .order_by(m.CaseItem.case_id, m.CaseItem.position, m.CaseItem.id)
        ),
        "files": (
            select(
                m.CaseFile.case_id,
                m.CaseFile.id,
                m.CaseFile.kind,
                m.CaseFile.jaw,
                m.CaseFile.filename,
                m.CaseFile.media_type,
                m.CaseFile.size,
                m.CaseFile.sha256,
                m.CaseFile.uploaded_at,
                m.User.username,
            )
            .join(m.User, m.User.id == m.CaseFile.uploaded_by_id)
            .where(_in_ids(m.CaseFile.case_id, postgres), m.CaseFile.staged_until.is_(None))
            .order_by(m.CaseFile.id)
        ),
        "history": (
            select(
                m.HistoryRow.case_id,
                m.HistoryRow.id,
                m.HistoryRow.at,
                m.User.username,
                m.User.display_name,
                m.HistoryRow.action,
                m.HistoryRow.from_status,
                m.HistoryRow.to_status,
                m.HistoryRow.reason_code,
                m.HistoryRow.reason,
                m.HistoryRow.note,
                m.HistoryRow.attachment_ids,
                m.HistoryRow.occurred_at,
            )
            .join(m.User, m.User.id == m.HistoryRow.user_id)
            .where(_in_ids(m.HistoryRow.case_id, postgres))
            .order_by(m.HistoryRow.id)
        ),
        "comments": (
            select(
                m.CommentRow.case_id,
                m.CommentRow.id,
                m.CommentRow.at,
                m.User.username,
                m.User.display_name,
                m.CommentRow.body,
            )
            .join(m.User, m.User.id == m.CommentRow.author_id)
            .where(_in_ids(m.CommentRow.case_id, postgres))
            .order_by(m.CommentRow.id)
        ),
    }


RELATED: Final = {False: _related_statements(False), True: _related_statements(True)}

_BRIDGE: Final = "bridge"  # RestorationKind.BRIDGE, compared as the stored text


def case_page_json(session: Session, who: Principal, since: int, limit: int) -> bytes:
    """The JSON of ``schemas.CasePage`` for ``who``: cases with ``seq > since``, at most
    ``limit``; ``next_since`` is the last seq sent (seqs follow commit order)."""
    lab = who.lab_id is not None
    statement = LAB_PAGE if lab else CLINIC_PAGE
    owner = who.lab_id if lab else who.clinic_id
    rows = session.execute(statement, {"owner": owner, "since": since, "limit": limit + 1}).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return nothing_new(since)
    cases = _case_dicts(session, rows, lab)
    return to_json({"cases": cases, "next_since": rows[-1].seq, "has_more": has_more})


# The page's tail as written above (the dict's field order is the wire order).
_TAIL: Final = re.compile(rb'"next_since":(\d+),"has_more":(true|false)\}$')


def nothing_new(since: int) -> bytes:
    return b'{"cases":[],"next_since":%d,"has_more":false}' % since


def page_cursor(body: bytes) -> tuple[int, bool]:
    """``next_since`` and ``has_more`` of a page written here, read from its tail."""
    found = _TAIL.search(body[-64:])
    if found is None:  # not written by case_page_json: a bug, not a wire problem
        raise ValueError("not a sync page")
    return int(found[1]), found[2] == b"true"


def case_json(session: Session, who: Principal, case_id: int) -> tuple[bytes, int] | None:
    """The JSON of one ``schemas.Case`` and its version, or None when ``who`` may not see it
    (another tenant's case answers as a missing one)."""
    lab = who.lab_id is not None
    statement = LAB_CASE if lab else CLINIC_CASE
    owner = who.lab_id if lab else who.clinic_id
    rows = session.execute(statement, {"owner": owner, "case_id": case_id}).all()
    if not rows:
        return None
    return to_json(_case_dicts(session, rows, lab)[0]), int(rows[0].version)


def _case_dicts(session: Session, rows: Sequence[Any], lab: bool) -> list[dict[str, Any]]:
    related = _related(session, [row.id for row in rows])
    return [_case_dict(row, lab, related) for row in rows]


_Related = dict[str, defaultdict[int, list[dict[str, Any]]]]


def _on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _related(session: Session, ids: Sequence[int]) -> _Related:
    """Children, items, files, history and comments of the page, grouped by case id."""
    statements = RELATED[_on_postgres(session)]
    params = {"ids": list(ids)}
    grouped: _Related = {
        key: defaultdict(list) for key in ("children", "items", "files", "history", "comments")
    }
    children = grouped["children"]
    for parent_id, child_id, number, status in session.execute(statements["children"], params):
        children[parent_id or 0].append({"id": child_id, "number": number, "status": status})
    items = grouped["items"]
    for row in session.execute(statements["items"], params):
        items[row[0]].append(_item(row))
    files = grouped["files"]
    for row in session.execute(statements["files"], params):
        files[row[0]].append(_file(row))
    history = grouped["history"]
    for row in session.execute(statements["history"], params):
        history[row[0]].append(_history(row))
    comments = grouped["comments"]
    for case_id, comment_id, at, author, author_name, body in session.execute(
        statements["comments"], params
    ):
        comments[case_id].append(
            {"id": comment_id, "at": at, "author": author, "author_name": author_name, "body": body}
        )
    return grouped


def _item(row: Any) -> dict[str, Any]:
    _, item_id, code, name, kind, material, shade, teeth, pontics, notes = row
    return {
        "id": item_id,
        "catalog_code": code,
        "catalog_name": name,
        "kind": kind,
        "material": material,
        "shade": shade,
        "teeth": teeth,
        "pontics": pontics,
        "bridge": kind == _BRIDGE or bool(pontics),
        "notes": notes,
    }


def _file(row: Any) -> dict[str, Any]:
    _, file_id, kind, jaw, filename, media_type, size, sha256, uploaded_at, by = row
    return {
        "id": file_id,
        "case_id": row[0],
        "kind": kind,
        "jaw": jaw or None,
        "filename": filename,
        "media_type": media_type,
        "size": size,
        "sha256": sha256,
        "uploaded_at": uploaded_at,
        "uploaded_by": by,
    }


def _history(row: Any) -> dict[str, Any]:
    (_, entry_id, at, by, by_name, action, from_status, to_status, code, reason, note, files,
     occurred) = row  # fmt: skip
    return {
        "id": entry_id,
        "at": at,
        "by": by,
        "by_name": by_name,
        "action": action,
        "from_status": from_status or None,
        "to_status": to_status,
        "reason_code": code,
        "reason": reason,
        "note": note,
        "attachment_ids": files or [],
        "occurred_at": occurred or at,
    }


def _prescription(answers: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"question": a["question"], "answer": a["answer"]} for a in answers]


def _checklist(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"point": e["point"], "passed": e["passed"], "note": e.get("note", "")} for e in entries
    ]


def _last_step(history: list[dict[str, Any]], *actions: str) -> dict[str, Any] | None:
    """The latest recorded step among ``actions`` (as ``serialize._last_step``)."""
    return next((h for h in reversed(history) if h["action"] in actions), None)


def _qc_record(row: Any, history: list[dict[str, Any]]) -> dict[str, Any] | None:
    step = _last_step(history, "qc_pass", "qc_fail")
    if row.qc_by is None or row.qc_at is None or step is None:
        return None
    passed = step["action"] == "qc_pass"
    return {
        "passed": passed, "by": row.qc_by, "by_name": row.qc_by_name, "at": row.qc_at,
        "checklist": _checklist(row.qc_checklist or []),
        "reason": None if passed else step["reason"],
    }  # fmt: skip


def _case_dict(row: Any, lab: bool, related: _Related) -> dict[str, Any]:
    """One case in the field order of ``schemas.Case``, as a lab or a clinic may see it."""
    case_id = row.id
    history = related["history"].get(case_id, [])
    qc = None
    if row.signed_off and row.qc_by is not None and row.qc_at is not None:
        qc = {"by": row.qc_by, "at": row.qc_at, "checklist": _checklist(row.qc_checklist or [])}
    tracking = None
    if row.carrier and row.tracking_number and row.shipped_at:
        shipped = _last_step(history, "ship")
        delivered = _last_step(history, "deliver")
        tracking = {
            "carrier": row.carrier,
            "tracking_number": row.tracking_number,
            "shipped_at": row.shipped_at,
            "expected_delivery": row.expected_delivery,
            "shipped_by": shipped["by"] if shipped else None,
            "shipped_by_name": shipped["by_name"] if shipped else None,
            "delivered_at": delivered["occurred_at"] if delivered else None,
        }
    parent = None
    if row.parent_id is not None and row.parent_number is not None:
        parent = {"id": row.parent_id, "number": row.parent_number, "status": row.parent_status}
    return {
        "id": case_id,
        "number": row.number,
        "lab_id": row.lab_id,
        "clinic_id": row.clinic_id,
        "clinic_name": row.clinic_name,
        "dentist_id": row.dentist_id,
        "dentist_name": row.dentist_name,
        "share_patient_name": row.share_patient_name,
        "patient_name": row.patient_name if row.share_patient_name or not lab else None,
        "patient_initials": initials(row.patient_name),
        "patient_ref": row.patient_ref,
        "items": related["items"].get(case_id, []),
        "instructions": row.instructions,
        "prescription": _prescription(row.prescription),
        "scan_delivery": row.scan_delivery,
        "due_date": row.due_date,
        "expected_date": row.expected_date,
        "expected_note": row.expected_note,
        "rush": row.rush,
        "needs_quote": row.needs_quote,
        "billing": row.billing,
        "tags": row.tags,
        "memo": row.memo if lab else "",
        "assignee": row.assignee,
        "assignee_name": row.assignee_name,
        "status": row.status,
        "previous_status": row.previous_status or None,
        "signed_off": row.signed_off,
        "qc_signoff": qc,
        "qc_record": _qc_record(row, history),
        "tracking": tracking,
        "parent": parent,
        "children": related["children"].get(case_id, []),
        "files": related["files"].get(case_id, []),
        "history": history,
        "comments": related["comments"].get(case_id, []),
        "version": row.version,
        "seq": row.seq,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }
