"""Edits of a case (docs/server.md ``PATCH /cases/{id}``, ``If-Match``): the version header in
its forms, the 412 with the current case, tags, cleared text fields, who edits what and the
words of a refusal, the audit entry. Found unpinned by the mutation run (docs/testing.md)."""

from __future__ import annotations

from typing import Any


def _patch(
    portal_api: Any, user: str, case_id: int, body: dict[str, Any], if_match: str | None
) -> Any:
    headers = {"If-Match": if_match} if if_match is not None else {}
    return portal_api.as_(user).patch(f"/cases/{case_id}", json=body, headers=headers)


def test_if_match_is_the_version_bare_quoted_or_weak(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    version = case["version"]
    for form in (f"{version}", f'"{version + 1}"', f'W/"{version + 2}"'):
        done = _patch(portal_api, "lab_admin", case["id"], {"memo": form}, form)
        assert done.status_code == 200, (form, done.text)
        assert done.headers["ETag"] == f'"{done.json()["version"]}"'
    for missing in (None, ""):
        refused = _patch(portal_api, "lab_admin", case["id"], {"memo": "x"}, missing)
        assert refused.status_code == 428, missing
        error = refused.json()["error"]
        assert (error["code"], error["message"]) == (
            "if_match_required", "send If-Match with the version the change was made on"
        )  # fmt: skip
    for bad in ("abc", "-1", '"1.5"', "W/x", "X1"):
        refused = _patch(portal_api, "lab_admin", case["id"], {"memo": "x"}, bad)
        assert refused.status_code == 400, bad
        error = refused.json()["error"]
        assert (error["code"], error["message"]) == (
            "bad_request", "If-Match must be the case version (a number)"
        )  # fmt: skip


def test_a_stale_edit_is_412_with_the_case_as_it_is_now(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    now = _patch(portal_api, "lab_admin", case["id"], {"memo": "first"}, str(case["version"]))
    stale = _patch(portal_api, "lab_admin", case["id"], {"memo": "late"}, str(case["version"]))
    assert stale.status_code == 412
    assert stale.headers["ETag"] == f'"{now.json()["version"]}"'
    error = stale.json()["error"]
    assert (error["code"], error["message"]) == (
        "stale_version", "the case has changed since you loaded it"
    )  # fmt: skip
    assert error["details"]["version"] == now.json()["version"]
    assert error["details"]["current"]["memo"] == "first"
    assert error["details"]["current"]["version"] == now.json()["version"]


def test_tags_are_trimmed_once_each_and_at_most_twenty_of_forty_characters(
    portal_api: Any,
) -> None:
    case = portal_api.new_case("dentist1")
    version = case["version"]
    tags = [" VIP ", "VIP", "", "  ", "x" * 40] + [f"t{n}" for n in range(18)]
    done = _patch(portal_api, "lab_admin", case["id"], {"tags": tags}, str(version))
    assert done.status_code == 200, done.text
    assert done.json()["tags"] == ["VIP", "x" * 40] + [f"t{n}" for n in range(18)]
    version = done.json()["version"]
    for refused_tags in ([f"t{n}" for n in range(21)], ["x" * 41]):
        refused = _patch(portal_api, "lab_admin", case["id"], {"tags": refused_tags}, str(version))
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert (error["code"], error["message"]) == (
            "validation_error", "at most 20 tags of up to 40 characters"
        )  # fmt: skip
        assert error["details"]["field"] == "tags"
    cleared = _patch(portal_api, "lab_admin", case["id"], {"tags": None}, str(version))
    assert cleared.json()["tags"] == []


def test_cleared_text_fields_become_empty_and_dates_none(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1", instructions="Match 21", due_date="2031-01-02")
    lab = {"memo": "Call first", "expected_note": "bite", "expected_date": "2031-01-05"}
    done = _patch(portal_api, "lab_admin", case["id"], lab, str(case["version"]))
    assert (done.json()["memo"], done.json()["expected_note"]) == ("Call first", "bite")
    assert done.json()["expected_date"] == "2031-01-05"
    cleared = _patch(
        portal_api, "lab_admin", case["id"],
        {"memo": None, "expected_note": None, "expected_date": None}, str(done.json()["version"]),
    ).json()  # fmt: skip
    assert (cleared["memo"], cleared["expected_note"], cleared["expected_date"]) == ("", "", None)
    clinic = _patch(
        portal_api, "dentist1", case["id"], {"instructions": None, "due_date": None},
        str(cleared["version"]),
    ).json()  # fmt: skip
    assert (clinic["instructions"], clinic["due_date"]) == ("", None)
    assert clinic["memo"] == ""  # the rest stays as it was


def test_each_side_is_told_what_it_cannot_change(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    version = str(case["version"])
    lab = _patch(
        portal_api, "lab_admin", case["id"], {"instructions": "x", "due_date": None}, version
    )
    assert lab.status_code == 403
    assert lab.json()["error"]["message"] == "the lab cannot change: due_date, instructions"
    clinic = _patch(portal_api, "dentist1", case["id"], {"tags": [], "memo": "x"}, version)
    assert clinic.status_code == 403
    assert clinic.json()["error"]["message"] == "the clinic cannot change: memo, tags"
    nothing = _patch(portal_api, "lab_admin", case["id"], {}, version)
    assert nothing.status_code == 422
    assert nothing.json()["error"]["message"] == "nothing to change"

    accepted = portal_api.act("reviewer", case["id"], "accept").json()
    locked = _patch(portal_api, "dentist1", case["id"], {"instructions": "x"},
                    str(accepted["version"]))  # fmt: skip
    assert locked.status_code == 409
    error = locked.json()["error"]
    assert error["message"] == (
        "the lab has accepted the case; it can no longer be edited by the clinic"
    )
    assert error["details"] == {"status": "design"}


def test_a_lab_edit_refused_for_the_status_says_so(portal_api: Any) -> None:
    from labdesk.domain import lab_fields
    from labdesk.domain.lifecycle import TransitionError

    case = portal_api.new_case("dentist1")
    shipped = portal_api.advance(case["id"], "shipped")
    refused = _patch(portal_api, "lab_admin", case["id"], {"expected_date": "2031-01-01"},
                     str(shipped["version"]))  # fmt: skip
    assert refused.status_code == 409
    error = refused.json()["error"]
    try:
        lab_fields.check_edit("shipped", ["lab_admin"], ["expected_date"])
    except TransitionError as exc:
        words = str(exc)
    assert (error["code"], error["message"], error["details"]) == (
        "case_locked", words, {"status": "shipped"}
    )  # fmt: skip
    forbidden = _patch(portal_api, "shipping", case["id"], {"assignee": None},
                       str(shipped["version"]))  # fmt: skip
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["message"].startswith("only ")


def test_an_edit_is_audited_with_the_fields_it_changed(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    _patch(portal_api, "lab_admin", case["id"], {"tags": ["a"], "memo": "m"}, str(case["version"]))
    portal_api.as_("dentist1").post(f"/cases/{case['id']}/comments", json={"body": "hi"})
    entries = portal_api.as_("lab_admin").get("/audit", params={"case_id": case["id"]}).json()
    patches = [(e["actor"], e["details"]) for e in entries if e["event"] == "case_patch"]
    assert patches == [("lab_admin", {"fields": ["memo", "tags"]})]
    comments = [e["actor"] for e in entries if e["event"] == "case_comment"]
    assert comments == ["dentist1"]


def test_an_assignee_from_outside_the_lab_is_refused_by_name(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    refused = _patch(portal_api, "lab_admin", case["id"], {"assignee": "lab2_admin"},
                     str(case["version"]))  # fmt: skip
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["message"], error["details"]) == (
        "'lab2_admin' is not a member of the lab", {"field": "assignee"}
    )  # fmt: skip


def test_an_edit_changes_only_the_fields_it_names(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1", instructions="Match 21", due_date="2031-01-02")
    clinic = _patch(portal_api, "dentist1", case["id"], {"instructions": "Match 11"},
                    str(case["version"])).json()  # fmt: skip
    assert (clinic["instructions"], clinic["due_date"]) == ("Match 11", "2031-01-02")
    lab = _patch(portal_api, "lab_admin", case["id"], {"memo": "m"}, str(clinic["version"])).json()
    assert (lab["instructions"], lab["due_date"], lab["tags"]) == ("Match 11", "2031-01-02", [])


def test_another_labs_case_is_not_found(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    hidden = _patch(portal_api, "lab2_admin", case["id"], {"memo": "x"}, str(case["version"]))
    assert hidden.status_code == 404
    error = hidden.json()["error"]
    assert (error["code"], error["message"]) == ("not_found", "no such case")


def test_the_lab_assigns_and_unassigns_and_the_dentist_moves_the_due_date(
    portal_api: Any,
) -> None:
    case = portal_api.new_case("dentist1", due_date="2031-01-02")
    moved = _patch(portal_api, "dentist1", case["id"], {"due_date": "2031-02-03"},
                   str(case["version"]))  # fmt: skip
    assert moved.status_code == 200, moved.text
    assert moved.json()["due_date"] == "2031-02-03"
    assigned = _patch(portal_api, "lab_admin", case["id"], {"assignee": "designer"},
                      str(moved.json()["version"]))  # fmt: skip
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee"] == "designer"
    unassigned = _patch(portal_api, "lab_admin", case["id"], {"assignee": None},
                        str(assigned.json()["version"]))  # fmt: skip
    assert unassigned.status_code == 200, unassigned.text
    assert (unassigned.json()["assignee"], unassigned.json()["assignee_name"]) == (None, None)
    again = portal_api.get("reviewer", case["id"])
    assert (again["assignee"], again["due_date"]) == (None, "2031-02-03")
