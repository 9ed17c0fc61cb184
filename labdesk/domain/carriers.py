"""Where a parcel can be followed: the carriers whose tracking page is known, in one table.

The ship dialog lets a person type any carrier (a lab's own courier has no page); the case
page links the tracking number only for a carrier listed here.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

# carrier (as people write it, compared without case) -> tracking page, {number} filled in
TRACKING_URLS: Final[dict[str, str]] = {
    "ups": "https://www.ups.com/track?tracknum={number}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "dhl": "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={number}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
}


def tracking_url(carrier: str, tracking_number: str) -> str | None:
    """The page that follows ``tracking_number`` with ``carrier``, or None when not known."""
    template = TRACKING_URLS.get(carrier.strip().casefold().replace(" ", ""))
    number = tracking_number.replace(" ", "")
    if template is None or not number:
        return None
    return template.format(number=quote(number, safe=""))
