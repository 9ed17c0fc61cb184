"""The token store: system keyring when there is a real one, memory for this run otherwise."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringError, PasswordDeleteError

from labdesk.api.tokens import NO_KEYRING_NOTICE, TokenStore
from labdesk.api.urls import normalize_url

URL = "https://portal.example-lab.test:8443/"


class MemoryKeyring(KeyringBackend):
    """A stand-in for a real keyring service (priority >= 1)."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.items:
            raise PasswordDeleteError("none")
        del self.items[(service, username)]


class WeakKeyring(MemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


class BrokenKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("locked")


def test_real_keyring_remembers_across_runs_per_portal_and_user() -> None:
    backend = MemoryKeyring()
    store = TokenStore(backend)
    assert store.persistent
    assert store.notice == ""
    store.save(URL, "reviewer", "tok-1")
    store.save("http://127.0.0.1:8765", "reviewer", "tok-2")
    store.save(URL, "ceramist", "tok-3")

    later = TokenStore(backend)  # a new run of LabDesk
    assert later.get("https://PORTAL.example-lab.test:8443", "reviewer") == "tok-1"
    assert later.get("http://127.0.0.1:8765", "reviewer") == "tok-2"
    assert later.get(URL, "ceramist") == "tok-3"
    assert later.get(URL, "shipping") is None

    later.clear(URL, "reviewer")
    assert TokenStore(backend).get(URL, "reviewer") is None
    later.clear(URL, "reviewer")  # clearing twice is fine


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), WeakKeyring()])
def test_without_a_real_keyring_the_token_lives_in_memory_and_we_say_so(
    backend: KeyringBackend,
) -> None:
    store = TokenStore(backend)
    assert not store.persistent
    assert "will not be remembered" in store.notice
    assert "no keyring service" in store.notice
    store.save(URL, "reviewer", "tok")
    assert store.get(URL, "reviewer") == "tok"
    assert TokenStore(backend).get(URL, "reviewer") is None  # the next run asks again
    if isinstance(backend, WeakKeyring):
        assert backend.items == {}  # never written to a low-grade backend


def test_active_backend_in_tests_is_the_fail_backend() -> None:
    store = TokenStore()
    assert not store.persistent
    assert store.notice == NO_KEYRING_NOTICE


def test_keyring_that_refuses_falls_back_to_memory_with_a_notice() -> None:
    store = TokenStore(BrokenKeyring())
    assert store.persistent
    store.save(URL, "reviewer", "tok")
    assert not store.persistent
    assert "will not be remembered" in store.notice
    assert store.get(URL, "reviewer") == "tok"


def test_normalize_url() -> None:
    assert normalize_url(" HTTPS://Portal.Lab:8443/api/ ") == "https://portal.lab:8443/api"
