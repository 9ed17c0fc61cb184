"""Shared sync pages: one build for simultaneous askers, dropped the moment the tenant changes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from labdesk.server.changes import MARK_TTL_S, Change, ChangeHub, lab_key
from labdesk.server.page_cache import SharedPages

KEY = (lab_key(1), 10, 500)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _builder(bodies: list[bytes]) -> tuple[list[int], Callable[[], Awaitable[bytes]]]:
    calls: list[int] = []

    async def build() -> bytes:
        calls.append(1)
        await asyncio.sleep(0.01)  # the page being read: others arrive meanwhile
        return bodies[len(calls) - 1]

    return calls, build


def test_simultaneous_askers_share_one_build() -> None:
    pages = SharedPages(ChangeHub())
    calls, build = _builder([b"page"])

    async def run() -> list[bytes]:
        return await asyncio.gather(*(pages.page(KEY, build) for _ in range(200)))

    assert asyncio.run(run()) == [b"page"] * 200
    assert len(calls) == 1
    assert (pages.built, pages.shared) == (1, 199)


def test_a_change_of_the_tenant_ends_the_shared_answer() -> None:
    hub = ChangeHub()
    pages = SharedPages(hub)
    calls, build = _builder([b"old", b"new", b"other"])

    async def run() -> list[bytes]:
        first = await pages.page(KEY, build)
        again = await pages.page(KEY, build)
        hub.publish([Change(lab_id=1, clinic_id=7, seq=11)])
        after = await pages.page(KEY, build)
        hub.publish([Change(lab_id=2, clinic_id=8, seq=12)])  # another lab: no effect
        still = await pages.page(KEY, build)
        return [first, again, after, still]

    assert asyncio.run(run()) == [b"old", b"old", b"new", b"new"]
    assert len(calls) == 2


def test_an_answer_is_kept_no_longer_than_the_high_water_mark() -> None:
    clock = Clock()
    pages = SharedPages(ChangeHub(), clock=clock)
    calls, build = _builder([b"a", b"b"])

    async def ask() -> bytes:
        return await pages.page(KEY, build)

    assert asyncio.run(ask()) == b"a"
    clock.now += MARK_TTL_S
    assert asyncio.run(ask()) == b"a"
    clock.now += 0.01
    assert asyncio.run(ask()) == b"b"
    assert len(calls) == 2


def test_a_failed_build_reaches_every_waiter_and_is_not_kept() -> None:
    pages = SharedPages(ChangeHub())
    attempts: list[int] = []

    async def failing() -> bytes:
        attempts.append(1)
        await asyncio.sleep(0.01)
        raise RuntimeError("database gone")

    async def ok() -> bytes:
        return b"fine"

    async def run() -> list[object]:
        return await asyncio.gather(
            *(pages.page(KEY, failing) for _ in range(5)), return_exceptions=True
        )

    results = asyncio.run(run())
    assert all(isinstance(r, RuntimeError) for r in results)
    assert len(attempts) == 1
    assert asyncio.run(pages.page(KEY, ok)) == b"fine"


def test_a_requester_that_goes_away_does_not_cancel_the_others_page() -> None:
    pages = SharedPages(ChangeHub())
    calls, build = _builder([b"page"])

    async def run() -> bytes:
        first = asyncio.ensure_future(pages.page(KEY, build))
        second = asyncio.ensure_future(pages.page(KEY, build))
        await asyncio.sleep(0)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        return await second

    assert asyncio.run(run()) == b"page"
    assert len(calls) == 1
