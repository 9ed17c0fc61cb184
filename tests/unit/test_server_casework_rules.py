"""The person's time of an action as the history keeps it (``casework.occurred_at_of``): a
workstation's clock is not trusted. Found unpinned by the mutation run (docs/testing.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from labdesk.server.casework import occurred_at_of

RECORDED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BEFORE = RECORDED - timedelta(hours=2)


def test_no_time_sent_is_the_portals_time() -> None:
    assert occurred_at_of(None, RECORDED, BEFORE) == RECORDED


def test_a_time_without_a_zone_is_utc_and_a_zone_is_kept() -> None:
    naive = datetime(2026, 11, 30, 11, 0)
    assert occurred_at_of(naive, RECORDED) == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    berlin = datetime(2026, 11, 30, 12, 30, tzinfo=timezone(timedelta(hours=1)))
    assert occurred_at_of(berlin, RECORDED) == datetime(2026, 11, 30, 11, 30, tzinfo=UTC)


def test_a_time_after_the_portals_is_clamped_and_one_before_the_last_step_raised() -> None:
    assert occurred_at_of(RECORDED + timedelta(minutes=5), RECORDED, BEFORE) == RECORDED
    assert occurred_at_of(BEFORE - timedelta(days=1), RECORDED, BEFORE) == BEFORE
    between = BEFORE + timedelta(minutes=30)
    assert occurred_at_of(between, RECORDED, BEFORE) == between
    # a last step recorded after this one reached the portal cannot push it later
    assert occurred_at_of(BEFORE, RECORDED, RECORDED + timedelta(hours=1)) == RECORDED
