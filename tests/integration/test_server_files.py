"""Files: lab attachments (EXIF removed), clinic uploads, downloads with ETag and Range."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from PIL import Image

from labdesk.api.schemas import FileMeta


def _jpeg_with_exif(orientation: int = 1) -> bytes:
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Intraoral Camera Co."  # Make
    exif[0x0110] = "IOC-9"  # Model
    exif[0x0132] = "2026:03:02 10:11:12"  # DateTime
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _stored(portal: Any, sha256: str) -> bytes:
    data: bytes = portal.app.state.portal.store.path(sha256).read_bytes()
    return data


@pytest.fixture
def case(portal_api: Any) -> dict[str, Any]:
    created: dict[str, Any] = portal_api.new_case("dentist1")
    return created


def test_jpeg_attachment_loses_its_exif_and_keeps_its_orientation(
    portal_api: Any, portal: Any, case: dict[str, Any]
) -> None:
    original = _jpeg_with_exif(orientation=6)  # "rotate 90° clockwise to view"
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif()[0x010F] == "Intraoral Camera Co."
    response = portal_api.as_("reviewer").post(
        f"/cases/{case['id']}/attachments",
        files={"file": ("../../IMG 0001 (GPS).JPG", original, "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    meta = FileMeta.model_validate(response.json())
    assert meta.kind == "attachment"
    assert meta.media_type == "image/jpeg"
    assert meta.filename == "IMG 0001 (GPS).JPG"  # no path, nothing odd
    stored = _stored(portal, meta.sha256)
    assert hashlib.sha256(stored).hexdigest() == meta.sha256
    assert meta.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (32, 64)  # the orientation was applied to the pixels
    assert b"Intraoral" not in stored
    assert b"IOC-9" not in stored
    downloaded = portal_api.as_("reviewer").get(f"/files/{meta.id}")
    assert downloaded.content == stored
    # The attachment can go with a rejection.
    rejected = portal_api.act(
        "reviewer", case["id"], "reject", reason_code="unclear_margin", attachment_ids=[meta.id]
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["history"][-1]["attachment_ids"] == [meta.id]


def test_png_and_pdf_attachments_are_accepted(portal_api: Any, case: dict[str, Any]) -> None:
    image = Image.new("RGBA", (8, 8), (0, 0, 255, 128))
    png = io.BytesIO()
    image.save(png, "PNG")
    client = portal_api.as_("lab_admin")
    url = f"/cases/{case['id']}/attachments"
    png_meta = client.post(url, files={"file": ("photo.png", png.getvalue())}).json()
    assert png_meta["media_type"] == "image/png"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    pdf_meta = client.post(url, files={"file": ("Zahnärztin <Notiz>;*", pdf)}).json()
    assert pdf_meta["media_type"] == "application/pdf"
    assert pdf_meta["filename"] == "Zahnärztin_Notiz.pdf"
    download = client.get(f"/files/{pdf_meta['id']}")
    assert download.content == pdf
    assert "filename*=UTF-8''Zahn%C3%A4rztin_Notiz.pdf" in download.headers["Content-Disposition"]
    assert pdf_meta["sha256"] == hashlib.sha256(pdf).hexdigest()
    # Staged until an action carries them; then they are files of the case.
    files = client.get(f"/cases/{case['id']}/files").json()
    assert not {f["id"] for f in files} & {png_meta["id"], pdf_meta["id"]}
    held = portal_api.act(
        "lab_admin", case["id"], "hold", reason="shade unclear",
        attachment_ids=[png_meta["id"], pdf_meta["id"]],
    )  # fmt: skip
    assert held.status_code == 200, held.text
    files = client.get(f"/cases/{case['id']}/files").json()
    assert {f["id"] for f in files} >= {png_meta["id"], pdf_meta["id"]}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.jpg", b"MZ\x90\x00 this is a windows program"),
        ("scan.stl", b"solid x\nfacet normal 0 0 1\nendsolid x\n"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_other_files_are_not_lab_attachments(
    portal_api: Any, case: dict[str, Any], name: str, data: bytes
) -> None:
    response = portal_api.as_("reviewer").post(
        f"/cases/{case['id']}/attachments", files={"file": (name, data, "image/jpeg")}
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_attachment_size_limit(portal_factory: Any) -> None:
    from tests.conftest import PortalApi

    small = portal_factory(max_upload_bytes=64 * 1024, demo=True)
    from labdesk.server.demo import seed_demo

    seed_demo(small.settings, scans=False)
    api = PortalApi(small)
    case = api.new_case("dentist1")
    client = api.as_("reviewer")
    url = f"/cases/{case['id']}/attachments"
    too_big = b"%PDF-1.4\n" + b"0" * (70 * 1024)
    response = client.post(url, files={"file": ("big.pdf", too_big)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    way_too_big = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
    response = client.post(url, files={"file": ("huge.pdf", way_too_big)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert client.post(url, files={"file": ("ok.pdf", b"%PDF-1.4\n%%EOF")}).status_code == 201
    api.close()


def test_clinic_uploads_scans_photos_and_documents(portal_api: Any, case: dict[str, Any]) -> None:
    client = portal_api.as_("dentist1")
    url = f"/cases/{case['id']}/files"
    binary_stl = b"\0" * 80 + (1).to_bytes(4, "little") + b"\0" * 50
    stl = client.post(url, files={"file": ("upper.stl", binary_stl)}, data={"jaw": "upper"})
    assert stl.status_code == 201, stl.text
    assert (stl.json()["kind"], stl.json()["jaw"], stl.json()["media_type"]) == (
        "scan", "upper", "model/stl",
    )  # fmt: skip
    ply = client.post(
        url, files={"file": ("bite.ply", b"ply\nformat ascii 1.0\nend_header\n")},
        data={"kind": "scan", "jaw": "bite"},
    )  # fmt: skip
    assert ply.json()["media_type"] == "model/x-ply"
    obj = client.post(
        url, files={"file": ("lower.obj", b"# scan\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")}
    )
    assert obj.json()["media_type"] == "model/obj"
    photo = client.post(
        url, files={"file": ("smile.jpg", _jpeg_with_exif())}, data={"kind": "photo"}
    )
    assert photo.status_code == 201
    with Image.open(io.BytesIO(client.get(f"/files/{photo.json()['id']}").content)) as image:
        assert not image.getexif()
    wrong_kind = client.post(
        url, files={"file": ("x.pdf", b"%PDF-1.4\n%%EOF")}, data={"kind": "scan"}
    )
    assert wrong_kind.status_code == 422
    not_a_scan = client.post(url, files={"file": ("x.stl", b"\x00\x01garbage" * 20)})
    assert not_a_scan.status_code == 415
    # The lab sees the clinic's files in the case; uploads bump seq, not the version.
    seen = portal_api.get("reviewer", case["id"])
    assert len(seen["files"]) == 4
    assert seen["version"] == case["version"]
    assert seen["seq"] > case["seq"]
    assert (
        portal_api.as_("reviewer").post(url, files={"file": ("a.pdf", b"%PDF-1.4")}).status_code
        == 403
    )


def test_download_supports_etag_and_ranges(portal_api: Any, portal: Any) -> None:
    cases = portal_api.as_("designer").get("/cases", params={"limit": 100}).json()["cases"]
    meta = next(f for c in cases for f in c["files"] if f["media_type"] == "model/stl")
    client = portal_api.as_("designer")
    whole = client.get(f"/files/{meta['id']}")
    assert whole.status_code == 200
    assert whole.headers["ETag"] == f'"{meta["sha256"]}"'
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Content-Type"] == "model/stl"
    assert hashlib.sha256(whole.content).hexdigest() == meta["sha256"]
    assert len(whole.content) == meta["size"] > 1_000_000
    part = client.get(f"/files/{meta['id']}", headers={"Range": "bytes=100-1123"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-1123/{meta['size']}"
    assert part.content == whole.content[100:1124]
    tail = client.get(f"/files/{meta['id']}", headers={"Range": "bytes=-84"})
    assert tail.status_code == 206
    assert tail.content == whole.content[-84:]
    rest = client.get(f"/files/{meta['id']}", headers={"Range": f"bytes={meta['size'] - 10}-"})
    assert rest.content == whole.content[-10:]
    beyond = client.get(f"/files/{meta['id']}", headers={"Range": f"bytes={meta['size']}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{meta['size']}"
    assert beyond.json()["error"]["code"] == "range_not_satisfiable"
    cached = client.get(f"/files/{meta['id']}", headers={"If-None-Match": whole.headers["ETag"]})
    assert cached.status_code == 304
    # Reading a file is audited.
    entries = portal_api.as_("lab_admin").get("/audit", params={"limit": 50}).json()
    reads = [e for e in entries if e["event"] == "file_read" and e["actor"] == "designer"]
    assert any(e["details"]["range"] == "bytes=100-1123" for e in reads)


def test_demo_scans_are_real_meshes_shared_between_cases(portal_api: Any) -> None:
    cases = portal_api.as_("lab_admin").get("/cases", params={"limit": 400}).json()["cases"]
    scans = [f for c in cases for f in c["files"] if "_jaw_scan_" in f["filename"]]
    assert {f["jaw"] for f in scans} == {"upper", "lower"}
    assert {f["media_type"] for f in scans} == {"model/stl", "model/x-ply"}
    assert len({f["sha256"] for f in scans}) <= 8 < len(scans)
    stl = next(f for f in scans if f["media_type"] == "model/stl")
    triangles = (stl["size"] - 84) // 50
    assert 100_000 <= triangles <= 300_000
