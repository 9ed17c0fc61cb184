"""Issue 12, defect 7: a clinic sends cases only to labs it is linked to; lab admins manage
their lab's links. An unlinked lab answers exactly like a lab that does not exist."""

from __future__ import annotations

from typing import Any

from labdesk.server.tenancy import clinic_linked

BODY = {"patient_name": "X", "items": [{"catalog_code": "ZR-CROWN", "teeth": [11]}]}
LAB1, LAB2 = 1, 2
RIVERSIDE, OLD_TOWN = 1, 2  # demo clinics: Riverside sends only to lab 1


def _submit(api: Any, dentist: str, lab_id: int) -> Any:
    return api.as_(dentist).post("/cases", json={**BODY, "lab_id": lab_id})


def test_an_unlinked_lab_answers_like_a_lab_that_does_not_exist(portal_api: Any) -> None:
    unlinked = _submit(portal_api, "dentist1", LAB2)
    missing = _submit(portal_api, "dentist1", 999)
    assert unlinked.status_code == missing.status_code == 422
    assert unlinked.json() == missing.json()
    assert _submit(portal_api, "dentist4", LAB2).status_code == 201  # Old Town is linked


def test_clinic_linked_is_the_one_rule(portal: Any) -> None:
    with portal.app.state.portal.db.read_session() as session:
        assert clinic_linked(session, LAB1, RIVERSIDE)
        assert not clinic_linked(session, LAB2, RIVERSIDE)
        assert clinic_linked(session, LAB2, OLD_TOWN)
        assert not clinic_linked(session, 999, RIVERSIDE)


def test_lab_admins_link_and_unlink_clinics(portal_api: Any) -> None:
    admin2 = portal_api.as_("lab2_admin")
    listed = admin2.get("/lab/clinic-links").json()
    assert {c["clinic_name"] for c in listed} == {"Old Town Dental Care", "Harbour View Dental"}
    added = admin2.post("/lab/clinic-links", json={"clinic_id": RIVERSIDE})
    assert added.status_code == 201, added.text
    assert added.json()["clinic_name"] == "Riverside Family Dentistry"
    assert admin2.post("/lab/clinic-links", json={"clinic_id": RIVERSIDE}).status_code == 201
    case = _submit(portal_api, "dentist1", LAB2)
    assert case.status_code == 201
    assert admin2.delete(f"/lab/clinic-links/{RIVERSIDE}").status_code == 204
    assert _submit(portal_api, "dentist1", LAB2).status_code == 422
    # The case already sent stays with the lab.
    assert admin2.get(f"/cases/{case.json()['id']}").status_code == 200
    assert admin2.delete(f"/lab/clinic-links/{RIVERSIDE}").status_code == 404
    assert admin2.post("/lab/clinic-links", json={"clinic_id": 999}).status_code == 404
    events = {e["event"] for e in admin2.get("/audit").json()}
    assert {"clinic_linked", "clinic_unlinked"} <= events


def test_only_lab_admins_manage_links(portal_api: Any) -> None:
    for user in ("reviewer", "shipping", "dentist1"):
        client = portal_api.as_(user)
        assert client.get("/lab/clinic-links").status_code == 403, user
        assert client.post("/lab/clinic-links", json={"clinic_id": 1}).status_code == 403
        assert client.delete("/lab/clinic-links/1").status_code == 403
    # Another lab's admin removes nothing of lab 1.
    assert portal_api.as_("lab2_admin").delete(f"/lab/clinic-links/{RIVERSIDE}").status_code in (
        204,
        404,
    )
    with portal_api.running.app.state.portal.db.read_session() as session:
        assert clinic_linked(session, LAB1, RIVERSIDE)
