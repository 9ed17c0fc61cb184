"""Which cases go on paper, and the lab name they carry (no Qt: the window, the batch from the
inbox and ``labdesk-cli tickets`` all come through here; what a ticket says is
:mod:`labdesk.printing.ticket_content`).

The lab name on a ticket is the signed-in person's organization; the teeth are in the person's
notation setting. The window loads the cases from the cache (the case as shown, pending actions
applied); the command line asks the portal, and a number the portal does not know is an error
that names it, before anything is printed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from labdesk.errors import KnownError

if TYPE_CHECKING:
    from labdesk.api.client import PortalClient
    from labdesk.api.schemas import Case, User
    from labdesk.client.account import Account

DEFAULT_LAB_NAME = "Dental laboratory"


class UnknownCaseNumbers(KnownError):
    """Case numbers the portal does not know (or does not show to this person)."""

    def __init__(self, numbers: Sequence[str]) -> None:
        self.numbers = tuple(numbers)
        which = ", ".join(self.numbers)
        many = "s" if len(self.numbers) > 1 else ""
        super().__init__(f"unknown case number{many}: {which}; nothing was printed")


def lab_name(user: User | None) -> str:
    return user.organization.name if user is not None else DEFAULT_LAB_NAME


def cases_for_print(account: Account, case_ids: Sequence[int]) -> list[Case]:
    """The cases in ``case_ids`` order, as shown (from the cache; the portal when not cached)."""
    out: list[Case] = []
    for case_id in case_ids:
        cached = account.repo.get_case(case_id)
        out.append(cached.case if cached is not None else account.client.get_case(case_id))
    return out


def cases_by_number(client: PortalClient, numbers: Collection[str]) -> list[Case]:
    """The cases with these numbers, in the order given; :class:`UnknownCaseNumbers` names any
    the portal does not show this person (so a batch is printed whole or not at all)."""
    wanted = {number.strip().upper() for number in numbers}
    found: dict[str, Case] = {}
    since = 0
    while True:
        page = client.list_cases(since)
        for case in page.cases:
            if case.number.upper() in wanted:
                found[case.number.upper()] = case
        if not page.has_more or len(found) == len(wanted):
            break
        since = page.next_since
    missing = [n for n in numbers if n.strip().upper() not in found]
    if missing:
        raise UnknownCaseNumbers(missing)
    return [found[n.strip().upper()] for n in numbers]
