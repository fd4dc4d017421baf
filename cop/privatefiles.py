"""Files that hold personal data (stored documents, mail attachments, mail written to a folder,
backups, import previews) are readable by cop's own user only, whatever the umask says."""

from __future__ import annotations

import time
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(folder: Path) -> Path:
    """Create a folder (and its parents) that only cop's user may enter."""
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    folder.chmod(FOLDER_MODE)
    return folder


def write_private(path: Path, data: bytes) -> Path:
    """Write a file that only cop's user may read."""
    private_folder(path.parent)
    path.touch(mode=FILE_MODE, exist_ok=True)
    path.chmod(FILE_MODE)
    path.write_bytes(data)
    return path


def remove_older_than(folder: Path, seconds: float, now: float | None = None) -> int:
    """Delete the files of a folder last written more than ``seconds`` ago; returns how many."""
    if not folder.is_dir():
        return 0
    limit = (time.time() if now is None else now) - seconds
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
