"""Every action × status × role of DESIGN.md's table against the real portal: 200, 403 or 409.

test_server_actions.py walks each row with one allowed and one forbidden role; a role added to
a row (a ceramist allowed to start finishing) survives it. Here, for each state a case can be
in, every action is posted by a user of every role a person can sign in with (the demo's lab
staff and a dentist of the case's clinic; ``system`` is no sign-in: the portal refuses a user
holding it, and the domain matrix covers it), and the portal must answer exactly what the
table (tests/lifecycle_spec.py) says: 409 when the action does not exist in that status, 403
when it exists for other roles, 200 and the table's target otherwise. Refused requests must
leave the case as it was.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.lifecycle_spec import ACTIONS, ROLES, expected, target_of

QUOTE_ITEM = [{"catalog_code": "IMPL-CUSTOM", "shade": "A3", "teeth": [36]}]
PERSON_ROLES = [role for role in ROLES if role != "system"]
USER_OF_ROLE = {role: role for role in PERSON_ROLES} | {"dentist": "dentist1"}

# Valid fields for each action, so that a permitted request is not refused for a missing field.
FIELDS: dict[str, dict[str, Any]] = {
    "reject": {"reason_code": "unreadable_scan"},
    "qc_pass": {"checklist": "all"},
    "qc_fail": {"reason": "Open contact mesial"},
    "ship": {"carrier": "DHL", "tracking_number": "JD014600006281"},
    "hold": {"reason": "Waiting for the shade"},
    "cancel": {"reason": "The clinic asked"},
    "request_remake": {"reason": "Shade too dark"},
}
# Computed targets for the cases made here: accepted without a quote, QC fail without back_to,
# resumed after a hold taken in "received".
COMPUTED = {"accept": "design", "qc_fail": "production", "resume": "received"}

# state id: (status the portal shows, signed off)
STATES = {
    "received": ("received", False),
    "rejected": ("rejected", False),
    "invoicing": ("invoicing", False),
    "design": ("design", False),
    "production": ("production", False),
    "finishing": ("finishing", False),
    "qc": ("qc", False),
    "signed_off": ("qc", True),
    "shipped": ("shipped", True),  # the sign-off stays on record
    "delivered": ("delivered", True),
    "on_hold": ("on_hold", False),
    "cancelled": ("cancelled", False),
    "remake_requested": ("remake_requested", True),
}


def _case_in(api: Any, state: str) -> dict[str, Any]:
    """A new case of dentist1 walked to ``state``."""
    case = api.new_case("dentist1", items=QUOTE_ITEM if state == "invoicing" else None)
    if state == "invoicing":
        api.advance(case["id"], "design")  # the quote item sends accept to invoicing
    elif state == "cancelled":
        assert api.act("lab_admin", case["id"], "cancel", reason="x").status_code == 200
    elif state == "remake_requested":
        api.advance(case["id"], "delivered")
        done = api.act("dentist1", case["id"], "request_remake", reason="x")
        assert done.status_code == 200, done.text
    else:
        api.advance(case["id"], state)
    now = api.get("lab_admin", case["id"])
    assert (now["status"], now["signed_off"]) == STATES[state]
    return dict(now)


@pytest.mark.parametrize("state", list(STATES))
def test_every_action_by_every_role(portal_api: Any, state: str) -> None:
    api = portal_api
    status, signed = STATES[state]
    probe = _case_in(api, state)
    refused: list[str] = []
    for action in ACTIONS:
        for role in PERSON_ROLES:
            answer = expected(status, signed, action, role)
            user = USER_OF_ROLE[role]
            if answer == "ok":
                case = _case_in(api, state)
                response = api.act(user, case["id"], action, **dict(FIELDS.get(action, {})))
                assert response.status_code == 200, (state, action, role, response.text)
                want = target_of(status, action, role) or COMPUTED[action]
                assert response.json()["status"] == want, (state, action, role)
                continue
            response = api.act(
                user, probe["id"], action, version=probe["version"], **dict(FIELDS.get(action, {}))
            )
            code = {"forbidden": 403, "impossible": 409}[answer]
            if response.status_code != code:
                refused.append(f"{action} by {role}: {response.status_code} {response.text}")
                continue
            want_code = "forbidden" if code == 403 else "transition_not_allowed"
            assert response.json()["error"]["code"] == want_code, (state, action, role)
    assert not refused, "\n".join(refused)
    after = api.get("lab_admin", probe["id"])
    assert (after["version"], after["status"]) == (probe["version"], probe["status"])
