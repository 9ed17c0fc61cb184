"""The live change feed in the real window: a case created through the portal's API appears
in an open inbox without "Sync now"; a portal that dies is shown as "Reconnecting…" within
seconds; a portal without the feed is polled instead."""

from __future__ import annotations

import time
from typing import Any

from tests.conftest import PortalApi
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced

SEEN_WITHIN_S = 1.0  # the goal: the change comes inside the event (pages=1), no pull


def _live(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.ws.feed_state == "live", timeout=WAIT_MS)


def test_a_new_case_shows_in_the_open_inbox_without_sync_now(
    qtbot: Any, portal: Any, portal_api: PortalApi, workstation_window: Any
) -> None:
    window = workstation_window(portal.url)  # polls every 30 s: only the feed can be this fast
    sign_in_through_dialog(qtbot, window, "lab_admin")
    wait_synced(qtbot, window)
    _live(qtbot, window)
    portal_api.as_("dentist1")  # signed in beforehand: the clock times the change, not a login
    made = time.monotonic()
    case = portal_api.new_case("dentist1")
    qtbot.waitUntil(lambda: window.model.inbox_row(case["id"]) is not None, timeout=WAIT_MS)
    assert time.monotonic() - made < SEEN_WITHIN_S


def test_a_dead_portal_is_shown_as_reconnecting_within_seconds(
    qtbot: Any, portal_factory: Any, workstation_window: Any
) -> None:
    from labdesk.server.demo import seed_demo

    running = portal_factory(demo=True)
    seed_demo(running.app.state.portal.db, scans=False)
    window = workstation_window(running.url)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    _live(qtbot, window)
    running.stop()
    gone = time.monotonic()
    qtbot.waitUntil(
        lambda: window.status.connection.text().startswith("● Reconnecting"), timeout=WAIT_MS
    )
    assert time.monotonic() - gone < 5.0


def test_without_a_feed_the_workstation_polls(
    qtbot: Any, portal_factory: Any, workstation_window: Any
) -> None:
    from labdesk.server.demo import seed_demo

    running = portal_factory(demo=True, change_feed=False)
    seed_demo(running.app.state.portal.db, scans=False)
    api = PortalApi(running)
    try:
        window = workstation_window(running.url, sync_interval_s=1)
        sign_in_through_dialog(qtbot, window, "reviewer")
        wait_synced(qtbot, window)
        qtbot.waitUntil(lambda: window.ws._service is not None, timeout=WAIT_MS)
        qtbot.wait(500)
        assert window.ws.feed_state == "polling"
        case = api.new_case("dentist1")
        qtbot.waitUntil(lambda: window.model.inbox_row(case["id"]) is not None, timeout=WAIT_MS)
    finally:
        api.close()
