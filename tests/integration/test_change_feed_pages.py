"""The change feed carrying the changes (``GET /changes?pages=1``), through the real client
against the real portal: the event holds exactly what the pull would have answered, the stream
follows the workstation's cursor from page to page, and the sync engine stores a page only
when it continues its own cursor."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from labdesk.api.changes import FeedEvent, stream_changes
from labdesk.api.errors import PortalError
from labdesk.client.account import Account
from tests.conftest import PortalApi
from tests.integration.sync_helpers import Accounts, running_demo_portal

FEED_PAGE_LIMIT = 200  # routes_changes.FEED_PAGE_LIMIT: the pull compared with the event


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from running_demo_portal(tmp_path_factory, "feed-pages")


@pytest.fixture
def api(portal: Any) -> Iterator[PortalApi]:
    made = PortalApi(portal)
    yield made
    made.close()


class Stream:
    """``stream_changes`` of one account on a thread; its page events in a queue."""

    def __init__(self, account: Account, since: int) -> None:
        self.events: queue.Queue[FeedEvent] = queue.Queue()
        self._http = account.client.new_http()
        self._thread = threading.Thread(target=self._read, args=(account, since), daemon=True)
        self._thread.start()

    def _read(self, account: Account, since: int) -> None:
        try:
            for event in stream_changes(account.client, self._http, since, pages=True):
                if event.seq is not None:
                    self.events.put(event)
        except PortalError:  # closed by the test
            pass

    def next_page(self, timeout: float = 5.0) -> FeedEvent:
        while True:
            event = self.events.get(timeout=timeout)
            if event.page is not None:
                return event

    def close(self) -> None:
        self._http.close()
        self._thread.join(timeout=10)


def _synced(accounts: Accounts, portal: Any, username: str) -> tuple[Account, int]:
    account = accounts.open(portal.url, username)
    assert account.engine.sync().error is None
    return account, account.repo.sync_status().last_seq


def _pages_of_new_cases(
    account: Account, cursor: int, api: PortalApi, *dentists: str
) -> list[tuple[dict[str, Any], FeedEvent]]:
    """A case made by each of ``dentists`` in turn, each with the page event it caused."""
    stream = Stream(account, cursor)
    made = []
    try:
        for dentist in dentists:
            case = api.new_case(dentist)
            made.append((case, stream.next_page()))
    finally:
        stream.close()
    return made


def test_a_change_comes_with_the_page_the_pull_would_give(
    portal: Any, accounts: Accounts, api: PortalApi
) -> None:
    account, cursor = _synced(accounts, portal, "reviewer")
    [(case, event)] = _pages_of_new_cases(account, cursor, api, "dentist1")
    assert event.since == cursor
    assert event.page is not None
    assert case["id"] in [c.id for c in event.page.cases]
    assert event.seq == event.page.next_since
    assert event.page == account.client.list_cases(cursor, FEED_PAGE_LIMIT)


def test_the_stream_follows_the_cursor_from_page_to_page(
    portal: Any, accounts: Accounts, api: PortalApi
) -> None:
    account, cursor = _synced(accounts, portal, "designer")
    [(first_case, first), (second_case, second)] = _pages_of_new_cases(
        account, cursor, api, "dentist1", "dentist2"
    )
    assert first.page is not None
    assert second.page is not None
    assert first.since == cursor
    assert second.since == first.page.next_since
    assert second_case["id"] in [c.id for c in second.page.cases]
    assert first_case["id"] not in [c.id for c in second.page.cases]


def test_the_engine_stores_a_page_only_when_it_continues_its_cursor(
    portal: Any, accounts: Accounts, api: PortalApi
) -> None:
    account, cursor = _synced(accounts, portal, "qc_manager")
    [(case, event)] = _pages_of_new_cases(account, cursor, api, "dentist1")
    assert event.page is not None
    assert event.since is not None
    changed: list[int] = []
    account.engine.events.cases_changed = changed.extend  # type: ignore[method-assign]

    assert account.engine.apply_feed_page(event.since + 1, event.page) is False  # not ours
    assert account.repo.get_case(case["id"]) is None
    assert account.repo.sync_status().last_seq == cursor

    before = account.engine.state().last_sync_at
    assert account.engine.apply_feed_page(event.since, event.page) is True
    assert account.repo.get_case(case["id"]) is not None
    assert account.engine.state().last_sync_at != before  # the status bar's "Last sync"
    assert case["id"] in changed
    assert account.repo.sync_status().last_seq == event.page.next_since

    # The same page again no longer continues the cursor: left alone, a pull decides.
    assert account.engine.apply_feed_page(event.since, event.page) is False
