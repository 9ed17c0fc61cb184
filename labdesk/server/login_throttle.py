"""Sign-in throttling: failures are counted per (user name, client address) and per address.

Why both, and why not per user name alone: counting per name let anyone lock any account
(eleven wrong guesses from anywhere kept the lab admin out for the window). Now

- a (name, address) pair with ``login_max_failures`` failures in ``login_window`` is refused
  (429) for that pair only: the same person at another workstation still signs in;
- an address gets ``login_address_free_failures`` failures free (typos, a forgotten caps lock);
  after that every further attempt must wait twice as long as the one before (1 s, 2 s, 4 s …
  up to ``login_delay_cap``), and at ``login_address_max_failures`` it is refused until the
  window passes. The wait is answered as 429 with ``Retry-After``; no server thread sleeps;
- failures for one account from all addresses together still raise an alert in the audit log
  (``login_alert``, once when they reach ``login_max_failures``), which the lab admin sees.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from labdesk.server import models as m
from labdesk.server.errors import ApiError
from labdesk.server.settings import ServerSettings


def refusal(
    session: Session, settings: ServerSettings, username: str, address: str, now: datetime
) -> ApiError | None:
    """The 429 to answer before even checking the password, or None to go on."""
    since = now - settings.login_window
    pair_count, pair_oldest = session.execute(
        select(func.count(), func.min(m.LoginFailure.at)).where(
            m.LoginFailure.username == username,
            m.LoginFailure.address == address,
            m.LoginFailure.at > since,
        )
    ).one()
    if pair_count >= settings.login_max_failures:
        return _too_many(
            "too many failed sign-ins for this user from this computer; try again later",
            pair_oldest + settings.login_window - now,
            "account",
        )
    count, oldest, latest = session.execute(
        select(func.count(), func.min(m.LoginFailure.at), func.max(m.LoginFailure.at)).where(
            m.LoginFailure.address == address, m.LoginFailure.at > since
        )
    ).one()
    if count >= settings.login_address_max_failures:
        return _too_many(
            "too many failed sign-ins from this computer; try again later",
            oldest + settings.login_window - now,
            "address",
        )
    wait = address_delay(settings, count)
    if wait and latest + wait > now:
        return _too_many(
            "too many failed sign-ins from this computer; wait a moment and try again",
            latest + wait - now,
            "address",
        )
    return None


def address_delay(settings: ServerSettings, failures: int) -> timedelta:
    """How long an address waits after its latest failure, having failed ``failures`` times."""
    over = failures - settings.login_address_free_failures
    if over < 0:
        return timedelta(0)
    cap = settings.login_delay_cap.total_seconds()
    return timedelta(seconds=min(cap, 2.0 ** min(over, 30)))


def record_failure(
    session: Session, settings: ServerSettings, username: str, address: str, now: datetime
) -> int:
    """Count a failure; returns this account's failures from all addresses in the window."""
    session.add(m.LoginFailure(username=username, address=address, at=now))
    session.flush()
    return int(
        session.execute(
            select(func.count()).where(
                m.LoginFailure.username == username,
                m.LoginFailure.at > now - settings.login_window,
            )
        ).scalar_one()
    )


def forget_failures(session: Session, username: str, address: str) -> None:
    """A success from ``address`` clears that pair's failures (not the address's others)."""
    session.execute(
        delete(m.LoginFailure).where(
            m.LoginFailure.username == username, m.LoginFailure.address == address
        )
    )


def _too_many(message: str, wait: timedelta, scope: str) -> ApiError:
    retry = max(1, math.ceil(wait.total_seconds()))
    return ApiError(
        429,
        "too_many_attempts",
        message,
        {"retry_after": retry, "scope": scope},
        headers={"Retry-After": str(retry)},
    )
