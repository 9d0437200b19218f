"""Evidence files (佐证材料): the type is read from the content (magic bytes), never taken on trust.

A file whose content is not one of the accepted kinds, or whose extension says another kind, is refused;
what is kept is the content with its SHA-256, size and checked media type.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from gongfu.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
# media type -> extensions it may carry
KINDS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/x-ole-storage": (".doc", ".xls"),  # legacy Office files share one container
    "application/ofd": (".ofd",),
}


@dataclass(frozen=True)
class Checked:
    file_name: str
    media_type: str
    size: int
    sha256: str
    content: bytes


def sniff(content: bytes) -> str | None:
    """The media type the content itself shows, or None."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if "OFD.xml" in names:
            return "application/ofd"
    return None


def check(file_name: str, content: bytes) -> Checked:
    """The file as it will be stored; InputError naming the file when its size or type is wrong."""
    name = PurePath(file_name.replace("\\", "/")).name.strip()
    if not name:
        raise InputError("evidence file without a name")
    if not content:
        raise InputError("empty evidence file", file=name)
    if len(content) > MAX_BYTES:
        raise InputError(f"evidence file too large: {len(content)} bytes (limit {MAX_BYTES})", file=name)
    kind = sniff(content)
    accepted = ", ".join(sorted({e for exts in KINDS.values() for e in exts}))
    if kind is None:
        raise InputError(f"content is not an accepted evidence type ({accepted})", file=name)
    ext = PurePath(name).suffix.lower()
    if ext not in KINDS[kind]:
        raise InputError(f"the extension {ext or '(none)'} does not match the content ({kind})", file=name)
    return Checked(name, kind, len(content), hashlib.sha256(content).hexdigest(), content)
