"""Files: the content-addressed store, what an upload is (by its bytes, not its name), clean
names, metadata stripped from photos, byte ranges."""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from PIL import Image, ImageOps, UnidentifiedImageError

from labdesk.server.errors import ApiError

CHUNK: Final = 1024 * 1024

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
STL, PLY, OBJ = "model/stl", "model/x-ply", "model/obj"
EXTENSIONS: Final = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf", STL: ".stl", PLY: ".ply", OBJ: ".obj"}
ATTACHMENT_TYPES: Final = frozenset({JPEG, PNG, PDF})
CLINIC_TYPES: Final = frozenset({JPEG, PNG, PDF, STL, PLY, OBJ})
MAX_IMAGE_PIXELS: Final = 80_000_000


class FileStore:
    """Files named by their sha256 under ``root`` (``ab/abcdef...``); written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def temp_path(self) -> Path:
        return self.tmp / f"upload-{secrets.token_hex(8)}"

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(data).hexdigest()
        if not self.exists(sha):
            temp = self.temp_path()
            temp.write_bytes(data)
            self._publish(temp, sha)
        return sha, len(data)

    def write_temp(self, data: bytes) -> tuple[Path, str, int]:
        """``data`` in a new temporary file (not yet in the store): (path, sha256, size)."""
        temp = self.temp_path()
        temp.write_bytes(data)
        return temp, hashlib.sha256(data).hexdigest(), len(data)

    def put_file(self, temp: Path, sha256: str) -> None:
        """Move a fully written temporary file into the store under its (known) hash.

        Same bytes already there are replaced atomically all the same: the fresh time stamp
        keeps the sweep's grace period from removing content a new row has just reused.
        """
        self._publish(temp, sha256)

    def _publish(self, temp: Path, sha256: str) -> None:
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)


def receive(stream: BinaryIO, temp: Path, limit: int) -> tuple[str, int]:
    """Copy an upload to ``temp`` hashing it; 413 beyond ``limit`` bytes."""
    digest = hashlib.sha256()
    size = 0
    with temp.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                out.close()
                temp.unlink(missing_ok=True)
                raise ApiError(
                    413,
                    "too_large",
                    f"the file is larger than {limit // (1024 * 1024)} MB",
                    {"limit": limit},
                )
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def sniff(head: bytes, size: int) -> str | None:
    """The media type of a file from its first bytes (and size, for binary STL)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"ply\n", b"ply\r\n")):
        return PLY
    if len(head) >= 84:
        (count,) = struct.unpack_from("<I", head, 80)
        if count > 0 and size == 84 + 50 * count:
            return STL
    try:
        text = head[:4096].decode("utf-8")
    except UnicodeDecodeError:
        text = head[:4095].decode("utf-8", errors="ignore")
    if "\x00" in text:
        return None
    stripped = text.lstrip()
    if stripped.startswith("solid") and "facet" in text:
        return STL
    lines = [line.strip() for line in text.splitlines()]
    if any(line.startswith("v ") for line in lines) and all(
        not line or line.startswith("#") or line.split()[0] in _OBJ_KEYWORDS
        for line in lines[:-1]  # the last line may be cut off
    ):
        return OBJ
    return None


_OBJ_KEYWORDS: Final = frozenset(
    {"v", "vn", "vt", "vp", "f", "l", "p", "o", "g", "s", "mtllib", "usemtl"}
)


def check_type(head: bytes, size: int, allowed: Iterable[str]) -> str:
    media_type = sniff(head, size)
    allowed = frozenset(allowed)
    if media_type is None or media_type not in allowed:
        names = ", ".join(sorted(EXTENSIONS[t].lstrip(".").upper() for t in allowed))
        raise ApiError(
            415,
            "unsupported_media_type",
            f"this kind of file is not accepted here (accepted: {names})",
            {"detected": media_type, "accepted": sorted(allowed)},
        )
    return media_type


def clean_name(name: str | None, media_type: str) -> str:
    """A safe file name: no path, no control or odd characters, the right extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w.\- ()]+", "_", base, flags=re.UNICODE)
    base = re.sub(r"[_ ]{2,}", "_", base).strip(" ._")
    stem, dot, ext = base.rpartition(".")
    wanted = EXTENSIONS[media_type]
    if not dot or not stem:
        stem, ext = base, ""
    if f".{ext.lower()}" != wanted and not (media_type == JPEG and ext.lower() == "jpeg"):
        ext = wanted.lstrip(".")
    stem = (stem or "file")[:100]
    return f"{stem}.{ext}"


def strip_metadata(data: bytes, media_type: str) -> bytes:
    """Photos without EXIF/XMP/text chunks (GPS, camera, time), orientation applied.

    The image is decoded and re-encoded (JPEG at quality 95, PNG losslessly); only the
    colour profile is kept.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise too_many_pixels(image.width * image.height)
            icc = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except Image.DecompressionBombError as exc:  # Pillow refuses to even open it
        found = re.search(r"(\d+) pixels", str(exc))
        raise too_many_pixels(int(found.group(1)) if found else None) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ApiError(
            415, "unsupported_media_type", "the image cannot be read", {"error": str(exc)[:200]}
        ) from exc
    clean = upright.copy()
    clean.info = {}
    out = io.BytesIO()
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if media_type == JPEG:
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=95, exif=b"", **options)
    else:
        clean.save(out, "PNG", exif=b"", **options)
    return out.getvalue()


def too_many_pixels(pixels: int | None) -> ApiError:
    """413 for a picture over the pixel limit, saying how big it is in megapixels."""
    limit = MAX_IMAGE_PIXELS // 1_000_000
    size = f" ({round(pixels / 1_000_000)} MP)" if pixels else ""
    return ApiError(
        413,
        "too_large",
        f"the picture is too large{size}; at most {limit} megapixels are accepted",
        {"pixels": pixels, "limit": MAX_IMAGE_PIXELS},
    )


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """One ``bytes=`` range of a file of ``size`` bytes; None: send the whole file (no header,
    a form we do not serve, e.g. several ranges); 416 when it cannot be satisfied."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0:
                raise _unsatisfiable(size)
            start, end = max(0, size - suffix), size - 1
        else:
            start = int(first)
            end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size:
        raise _unsatisfiable(size)
    if start < 0 or end < start:
        return None
    return ByteRange(start, min(end, size - 1))


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(
        416,
        "range_not_satisfiable",
        "the requested range is outside the file",
        {"size": size},
        headers={"Content-Range": f"bytes */{size}"},
    )


def read_range(path: Path, start: int, length: int) -> Iterable[bytes]:
    with path.open("rb") as fh:
        fh.seek(start)
        remaining = length
        while remaining > 0:
            chunk = fh.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
