"""The case page's records of QC and shipping: the last QC check point by point, and the
shipment (carrier, tracking number — a link when the carrier's page is known — shipped
at/by, delivered at). Each hides itself when the case has no such record yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from labdesk.api.schemas import Case
from labdesk.client.timeline import local_time, points_text
from labdesk.domain.carriers import tracking_url
from labdesk.domain.qc import CHECKLIST_LABELS


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _value() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return label


class ShipmentSection(QWidget):
    """Where the work went: filled once the case is shipped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.carrier = _value()
        self.tracking = _value()
        self.tracking.setOpenExternalLinks(True)
        self.tracking.setObjectName("trackingLink")
        self.shipped = _value()
        self.expected = _value()
        self.delivered = _value()
        form.addRow("Carrier", self.carrier)
        form.addRow("Tracking number", self.tracking)
        form.addRow("Shipped", self.shipped)
        form.addRow("Expected delivery", self.expected)
        form.addRow("Delivered", self.delivered)

    def show_case(self, case: Case) -> bool:
        """Show the shipment of ``case``; False (and nothing shown) when it has none."""
        shipment = case.tracking
        if shipment is None:
            return False
        self.carrier.setText(shipment.carrier)
        number = _escape(shipment.tracking_number)
        url = tracking_url(shipment.carrier, shipment.tracking_number)
        self.tracking.setText(f'<a href="{_escape(url)}">{number}</a>' if url else number)
        self.tracking.setToolTip(f"Follow the parcel on {url}" if url else "")
        by = f" by {shipment.shipped_by_name}" if shipment.shipped_by_name else ""
        self.shipped.setText(local_time(shipment.shipped_at) + by)
        expected = shipment.expected_delivery
        self.expected.setText(expected.strftime("%a %d %b %Y") if expected else "—")
        delivered = shipment.delivered_at
        self.delivered.setText(local_time(delivered) if delivered else "Not yet")
        return True


class QCRecordSection(QWidget):
    """The last QC check: who, when, each checklist point passed or failed, and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = _value()
        self.summary.setObjectName("qcSummary")
        self.points = QLabel()
        self.points.setObjectName("qcPoints")
        self.points.setTextFormat(Qt.TextFormat.RichText)
        self.points.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(self.points)

    def show_case(self, case: Case) -> bool:
        """Show the QC record of ``case``; False when it has none."""
        record = case.qc_record
        if record is None:
            return False
        outcome = "Signed off" if record.passed else "Failed"
        text = f"<b>{outcome}</b> — {points_text(record)} · {_escape(record.by_name)}, "
        text += local_time(record.at)
        if record.reason:
            text += f"<br>{_escape(record.reason)}"
        self.summary.setText(text)
        rows = []
        for entry in record.checklist:
            mark = "✔ pass" if entry.passed else "✘ fail"
            label = CHECKLIST_LABELS.get(entry.point, entry.point)
            note = f" — {_escape(entry.note)}" if entry.note else ""
            rows.append(f"<tr><td>{mark}&nbsp;&nbsp;</td><td>{_escape(label)}{note}</td></tr>")
        self.points.setText(f"<table>{''.join(rows)}</table>")
        return True
