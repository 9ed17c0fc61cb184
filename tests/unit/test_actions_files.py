"""labdesk.client.attachments: attachments leave the workstation without EXIF, in limits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from labdesk.client.attachments import (
    has_exif,
    prepare_attachment,
    read_attachment,
    strip_jpeg_metadata,
)
from labdesk.domain.required import ActionInputError


def jpeg_with_exif(size: tuple[int, int] = (64, 48), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS R5"  # Model
    exif[0x0132] = "2026:03:01 10:22:01"  # DateTime
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Patient John Miller")
    return out.getvalue()


def test_jpeg_exif_gps_camera_and_comment_are_gone() -> None:
    data = jpeg_with_exif()
    assert has_exif(data)
    clean = strip_jpeg_metadata(data)
    assert not has_exif(clean)
    assert b"Canon" not in clean
    assert b"John Miller" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (64, 48)
        assert image.format == "JPEG"


def test_a_rotated_photo_stays_upright_without_its_orientation_tag() -> None:
    clean = strip_jpeg_metadata(jpeg_with_exif((64, 48), orientation=6))
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (48, 64)
        assert not image.getexif()


def test_png_text_and_exif_are_removed() -> None:
    image = Image.new("RGB", (10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    attachment = prepare_attachment("shot.png", out.getvalue())
    assert attachment.media_type == "image/png"
    assert not has_exif(attachment.data)


def test_type_is_checked_by_name_and_content() -> None:
    with pytest.raises(ActionInputError, match="only JPEG, PNG and PDF"):
        prepare_attachment("scan.stl", b"solid x")
    with pytest.raises(ActionInputError, match="not a valid JPG"):
        prepare_attachment("photo.jpg", b"%PDF-1.4 not a picture")
    pdf = prepare_attachment("/some/dir/rx.pdf", b"%PDF-1.4\n%%EOF\n")
    assert (pdf.filename, pdf.media_type) == ("rx.pdf", "application/pdf")


def test_size_limit_is_checked_before_upload(tmp_path: Path) -> None:
    big = b"%PDF-1.4\n" + b"0" * 5000
    with pytest.raises(ActionInputError, match="at most 4 KB"):
        prepare_attachment("big.pdf", big, limit=4096)
    path = tmp_path / "huge.pdf"
    path.write_bytes(b"%PDF-" + b"0" * (3 * 1024 * 1024))
    with pytest.raises(ActionInputError, match=r"3\.0 MB"):
        read_attachment(path, limit=1024 * 1024)


def test_read_attachment_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ActionInputError, match="cannot be read"):
        read_attachment(tmp_path / "gone.jpg")
    path = tmp_path / "photo.JPG"
    path.write_bytes(jpeg_with_exif())
    attachment = read_attachment(path)
    assert attachment.filename == "photo.JPG"
    assert not has_exif(attachment.data)
