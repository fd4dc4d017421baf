"""Keeping uploaded files on disk safely: known kinds only, a size limit, random names, and
nothing left half-written."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cop.privatefiles import FILE_MODE, private_folder

# The instance's folders of stored files, one subfolder per visit.
DOCUMENTS = "documents"
MAIL_ATTACHMENTS = "mail-attachments"
FILE_FOLDERS = (DOCUMENTS, MAIL_ATTACHMENTS)


def visit_folder(visit_id: int, kind: str = DOCUMENTS) -> Path:
    """Where a visit's documents (or mail attachments) are kept, relative to the instance."""
    return Path(kind) / str(visit_id)


# What a visit's documents may be, by extension, and the type they are served as (the type the
# browser sent is not trusted).
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "ics": "text/calendar",
}
CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """Why a file cannot be kept: ``empty``, ``too_large`` or ``kind``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    filename: str
    content_type: str
    size: int
    sha256: str


# Bidirectional controls turn "invoice\u202efdp.exe" into what reads as "invoiceexe.pdf".
BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
BIDI_MARKS = {"\u200e", "\u200f", "\u061c"}


def clean_filename(name: str) -> str:
    """A filename safe to show and to offer for download: no folders, no control characters,
    no right-to-left overrides or other direction controls that disguise its extension."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(
        character
        for character in name
        if unicodedata.bidirectional(character) not in BIDI_CONTROLS and character not in BIDI_MARKS
    )
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", name).strip(" .")
    return name[:200] or "document"


def kind_of(filename: str) -> str | None:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return ALLOWED_TYPES.get(extension)


def store(
    stream: BinaryIO, filename: str, folder: Path, max_bytes: int, any_kind: bool = False
) -> StoredFile:
    """Copy an upload into ``folder`` under a random name; refuse it whole if it breaks a rule.

    ``any_kind`` keeps files of any kind (mail attachments, which are kept as received and only
    ever offered as downloads)."""
    filename = clean_filename(filename)
    content_type = kind_of(filename)
    if content_type is None:
        if not any_kind:
            raise UploadRefused("kind")
        content_type = "application/octet-stream"
    private_folder(folder)
    stored_name = secrets.token_hex(16)
    partial = folder / f".{stored_name}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        partial.touch(mode=FILE_MODE)
        partial.chmod(FILE_MODE)
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused("too_large")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRefused("empty")
        os.replace(partial, folder / stored_name)
    finally:
        partial.unlink(missing_ok=True)
    return StoredFile(stored_name, filename, content_type, size, digest.hexdigest())


def path_of(folder: Path, stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", stored_name):
        raise ValueError("not a stored name")
    return folder / stored_name
