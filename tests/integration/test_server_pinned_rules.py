"""Portal rules a spot check broke without a test noticing (issue 19), each pinned from the rule:

- photos lose their metadata in PNG as in JPEG (EXIF with GPS, text chunks with a name);
- a remake of an unshared case does not show the lab the patient's surname anywhere;
- an Idempotency-Key belongs to one user: two users with the same key act independently;
- the sync cursor is the portal's ``next_since``: a case changed between the two queries of a
  page is not skipped, nor is anything committed in between.
"""

from __future__ import annotations

import io
import struct
import threading
from typing import Any

import pytest
from PIL import Image, PngImagePlugin

SURNAME = "Quistgaard"
METADATA_CHUNKS = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}


def _png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks


def _png_with_metadata() -> bytes:
    """A photo as a phone would save it: EXIF with GPS and the owner's name, text chunks."""
    image = Image.new("RGB", (24, 16), (200, 180, 170))
    exif = Image.Exif()
    exif[0x010F] = "Intraoral Camera Co."  # Make
    exif[0x013B] = f"Ingrid {SURNAME}"  # Artist
    exif[0x8825] = {1: "N", 2: (59.0, 54.0, 41.0), 3: "E", 4: (10.0, 45.0, 9.0)}  # GPSInfo
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", f"Ingrid {SURNAME}")  # tEXt
    info.add_text("Comment", f"patient {SURNAME}, GPS 59.91N 10.75E", zip=True)  # zTXt
    info.add_itxt("Description", f"Smile of {SURNAME}", lang="en", tkey="Beschreibung")  # iTXt
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif.tobytes())
    data = out.getvalue()
    assert {b"eXIf", b"tEXt", b"zTXt", b"iTXt"} <= set(_png_chunks(data))
    return data


