"""The portal's tables (SQLAlchemy 2 ORM). The schema is versioned by the Alembic migrations
in ``labdesk/server/migrations``; a change here needs a migration there (a test compares
them)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """A UTC instant, stored naive (same on SQLite and PostgreSQL), read back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Counter(Base):
    """Named counters (``case_seq``, ``case_number``), incremented under a row lock."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Lab(Base):
    __tablename__ = "labs"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Clinic(Base):
    __tablename__ = "clinics"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The lab a new case goes to unless the dentist names another.
    default_lab_id: Mapped[int | None] = mapped_column(ForeignKey("labs.id"))


class ClinicLabLink(Base):
    """A clinic may send cases to this lab. Lab admins add and remove their lab's links; a case
    for a lab the clinic is not linked to is refused like one for a lab that does not exist."""

    __tablename__ = "clinic_lab_links"
    lab_id: Mapped[int] = mapped_column(ForeignKey("labs.id"), primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    """A person who signs in: a member of a lab or of a clinic (dentists)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    lab_id: Mapped[int | None] = mapped_column(ForeignKey("labs.id"), index=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    # A dentist's licence number: how a scanner export names the dentist most reliably.
    license_number: Mapped[str | None] = mapped_column(String(60))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    lab: Mapped[Lab | None] = relationship(lazy="joined")
    clinic: Mapped[Clinic | None] = relationship(lazy="joined")

    @property
    def roles(self) -> list[str]:
        return sorted(r.role for r in self.role_rows)


class UserRole(Base):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)


class Token(Base):
    """A bearer token; only its sha256 is stored."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailure(Base):
    """A failed sign-in: counted per (user name, client address) and per client address."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150))
    address: Mapped[str] = mapped_column(String(64), default="", server_default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )


class CatalogItem(Base):
    __tablename__ = "catalog_items"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    material: Mapped[str] = mapped_column(String(100), default="")
    turnaround_days: Mapped[int] = mapped_column(Integer)
    needs_quote: Mapped[bool] = mapped_column(Boolean, default=False)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    lab_id: Mapped[int] = mapped_column(ForeignKey("labs.id"))
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    dentist_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    patient_name: Mapped[str] = mapped_column(String(200))
    share_patient_name: Mapped[bool] = mapped_column(Boolean, default=True)
    patient_ref: Mapped[str] = mapped_column(String(40))
    instructions: Mapped[str] = mapped_column(Text, default="")
    prescription: Mapped[list[Any]] = mapped_column(default=list)
    scan_delivery: Mapped[str] = mapped_column(String(30), default="upload")
    due_date: Mapped[date | None] = mapped_column(Date)
    expected_date: Mapped[date | None] = mapped_column(Date)
    expected_note: Mapped[str] = mapped_column(Text, default="")
    rush: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_quote: Mapped[bool] = mapped_column(Boolean, default=False)
    billing: Mapped[str] = mapped_column(String(20), default="net_terms")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    memo: Mapped[str] = mapped_column(Text, default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(30))
    previous_status: Mapped[str | None] = mapped_column(String(30))
    signed_off: Mapped[bool] = mapped_column(Boolean, default=False)
    qc_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    qc_at: Mapped[datetime | None]
    qc_checklist: Mapped[list[Any] | None] = mapped_column(JSON)
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    shipped_at: Mapped[datetime | None]
    expected_delivery: Mapped[date | None] = mapped_column(Date)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # Imported from a scanner export: its format ("itero", ...) and order id, once per lab.
    import_format: Mapped[str | None] = mapped_column(String(20))
    import_order_id: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    clinic: Mapped[Clinic] = relationship()
    dentist: Mapped[User] = relationship(foreign_keys=[dentist_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    qc_by: Mapped[User | None] = relationship(foreign_keys=[qc_by_id])
    parent: Mapped[Case | None] = relationship(
        remote_side=[id], back_populates="children", foreign_keys=[parent_id]
    )
    children: Mapped[list[Case]] = relationship(
        back_populates="parent", foreign_keys=[parent_id], order_by="Case.id"
    )
    items: Mapped[list[CaseItem]] = relationship(
        cascade="all, delete-orphan", order_by="CaseItem.position"
    )
    # Only the files that belong to the case: a staged attachment (see ``CaseFile``) is not
    # part of it until the action that carries it commits.
    files: Mapped[list[CaseFile]] = relationship(
        primaryjoin="and_(Case.id == CaseFile.case_id, CaseFile.staged_until.is_(None))",
        order_by="CaseFile.id",
    )
    history: Mapped[list[HistoryRow]] = relationship(order_by="HistoryRow.id")
    comments: Mapped[list[CommentRow]] = relationship(order_by="CommentRow.id")

    __table_args__ = (
        Index("ix_cases_lab_id_seq", "lab_id", "seq"),
        Index("ix_cases_clinic_id_seq", "clinic_id", "seq"),
        UniqueConstraint(
            "lab_id", "import_format", "import_order_id", name="uq_cases_lab_import_order"
        ),
    )


class CaseItem(Base):
    __tablename__ = "case_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    catalog_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"))
    material: Mapped[str] = mapped_column(String(100), default="")
    shade: Mapped[str | None] = mapped_column(String(20))
    teeth: Mapped[list[Any]] = mapped_column(default=list)
    pontics: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    catalog: Mapped[CatalogItem] = relationship(lazy="joined")


class CaseFile(Base):
    """A file of a case; the bytes live in the content-addressed store under ``sha256``.

    ``staged_until`` set: an attachment uploaded for an action not yet taken. Only its
    uploader can see it; the action that carries it clears the column in its own transaction,
    and the sweep removes it (row and bytes) once the time has passed.
    """

    __tablename__ = "case_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    jaw: Mapped[str | None] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    staged_until: Mapped[datetime | None] = mapped_column(index=True)

    uploaded_by: Mapped[User] = relationship()


class HistoryRow(Base):
    __tablename__ = "case_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # recorded_at: the portal's time
    # The person's time (the client's, clamped to ``at``): shown, never decides.
    occurred_at: Mapped[datetime | None]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    attachment_ids: Mapped[list[Any]] = mapped_column(default=list)

    user: Mapped[User] = relationship()


class CommentRow(Base):
    __tablename__ = "case_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[User] = relationship()


class AuditRow(Base):
    """Logins, reads of files and every change; ``lab_id`` scopes what a lab admin sees."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str | None] = mapped_column(String(150))
    lab_id: Mapped[int | None] = mapped_column(ForeignKey("labs.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class IdempotencyRecord(Base):
    """The first answer to an action request, replayed for a repeated ``Idempotency-Key``."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)


class Notification(Base):
    """The notification outbox: one row per message and channel, delivered by a loop."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    forced: Mapped[bool] = mapped_column(Boolean, default=False)  # no opt-out (hold)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class DemoMarker(Base):
    """Present once the demo data was seeded (seed_demo is idempotent)."""

    __tablename__ = "demo_marker"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    seed: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
