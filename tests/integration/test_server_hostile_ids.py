"""Issue 12, defect 3: ids and cursors of 2^63 and more answered 500 (the database driver
overflowed) and dropped the keep-alive connection. Now every id and cursor is bounded in the
wire schemas (``schemas.WireId``): 422 when it cannot be a row, 404 when it is simply absent."""

from __future__ import annotations

from typing import Any

import pytest

from labdesk.api.schemas import MAX_WIRE_INT

HUGE = (10**20, 2**63, 2**31)  # beyond the INTEGER columns: 422, never 500
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("value", HUGE)
def test_huge_ids_in_paths_and_queries_are_422_never_500(portal_api: Any, value: int) -> None:
    lab = portal_api.as_("lab_admin")
    dentist = portal_api.as_("dentist1")
    version = {"If-Match": "1", "Idempotency-Key": portal_api.key()}
    answers = {
        "since": lab.get("/cases", params={"since": value}),
        "case": lab.get(f"/cases/{value}"),
        "history": lab.get(f"/cases/{value}/history"),
        "files of case": lab.get(f"/cases/{value}/files"),
        "file": lab.get(f"/files/{value}"),
        "before": lab.get("/audit", params={"before": value}),
        "audit case_id": lab.get("/audit", params={"case_id": value}),
        "action": lab.post(f"/cases/{value}/actions", json={"action": "accept"}, headers=version),
        "patch": lab.patch(f"/cases/{value}", json={"memo": "x"}, headers=version),
        "comment": lab.post(f"/cases/{value}/comments", json={"body": "x"}),
        "attachment": lab.post(
            f"/cases/{value}/attachments", files={"file": ("a.png", PNG, "image/png")}
        ),
        "clinic file": dentist.post(
            f"/cases/{value}/files", files={"file": ("a.png", PNG, "image/png")}
        ),
        "unlink": lab.delete(f"/lab/clinic-links/{value}"),
    }
    for name, response in answers.items():
        assert response.status_code == 422, (name, response.status_code, response.text)
        assert response.json()["error"]["code"] == "validation_error", name
    # The connection survived every answer: the same client still works.
    assert lab.get("/cases", params={"limit": 1}).status_code == 200


@pytest.mark.parametrize("value", HUGE)
def test_huge_ids_in_bodies_are_422(portal_api: Any, value: int) -> None:
    case = portal_api.new_case("dentist2")
    reject = portal_api.act(
        "reviewer", case["id"], "reject", reason_code="unclear_margin", attachment_ids=[value]
    )
    assert reject.status_code == 422, reject.text
    body = {"patient_name": "X", "items": [{"catalog_code": "ZR-CROWN", "teeth": [11]}]}
    submit = portal_api.as_("dentist1").post("/cases", json={**body, "lab_id": value})
    assert submit.status_code == 422, submit.text
    link = portal_api.as_("lab_admin").post("/lab/clinic-links", json={"clinic_id": value})
    assert link.status_code == 422, link.text


def test_json_numbers_written_as_floats_are_422_too(portal_api: Any) -> None:
    body = '{"patient_name": "X", "items": [{"catalog_code": "ZR-CROWN", "teeth": [11]}], '
    response = portal_api.as_("dentist1").post(
        "/cases", content=body + '"lab_id": 1e20}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text


def test_the_largest_id_is_simply_not_found(portal_api: Any) -> None:
    lab = portal_api.as_("lab_admin")
    assert lab.get(f"/cases/{MAX_WIRE_INT}").status_code == 404
    assert lab.get(f"/files/{MAX_WIRE_INT}").status_code == 404
    assert lab.get("/cases", params={"since": MAX_WIRE_INT}).json()["cases"] == []
    assert lab.get("/audit", params={"before": MAX_WIRE_INT, "limit": 1}).status_code == 200
    assert lab.get("/audit", params={"case_id": MAX_WIRE_INT}).json() == []
    assert lab.get("/cases/-1").status_code == 422
