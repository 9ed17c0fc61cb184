"""Reading the portal's change feed (``GET /changes``, server-sent events).

Only the wire: the stream is parsed into :class:`FeedEvent` values (a new high-water ``seq``,
or a heartbeat). The loop that keeps it open, reconnects and falls back to polling is the
client core's (:mod:`labdesk.client.feed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from labdesk.api.client import PortalClient
from labdesk.api.errors import NotFound, Offline
from labdesk.api.transport import transport_error


@dataclass(frozen=True)
class FeedEvent:
    seq: int | None  # None: a heartbeat (the portal is there, nothing changed)


def stream_changes(
    client: PortalClient, http: httpx.Client, since: int, *, read_timeout: float = 5.0
) -> Iterator[FeedEvent]:
    """Yield events until the stream ends or fails; raises :class:`Offline` when the portal
    cannot be reached or goes quiet for ``read_timeout`` seconds (heartbeats come every 2 s)
    or ``http`` is closed (that is how the feed is stopped),
    :class:`NotFound` when this portal has no change feed, and the usual errors (401 ...)."""
    timeout = httpx.Timeout(5.0, read=read_timeout)
    headers = {**client.auth_headers(), "Accept": "text/event-stream"}
    try:
        with http.stream(
            "GET", "/changes", params={"since": since}, headers=headers, timeout=timeout
        ) as resp:
            if resp.status_code in (404, 405):
                resp.read()
                raise NotFound("This portal has no change feed.", code="no_feed", status=404)
            if not resp.is_success:
                resp.read()
                raise client.error_from(resp)
            data = ""
            for line in resp.iter_lines():
                if line.startswith(":"):
                    yield FeedEvent(None)
                elif line.startswith("data:"):
                    data = line.removeprefix("data:").strip()
                elif line == "" and data:
                    if data.isdigit():
                        yield FeedEvent(int(data))
                    data = ""
    except httpx.TransportError as exc:
        raise transport_error(exc, client.base_url) from exc
    raise Offline("The portal closed the change stream.", code="feed_closed")
