"""Where the sign-in token lives: the system keyring, or this run's memory — nowhere else.

A token is keyed by the portal's address and the username, so two accounts (or two portals)
on one workstation never see each other's. When the computer has no real keyring service
(priority below 1, or the fail/null backends), the token is kept in memory for this run only
and :attr:`TokenStore.notice` says so; it is never written to a file as a fallback. The
``keyrings.alt`` file backends are never used.
"""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError

from labdesk.api.urls import normalize_url

log = logging.getLogger(__name__)

SERVICE_PREFIX = "LabDesk portal"

NO_KEYRING_NOTICE = (
    "Your sign-in will not be remembered: this computer has no keyring service "
    "(such as GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager), "
    "so you will be asked for your password each time LabDesk starts."
)
KEYRING_FAILED_NOTICE = (
    "Your sign-in will not be remembered: the keyring service did not accept it ({reason}). "
    "You will be asked for your password next time LabDesk starts."
)


def _is_real(backend: KeyringBackend) -> bool:
    if isinstance(backend, fail.Keyring | null.Keyring | chainer.ChainerBackend):
        return False
    if type(backend).__module__.startswith("keyrings.alt"):
        return False
    try:
        return float(backend.priority) >= 1
    except Exception:  # a backend whose priority cannot be computed is not viable
        return False


def _choose(backend: KeyringBackend) -> KeyringBackend | None:
    """The real backend to use, looking through a chainer at what it chains."""
    if isinstance(backend, chainer.ChainerBackend):
        for candidate in backend.backends:
            if _is_real(candidate):
                return candidate  # type: ignore[no-any-return]
        return None
    return backend if _is_real(backend) else None


class TokenStore:
    """Keeps sign-in tokens per (portal address, username).

    ``backend`` defaults to the active keyring; tests hand in their own.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        active = backend if backend is not None else keyring.get_keyring()
        self._backend = _choose(active)
        self._memory: dict[tuple[str, str], str] = {}
        self.notice = "" if self._backend is not None else NO_KEYRING_NOTICE

    @property
    def persistent(self) -> bool:
        """True when a token saved now will still be there after LabDesk restarts."""
        return self._backend is not None

    @staticmethod
    def _service(server_url: str) -> str:
        return f"{SERVICE_PREFIX} {normalize_url(server_url)}"

    def get(self, server_url: str, username: str) -> str | None:
        key = (normalize_url(server_url), username)
        if key in self._memory:
            return self._memory[key]
        if self._backend is None:
            return None
        try:
            token = self._backend.get_password(self._service(server_url), username)
        except KeyringError as exc:
            log.warning("keyring could not be read: %s", type(exc).__name__)
            return None
        if token is not None:
            self._memory[key] = token
        return token

    def save(self, server_url: str, username: str, token: str) -> None:
        self._memory[(normalize_url(server_url), username)] = token
        if self._backend is None:
            return
        try:
            self._backend.set_password(self._service(server_url), username, token)
        except KeyringError as exc:
            # Keep it for this run only; never fall back to a file.
            log.warning("keyring refused the token: %s", type(exc).__name__)
            self._backend = None
            self.notice = KEYRING_FAILED_NOTICE.format(reason=type(exc).__name__)

    def clear(self, server_url: str, username: str) -> None:
        self._memory.pop((normalize_url(server_url), username), None)
        if self._backend is None:
            return
        # PasswordDeleteError when there was none: nothing to do.
        with contextlib.suppress(KeyringError):
            self._backend.delete_password(self._service(server_url), username)
