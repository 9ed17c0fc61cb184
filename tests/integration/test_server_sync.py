"""The sync listing: ``GET /cases?since=&limit=`` pages in seq order, tenants stay apart."""

from __future__ import annotations

from typing import Any

import pytest

from labdesk.api.schemas import Case, CasePage
from labdesk.domain.lifecycle import Status


def _pull(client: Any, since: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    """Every case after ``since``, page by page, checking the paging contract."""
    cases: list[dict[str, Any]] = []
    while True:
        response = client.get("/cases", params={"since": since, "limit": limit})
        assert response.status_code == 200, response.text
        page = CasePage.model_validate(response.json())
        seqs = [c.seq for c in page.cases]
        assert seqs == sorted(seqs)
        assert all(s > since for s in seqs)
        assert len(page.cases) <= limit
        if page.cases:
            # next_since is the page's own cursor (its first step), never "the highest seq shown":
            # without a concurrent change the two agree; test_server_pinned_rules covers a change.
            assert since < page.next_since <= seqs[-1]
        else:
            assert page.next_since == since
            assert not page.has_more
        cases += response.json()["cases"]
        since = page.next_since
        if not page.has_more:
            return cases


def _first(client: Any) -> dict[str, Any]:
    case: dict[str, Any] = client.get("/cases", params={"limit": 1}).json()["cases"][0]
    return case


def test_a_lab_pulls_all_its_cases_page_by_page(portal_api: Any) -> None:
    cases = _pull(portal_api.as_("lab_admin"), limit=37)
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)) >= 290
    assert {c["lab_id"] for c in cases} == {1}
    # The demo has cases in every status, with history, items and files.
    assert {c["status"] for c in cases} == {s.value for s in Status}
    assert all(c["history"] for c in cases)
    assert all(c["items"] for c in cases)
    assert sum(1 for c in cases if c["files"]) > 150
    for case in cases[:20]:
        Case.model_validate(case)


def test_a_change_moves_the_case_after_the_cursor(portal_api: Any) -> None:
    client = portal_api.as_("reviewer")
    latest = _pull(client, limit=500)[-1]["seq"]
    assert _pull(client, since=latest) == []
    case = portal_api.new_case("dentist2")
    assert case["seq"] > latest
    after = portal_api.advance(case["id"], "design")
    changed = _pull(client, since=latest)
    assert [c["id"] for c in changed] == [case["id"]]
    assert changed[0]["seq"] == after["seq"] > case["seq"]
    assert changed[0]["version"] == case["version"] + 1


