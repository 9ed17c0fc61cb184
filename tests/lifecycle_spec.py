"""DESIGN.md's lifecycle table, written out again by hand as the tests' independent reading.

The product's table (``labdesk/domain/lifecycle.py``) is the one home of the rules; this copy
exists only so that a test can compare the product against the document. It is deliberately
plain strings, not the product's enums, so a change to the product's table cannot quietly
change what the tests expect. Used by the domain matrix (tests/unit/test_lifecycle_matrix.py)
and the portal matrix (tests/integration/test_server_action_matrix.py).
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = (
    "received", "rejected", "invoicing", "design", "production", "finishing", "qc",
    "shipped", "delivered", "on_hold", "cancelled", "remake_requested",
)  # fmt: skip
ROLES = (
    "lab_admin", "reviewer", "designer", "production_tech", "ceramist", "finishing_tech",
    "qc_manager", "shipping", "dentist", "system",
)  # fmt: skip
WORKING = ("received", "invoicing", "design", "production", "finishing", "qc")
NON_TERMINAL_BUT_DELIVERED = tuple(
    s for s in STATUSES if s not in ("cancelled", "remake_requested", "delivered")
)


@dataclass(frozen=True)
class Rule:
    """One line of the table: from ``sources`` the ``roles`` may take ``action``.

    ``signed_off``: True = only once QC signed off, False = only before, None = either.
    ``target`` None means computed (accept → design/invoicing, qc_fail → back_to, resume →
    the status before the hold).
    """

    action: str
    sources: tuple[str | None, ...]
    target: str | None
    roles: tuple[str, ...]
    signed_off: bool | None = None


RULES = (
    Rule("submit", (None,), "received", ("dentist", "system")),
    Rule("resubmit", ("rejected",), "received", ("dentist",)),
    Rule("accept", ("received",), None, ("lab_admin", "reviewer")),
    Rule("reject", ("received",), "rejected", ("lab_admin", "reviewer")),
    Rule("accept_quote", ("invoicing",), "design", ("dentist",)),
    Rule("start_production", ("design",), "production", ("lab_admin", "designer")),
    Rule("start_finishing", ("production",), "finishing", ("lab_admin", "production_tech")),
    Rule("send_to_qc", ("finishing",), "qc", ("lab_admin", "ceramist", "finishing_tech")),
    Rule("qc_pass", ("qc",), "qc", ("lab_admin", "qc_manager"), signed_off=False),
    Rule("qc_fail", ("qc",), None, ("lab_admin", "qc_manager")),
    Rule("ship", ("qc",), "shipped", ("lab_admin", "shipping"), signed_off=True),
    Rule("deliver", ("shipped",), "delivered", ("system", "dentist", "lab_admin")),
    Rule("hold", WORKING, "on_hold", ("lab_admin", "system")),
    Rule("resume", ("on_hold",), None, ("lab_admin",)),
    Rule("cancel", ("received", "rejected", "invoicing", "design"), "cancelled", ("dentist",)),
    Rule("cancel", NON_TERMINAL_BUT_DELIVERED, "cancelled", ("lab_admin",)),
    Rule("request_remake", ("shipped", "delivered"), "remake_requested", ("dentist",)),
)
ACTIONS = tuple(dict.fromkeys(rule.action for rule in RULES))


def expected(status: str | None, signed_off: bool, action: str, role: str) -> str:
    """``"ok"``, ``"forbidden"`` (403: the action exists here, not for this role) or
    ``"impossible"`` (409: not from this status, or the QC sign-off state is wrong)."""
    here = [rule for rule in RULES if rule.action == action and status in rule.sources]
    if not here:
        return "impossible"
    mine = [rule for rule in here if role in rule.roles]
    if not mine:
        return "forbidden"
    if any(rule.signed_off is None or rule.signed_off == signed_off for rule in mine):
        return "ok"
    return "impossible"


def target_of(status: str | None, action: str, role: str) -> str | None:
    """The target of the line ``role`` uses (None where it is computed)."""
    for rule in RULES:
        if rule.action == action and status in rule.sources and role in rule.roles:
            return rule.target
    raise LookupError((status, action, role))


# Every state a case can be in: a status, and for "qc" whether QC signed it off.
STATES: tuple[tuple[str | None, bool], ...] = (
    (None, False),
    *((s, False) for s in STATUSES),
    ("qc", True),
)
