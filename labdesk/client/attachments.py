"""Attachments to a rejection: checked and cleaned on the workstation before they leave it.

A photo from a phone carries where it was taken and with which camera (EXIF); a clinic has no
business receiving that from the lab, and the portal strips it again on arrival, but it should
never cross the network in the first place. The size and type limits are checked here too, so
a person learns at once that a file is too large instead of after a failed upload.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

from labdesk.domain.required import ActionInputError

# The portal's default limit (``labdesk.server`` settings); the portal checks again.
MAX_ATTACHMENT_BYTES: Final = 25 * 1024 * 1024

MEDIA_TYPES: Final[dict[str, str]] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
}
# The first bytes of each accepted type: a file is what its content says, not its name.
_MAGIC: Final[dict[str, bytes]] = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
}
_ORIENTATION: Final = 0x0112  # the EXIF tag
FILE_FILTER: Final = "Images and PDF (*.jpg *.jpeg *.png *.pdf)"


@dataclass(frozen=True)
class Attachment:
    """A file ready to upload: cleaned bytes, the name the clinic sees, its media type."""

    filename: str
    media_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def media_type_of(filename: str, data: bytes) -> str:
    """The media type, from the extension and confirmed by the content."""
    suffix = Path(filename).suffix.lower()
    media_type = MEDIA_TYPES.get(suffix)
    if media_type is None:
        raise ActionInputError(
            f"“{filename}” cannot be attached: only JPEG, PNG and PDF files can.", "attachments"
        )
    if not data.startswith(_MAGIC[media_type]):
        raise ActionInputError(
            f"“{filename}” is not a valid {suffix.lstrip('.').upper()} file.", "attachments"
        )
    return media_type


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The JPEG without EXIF (GPS, camera, time), XMP or comments, turned upright.

    The orientation lives in EXIF, so an image that relies on it is rotated into its pixels
    first; otherwise the original quantisation is kept (``quality="keep"``) so the picture
    does not lose detail.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            orientation = image.getexif().get(_ORIENTATION, 1)
            out = io.BytesIO()
            options: dict[str, object] = {"exif": b"", "comment": b""}
            if "icc_profile" in image.info:
                options["icc_profile"] = image.info["icc_profile"]
            if orientation not in (None, 1):
                ImageOps.exif_transpose(image).save(out, "JPEG", quality=95, **options)
            else:
                image.save(out, "JPEG", quality="keep", subsampling="keep", **options)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ActionInputError(f"The picture cannot be read: {exc}.", "attachments") from None
    return out.getvalue()


def strip_png_metadata(data: bytes) -> bytes:
    """The PNG without its eXIf and text chunks (lossless)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            out = io.BytesIO()
            image.save(out, "PNG", exif=b"")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ActionInputError(f"The picture cannot be read: {exc}.", "attachments") from None
    return out.getvalue()


def prepare_attachment(
    filename: str, data: bytes, *, limit: int = MAX_ATTACHMENT_BYTES
) -> Attachment:
    """Check the type, strip metadata from pictures, and check the size of what will be sent."""
    name = Path(filename).name or "attachment"
    media_type = media_type_of(name, data)
    if media_type == "image/jpeg":
        data = strip_jpeg_metadata(data)
    elif media_type == "image/png":
        data = strip_png_metadata(data)
    if len(data) > limit:
        raise ActionInputError(
            f"“{name}” is {human_size(len(data))}; attachments may be at most {human_size(limit)}.",
            "attachments",
        )
    return Attachment(name, media_type, data)


READ_CHUNK: Final = 1024 * 1024


def read_attachment(
    path: str | Path,
    *,
    limit: int = MAX_ATTACHMENT_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> Attachment:
    """:func:`prepare_attachment` for a file on disk; refuses a too large file before reading.

    Reading up to 25 MiB and re-encoding a picture takes a while: the caller runs it off the
    GUI thread, and ``progress(bytes read, size)`` says how far the reading got (it may raise
    to stop the work, e.g. a task that was cancelled)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        # Stripping only makes a picture smaller by its metadata; far over is too large.
        if size > limit + 1024 * 1024:
            raise ActionInputError(
                f"“{path.name}” is {human_size(size)}; attachments may be at most "
                f"{human_size(limit)}.",
                "attachments",
            )
        data = _read_reporting(path, size, progress)
    except OSError as exc:
        raise ActionInputError(
            f"“{path.name}” cannot be read: {exc.strerror or exc}.", "attachments"
        ) from None
    return prepare_attachment(path.name, data, limit=limit)


def _read_reporting(path: Path, size: int, progress: Callable[[int, int], None] | None) -> bytes:
    if progress is None:
        return path.read_bytes()
    chunks: list[bytes] = []
    done = 0
    with path.open("rb") as stream:
        while chunk := stream.read(READ_CHUNK):
            chunks.append(chunk)
            done += len(chunk)
            progress(done, max(size, done))
    return b"".join(chunks)


def thumbnail_rgba(data: bytes, width: int, height: int) -> tuple[int, int, bytes] | None:
    """A small RGBA picture of an image attachment: (width, height, pixels), or None.

    Pillow decodes without holding the GIL (and a JPEG at a fraction of its size), so this can
    run beside the GUI thread; Qt's own decoder from Python holds the GIL for the whole decode
    (~0.4 s for a 10 MiB photo)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (width * 2, height * 2))  # JPEG: decode at a reduced scale
            small = image.convert("RGBA")
            small.thumbnail((width, height))
            return small.width, small.height, small.tobytes()
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def has_exif(data: bytes) -> bool:
    """Whether a picture still carries EXIF (tests and a last check before sending)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return bool(image.getexif()) or "exif" in image.info
    except (UnidentifiedImageError, OSError):
        return False
