"""The lean sync page (``server/case_page.py``) answers exactly what the validated models do.

The page is built from Core rows for speed; ``serialize.case_out`` (pydantic models, the one
home of the wire format) stays the reference. Every demo case is compared field by field, as
the lab sees it and as a clinic sees it, so a field added to ``schemas.Case`` without being
added to the lean path fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from labdesk.api.schemas import Case, CasePage
from labdesk.server import models as m
from labdesk.server.auth import Principal, principal_of
from labdesk.server.case_page import case_json, case_page_json, nothing_new, page_cursor
from labdesk.server.serialize import case_load_options, case_out


def _principal(portal: Any, username: str) -> Principal:
    with portal.app.state.portal.db.read_session() as session:
        user = session.execute(select(m.User).where(m.User.username == username)).scalar_one()
        return principal_of(user)


def _lean_pages(portal: Any, who: Principal, limit: int) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    since = 0
    with portal.app.state.portal.db.read_session() as session:
        while True:
            body = case_page_json(session, who, since, limit)
            page = CasePage.model_validate_json(body)
            # the change feed reads the cursor from the page's tail
            assert page_cursor(body) == (page.next_since, page.has_more)
            assert [c.seq for c in page.cases] == sorted(c.seq for c in page.cases)
            cases += [json.loads(c.model_dump_json()) for c in page.cases]
            raw = json.loads(body)
            assert raw["cases"] == [json.loads(Case(**c).model_dump_json()) for c in raw["cases"]]
            since = page.next_since
            if not page.has_more:
                return cases


def _reference(portal: Any, who: Principal, ids: list[int]) -> list[dict[str, Any]]:
    with portal.app.state.portal.db.read_session() as session:
        rows = session.execute(
            select(m.Case).where(m.Case.id.in_(ids)).options(*case_load_options())
        ).scalars()
        by_id = {c.id: json.loads(case_out(c, who).model_dump_json()) for c in rows}
    return [by_id[i] for i in ids]


@pytest.mark.parametrize("username", ["lab_admin", "dentist1"])
def test_the_lean_page_equals_the_validated_models_case_by_case(
    portal: Any, portal_api: Any, username: str
) -> None:
    portal_api.as_("lab_admin")  # the demo users exist once the API helper signed in
    who = _principal(portal, username)
    lean = _lean_pages(portal, who, limit=37)
    assert lean, "the demo portal has cases for this user"
    reference = _reference(portal, who, [c["id"] for c in lean])
    for got, expected in zip(lean, reference, strict=True):
        assert got == expected, got["number"]
    with portal.app.state.portal.db.read_session() as session:
        for expected in reference[::7]:
            found = case_json(session, who, expected["id"])
            assert found is not None
            assert (json.loads(found[0]), found[1]) == (expected, expected["version"])
    if username == "lab_admin":  # the demo covers every optional part of an answer
        assert any(c["qc_signoff"] for c in lean)
        assert any(c["tracking"] for c in lean)
        assert any(c["parent"] for c in lean)
        assert any(c["children"] for c in lean)
        assert any(c["comments"] for c in lean)
        assert any(c["files"] for c in lean)
        assert any(c["patient_name"] is None for c in lean)


def test_another_tenants_case_is_not_found(portal: Any) -> None:
    lab_case = _lean_pages(portal, _principal(portal, "lab_admin"), limit=500)[0]
    clinic_ids = {c["id"] for c in _lean_pages(portal, _principal(portal, "dentist4"), limit=500)}
    assert lab_case["id"] not in clinic_ids
    with portal.app.state.portal.db.read_session() as session:
        assert case_json(session, _principal(portal, "dentist4"), lab_case["id"]) is None


def test_a_page_after_the_last_seq_is_empty(portal: Any) -> None:
    who = _principal(portal, "lab_admin")
    top = _lean_pages(portal, who, limit=500)[-1]["seq"]
    with portal.app.state.portal.db.read_session() as session:
        page = json.loads(case_page_json(session, who, top, 500))
    assert page == {"cases": [], "next_since": top, "has_more": False}


def test_nothing_new_is_a_page_whose_cursor_stays() -> None:
    page = CasePage.model_validate_json(nothing_new(7))
    assert (page.cases, page.next_since, page.has_more) == ([], 7, False)
    assert page_cursor(nothing_new(7)) == (7, False)
    with pytest.raises(ValueError, match="not a sync page"):
        page_cursor(b'{"cases":[]}')
