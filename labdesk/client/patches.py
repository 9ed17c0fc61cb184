"""Changes to the lab's own fields of a case (``PATCH /cases/{id}``): the expected date, the
assignee, tags and memo, built from what a person typed. No widgets, no Qt.

Builders raise :class:`~labdesk.domain.required.ActionInputError` with a message for a person
and the input it is about, so a dialog can keep its OK button disabled and say why.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from labdesk.api.schemas import Case, CasePatch
from labdesk.domain.required import ActionInputError


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def expected_date_patch(
    case: Case, expected: date | None, note: str, *, today: date | None = None
) -> CasePatch:
    """A new expected date; later than the clinic asked for, it needs a word to the clinic."""
    if expected is None:
        raise ActionInputError("Choose the expected date.", "expected_date")
    if expected < (today or date.today()):
        raise ActionInputError("The expected date is in the past.", "expected_date")
    if case.due_date is not None and expected > case.due_date and not _clean(note):
        raise ActionInputError(
            "The date is later than the clinic asked for: tell the clinic why in the note.",
            "expected_note",
        )
    return CasePatch(expected_date=expected, expected_note=(note or "").strip())


def assign_patch(username: str | None) -> CasePatch:
    """Assign to ``username``; no name takes the case off whoever had it (``null`` is sent:
    the portal unassigns when the field is set to nothing)."""
    return CasePatch.model_validate({"assignee": (username or "").strip() or None})


MAX_TAG_LENGTH: Final = 40


def parse_tags(text: str) -> list[str]:
    """Tags typed as ``"rush tray, Implant"``: comma-separated, trimmed, no duplicates."""
    tags: list[str] = []
    seen: set[str] = set()
    for raw in text.replace(";", ",").split(","):
        tag = " ".join(raw.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ActionInputError(
                f"The tag “{tag[:20]}…” is longer than {MAX_TAG_LENGTH} characters.", "tags"
            )
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def tags_memo_patch(case: Case, tags_text: str, memo: str) -> CasePatch:
    """Only what changed is sent, so two people editing different fields do not collide."""
    tags = parse_tags(tags_text)
    memo = memo.rstrip()
    changed: dict[str, object] = {}
    if tags != list(case.tags):
        changed["tags"] = tags
    if memo != case.memo:
        changed["memo"] = memo
    return CasePatch.model_validate(changed)


def patch_is_empty(patch: CasePatch) -> bool:
    """Nothing to send: the client sends exactly the fields that were set."""
    return not patch.model_fields_set
