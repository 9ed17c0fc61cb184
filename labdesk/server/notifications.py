"""The notification outbox and its delivery loop.

Case changes that concern the dentist (reject, hold, ship) add rows to ``notifications`` in
the same transaction as the change. A background thread delivers pending rows: e-mail over
SMTP when the server has ``smtp`` configured (otherwise e-mail waits), SMS through a pluggable
:class:`SmsSender` whose default records what it would send (status ``recorded``).
A hold is always sent by e-mail AND SMS: the dentist cannot opt out.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from labdesk.server import models as m
from labdesk.server.db import Database
from labdesk.server.models import utcnow
from labdesk.server.settings import ServerSettings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 50


class SmsSender(Protocol):
    """Sends one text message; returns the status to record (``sent`` or ``recorded``)."""

    def send(self, phone: str, text: str) -> str: ...


class RecordingSmsSender:
    """No SMS provider configured: keep what would have been sent (the outbox row)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def send(self, phone: str, text: str) -> str:
        with self._lock:
            self.sent.append((phone, text))
        return "recorded"


def notify_dentist(
    session: Session,
    case: m.Case,
    dentist: m.User,
    subject: str,
    body: str,
    *,
    sms: bool = False,
    forced: bool = False,
) -> None:
    """Queue an e-mail (and an SMS) to the case's dentist."""
    if dentist.email:
        session.add(
            m.Notification(
                case_id=case.id,
                user_id=dentist.id,
                channel="email",
                address=dentist.email,
                subject=subject,
                body=body,
                forced=forced,
                status="pending",
                created_at=utcnow(),
            )
        )
    if sms and dentist.phone:
        session.add(
            m.Notification(
                case_id=case.id,
                user_id=dentist.id,
                channel="sms",
                address=dentist.phone,
                subject=subject,
                body=f"{subject}. {body}"[:480],
                forced=forced,
                status="pending",
                created_at=utcnow(),
            )
        )


@dataclass(frozen=True)
class _Job:
    id: int
    channel: str
    address: str
    subject: str
    body: str
    attempts: int


class Notifier:
    """The delivery loop (a daemon thread); :meth:`wake` after committing new rows."""

    def __init__(
        self, db: Database, settings: ServerSettings, sms: SmsSender | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self.sms: SmsSender = sms or RecordingSmsSender()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, *, recover: bool = True) -> None:
        """Start delivering; ``recover`` (the one process that starts first only: a worker
        started beside running ones must not re-send what they are sending) re-queues rows a
        crash left ``sending``."""
        if recover:
            self.recover()
        self._thread = threading.Thread(target=self._run, name="labdesk-notifier", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.settings.notify_interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                while self.deliver_pending() == BATCH and not self._stop.is_set():
                    pass
            except Exception:
                log.exception("notification delivery failed; retrying later")

    def deliver_pending(self) -> int:
        """Deliver one batch of pending rows; returns how many were attempted.

        Rows are claimed (status ``sending``) in one short transaction, sent outside any
        transaction (a slow mail relay must not hold the database), and their outcome is
        written in another. Delivery is at least once: rows left ``sending`` by a crash go
        back to ``pending`` when a notifier starts.
        """
        channels = ["sms"] + (["email"] if self.settings.smtp_address else [])
        with self.db.read_session() as session:  # the usual case: nothing to do, no lock
            waiting = list(
                session.execute(
                    select(m.Notification.id)
                    .where(m.Notification.status == "pending")
                    .where(m.Notification.channel.in_(channels))
                    .order_by(m.Notification.id)
                    .limit(BATCH)
                ).scalars()
            )
        if not waiting:
            return 0
        with self.db.writing() as session:
            rows = list(
                session.execute(
                    select(m.Notification)
                    .where(m.Notification.id.in_(waiting))
                    .where(m.Notification.status == "pending")
                    .with_for_update(skip_locked=True)
                ).scalars()
            )
            jobs = []
            for claimed in rows:
                claimed.status = "sending"
                claimed.attempts += 1
                jobs.append(_Job(claimed.id, claimed.channel, claimed.address, claimed.subject,
                                 claimed.body, claimed.attempts))  # fmt: skip
        outcomes = [(job, self._deliver(job)) for job in jobs]
        with self.db.writing() as session:
            for job, (status, error) in outcomes:
                session.execute(
                    update(m.Notification)
                    .where(m.Notification.id == job.id)
                    .values(status=status, last_error=error, sent_at=None if error else utcnow())
                )
        return len(jobs)

    def recover(self) -> None:
        """Rows a crashed delivery left ``sending`` are pending again."""
        with self.db.writing() as session:
            session.execute(
                update(m.Notification)
                .where(m.Notification.status == "sending")
                .values(status="pending")
            )

    def _deliver(self, job: _Job) -> tuple[str, str | None]:
        """(status, error) after one attempt."""
        try:
            if job.channel == "email":
                self._send_email(job)
                return "sent", None
            return self.sms.send(job.address, job.body), None
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("notification %s (%s) not delivered: %s", job.id, job.channel, exc)
            status = "failed" if job.attempts >= MAX_ATTEMPTS else "pending"
            return status, f"{type(exc).__name__}: {exc}"[:500]

    def _send_email(self, row: _Job) -> None:
        address = self.settings.smtp_address
        assert address is not None
        message = EmailMessage()
        message["From"] = self.settings.smtp_sender
        message["To"] = row.address
        message["Subject"] = row.subject
        message.set_content(row.body)
        with smtplib.SMTP(address[0], address[1], timeout=10) as smtp:
            smtp.send_message(message)
