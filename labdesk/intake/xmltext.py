"""Reading scanner XML safely and forgivingly.

Every manifest goes through :func:`parse_xml` (defusedxml: no external entities, no entity
expansion bombs). Real exports carry a UTF-8 byte-order mark, UTF-16, namespaces and the
literal text ``Null`` for a missing value; the helpers here turn all of that into plain
strings, ``""`` meaning "not given".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from labdesk.errors import KnownError

_MISSING = frozenset({"", "null", "none", "n/a"})


class ManifestError(KnownError):
    """A manifest that is no readable XML (or is hostile)."""


def parse_xml(data: bytes, name: str) -> ET.Element:
    """The root element with namespaces removed from every tag."""
    try:
        root: ET.Element = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ManifestError(
            f"{name} uses XML entities that LabDesk refuses to expand ({type(exc).__name__})"
        ) from exc
    except ET.ParseError as exc:
        raise ManifestError(f"{name} is not readable XML ({exc})") from exc
    for elem in root.iter():
        if isinstance(elem.tag, str) and "}" in elem.tag:
            elem.tag = elem.tag.split("}", 1)[1]
        for key in [k for k in elem.attrib if "}" in k]:
            elem.attrib[key.split("}", 1)[1]] = elem.attrib.pop(key)
    return root


def clean(value: str | None) -> str:
    """Stripped text; ``Null``, ``None``, ``N/A`` and empty are all ``""``."""
    text = (value or "").strip()
    return "" if text.lower() in _MISSING else text


def text_of(elem: ET.Element | None, *names: str) -> str:
    """The first non-missing child text (or attribute) among ``names``; ``""`` when none."""
    if elem is None:
        return ""
    for name in names:
        if name in elem.attrib and clean(elem.attrib[name]):
            return clean(elem.attrib[name])
        child = elem.find(name)
        if child is not None and clean(child.text):
            return clean(child.text)
    return ""


def us_date(text: str) -> date | None:
    """``MM/DD/YYYY`` (iTero) → date; ``ValueError`` when it is no such date."""
    if not text:
        return None
    head = text.split()[0]
    return datetime.strptime(head, "%m/%d/%Y").date()


def iso_date(text: str) -> date | None:
    """An ISO date or date-time (exocad, 3Shape) → its date."""
    if not text:
        return None
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).date()
