"""Reading the portal's change feed (``GET /changes``, server-sent events).

Only the wire: the stream is parsed into :class:`FeedEvent` values (a new high-water ``seq``,
the page of changes after a cursor, or a heartbeat). The loop that keeps it open, reconnects
and falls back to polling is the client core's (:mod:`labdesk.client.feed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from pydantic import ValidationError

from labdesk.api.client import PortalClient
from labdesk.api.errors import NotFound, Offline
from labdesk.api.schemas import CasePage, FeedPage
from labdesk.api.transport import transport_error


@dataclass(frozen=True)
class FeedEvent:
    seq: int | None  # None: a heartbeat (the portal is there, nothing changed)
    since: int | None = None  # with ``page``: the cursor the page continues
    page: CasePage | None = None  # what GET /cases?since=<since> would answer


def _event(name: str, data: str) -> FeedEvent | None:
    if name == "page":
        try:
            found = FeedPage.model_validate_json(data)
        except ValidationError:  # not ours to judge: the workstation pulls instead
            return None
        return FeedEvent(found.page.next_since, found.since, found.page)
    if data.isdigit():
        return FeedEvent(int(data))
    return None


def stream_changes(
    client: PortalClient,
    http: httpx.Client,
    since: int,
    *,
    read_timeout: float = 5.0,
    pages: bool = True,
) -> Iterator[FeedEvent]:
    """Yield events until the stream ends or fails; raises :class:`Offline` when the portal
    cannot be reached or goes quiet for ``read_timeout`` seconds (heartbeats come every 2 s)
    or ``http`` is closed (that is how the feed is stopped),
    :class:`NotFound` when this portal has no change feed, and the usual errors (401 ...).
    ``pages``: ask the portal to carry each change's page in the event (``event: page``);
    a portal that does not know the parameter sends the seq only, which works the same."""
    timeout = httpx.Timeout(5.0, read=read_timeout)
    headers = {**client.auth_headers(), "Accept": "text/event-stream"}
    try:
        with http.stream(
            "GET",
            "/changes",
            params={"since": since, "pages": int(pages)},
            headers=headers,
            timeout=timeout,
        ) as resp:
            if resp.status_code in (404, 405):
                resp.read()
                raise NotFound("This portal has no change feed.", code="no_feed", status=404)
            if not resp.is_success:
                resp.read()
                raise client.error_from(resp)
            name, data = "", ""
            for line in resp.iter_lines():
                if line.startswith(":"):
                    yield FeedEvent(None)
                elif line.startswith("event:"):
                    name = line.removeprefix("event:").strip()
                elif line.startswith("data:"):
                    data = line.removeprefix("data:").strip()
                elif line == "" and data:
                    event = _event(name, data)
                    if event is not None:
                        yield event
                    name, data = "", ""
    except httpx.TransportError as exc:
        raise transport_error(exc, client.base_url) from exc
    raise Offline("The portal closed the change stream.", code="feed_closed")
