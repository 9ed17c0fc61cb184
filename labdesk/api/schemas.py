"""The wire format between the lab portal and LabDesk, defined once.

The server (``labdesk.server``) returns these models and the client (``labdesk.api.client``)
parses them; neither side has a second copy. Unknown fields are ignored when parsing so that a
newer server does not break an older workstation. Times are UTC; dates are plain dates.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import BaseModel, ConfigDict, Field

from labdesk.domain.lifecycle import Action, Role, Status
from labdesk.domain.restorations import RestorationKind

API_PREFIX = "/api/v1"

# The largest integer a database row id or counter can hold: ids and seqs are INTEGER columns,
# 32-bit signed on PostgreSQL (a larger number made psycopg refuse the query: a 500).
MAX_WIRE_INT: Final = 2**31 - 1
# Every id and cursor a client sends (path, query or body). Larger numbers cannot name a row;
# bounding them here answers 422 instead of letting the database driver overflow (a 500).
WireId = Annotated[int, Field(ge=0, le=MAX_WIRE_INT)]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


# --- errors ---------------------------------------------------------------------------------


class ErrorBody(WireModel):
    code: str  # stable, e.g. "stale_version", "transition_not_allowed", "forbidden"
    message: str  # for a person
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(WireModel):
    error: ErrorBody


# --- auth and people ------------------------------------------------------------------------


class OrgKind(StrEnum):
    LAB = "lab"
    CLINIC = "clinic"


class Organization(WireModel):
    id: int
    name: str
    kind: OrgKind


class User(WireModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]
    organization: Organization


class LoginRequest(WireModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class LoginResponse(WireModel):
    token: str
    expires_at: datetime
    user: User


class Person(WireModel):
    """A lab member a case can be assigned to."""

    username: str
    display_name: str
    roles: list[Role]


# --- reference data -------------------------------------------------------------------------


class CatalogItem(WireModel):
    code: str
    name: str
    kind: RestorationKind
    turnaround_days: int
    needs_quote: bool = False


class ReasonOut(WireModel):
    code: str
    label: str
    note_required: bool = False


# --- cases ----------------------------------------------------------------------------------


class FileKind(StrEnum):
    SCAN = "scan"
    PHOTO = "photo"
    DOCUMENT = "document"
    ATTACHMENT = "attachment"


class Jaw(StrEnum):
    UPPER = "upper"
    LOWER = "lower"
    BITE = "bite"


class ScanDelivery(StrEnum):
    UPLOAD = "upload"  # files uploaded with the case
    SCANNER_CONNECT = "scanner_connect"  # sent from the intraoral scanner's cloud
    PHYSICAL_IMPRESSION = "physical_impression"  # impression arrives by courier


class Billing(StrEnum):
    PREPAY = "prepay"
    AUTOPAY = "autopay"
    NET_TERMS = "net_terms"


class CaseItem(WireModel):
    id: int
    catalog_code: str
    catalog_name: str
    kind: RestorationKind
    material: str = ""
    shade: str | None = None
    teeth: list[int]  # FDI
    pontics: list[int] = Field(default_factory=list)  # FDI, part of ``teeth`` for a bridge
    bridge: bool = False
    notes: str = ""


class PrescriptionAnswer(WireModel):
    question: str
    answer: str


class FileMeta(WireModel):
    id: int
    case_id: int
    kind: FileKind
    jaw: Jaw | None = None
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


class HistoryEntry(WireModel):
    id: int
    at: datetime  # the portal's recorded_at: when the step reached it (the order of record)
    # When the person took the step on their workstation (an offline action reaches the
    # portal later); shown, never decides. None only from a portal before issue 13.
    occurred_at: datetime | None = None
    by: str  # username
    by_name: str
    action: Action
    from_status: Status | None
    to_status: Status
    reason_code: str | None = None
    reason: str | None = None
    note: str | None = None
    attachment_ids: list[int] = Field(default_factory=list)  # files sent with e.g. a rejection


class Comment(WireModel):
    id: int
    at: datetime
    author: str
    author_name: str
    body: str


class ChecklistEntry(WireModel):
    point: str  # one of labdesk.domain.qc.CHECKLIST codes
    passed: bool
    note: str = ""


class QCSignOff(WireModel):
    by: str
    at: datetime
    checklist: list[ChecklistEntry]


class QCRecord(WireModel):
    """The case's last QC check, signed off or failed: what the case page shows of QC."""

    passed: bool
    by: str
    by_name: str
    at: datetime
    checklist: list[ChecklistEntry]
    reason: str | None = None  # why it failed ("Failed: Contacts, Occlusion" or the QC's words)


