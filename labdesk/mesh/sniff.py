"""What a file really is, judged from its bytes (the extension is only a hint).

Files reach a lab renamed, half-downloaded or exported wrongly: a photo saved as ``.stl``, a
ZIP of the whole case, an HTML error page from a portal, an ASCII STL re-saved by a Windows
editor as UTF-16. Parsing those as a mesh gives nonsense ("truncated after 2 of 2,381,402,575
triangles"). :func:`refuse_foreign` names such files from their first bytes, before the rest
is read; :func:`mesh_kind` then decides between binary STL, ASCII STL, PLY and OBJ.
"""

from __future__ import annotations

from labdesk.mesh import obj, stl
from labdesk.mesh.scan import ScanError

#: Bytes of the file's start that the sniffing looks at.
HEAD_BYTES = 4096

_EXPORT = "export the scan again as STL, PLY or OBJ"

# (magic at offset 0, what it is, what to do)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG picture", "attach it as a photo, or " + _EXPORT),
    (b"\xff\xd8\xff", "a JPEG picture", "attach it as a photo, or " + _EXPORT),
    (b"GIF87a", "a GIF picture", _EXPORT),
    (b"GIF89a", "a GIF picture", _EXPORT),
    (b"II*\x00", "a TIFF picture", _EXPORT),
    (b"MM\x00*", "a TIFF picture", _EXPORT),
    (b"%PDF-", "a PDF document", "open it as a document, or " + _EXPORT),
    (
        b"PK\x03\x04",
        "a ZIP archive (for example a 3Shape .3oxz or a case export)",
        "unpack it and open the STL, PLY or OBJ inside",
    ),
    (b"PK\x05\x06", "an empty ZIP archive", _EXPORT),
    (b"\x1f\x8b", "a gzip-compressed file", "unpack it and open the scan inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and open the scan inside"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it and open the scan inside"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document", _EXPORT),
)
_DICOM = "this is a DICOM image (CT or CBCT), not a surface scan; export the surface as STL"
_DCM_3SHAPE = "this is a 3Shape DCM file, 3Shape's own format; export STL or PLY from 3Shape"
_UTF8_BOM = b"\xef\xbb\xbf"


def refuse_foreign(head: bytes, ext: str) -> None:
    """Raise a ScanError naming the file when its first bytes say it is not a mesh."""
    if head[:3] == b"ply":
        return
    for magic, what, advice in _MAGIC:
        if head.startswith(magic):
            raise ScanError(f"this is {what}, not a scan; {advice}")
    if head[128:132] == b"DICM":
        raise ScanError(_DICOM)
    if head[4:8] == b"ftyp":
        raise ScanError(f"this is a video or HEIC picture, not a scan; {_EXPORT}")
    if _is_utf16(head):
        raise ScanError(_utf16_message(head))
    lowered = head.lower()
    if ext == ".dcm" or (_strip_bom(lowered).lstrip().startswith(b"<?xml") and b"<hps" in lowered):
        raise ScanError(_DCM_3SHAPE)


def strip_utf8_bom(data: bytes | memoryview) -> memoryview:
    """The data without a leading UTF-8 byte order mark (Notepad adds one), not copied."""
    view = memoryview(data)
    return view[3:] if bytes(view[:3]) == _UTF8_BOM else view


def mesh_kind(data: bytes | memoryview, ext: str) -> str:
    """``"PLY"``, ``"binary STL"``, ``"ASCII STL"`` or ``"OBJ"``, or a ScanError saying why not."""
    head = bytes(data[:HEAD_BYTES])
    refuse_foreign(head, ext)
    if head[:3] == b"ply" and head[3:4] in (b"\n", b"\r", b" "):
        return "PLY"
    if stl.is_exact_binary_stl(data):
        return "binary STL"
    if stl.looks_like_ascii_stl(data):
        return "ASCII STL"
    text = is_text(head)
    if obj.looks_like_obj(data):
        return "OBJ"
    if ext == ".obj":
        if not text:
            raise ScanError("this .obj file holds binary data, not OBJ text: it is not a scan")
        return "OBJ"
    if ext == ".ply":
        if text:
            raise ScanError(f"this .ply file is {_text_kind(head)}, not a PLY scan")
        raise ScanError("this .ply file is damaged: it does not start with 'ply'")
    if ext == ".stl":
        if head.lstrip().lower().startswith(b"solid") and b"\0" not in head:
            return "ASCII STL"
        if text:
            raise ScanError(f"this .stl file is {_text_kind(head)}, not an STL scan")
        if len(data) >= stl.HEADER_SIZE:
            return "binary STL"
        raise ScanError(f"the file is too short to be an STL ({len(data)} bytes)")
    raise ScanError(
        "LabDesk cannot read this file: it is not an STL, PLY or OBJ scan"
        + (f" ({ext} files are not supported)" if ext else "")
    )


def is_text(head: bytes) -> bool:
    """True for bytes that read as text: no NUL, UTF-8, nearly all printable."""
    if not head or b"\0" in head:
        return False
    decoded = head.decode("utf-8", errors="replace")
    bad = sum(1 for ch in decoded if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n\f"))
    return bad <= max(2, len(decoded) // 100)  # allow a character cut at the end of the head


def _text_kind(head: bytes) -> str:
    start = _strip_bom(head).lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:512]:
        return "a web page (HTML; a failed download?)"
    if start.startswith(b"<?xml") or start.startswith(b"<"):
        return "an XML document"
    if start.startswith((b"{", b"[")):
        return "a JSON document"
    return "a text file"


def _strip_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(_UTF8_BOM) else head


def _is_utf16(head: bytes) -> bool:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = head[:64]
    if len(sample) < 16 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 16:
        return False
    # Text in UTF-16 without a byte order mark: every other byte is zero, the rest printable.
    for zeros, chars in ((sample[1::2], sample[0::2]), (sample[0::2], sample[1::2])):
        if zeros.count(0) == len(zeros) and all(32 <= c < 127 or c in b"\t\r\n" for c in chars):
            return True
    return False


def _utf16_message(head: bytes) -> str:
    encoding = "utf-16"
    if head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16-le" if head[1] == 0 else "utf-16-be"
    even = len(head) - len(head) % 2
    start = head[:even].decode(encoding, errors="replace").lstrip("\ufeff \t\r\n").lower()
    if start.startswith("solid"):
        what = "an ASCII STL"
    elif start.startswith("ply"):
        what = "an ASCII PLY"
    elif start.split(maxsplit=1)[:1] in (["v"], ["#"], ["o"], ["mtllib"], ["g"]):
        what = "an OBJ"
    else:
        what = "a text file"
    return (
        f"this is {what} saved as UTF-16 (Unicode) text; LabDesk reads scan text in ASCII: "
        "export the scan again from the scanning software, or save the file as ANSI or UTF-8"
    )
