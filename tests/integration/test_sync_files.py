"""Scans and attachments: downloaded on demand, resumed, verified, readable offline, evicted
least-recently-used first but never from a case that is open."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labdesk.api.errors import Offline
from labdesk.cache.rows import FileRow
from labdesk.client.account import Account
from tests.integration.sync_helpers import (
    Accounts,
    ProxyRule,
    TcpProxy,
    is_file_get,
    running_demo_portal,
)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from running_demo_portal(tmp_path_factory, "files")


@pytest.fixture
def proxy(portal: Any) -> Iterator[TcpProxy]:
    running = TcpProxy(portal.port)
    yield running
    running.stop()


def scans(account: Account, count: int) -> list[FileRow]:
    """``count`` scan files from different cases, none sharing content with another's case
    (demo cases reuse a pool of scans)."""
    rows = account.repo.load_inbox_rows()
    files = account.repo.files_of_cases([r.case_id for r in rows])
    shas_of: dict[int, set[str]] = {}
    for row in files:
        shas_of.setdefault(row.case_id, set()).add(row.sha256)
    out: list[FileRow] = []
    taken: set[str] = set()
    for row in files:
        if row.kind != "scan" or shas_of[row.case_id] & taken:
            continue
        out.append(row)
        taken |= shas_of[row.case_id]
        if len(out) == count:
            return out
    raise AssertionError("not enough distinct scans in the demo data")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ranges(proxy: TcpProxy) -> list[bytes | None]:
    out: list[bytes | None] = []
    for message in proxy.seen:
        if is_file_get(message):
            header = [h for h in message.split(b"\r\n") if h.lower().startswith(b"range:")]
            out.append(header[0].split(b":", 1)[1].strip() if header else None)
    return out


def test_interrupted_download_resumes_with_range_and_verifies(
    proxy: TcpProxy, accounts: Accounts
) -> None:
    account = accounts.open(proxy.url, "reviewer")
    account.engine.sync()
    [scan] = scans(account, 1)
    proxy.rules.append(ProxyRule(is_file_get, "cut_after", after=scan.size // 2))
    progress: list[tuple[int, int, int]] = []
    account.files.progress = lambda *p: progress.append(p)

    path = account.engine.open_file(scan.id)
    assert proxy.fired == ["cut_after"]
    assert sha256(path) == scan.sha256
    assert path.stat().st_size == scan.size
    first, second = ranges(proxy)
    assert first is None
    assert second is not None
    resumed_at = int(second.removeprefix(b"bytes=").rstrip(b"-"))
    assert 0 < resumed_at < scan.size // 2  # the part received before the cut was kept
    assert progress[-1] == (scan.id, scan.size, scan.size)
    row = account.repo.file_row(scan.id)
    assert row.verified
    assert row.local_path == f"{scan.sha256[:2]}/{scan.sha256}"


def test_a_download_cut_for_good_resumes_on_the_next_try(
    proxy: TcpProxy, accounts: Accounts
) -> None:
    account = accounts.open(proxy.url, "reviewer", retries=0)
    account.engine.sync()
    [scan] = scans(account, 1)
    proxy.rules.append(ProxyRule(is_file_get, "cut_after", after=scan.size // 3))
    with pytest.raises(Offline):
        account.engine.open_file(scan.id)
    partial = account.files.store.partial(scan.sha256)
    kept = partial.stat().st_size
    assert 0 < kept < scan.size // 3
    path = account.engine.open_file(scan.id)
    assert sha256(path) == scan.sha256
    assert not partial.exists()
    assert ranges(proxy)[-1] == f"bytes={kept}-".encode()


def test_a_damaged_copy_is_detected_and_fetched_again(proxy: TcpProxy, accounts: Accounts) -> None:
    account = accounts.open(proxy.url, "reviewer")
    account.engine.sync()
    [scan] = scans(account, 1)
    path = account.engine.open_file(scan.id)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    gets = len(ranges(proxy))

    again = account.engine.open_file(scan.id)
    assert again == path
    assert sha256(again) == scan.sha256
    assert len(ranges(proxy)) == gets + 1


def test_stored_files_open_offline(portal: Any, accounts: Accounts) -> None:
    proxy = TcpProxy(portal.port)
    account = accounts.open(proxy.url, "reviewer")
    account.engine.sync()
    stored, missing = scans(account, 2)
    account.engine.open_file(stored.id)
    proxy.stop()  # the network is gone
    assert sha256(account.engine.open_file(stored.id)) == stored.sha256
    with pytest.raises(Offline):
        account.engine.open_file(missing.id)


def test_least_recently_used_files_are_evicted_but_never_an_open_cases(
    portal: Any, accounts: Accounts
) -> None:
    account = accounts.open(portal.url, "reviewer")
    account.engine.sync()
    a, b, c = scans(account, 3)
    account.files.limit_bytes = a.size + b.size + c.size - 1  # room for two and a bit
    store = account.files.store

    account.engine.pin_case(a.case_id)  # case A is open on screen
    for scan in (a, b, c):
        account.engine.open_file(scan.id)
    assert store.has(a.sha256)  # least recently used, but its case is open
    assert not store.has(b.sha256)
    assert store.has(c.sha256)
    assert account.repo.file_row(b.id).local_path is None

    account.engine.unpin_case(a.case_id)
    account.engine.open_file(b.id)
    assert not store.has(a.sha256)  # now it may go
    assert store.has(b.sha256)
    assert store.has(c.sha256)
    assert store.total_size() <= account.files.limit_bytes


def test_prefetch_fills_the_budget_with_inbox_scans(portal: Any, accounts: Accounts) -> None:
    account = accounts.open(portal.url, "reviewer")
    account.engine.sync()
    a, b, _ = scans(account, 3)
    account.files.limit_bytes = a.size + b.size + 1000
    fetched = account.engine.prefetch()
    assert fetched
    assert account.files.store.total_size() <= account.files.limit_bytes
    inbox = set(account.engine.inbox_case_ids())
    assert {account.repo.file_row(f).case_id for f in fetched} <= inbox
    assert all(account.repo.file_row(f).verified for f in fetched)
