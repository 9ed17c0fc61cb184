"""Issue 12, defect 8: lab fields by role and status from the domain (shipping moved the
expected date), and a picture over the pixel limit says 413 "too large (N MP)"."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pytest

from labdesk.domain.lab_fields import LabField, editable_fields, fields_for_roles
from labdesk.domain.lifecycle import LAB_ROLES

VALUES = {
    "expected_date": "2030-05-06",
    "expected_note": "waiting for the bite",
    "assignee": "designer",
    "tags": ["checked"],
    "memo": "call first",
}


def _patch(api: Any, user: str, case: dict[str, Any], field: str) -> Any:
    return api.as_(user).patch(
        f"/cases/{case['id']}",
        json={field: VALUES[field]},
        headers={"If-Match": str(api.get("lab_admin", case["id"])["version"])},
    )


@pytest.mark.parametrize("status", ["design", "shipped"])
def test_every_lab_role_may_edit_exactly_what_the_domain_says(portal_api: Any, status: str) -> None:
    case = portal_api.new_case("dentist3")
    portal_api.advance(case["id"], status)
    for role in sorted(LAB_ROLES):
        allowed = editable_fields(status, [role])
        for field in LabField:
            response = _patch(portal_api, role.value, case, field.value)
            if field in allowed:
                expected = 200
            elif field not in fields_for_roles([role]):
                expected = 403  # not for this role
            else:
                expected = 409  # not in this status
            assert response.status_code == expected, (role, field, response.text)


def test_shipping_cannot_change_the_expected_date(portal_api: Any) -> None:
    case = portal_api.new_case("dentist3")
    portal_api.advance(case["id"], "signed_off")
    refused = _patch(portal_api, "shipping", case, "expected_date")
    assert refused.status_code == 403
    assert "lab admins and reviewers" in refused.json()["error"]["message"]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` (Pillow reads the header before pixels)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = b"IDAT" + zlib.compress(b"\x00" * 64)
    body += struct.pack(">I", len(idat) - 4) + idat + struct.pack(">I", zlib.crc32(idat))
    return b"\x89PNG\r\n\x1a\n" + body


@pytest.mark.parametrize(("width", "height", "mp"), [(30_000, 30_000, 900), (10_000, 8_500, 85)])
def test_a_picture_over_the_pixel_limit_is_413_with_its_size(
    portal_api: Any, width: int, height: int, mp: int
) -> None:
    case = portal_api.new_case("dentist1")
    response = portal_api.as_("dentist1").post(
        f"/cases/{case['id']}/files",
        files={"file": ("huge.png", _png_header_only(width, height), "image/png")},
        data={"kind": "photo"},
    )
    assert response.status_code == 413, response.text
    assert f"too large ({mp} MP)" in response.json()["error"]["message"]