@pytest.mark.parametrize(
    ("who", "route", "form"),
    [
        ("reviewer", "attachments", {}),
        ("lab_admin", "attachments", {}),
        ("dentist1", "files", {"kind": "photo"}),
    ],
)
def test_png_photos_lose_every_metadata_chunk(
    portal_api: Any, who: str, route: str, form: dict[str, str]
) -> None:
    case = portal_api.new_case("dentist1")
    original = _png_with_metadata()
    uploaded = portal_api.as_(who).post(
        f"/cases/{case['id']}/{route}", files={"file": ("smile.png", original)}, data=form
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["media_type"] == "image/png"
    if route == "attachments":  # staged until an action carries it (then the clinic sees it)
        carried = portal_api.act(  # only its uploader's action can carry it
            who, case["id"], "reject", reason_code="unclear_margin",
            attachment_ids=[uploaded.json()["id"]],
        )  # fmt: skip
        assert carried.status_code == 200, carried.text
    for reader in (who, "reviewer", "dentist1"):
        stored = portal_api.as_(reader).get(f"/files/{uploaded.json()['id']}").content
        assert not METADATA_CHUNKS & set(_png_chunks(stored)), _png_chunks(stored)
        for secret in (SURNAME.encode(), b"Intraoral", b"GPS", b"59.91"):
            assert secret not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert not image.getexif()
            assert not {"exif", "Author", "Comment", "Description"} & set(image.info)
            assert image.size == (24, 16)
            assert image.getpixel((3, 3)) == (200, 180, 170)  # PNG is re-encoded losslessly


def test_remake_of_an_unshared_case_never_shows_the_lab_the_surname(portal_api: Any) -> None:
    case = portal_api.new_case(
        "dentist1", patient_name=f"Ingrid {SURNAME}", share_patient_name=False
    )
    portal_api.advance(case["id"], "delivered")
    done = portal_api.act("dentist1", case["id"], "request_remake", reason="Shade too dark")
    assert done.status_code == 200, done.text
    child_id = done.json()["children"][0]["id"]

    dentist_view = portal_api.get("dentist1", child_id)
    assert dentist_view["patient_name"] == f"Ingrid {SURNAME}"
    assert dentist_view["share_patient_name"] is False
    for user in ("lab_admin", "reviewer", "designer"):
        client = portal_api.as_(user)
        texts = [
            client.get(f"/cases/{child_id}").text,
            client.get(f"/cases/{case['id']}").text,
            client.get(f"/cases/{child_id}/history").text,
            client.get("/cases", params={"since": case["seq"] - 1, "limit": 1000}).text,
        ]
        for text in texts:
            assert SURNAME not in text
            assert SURNAME.lower() not in text.lower()
        child = client.get(f"/cases/{child_id}").json()
        assert child["patient_name"] is None
        assert child["patient_initials"] == "I.Q."


def test_a_shared_name_is_shared_with_the_remake(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1", patient_name="Per Olsen", share_patient_name=True)
    portal_api.advance(case["id"], "delivered")
    done = portal_api.act("dentist1", case["id"], "request_remake", reason="Chipped")
    child = portal_api.get("reviewer", done.json()["children"][0]["id"])
    assert child["patient_name"] == "Per Olsen"


def test_one_idempotency_key_of_two_users_acts_twice(portal_api: Any) -> None:
    first, second = portal_api.new_case("dentist1"), portal_api.new_case("dentist1")
    key = portal_api.key()
    by_reviewer = portal_api.act("reviewer", first["id"], "accept", key=key)
    assert by_reviewer.status_code == 200, by_reviewer.text
    by_admin = portal_api.act("lab_admin", second["id"], "accept", key=key)
    assert by_admin.status_code == 200, by_admin.text
    assert "Idempotent-Replayed" not in by_admin.headers
    assert by_admin.json()["id"] == second["id"]
    assert portal_api.get("lab_admin", second["id"])["status"] == "design"
    assert portal_api.get("lab_admin", second["id"])["history"][-1]["by"] == "lab_admin"

    # The same key on the same case by a third user is that user's own request too.
    moved = portal_api.act("designer", first["id"], "start_production", key=key)
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "production"
    # ... while each user's own repeat is still answered from the record.
    again = portal_api.act("reviewer", first["id"], "accept", key=key, version=first["version"])
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["status"] == "design"  # the answer it got then
    assert portal_api.get("lab_admin", first["id"])["status"] == "production"


def test_a_change_between_the_two_queries_of_a_page_is_not_skipped(
    portal_api: Any, portal: Any
) -> None:
    """Between the page's id query and its case query, case B and then case A (which is in
    the page) change. Whatever the database shows the second query, the next pull from the
    page's ``next_since`` must bring both changes: nothing committed in between is skipped."""
    from sqlalchemy import event

    a, b = portal_api.new_case("dentist1"), portal_api.new_case("dentist1")
    client = portal_api.as_("reviewer")
    since = a["seq"] - 1
    engine = portal.app.state.portal.db.engine
    armed = threading.Event()
    armed.set()
    changed: dict[str, Any] = {}

    def change_both() -> None:
        changed["b"] = portal_api.act("lab_admin", b["id"], "hold", reason="x").json()
        changed["a"] = portal_api.act("lab_admin", a["id"], "hold", reason="y").json()

    def between(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # the page's related-rows read: "IN (…)" on SQLite, "= ANY(…)" on PostgreSQL
        upper = statement.upper()
        is_case_query = "FROM cases" in statement and (" IN " in upper or " ANY " in upper)
        if armed.is_set() and is_case_query and threading.current_thread() is not writer:
            armed.clear()
            writer.start()
            writer.join(timeout=30)

    writer = threading.Thread(target=change_both)
    event.listen(engine, "before_cursor_execute", between)
    try:
        page = client.get("/cases", params={"since": since, "limit": 1}).json()
    finally:
        event.remove(engine, "before_cursor_execute", between)
    assert not armed.is_set(), "the page's second query was not seen"
    assert changed["a"]["seq"] > changed["b"]["seq"] > b["seq"] > a["seq"]
    assert [c["id"] for c in page["cases"]] == [a["id"]]
    assert page["next_since"] == a["seq"]  # the page's first step, not the newest seq shown

    seen: dict[int, dict[str, Any]] = {}
    cursor = page["next_since"]
    while True:
        more = client.get("/cases", params={"since": cursor, "limit": 1}).json()
        for c in more["cases"]:
            seen[c["id"]] = c
        if not more["has_more"]:
            break
        cursor = more["next_since"]
    assert seen[b["id"]]["status"] == "on_hold"
    assert seen[a["id"]]["status"] == "on_hold"