def test_the_second_lab_sees_only_its_own_cases(portal_api: Any) -> None:
    lab2 = _pull(portal_api.as_("lab2_admin"), limit=500)
    assert 25 <= len(lab2) <= 60
    assert {c["lab_id"] for c in lab2} == {2}
    lab1_case = _first(portal_api.as_("lab_admin"))
    client = portal_api.as_("lab2_admin")
    for path in (f"/cases/{lab1_case['id']}", f"/cases/{lab1_case['id']}/history"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    response = portal_api.act("lab2_admin", lab1_case["id"], "hold", version=1, reason="x")
    assert response.status_code == 404
    cases = _pull(portal_api.as_("lab_admin"), limit=500)
    file_id = next(c["files"][0]["id"] for c in cases if c["files"])
    assert client.get(f"/files/{file_id}").status_code == 404


def test_a_dentist_sees_only_the_clinics_cases(portal_api: Any) -> None:
    cases = _pull(portal_api.as_("dentist7"), limit=500)
    assert cases
    assert {c["clinic_id"] for c in cases} == {3}
    assert {c["lab_id"] for c in cases} <= {1, 2}  # one clinic may send to both labs
    other = _first(portal_api.as_("dentist1"))
    assert portal_api.as_("dentist7").get(f"/cases/{other['id']}").status_code == 404


def test_the_lab_does_not_see_an_unshared_patient_name(portal_api: Any) -> None:
    case = portal_api.new_case("dentist3", patient_name="Margarethe Vogelsang",
                               share_patient_name=False)  # fmt: skip
    assert case["patient_name"] == "Margarethe Vogelsang"  # the dentist sees it
    seen = portal_api.get("reviewer", case["id"])
    assert seen["patient_name"] is None
    assert seen["patient_initials"] == "M.V."
    assert seen["patient_ref"] == case["patient_ref"]
    assert "Vogelsang" not in portal_api.as_("reviewer").get(f"/cases/{case['id']}").text
    listed = _pull(portal_api.as_("reviewer"), since=case["seq"] - 1)
    assert all(c["patient_name"] is None for c in listed if not c["share_patient_name"])


def test_case_detail_and_history(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "production")
    response = portal_api.as_("designer").get(f"/cases/{case['id']}")
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'
    history = portal_api.as_("designer").get(f"/cases/{case['id']}/history").json()
    assert [(h["action"], h["from_status"], h["to_status"], h["by"]) for h in history] == [
        ("submit", None, "received", "dentist1"),
        ("accept", "received", "design", "reviewer"),
        ("start_production", "design", "production", "designer"),
    ]
    assert response.json()["history"] == history


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"since": -1}, "since"), ({"limit": "x"}, "limit")],
)
def test_bad_paging_parameters_are_422_with_field_messages(
    portal_api: Any, params: dict[str, Any], field: str
) -> None:
    response = portal_api.as_("lab_admin").get("/cases", params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"][0]["loc"] == ["query", field]


def test_unknown_paths_and_methods_answer_in_the_error_shape(portal_api: Any) -> None:
    client = portal_api.as_("lab_admin")
    missing = client.get("/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = client.delete("/cases")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"
    assert client.get("/cases/999999").json()["error"]["code"] == "not_found"


def test_reference_data_people_and_health(portal_api: Any) -> None:
    client = portal_api.as_("reviewer")
    reasons = client.get("/reference/rejection-reasons").json()
    assert {
        "code": "other",
        "label": "Other (explain in the note)",
        "note_required": True,
    } in reasons
    catalog = client.get("/reference/catalog").json()
    assert any(item["needs_quote"] for item in catalog)
    assert {"ZR-CROWN", "PFM-BRIDGE", "NIGHT-GUARD"} <= {item["code"] for item in catalog}
    people = client.get("/people").json()
    assert {p["username"] for p in people} >= {"lab_admin", "designer", "shipping"}
    assert "lab2_admin" not in {p["username"] for p in people}
    with portal_api.anonymous() as anonymous:
        health = anonymous.get("/health").json()
        assert health["status"] == "ok"
        assert anonymous.get(portal_api.url + "/openapi.json").json()["info"]["title"]


def test_nothing_new_is_answered_when_the_high_water_mark_has_expired(
    portal_api: Any, portal: Any
) -> None:
    client = portal_api.as_("reviewer")
    top = max(c["seq"] for c in _pull(client))
    portal.app.state.portal.db.changes.forget_marks()  # as after a lost feed: ask the database
    nothing = client.get("/cases", params={"since": top})
    assert nothing.status_code == 200, nothing.text
    assert nothing.json() == {"cases": [], "next_since": top, "has_more": False}


def test_a_change_reaches_the_clinics_listing_at_once(portal_api: Any) -> None:
    dentist = portal_api.as_("dentist1")
    case = portal_api.new_case("dentist1")
    top = max(c["seq"] for c in _pull(dentist))
    assert dentist.get("/cases", params={"since": top}).json()["cases"] == []
    commented = portal_api.as_("reviewer").post(
        f"/cases/{case['id']}/comments", json={"body": "Shade confirmed"}
    )
    assert commented.status_code == 200, commented.text
    page = dentist.get("/cases", params={"since": top}).json()
    assert [c["id"] for c in page["cases"]] == [case["id"]]
    assert page["next_since"] == commented.json()["seq"] > top