class Tracking(WireModel):
    carrier: str
    tracking_number: str
    shipped_at: datetime
    expected_delivery: date | None = None
    shipped_by: str | None = None  # username
    shipped_by_name: str | None = None
    delivered_at: datetime | None = None


class CaseRef(WireModel):
    id: int
    number: str
    status: Status


class Case(WireModel):
    id: int
    number: str  # "C-2026-00042", what barcodes on the work tray carry
    lab_id: int
    clinic_id: int
    clinic_name: str
    dentist_id: int
    dentist_name: str
    # When the clinic does not share the patient's name, the lab sees initials and a reference.
    share_patient_name: bool
    patient_name: str | None
    patient_initials: str
    patient_ref: str
    items: list[CaseItem]
    instructions: str = ""
    prescription: list[PrescriptionAnswer] = Field(default_factory=list)
    scan_delivery: ScanDelivery = ScanDelivery.UPLOAD
    due_date: date | None = None  # requested by the clinic
    expected_date: date | None = None  # the lab's commitment
    expected_note: str = ""
    rush: bool = False
    needs_quote: bool = False
    billing: Billing = Billing.NET_TERMS
    tags: list[str] = Field(default_factory=list)
    memo: str = ""
    assignee: str | None = None  # username
    assignee_name: str | None = None
    status: Status
    previous_status: Status | None = None  # set while on hold
    signed_off: bool = False
    qc_signoff: QCSignOff | None = None
    qc_record: QCRecord | None = None
    tracking: Tracking | None = None
    parent: CaseRef | None = None  # the original case of a remake
    children: list[CaseRef] = Field(default_factory=list)  # remakes of this case
    files: list[FileMeta] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    version: int  # bumped on every change; sent back as If-Match
    seq: int  # global change counter; the sync cursor
    created_at: datetime
    updated_at: datetime


class CasePage(WireModel):
    cases: list[Case]
    next_since: int
    has_more: bool


class FeedPage(WireModel):
    """The data of the change feed's ``event: page``: the answer ``GET /cases?since=<since>``
    would give (the feed was asked for ``pages=1``)."""

    since: int
    page: CasePage


class ActionRequest(WireModel):
    """``POST /cases/{id}/actions``; which fields are required comes from
    ``lifecycle.required_fields``."""

    action: Action
    reason_code: str | None = None
    reason: str | None = None
    note: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    expected_delivery: date | None = None
    checklist: list[ChecklistEntry] | None = None
    attachment_ids: list[WireId] = Field(default_factory=list, max_length=50)
    back_to: Status | None = None
    # The person's own time (UTC) of the action, set when it enters the outbox; the portal
    # keeps it for the history (never later than its own time) and decides nothing by it.
    occurred_at: datetime | None = None


class CasePatch(WireModel):
    """``PATCH /cases/{id}``: lab fields. Only the fields that are set are changed."""

    expected_date: date | None = None
    expected_note: str | None = None
    assignee: str | None = None
    tags: list[str] | None = None
    memo: str | None = None
    # Clinic fields (the dentist, only while the case is received or rejected).
    instructions: str | None = None
    due_date: date | None = None


def wire_body(intent: ActionRequest | CasePatch) -> str:
    """The exact JSON sent for an action or a change: only the fields that were set.

    The one serializer of a request body: the client sends it and the outbox stores it, so a
    retry after a restart or an upgrade sends the same bytes (the portal's idempotency key
    compares them).
    """
    return intent.model_dump_json(exclude_unset=True)


class CommentCreate(WireModel):
    body: str = Field(min_length=1, max_length=10_000)


class NewCaseItem(WireModel):
    catalog_code: str
    material: str = ""
    shade: str | None = None
    teeth: list[int]
    pontics: list[int] = Field(default_factory=list)
    notes: str = ""


