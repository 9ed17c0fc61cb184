"""The words and headers of the file routes (docs/server.md "Files", docs/security.md): who
uploads where, what a refused upload says, what an upload records and audits, and how a
download is sent. Found unpinned by the mutation run (docs/testing.md)."""

from __future__ import annotations

import hashlib
from typing import Any

STL = b"solid x\nfacet normal 0 0 1\nendsolid x\n"
PDF = b"%PDF-1.4\n%%EOF\n"


def _error(response: Any) -> tuple[int, str, str, dict[str, Any]]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["message"], error["details"]


def test_each_side_uploads_through_its_own_route(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    lab, clinic = portal_api.as_("reviewer"), portal_api.as_("dentist1")
    assert _error(lab.post(f"/cases/{case['id']}/files", files={"file": ("a.stl", STL)})) == (
        403, "forbidden", "the lab adds files with POST /cases/{id}/attachments", {}
    )  # fmt: skip
    assert _error(
        clinic.post(f"/cases/{case['id']}/attachments", files={"file": ("a.pdf", PDF)})
    ) == (403, "forbidden", "clinics add files with POST /cases/{id}/files", {})
    attachment = clinic.post(
        f"/cases/{case['id']}/files", files={"file": ("a.pdf", PDF)}, data={"kind": "attachment"}
    )
    assert _error(attachment) == (
        422, "validation_error", "clinics upload scans, photos or documents", {"field": "kind"}
    )  # fmt: skip


def test_a_refused_upload_says_why(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    clinic = portal_api.as_("dentist1")
    url = f"/cases/{case['id']}/files"
    empty = clinic.post(url, files={"file": ("e.stl", b"")})
    assert _error(empty) == (422, "validation_error", "the file is empty", {"field": "file"})
    photo = clinic.post(url, files={"file": ("p.stl", STL)}, data={"kind": "photo"})
    assert _error(photo) == (
        422, "validation_error", "a photo cannot be a model/stl file", {"field": "kind"}
    )  # fmt: skip
    portal_api.act("reviewer", case["id"], "accept")
    late = clinic.post(url, files={"file": ("late.stl", STL)})
    assert _error(late) == (
        409, "case_locked", "the lab has accepted the case; files cannot be added now", {}
    )  # fmt: skip


def test_an_upload_records_its_file_and_is_audited(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    uploaded = portal_api.as_("dentist1").post(
        f"/cases/{case['id']}/files",
        files={"file": ("../Oberkiefer scan.stl", STL)},
        data={"kind": "scan", "jaw": "upper"},
    )
    assert uploaded.status_code == 201, uploaded.text
    meta = uploaded.json()
    assert (meta["case_id"], meta["kind"], meta["jaw"], meta["filename"]) == (
        case["id"], "scan", "upper", "Oberkiefer scan.stl"
    )  # fmt: skip
    assert (meta["media_type"], meta["size"], meta["uploaded_by"]) == (
        "model/stl", len(STL), "dentist1"
    )  # fmt: skip
    assert meta["sha256"] == hashlib.sha256(STL).hexdigest()
    entries = portal_api.as_("lab_admin").get("/audit", params={"case_id": case["id"]}).json()
    [audited] = [e for e in entries if e["event"] == "file_upload"]
    assert audited["actor"] == "dentist1"
    assert audited["details"] == {"file_id": meta["id"], "sha256": meta["sha256"], "staged": False}
    assert audited["at"] == meta["uploaded_at"]  # one moment: the upload's

    staged = portal_api.as_("reviewer").post(
        f"/cases/{case['id']}/attachments", files={"file": ("why.pdf", PDF)}
    )
    assert staged.status_code == 201, staged.text
    assert (staged.json()["kind"], staged.json()["jaw"]) == ("attachment", None)
    entries = portal_api.as_("lab_admin").get("/audit", params={"case_id": case["id"]}).json()
    details = [e["details"] for e in entries if e["event"] == "file_upload"]
    assert {"file_id": staged.json()["id"], "sha256": hashlib.sha256(PDF).hexdigest(),
            "staged": True} in details  # fmt: skip


def test_a_download_is_an_attachment_kept_privately_and_its_name_survives(
    portal_api: Any,
) -> None:
    case = portal_api.new_case("dentist1")
    clinic = portal_api.as_("dentist1")
    meta = clinic.post(
        f"/cases/{case['id']}/files",
        files={"file": ("Zahnärztin Notiz.pdf", PDF)},
        data={"kind": "document"},
    ).json()
    assert meta["filename"] == "Zahnärztin Notiz.pdf"
    got = clinic.get(f"/files/{meta['id']}")
    assert got.status_code == 200
    assert got.content == PDF
    assert got.headers["Content-Disposition"] == (
        'attachment; filename="Zahn_rztin Notiz.pdf"; '
        "filename*=UTF-8''Zahn%C3%A4rztin%20Notiz.pdf"
    )
    assert got.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert got.headers["Content-Length"] == str(len(PDF))
    etag = got.headers["ETag"]
    cached = clinic.get(f"/files/{meta['id']}", headers={"If-None-Match": f'"other", {etag}'})
    assert cached.status_code == 304
    assert cached.headers["ETag"] == etag
    other = clinic.get(f"/files/{meta['id']}", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200
    part = clinic.get(f"/files/{meta['id']}", headers={"Range": "bytes=0-3"})
    assert (part.status_code, part.content, part.headers["Content-Length"]) == (206, b"%PDF", "4")
    assert part.headers["Content-Type"] == "application/pdf"
    entries = portal_api.as_("lab_admin").get("/audit", params={"case_id": case["id"]}).json()
    reads = [e["details"] for e in entries if e["event"] == "file_read"]
    assert {"file_id": meta["id"], "sha256": meta["sha256"], "range": ""} in reads
    assert {"file_id": meta["id"], "sha256": meta["sha256"], "range": "bytes=0-3"} in reads


def test_a_file_whose_bytes_are_gone_is_410(portal_api: Any, portal: Any) -> None:
    case = portal_api.new_case("dentist1")
    body = b"solid gone\nfacet normal 0 0 1\nendsolid gone\n"
    meta = (
        portal_api.as_("dentist1")
        .post(f"/cases/{case['id']}/files", files={"file": ("gone.stl", body)})
        .json()
    )
    portal.app.state.portal.store.path(meta["sha256"]).unlink()
    gone = portal_api.as_("dentist1").get(f"/files/{meta['id']}")
    assert _error(gone) == (
        410, "file_missing", "the file's bytes are missing from the store", {}
    )  # fmt: skip


def test_a_photo_is_stored_in_the_format_it_came_in(portal_api: Any) -> None:
    import io

    from PIL import Image

    case = portal_api.new_case("dentist1")
    for fmt, magic in (("JPEG", b"\xff\xd8\xff"), ("PNG", b"\x89PNG")):
        sent = io.BytesIO()
        Image.new("RGB", (16, 16), (10, 200, 30)).save(sent, fmt)
        meta = (
            portal_api.as_("dentist1")
            .post(
                f"/cases/{case['id']}/files",
                files={"file": (f"photo.{fmt.lower()}", sent.getvalue())},
                data={"kind": "photo"},
            )
            .json()
        )
        got = portal_api.as_("dentist1").get(f"/files/{meta['id']}").content
        assert got.startswith(magic), fmt
        with Image.open(io.BytesIO(got)) as image:
            assert image.format == fmt
