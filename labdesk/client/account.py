"""One person's account on one portal, on this workstation: who they are, their client,
cache, file store and sync engine.

The one account object of the client core: the work functions in
:mod:`labdesk.client.casework` take it, the workstation facade holds the open one, and
:class:`~labdesk.client.state.Session` is only the signed-in fact the GUI shows. The cache and
the file store are per portal address and per username, so two people (or two portals) on one
workstation never see each other's cases. The token lives only in the
:class:`~labdesk.api.tokens.TokenStore`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from labdesk.api.client import PortalClient
from labdesk.api.schemas import LoginResponse, User
from labdesk.api.tokens import TokenStore
from labdesk.cache.files import BlobStore
from labdesk.cache.quick_rows import cache_path
from labdesk.cache.repository import CacheRepository
from labdesk.client.files import FileCache
from labdesk.client.sync import SyncEngine
from labdesk.config import Settings

MB = 1024 * 1024


@dataclass
class Account:
    server_url: str
    username: str
    client: PortalClient
    repo: CacheRepository
    files: FileCache
    engine: SyncEngine
    #: Who this is, as the portal last said (from the cache until a sign-in); None for a cache
    #: that never saw a sign-in.
    user: User | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        username: str,
        token_store: TokenStore,
        *,
        transport: httpx.BaseTransport | None = None,
        verify: bool | str | os.PathLike[str] = True,
        **client_options: Any,
    ) -> Account:
        """Open the cache of ``username`` on ``settings.server_url`` (works offline, no
        network traffic)."""
        client = PortalClient(
            settings.server_url,
            token_store,
            username=username,
            transport=transport,
            verify=verify,
            **client_options,
        )
        path = cache_path(settings.resolved_cache_dir(), settings.server_url, username)
        repo = CacheRepository.open(path)
        store = BlobStore(path.with_suffix(".files"))
        files = FileCache(client, repo, store, limit_bytes=settings.cache_limit_mb * MB)
        engine = SyncEngine(client, repo, files=files)
        try:
            user = repo.load_user()
        except BaseException:
            client.close()
            repo.close()
            raise
        return cls(settings.server_url, username, client, repo, files, engine, user)

    @property
    def cache_file(self) -> Path | None:
        return self.repo.path

    def sign_in(self, password: str) -> LoginResponse:
        """Sign in (the token goes to the token store) and remember who this is."""
        result = self.client.login(self.username, password)
        self.engine.set_user(result.user)
        self.user = result.user
        return result

    def close(self) -> None:
        self.client.close()
        self.repo.close()
