"""The one root of the errors a person can act on.

Two kinds of failure exist in LabDesk, and every ``except`` says which one it expects:

- :class:`KnownError`: something a person can understand and act on: the portal is offline or
  refused, the cache is from a newer LabDesk, a transition is not allowed, an input is missing,
  a scan file cannot be read, nobody is signed in. ``str(error)`` is a sentence for that person
  and is shown as it is (status bar, dialog, viewer).
- everything else is a bug. It is logged with its traceback and shown through the error dialog
  with "Copy details", never dressed up as a person's mistake.

Catch :class:`KnownError` where the person is told; never a bare ``Exception`` that would hide
a bug (the task runner and the excepthook are the only places that see every exception, and
they route it by :func:`is_known`).
"""

from __future__ import annotations


class KnownError(Exception):
    """A failure a person can act on; ``str()`` is written for them."""


class NotSignedIn(KnownError):
    """An account action was asked for while nobody is signed in."""

    def __init__(self, message: str = "Sign in first: there is no account open.") -> None:
        super().__init__(message)


def is_known(exc: BaseException) -> bool:
    """True when ``exc`` is for a person to read, False for a bug (log it with the traceback)."""
    return isinstance(exc, KnownError)


def person_message(exc: BaseException) -> str:
    """What to tell a person about ``exc``: its own words when known, else a bug notice."""
    if isinstance(exc, KnownError):
        return str(exc)
    return f"Something went wrong inside LabDesk ({type(exc).__name__}). Details are in the log."
