"""What an action must carry, checked in one place for the dialogs, the outbox and the portal.

The lifecycle's table says which fields each action needs (``required_fields``); this module
says when such a field counts as missing and how to tell a person. The workstation raises
:class:`ActionInputError` before anything is queued; the portal turns the same error into its
422 ``missing_fields`` answer, with the same sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from labdesk.domain.lifecycle import ACTION_LABELS, Action, required_fields
from labdesk.errors import KnownError


class ActionInputError(KnownError, ValueError):
    """Input a person can fix; ``field`` names the input it is about (the first, when
    several are missing: ``fields`` lists them all)."""

    def __init__(self, message: str, field: str = "", fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.field = field
        self.fields = fields or ((field,) if field else ())


# What each required field is called in a message ("Ship needs a tracking number").
FIELD_NAMES: Final[dict[str, str]] = {
    "reason_code": "a reason",
    "reason": "a reason",
    "carrier": "a carrier",
    "tracking_number": "a tracking number",
    "checklist": "the QC checklist",
}


def is_missing(value: object) -> bool:
    """Nothing, an empty list or only blanks: a person did not give it."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == ()


def check_required(action: Action | str, carried: Mapping[str, object]) -> None:
    """Every field the lifecycle requires for ``action`` is in ``carried`` (field -> value).

    Raises :class:`ActionInputError` naming what is missing, e.g. "Ship needs a carrier and a
    tracking number."
    """
    chosen = Action(action)
    missing = tuple(
        name for name in sorted(required_fields(chosen)) if is_missing(carried.get(name))
    )
    if not missing:
        return
    names = [FIELD_NAMES.get(name, name.replace("_", " ")) for name in missing]
    names = list(dict.fromkeys(names))  # reason_code and reason are both "a reason"
    what = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    raise ActionInputError(f"{ACTION_LABELS[chosen]} needs {what}.", missing[0], missing)
