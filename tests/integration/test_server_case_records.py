"""What the portal records for a new case and for a remake, field by field (docs/server.md
``POST /cases``, the remake rules in the design document). Found unpinned by the mutation run
(docs/testing.md): the tests that submit and remake cases looked at a few fields only."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from labdesk.domain import due
from labdesk.server import models

STL = b"solid x\nfacet normal 0 0 1\nendsolid x\n"


def _audit(portal_api: Any, case_id: int, event: str) -> list[dict[str, Any]]:
    entries = portal_api.as_("lab_admin").get("/audit", params={"case_id": case_id}).json()
    return [e for e in entries if e["event"] == event]


def test_a_new_case_records_what_the_dentist_sent(portal_api: Any) -> None:
    body = {
        "patient_name": "  Ada Quillfeather  ",
        "share_patient_name": True,
        "items": [
            {"catalog_code": "PFM-BRIDGE", "shade": "B2", "teeth": [34, 35, 36], "pontics": [35],
             "notes": "light contacts"},
            {"catalog_code": "ZR-CROWN", "material": "Monolithic zirconia", "teeth": [11]},
        ],
        "instructions": "Match the neighbours",
        "prescription": [{"question": "Margin", "answer": "Chamfer"}],
        "scan_delivery": "physical_impression",
        "due_date": "2031-02-03",
        "rush": True,
    }  # fmt: skip
    created = portal_api.as_("dentist1").post("/cases", json=body)
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"/api/v1/cases/{created.json()['id']}"
    case = portal_api.get("reviewer", created.json()["id"])
    year = datetime.now(UTC).year
    assert re.fullmatch(rf"C-{year}-\d{{5}}", case["number"]), case["number"]
    assert re.fullmatch(r"PT-[0-9A-F]{6}", case["patient_ref"]), case["patient_ref"]
    me = portal_api.as_("dentist1").get("/me").json()
    assert (case["dentist_id"], case["dentist_name"]) == (me["id"], me["display_name"])
    assert case["clinic_id"] == me["organization"]["id"]
    reviewer = portal_api.as_("reviewer").get("/me").json()
    assert case["lab_id"] == reviewer["organization"]["id"]  # the clinic's usual lab
    assert (case["patient_name"], case["share_patient_name"]) == ("Ada Quillfeather", True)
    assert case["instructions"] == "Match the neighbours"
    assert case["prescription"] == [{"question": "Margin", "answer": "Chamfer"}]
    assert (case["scan_delivery"], case["due_date"], case["rush"]) == (
        "physical_impression", "2031-02-03", True
    )  # fmt: skip
    assert (case["needs_quote"], case["tags"], case["status"]) == (False, [], "received")
    assert (case["version"], case["previous_status"], case["signed_off"]) == (1, None, False)
    items = [
        (i["catalog_code"], i["material"], i["shade"], i["teeth"], i["pontics"], i["notes"])
        for i in case["items"]
    ]
    assert items == [
        ("PFM-BRIDGE", "Porcelain fused to metal", "B2", [34, 35, 36], [35], "light contacts"),
        ("ZR-CROWN", "Monolithic zirconia", None, [11], [], ""),
    ]  # the catalog's material unless the dentist chose one
    [step] = case["history"]
    assert (step["action"], step["from_status"], step["to_status"], step["by"]) == (
        "submit", None, "received", "dentist1"
    )  # fmt: skip
    assert case["created_at"] == step["at"]  # the case exists from its submission
    [submitted] = _audit(portal_api, case["id"], "case_submit")
    assert submitted["actor"] == "dentist1"
    assert submitted["details"] == {"number": case["number"]}
    assert submitted["at"] == step["at"]


def test_a_case_needs_a_quote_when_one_of_its_items_does(portal_api: Any) -> None:
    case = portal_api.new_case(
        "dentist1",
        items=[{"catalog_code": "ZR-CROWN", "teeth": [11]},
               {"catalog_code": "FULL-ARCH", "teeth": list(range(31, 39))}],
    )  # fmt: skip
    assert case["needs_quote"] is True


def test_a_remake_copies_the_case_and_is_rushed_at_the_original_price(
    portal_api: Any, portal: Any
) -> None:
    original = portal_api.new_case(
        "dentist1", patient_name="Bram Oosterhuis", share_patient_name=False,
        instructions="Shade tab photo attached", scan_delivery="physical_impression",
        prescription=[{"question": "Occlusion", "answer": "Light"}],
        items=[{"catalog_code": "PFM-BRIDGE", "shade": "B2", "teeth": [34, 35, 36],
                "pontics": [35], "notes": "check the bite"},
               {"catalog_code": "EMAX-CROWN", "material": "Press", "shade": "A1",
                "teeth": [21]}],
    )  # fmt: skip
    dentist = portal_api.as_("dentist1")
    scan = dentist.post(
        f"/cases/{original['id']}/files",
        files={"file": ("lower.stl", STL)},
        data={"kind": "scan", "jaw": "lower"},
    )
    assert scan.status_code == 201, scan.text
    portal_api.advance(original["id"], "delivered")
    with portal.app.state.portal.db.writing() as session:  # a quoted case, paid up front
        session.execute(
            update(models.Case)
            .where(models.Case.id == original["id"])
            .values(needs_quote=True, billing="prepay")
        )
    before = portal_api.get("dentist1", original["id"])
    answer = portal_api.act("dentist1", original["id"], "request_remake", reason="Rocks on 36")
    assert answer.status_code == 200, answer.text
    [ref] = answer.json()["children"]
    child = portal_api.get("dentist1", ref["id"])
    lab_view = portal_api.as_("reviewer").get(f"/cases/{ref['id']}")

    assert child["number"] != before["number"]
    assert re.fullmatch(rf"C-{datetime.now(UTC).year}-\d{{5}}", child["number"])
    same = ("lab_id", "clinic_id", "dentist_id", "patient_ref", "patient_name",
            "share_patient_name", "prescription", "scan_delivery")  # fmt: skip
    assert {k: child[k] for k in same} == {k: before[k] for k in same}
    assert child["scan_delivery"] == "physical_impression"
    assert child["patient_name"] == "Bram Oosterhuis"  # the clinic sees the name
    assert "Oosterhuis" not in lab_view.text  # the lab does not: it was not shared
    assert child["instructions"] == (
        f"Remake of {before['number']}: Rocks on 36\n\nShade tab photo attached"
    )
    today = datetime.now(UTC).date()
    assert child["due_date"] == due.due_date(today, 8, rush=True).isoformat()  # longest: bridge
    assert (child["rush"], child["needs_quote"], child["billing"]) == (True, False, "prepay")
    assert (child["tags"], child["status"], child["version"]) == (["remake"], "received", 1)
    assert child["parent"]["id"] == before["id"]

    def items(case: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (i["catalog_code"], i["material"], i["shade"], i["teeth"], i["pontics"], i["notes"])
            for i in case["items"]
        ]

    assert items(child) == items(before)
    files = [(f["kind"], f["jaw"], f["filename"], f["media_type"], f["size"], f["sha256"],
              f["uploaded_by"], f["uploaded_at"]) for f in child["files"]]  # fmt: skip
    assert files == [("scan", "lower", "lower.stl", "model/stl", len(STL), scan.json()["sha256"],
                      "dentist1", before["files"][0]["uploaded_at"])]  # fmt: skip
    [step] = child["history"]
    assert child["created_at"] == step["at"]  # the remake exists from its request
    assert (step["action"], step["from_status"], step["to_status"], step["by"]) == (
        "request_remake", None, "received", "dentist1"
    )  # fmt: skip
    assert (step["reason"], step["note"]) == ("Rocks on 36", f"remake of {before['number']}")
    [created] = _audit(portal_api, child["id"], "case_remake_created")
    assert created["actor"] == "dentist1"
    assert created["details"] == {"parent": before["number"]}
    assert created["at"] == step["at"]


def test_a_refused_case_names_every_problem_of_its_items(portal_api: Any) -> None:
    items = [
        {"catalog_code": "GOLD", "teeth": [11]},
        {"catalog_code": "ZR-CROWN", "teeth": []},
        {"catalog_code": "PFM-BRIDGE", "teeth": [34, 36], "pontics": [35]},
        {"catalog_code": "ZR-CROWN", "teeth": [21, 21], "pontics": [21]},
        {"catalog_code": "EMAX-CROWN", "teeth": [19]},
    ]
    refused = portal_api.as_("dentist1").post("/cases", json={"patient_name": "X", "items": items})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    problems = [
        "item 1: unknown catalog code 'GOLD'",
        "item 2: Zirconia crown needs at least one tooth",
        "item 3: pontics must be among the item's teeth",
        "item 4: only a bridge has pontics",
        "item 4: a tooth is listed twice",
        "item 5: not FDI tooth numbers: [19]",
    ]
    assert (error["code"], error["message"]) == ("validation_error", "; ".join(problems))
    assert error["details"] == {"problems": problems}
    denture = portal_api.new_case("dentist1", items=[{"catalog_code": "DENTURE-FULL", "teeth": []}])
    assert denture["items"][0]["teeth"] == []  # a removable restoration needs no tooth


def test_a_lab_the_clinic_does_not_send_to_is_refused_like_no_lab(portal_api: Any) -> None:
    client = portal_api.as_("dentist1")
    item = [{"catalog_code": "ZR-CROWN", "teeth": [11]}]
    for lab_id in (2, 2**31 - 1):  # another lab, not linked to this clinic; no lab at all
        refused = client.post("/cases", json={"patient_name": "X", "items": item, "lab_id": lab_id})
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert (error["message"], error["details"]) == (
            "choose the lab to send the case to", {"field": "lab_id"}
        )  # fmt: skip
