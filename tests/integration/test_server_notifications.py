"""Notifications to the dentist: outbox rows, delivered over real SMTP on loopback; SMS by
the recording sender. Hold always goes by e-mail AND SMS."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from labdesk.server import models

DENTIST1 = "dentist1@riverside.example"


def _wait(predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("not delivered in time")
        time.sleep(0.05)


def _rows(running: Any, case_id: int) -> list[models.Notification]:
    with running.app.state.portal.db.read_session() as session:
        return list(
            session.execute(
                select(models.Notification)
                .where(models.Notification.case_id == case_id)
                .order_by(models.Notification.id)
            ).scalars()
        )


def _settled(running: Any, case_id: int) -> list[models.Notification]:
    """The case's notification rows once none is pending any more (else [])."""
    rows = _rows(running, case_id)
    return rows if rows and all(r.status != "pending" for r in rows) else []


def _mails(sink: Any, subject: str) -> list[Any]:
    return [m for m in sink.to(DENTIST1) if subject in m["Subject"]]


def test_a_rejection_is_mailed_to_the_dentist(portal_api: Any, smtp_sink: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.act(
        "reviewer", case["id"], "reject", reason_code="other", note="The bite scan is missing"
    )
    mails = _wait(lambda: _mails(smtp_sink, case["number"]))
    assert mails[0]["Subject"] == f"Case {case['number']} was rejected"
    body = mails[0].get_payload(decode=True).decode()
    assert "The bite scan is missing" in body
    assert case["patient_ref"] in body
    assert "Test Patient" not in body  # no patient names in e-mail


def test_a_hold_goes_by_email_and_sms_without_opt_out(
    portal_api: Any, portal: Any, smtp_sink: Any
) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "design")
    portal_api.act("lab_admin", case["id"], "hold", reason_code="missing_shade")
    _wait(lambda: _mails(smtp_sink, f"{case['number']} is on hold"))
    rows = _wait(lambda: _settled(portal, case["id"]))
    assert sorted((r.channel, r.status, r.forced) for r in rows) == [
        ("email", "sent", True),
        ("sms", "recorded", True),
    ]
    sms = portal.app.state.portal.notifier.sms.sent
    assert any(phone == "+1 555 0101" and case["number"] in text for phone, text in sms)


def test_shipping_mails_the_tracking_number(portal_api: Any, smtp_sink: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "signed_off")
    portal_api.act("shipping", case["id"], "ship", carrier="DHL", tracking_number="JD0146000062")
    mails = _wait(lambda: _mails(smtp_sink, f"{case['number']} has shipped"))
    assert "JD0146000062" in mails[0].get_payload(decode=True).decode()


def test_other_actions_send_nothing(portal_api: Any, portal: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "finishing")
    assert _rows(portal, case["id"]) == []


def test_undeliverable_mail_is_retried_then_marked_failed(portal_factory: Any) -> None:
    from labdesk.server.demo import seed_demo
    from tests.conftest import PortalApi

    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    running = portal_factory(demo=True, smtp=f"127.0.0.1:{dead}", notify_interval=0.05)
    seed_demo(running.settings, scans=False)
    api = PortalApi(running)
    case = api.new_case("dentist1")
    api.act("reviewer", case["id"], "reject", reason_code="unclear_margin")
    row = _wait(lambda: [r for r in _rows(running, case["id"]) if r.status == "failed"])[0]
    assert row.attempts == 5
    assert "ConnectionRefusedError" in (row.last_error or "")
    api.close()


def test_rows_left_sending_by_a_crash_are_sent_again(fresh_portal: Any) -> None:
    notifier = fresh_portal.app.state.portal.notifier
    with fresh_portal.app.state.portal.db.writing() as session:
        row = models.Notification(
            channel="sms", address="+1 555 0199", subject="s", body="b", status="sending"
        )
        session.add(row)
        session.flush()
        row_id = row.id
    notifier.recover()
    notifier.wake()

    def status() -> str:
        with fresh_portal.app.state.portal.db.read_session() as session:
            found = session.get(models.Notification, row_id)
            return found.status if found else ""

    assert _wait(lambda: status() == "recorded")
    assert ("+1 555 0199", "b") in notifier.sms.sent


def _label(portal_api: Any, kind: str, code: str) -> str:
    """The words the portal's reference data gives a reason code."""
    found = portal_api.as_("lab_admin").get(f"/reference/{kind}-reasons").json()
    label: str = next(r["label"] for r in found if r["code"] == code)
    return label


def _body(mail: Any) -> str:
    text: str = mail.get_payload(decode=True).decode()
    return text.strip()


def test_the_rejection_mail_names_the_chosen_reason(portal_api: Any, smtp_sink: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.act("reviewer", case["id"], "reject", reason_code="unclear_margin")
    label = _label(portal_api, "rejection", "unclear_margin")
    mail = _wait(lambda: _mails(smtp_sink, f"Case {case['number']} was rejected"))[0]
    assert _body(mail).startswith(
        f"The lab rejected case {case['number']} ({case['patient_ref']}): {label}."
    )


def test_the_hold_mail_names_patient_reason_and_note(portal_api: Any, smtp_sink: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "design")
    portal_api.act(
        "lab_admin", case["id"], "hold", reason_code="missing_shade", note="  A2 or A3?  "
    )
    label = _label(portal_api, "hold", "missing_shade")
    mail = _wait(lambda: _mails(smtp_sink, f"Case {case['number']} is on hold"))[0]
    assert _body(mail) == (
        f"Case {case['number']} ({case['patient_ref']}) is on hold: {label}. A2 or A3? "
        "Please contact the lab."
    )


def test_the_shipping_mail_names_patient_carrier_and_expected_delivery(
    portal_api: Any, smtp_sink: Any
) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "signed_off")
    portal_api.act(
        "shipping", case["id"], "ship", carrier=" FedEx ", tracking_number="7946 1234",
        expected_delivery="2026-12-03",
    )  # fmt: skip
    mail = _wait(lambda: _mails(smtp_sink, f"Case {case['number']} has shipped"))[0]
    assert _body(mail) == (
        f"Case {case['number']} ({case['patient_ref']}) has shipped with FedEx, "
        "tracking number 7946 1234. Expected delivery: 2026-12-03."
    )


def test_a_notice_leaves_at_once_not_at_the_next_sweep(portal_factory: Any, smtp_sink: Any) -> None:
    """The action wakes the sender: with sweeps an hour apart, the mails still go out now."""
    from labdesk.server.demo import seed_demo
    from tests.conftest import PortalApi

    running = portal_factory(demo=True, smtp=f"127.0.0.1:{smtp_sink.port}", notify_interval=3600)
    seed_demo(running.settings, scans=False)
    api = PortalApi(running)
    try:
        rejected = api.new_case("dentist1")
        api.act("reviewer", rejected["id"], "reject", reason_code="unclear_margin")
        _wait(lambda: _mails(smtp_sink, f"Case {rejected['number']} was rejected"))
        held = api.new_case("dentist1")
        api.advance(held["id"], "design")
        api.act("lab_admin", held["id"], "hold", reason_code="missing_shade")
        _wait(lambda: _mails(smtp_sink, f"Case {held['number']} is on hold"))
        shipped = api.new_case("dentist1")
        api.advance(shipped["id"], "signed_off")
        api.act("shipping", shipped["id"], "ship", carrier="UPS", tracking_number="1Z1")
        _wait(lambda: _mails(smtp_sink, f"Case {shipped['number']} has shipped"))
    finally:
        api.close()