class NewCase(WireModel):
    """``POST /cases`` by a dentist; files are uploaded afterwards to ``/cases/{id}/files``."""

    patient_name: str
    share_patient_name: bool = True
    items: list[NewCaseItem] = Field(min_length=1)
    instructions: str = ""
    prescription: list[PrescriptionAnswer] = Field(default_factory=list)
    scan_delivery: ScanDelivery = ScanDelivery.UPLOAD
    due_date: date | None = None
    rush: bool = False
    lab_id: WireId | None = None  # the lab to send to; default: the clinic's usual lab


class ClinicLink(WireModel):
    """A clinic linked to the caller's lab: it may send cases to the lab."""

    clinic_id: int
    clinic_name: str
    linked_at: datetime


class ClinicLinkCreate(WireModel):
    """``POST /lab/clinic-links`` by a lab admin."""

    clinic_id: WireId


# --- intake (cases imported from scanner exports) -------------------------------------------


class IntakeHints(WireModel):
    """``POST /intake/match``: what a scanner export says about the dentist and practice."""

    license: str = ""
    name: str = ""
    clinic_name: str = ""


class IntakeDentist(WireModel):
    id: int
    username: str
    display_name: str
    license_number: str | None = None
    clinic_id: int
    clinic_name: str


class IntakeMatch(WireModel):
    """The dentist found (``matched_by`` "license" or "name"), else the candidates to pick
    from (ambiguous) or none (unknown to the portal)."""

    dentist: IntakeDentist | None = None
    matched_by: str = ""
    candidates: list[IntakeDentist] = Field(default_factory=list)


class ImportFile(WireModel):
    filename: str  # the multipart upload's file name
    kind: FileKind = FileKind.SCAN
    jaw: Jaw | None = None  # None for a pre-operative scan


class ImportCase(WireModel):
    """``POST /intake/cases`` (multipart: this as the ``order`` field, the ``files``)."""

    source_format: str = Field(min_length=1, max_length=20)  # "itero", "exocad", ...
    source_order_id: str = Field(min_length=1, max_length=100)
    source_label: str = Field(min_length=1, max_length=40)  # "iTero", for the history
    dentist_id: int
    case: NewCase
    files: list[ImportFile] = Field(default_factory=list)


class AuditEntry(WireModel):
    id: int
    at: datetime
    actor: str | None
    event: str  # "login", "login_failed", "file_read", "case_action", "case_patch", ...
    case_id: int | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class Health(WireModel):
    status: str
    version: str
    database: str


# --- the lab's workload dashboard (GET /workload) ---------------------------------------------


class StatusCount(WireModel):
    status: Status
    count: int


class DueDay(WireModel):
    day: date
    counts: dict[Status, int]  # open work due that day, by status
    rush: int = 0


class ShippedDay(WireModel):
    day: date
    shipped: int


class OnTimeWeek(WireModel):
    week_start: date  # a Monday
    shipped: int
    on_time: int  # shipped on or before the clinic's due date (no due date counts as on time)


class Dwell(WireModel):
    """Time spent in one status, over stays that ended in the window (hours)."""

    status: Status
    catalog_code: str | None  # None: every item
    stays: int
    median_hours: float
    p90_hours: float


class RemakeRate(WireModel):
    key: str  # catalog code or reason code
    label: str
    remakes: int
    shipped: int  # cases shipped in the window (per item; the lab's total per reason)


class Workload(WireModel):
    """The lab's figures, computed by the portal from its whole history (a workstation's cache
    holds only part of it)."""

    as_of: datetime
    today: date
    clinic_id: int | None = None
    catalog_code: str | None = None
    by_status: list[StatusCount]
    overdue: dict[Status, int]  # open work past its due date, by status
    overdue_rush: int = 0
    due: list[DueDay]  # the next 14 days, today first
    shipped: list[ShippedDay]  # the last 30 days, oldest first
    on_time: list[OnTimeWeek]  # the weeks of those 30 days
    dwell: list[Dwell]  # stays that ended in the last 90 days
    remakes_by_item: list[RemakeRate]  # the last 90 days
    remakes_by_reason: list[RemakeRate]
