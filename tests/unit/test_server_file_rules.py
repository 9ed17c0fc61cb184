"""The portal's file rules without a server (docs/security.md "Files", docs/server.md
``GET /files/{id}``): what an upload is by its first bytes, clean file names, one byte range
per request, the picture size limit. Found unpinned by the mutation run (docs/testing.md)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from labdesk.server import files as F
from labdesk.server.errors import ApiError


def _binary_stl(triangles: int) -> bytes:
    return b"\x00" * 80 + struct.pack("<I", triangles) + b"\x00" * (50 * triangles)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, F.JPEG),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, F.PNG),
        (b"%PDF-1.7\n", F.PDF),
        (b"ply\nformat ascii 1.0\n", F.PLY),
        (b"ply\r\nformat binary_little_endian 1.0\r\n", F.PLY),
        (b"solid crown\n facet normal 0 0 1\n", F.STL),
        (b"  solid x\nfacet normal 0 0 1\n", F.STL),
        (b"# scan\nv 0 0 0\nv 1 0 0\nvn 0 0 1\nf 1 2 3\n", F.OBJ),
        (b"mtllib a.mtl\no crown\ng top\ns off\nusemtl m\nv 1 2 3\nvt 0 0\nvp 0\nl 1 2\np 1\n",
         F.OBJ),
        (b"v 0 0 0\nf 1 2 3\nv 0 0", F.OBJ),  # the last line may be cut off
    ],
)  # fmt: skip
def test_an_upload_is_known_by_its_first_bytes(head: bytes, expected: str) -> None:
    assert F.sniff(head, len(head)) == expected


def test_binary_stl_is_known_by_its_triangle_count_matching_the_size() -> None:
    data = _binary_stl(3)
    assert F.sniff(data[:4096], len(data)) == F.STL
    assert F.sniff(data[:4096], len(data) + 1) is None  # count and size disagree
    empty = _binary_stl(0)
    assert F.sniff(empty, len(empty)) is None  # no triangle: not a mesh
    assert F.sniff(data[:83], len(data)) is None  # too short to hold the count


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"hello world\n",
        b"solid but no triangles\n",
        b"facet before solid\nsolid\n",
        b"v 0 0 0\nnot obj\nf 1 2 3\n",
        b"vertex\nf 1 2 3\n",  # no "v " line
        b"v 0 0 0\x00\nf 1 2 3\n",  # NUL: binary, not text
        b"GIF89a" + b"\x00" * 10,
        b"PNG\r\n",
        b"\xff\xd8",
        b"%PDF",
        b"ply format",
    ],
)
def test_anything_else_is_not_a_known_type(head: bytes) -> None:
    assert F.sniff(head, len(head)) is None


def test_text_cut_inside_a_character_is_still_read() -> None:
    text = "v 0 0 0\nf 1 2 3\n# é".encode()
    head = text + b"x" * (4096 - len(text) - 1) + "é".encode()[:1]
    assert len(head) == 4096
    assert F.sniff(head, 10_000) == F.OBJ


def test_a_type_not_accepted_here_is_415_naming_what_is_accepted() -> None:
    assert F.check_type(b"%PDF-1.4", 8, F.ATTACHMENT_TYPES) == F.PDF
    with pytest.raises(ApiError) as refused:
        F.check_type(b"ply\n", 4, F.ATTACHMENT_TYPES)
    assert refused.value.status == 415
    assert refused.value.code == "unsupported_media_type"
    assert refused.value.message == (
        "this kind of file is not accepted here (accepted: JPG, PDF, PNG)"
    )
    assert refused.value.details == {
        "detected": F.PLY,
        "accepted": sorted(F.ATTACHMENT_TYPES),
    }
    with pytest.raises(ApiError) as unknown:
        F.check_type(b"hello", 5, F.CLINIC_TYPES)
    assert unknown.value.details["detected"] is None


@pytest.mark.parametrize(
    ("name", "media_type", "expected"),
    [
        ("scan.stl", F.STL, "scan.stl"),
        ("Upper Jaw (2).STL", F.STL, "Upper Jaw (2).STL"),
        ("C:\\Users\\dr\\photo.jpg", F.JPEG, "photo.jpg"),
        ("../../etc/passwd", F.PDF, "passwd.pdf"),
        ("photo.jpeg", F.JPEG, "photo.jpeg"),
        ("photo.JPEG", F.JPEG, "photo.JPEG"),
        ("photo.jpeg", F.PNG, "photo.png"),  # the extension follows the bytes
        ("photo.png", F.JPEG, "photo.jpg"),
        ("scan.obj.exe", F.OBJ, "scan.obj.obj"),
        ("report", F.PDF, "report.pdf"),
        (".pdf", F.PDF, "pdf.pdf"),
        ("a\x00b\x1fc<>|?*.pdf", F.PDF, "a_b_c_.pdf"),
        ("a  __  b.pdf", F.PDF, "a_b.pdf"),
        ("  _.hidden. ", F.PDF, "hidden.pdf"),
        ("", F.PDF, "file.pdf"),
        (None, F.OBJ, "file.obj"),
        ("///", F.PLY, "file.ply"),
        ("ＦＵＬＬ.pdf", F.PDF, "FULL.pdf"),  # NFKC: full-width letters become ASCII
        ("X-ray X.pdf", F.PDF, "X-ray X.pdf"),  # only spaces, dots and "_" are trimmed
        ("x" * 300 + ".pdf", F.PDF, "x" * 100 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(name: str | None, media_type: str, expected: str) -> None:
    assert F.clean_name(name, media_type) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-199", (100, 199)),
        ("Bytes = 5-5", (5, 5)),
        ("bytes=990-", (990, 999)),
        ("bytes=0-5000", (0, 999)),  # the end beyond the file is the last byte
        ("bytes=-84", (916, 999)),
        ("bytes=-1", (999, 999)),  # the last byte
        ("bytes=-5000", (0, 999)),  # a suffix longer than the file is the whole file
        ("bytes=999-999", (999, 999)),
        ("items=0-9", None),  # another unit: the whole file
        ("bytes=0-9,20-29", None),  # several ranges: the whole file
        ("bytes=5", None),
        ("bytes=a-9", None),
        ("bytes=0-b", None),
        ("bytes=9-5", None),  # last before first: not a valid range, the whole file
    ],
)
def test_one_byte_range_of_a_1000_byte_file(
    header: str | None, expected: tuple[int, int] | None
) -> None:
    found = F.parse_range(header, 1000)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.start, found.end, found.length) == (*expected, expected[1] - expected[0] + 1)


@pytest.mark.parametrize(
    "header", ["bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=--5", "bytes=5000-1"]
)
def test_a_range_outside_the_file_is_416_with_its_size(header: str) -> None:
    with pytest.raises(ApiError) as refused:
        F.parse_range(header, 1000)
    assert refused.value.status == 416
    assert refused.value.code == "range_not_satisfiable"
    assert refused.value.message == "the requested range is outside the file"
    assert refused.value.details == {"size": 1000}
    assert refused.value.headers == {"Content-Range": "bytes */1000"}


def test_a_range_is_read_in_chunks_and_stops_at_the_end(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "blob"
    data = bytes(range(256)) * (2 * F.CHUNK // 256 + 7)
    path.write_bytes(data)
    start = F.CHUNK - 10
    parts = list(F.read_range(path, start, F.CHUNK + 20))
    assert b"".join(parts) == data[start : start + F.CHUNK + 20]
    assert [len(p) for p in parts] == [F.CHUNK, 20]
    assert b"".join(F.read_range(path, len(data) - 5, 100)) == data[-5:]
    assert list(F.read_range(path, 0, 0)) == []
    assert list(F.read_range(path, 3, 1)) == [data[3:4]]  # one byte, e.g. bytes=3-3
    assert b"".join(F.read_range(path, 0, F.CHUNK + 1)) == data[: F.CHUNK + 1]


def test_a_picture_over_the_pixel_limit_says_how_big_it_is() -> None:
    error = F.too_many_pixels(120_400_000)
    assert error.status == 413
    assert error.code == "too_large"
    assert error.message == "the picture is too large (120 MP); at most 80 megapixels are accepted"
    assert error.details == {"pixels": 120_400_000, "limit": 80_000_000}
    unknown = F.too_many_pixels(None)
    assert unknown.message == "the picture is too large; at most 80 megapixels are accepted"
    assert unknown.details == {"pixels": None, "limit": 80_000_000}


def _photo(fmt: str, **save: object) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 120, 40)).save(out, fmt, **save)
    return out.getvalue()


def test_a_photo_keeps_only_its_colour_profile() -> None:
    from PIL import Image, ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    for fmt, media_type in (("JPEG", F.JPEG), ("PNG", F.PNG)):
        clean = F.strip_metadata(_photo(fmt, icc_profile=icc, exif=exif.tobytes()), media_type)
        with Image.open(io.BytesIO(clean)) as image:
            assert image.format == fmt
            assert image.info.get("icc_profile") == icc
            assert not image.getexif()
        assert b"PhoneMaker" not in clean
        if fmt == "JPEG":
            assert b"\xff\xe1" not in clean  # no APP1 segment (EXIF/XMP) at all
        plain = F.strip_metadata(_photo(fmt), media_type)
        with Image.open(io.BytesIO(plain)) as image:
            assert "icc_profile" not in image.info  # none added when there was none


def test_a_photo_that_cannot_be_decoded_is_415() -> None:
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    with pytest.raises(ApiError) as refused:
        F.strip_metadata(broken, F.PNG)
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        415, "unsupported_media_type", "the image cannot be read"
    )  # fmt: skip
    assert set(refused.value.details) == {"error"}
    assert 0 < len(refused.value.details["error"]) <= 200


def test_an_upload_is_copied_and_hashed_up_to_its_limit(tmp_path: Path) -> None:
    import hashlib

    data = b"x" * (F.CHUNK + 5)
    temp = tmp_path / "upload"
    assert F.receive(io.BytesIO(data), temp, F.CHUNK + 5) == (
        hashlib.sha256(data).hexdigest(), len(data)
    )  # fmt: skip
    assert temp.read_bytes() == data
    with pytest.raises(ApiError) as refused:
        F.receive(io.BytesIO(data + b"y"), temp, F.CHUNK + 5)
    assert (refused.value.status, refused.value.code) == (413, "too_large")
    assert refused.value.message == "the file is larger than 1 MB"
    assert refused.value.details == {"limit": F.CHUNK + 5}
    assert not temp.exists()  # nothing half-written is left


def test_the_store_names_files_by_their_sha256_only(tmp_path: Path) -> None:
    store = F.FileStore(tmp_path / "files")
    sha, size = store.put_bytes(b"scan bytes")
    assert (size, store.path(sha)) == (10, tmp_path / "files" / sha[:2] / sha)
    assert store.path(sha).read_bytes() == b"scan bytes"
    assert store.exists(sha)
    for bad in ("../etc/passwd", sha.upper(), sha[:-1], sha + "0"):
        with pytest.raises(ValueError, match=r"^not a sha256$"):
            store.path(bad)


def test_a_cmyk_or_grey_jpeg_keeps_its_colours_as_they_are() -> None:
    from PIL import Image

    for mode in ("CMYK", "L"):
        out = io.BytesIO()
        Image.new(mode, (8, 8)).save(out, "JPEG")
        with Image.open(io.BytesIO(F.strip_metadata(out.getvalue(), F.JPEG))) as image:
            assert image.mode == mode


def test_a_jpeg_photo_is_re_encoded_at_quality_95() -> None:
    from PIL import Image

    reference = io.BytesIO()
    Image.new("RGB", (8, 8)).save(reference, "JPEG", quality=95)
    with Image.open(reference) as image:
        tables = image.quantization  # what quality 95 means to the JPEG encoder
    with Image.open(io.BytesIO(F.strip_metadata(_photo("JPEG", quality=50), F.JPEG))) as image:
        assert image.quantization == tables


def test_a_picture_of_exactly_the_pixel_limit_is_accepted() -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (10_000, 8_000)).save(out, "PNG")  # 80 MP, one bit a pixel
    with Image.open(io.BytesIO(F.strip_metadata(out.getvalue(), F.PNG))) as image:
        assert image.size == (10_000, 8_000)


def test_the_megapixels_of_a_refused_picture_are_rounded_to_the_nearest() -> None:
    assert "(81 MP)" in F.too_many_pixels(80_500_001).message
    assert "(80 MP)" in F.too_many_pixels(80_499_999).message


def test_an_undecodable_photo_is_415_with_the_decoders_words() -> None:
    cut = _photo("PNG")[:60]  # a picture's header, its pixels cut off
    with pytest.raises(ApiError) as refused:
        F.strip_metadata(cut, F.PNG)
    assert refused.value.details == {"error": "image file is truncated"}


def test_uploads_in_progress_wait_in_the_stores_tmp_folder(tmp_path: Path) -> None:
    # ``tmp`` by name: the backup leaves that folder out (backup.py), the sweep empties it
    store = F.FileStore(tmp_path / "files")
    temp, sha, size = store.write_temp(b"half")
    assert temp.parent == tmp_path / "files" / "tmp"
    assert (temp.read_bytes(), size, store.exists(sha)) == (b"half", 4, False)
