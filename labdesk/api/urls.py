"""Portal addresses as stable keys.

Standard library only: the offline quick start names a cache file from the address before
anything heavier (the keyring, httpx, SQLAlchemy) is imported.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def normalize_url(server_url: str) -> str:
    """The portal address as a stable key: lower-case scheme and host, no trailing slash."""
    parts = urlsplit(server_url.strip())
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"
