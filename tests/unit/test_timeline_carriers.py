"""The timeline's words and times (issue 13, points 2 and 3) and the carriers' tracking pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from labdesk.api.schemas import HistoryEntry
from labdesk.client.timeline import local_time, when_text
from labdesk.domain.carriers import tracking_url
from labdesk.domain.lifecycle import Action, Status


def entry(at: datetime, occurred_at: datetime | None) -> HistoryEntry:
    return HistoryEntry(
        id=1,
        at=at,
        occurred_at=occurred_at,
        by="reviewer",
        by_name="Ravi Patel",
        action=Action.REJECT,
        from_status=Status.RECEIVED,
        to_status=Status.REJECTED,
    )


def test_a_step_recorded_much_later_says_both_times() -> None:
    acted = datetime(2026, 11, 30, 12, 54, 50, tzinfo=UTC)
    synced = acted + timedelta(minutes=2, seconds=5)
    text = when_text(entry(synced, acted))
    assert text == f"{local_time(acted)} · synced {synced.astimezone().strftime('%H:%M')}"
    assert when_text(entry(acted + timedelta(seconds=50), acted)) == local_time(acted)
    assert when_text(entry(acted, None)) == local_time(acted)  # from an older portal


def test_tracking_pages_are_known_for_the_big_carriers_only() -> None:
    assert tracking_url("UPS", "1Z 999 AA1") == "https://www.ups.com/track?tracknum=1Z999AA1"
    assert tracking_url("fedex", "1234").startswith("https://www.fedex.com/")
    assert tracking_url(" DHL ", "JD0001").endswith("tracking-id=JD0001")  # type: ignore[union-attr]
    assert tracking_url("USPS", "9400").startswith("https://tools.usps.com/")  # type: ignore[union-attr]
    assert tracking_url("Lab courier", "42") is None
    assert tracking_url("UPS", "  ") is None
    assert tracking_url("UPS", "a/b?c") == "https://www.ups.com/track?tracknum=a%2Fb%3Fc"
