"""Back up everything cop holds into one portable archive, and restore it into an empty database,
SQLite or PostgreSQL alike (no Flask here).

The archive is a zip file: ``manifest.json`` (format, migration revision, when, the row count and
checksum of every table file, the size and checksum of every stored file), one
``tables/<table>.jsonl`` per table (a JSON object a row, values written as text where JSON has no
type for them) and ``files/`` with the stored documents and mail attachments. Because it holds
rows rather than SQL, the same archive moves an installation from SQLite to PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.sqltypes import Boolean, Date, DateTime, LargeBinary, Numeric, Time

from cop.documents.storage import FILE_FOLDERS

FORMAT = "cop-backup/2"
# Stored files live in these folders of the instance folder.
BATCH = 1000
CHUNK = 1024 * 1024


class BackupError(ValueError):
    """The archive cannot be restored here; the message says why."""


def json_value(value: Any) -> Any:
    """A column value as JSON can hold it: dates and times as ISO text, decimals as text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decoder(column: Any):
    kind = column.type
    impl = getattr(kind, "impl", kind)
    if isinstance(impl, DateTime):

        def as_datetime(value: str) -> datetime:
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

        return as_datetime
    if isinstance(impl, Date):
        return date.fromisoformat
    if isinstance(impl, Time):
        return time.fromisoformat
    if isinstance(impl, Numeric):
        return Decimal
    if isinstance(impl, Boolean):
        return bool
    if isinstance(impl, LargeBinary):
        return base64.b64decode
    return None


def table_rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of a table as JSON-ready values, in primary-key order."""
    order = list(table.primary_key.columns) or list(table.columns)
    for row in connection.execute(select(table).order_by(*order)).mappings():
        yield {key: json_value(value) for key, value in row.items()}


def write_backup(
    connection: Connection, tables: list[Table], revision: str | None, instance: Path, target: Path
) -> dict[str, int]:
    """Write the archive; returns the row count of each table. The manifest holds the row count
    and SHA-256 of every table file and the size and SHA-256 of every stored file, so a restore
    can tell a whole archive from one that was cut, edited or padded."""
    counts: dict[str, int] = {}
    table_sums: dict[str, dict[str, Any]] = {}
    files: list[dict[str, Any]] = []
    target.touch(mode=0o600, exist_ok=True)
    target.chmod(0o600)  # it holds every person's data
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            lines = [json.dumps(row, ensure_ascii=False) for row in table_rows(connection, table)]
            body = "\n".join(lines).encode()
            counts[table.name] = len(lines)
            table_sums[table.name] = {
                "rows": len(lines),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
            archive.writestr(f"tables/{table.name}.jsonl", body)
        for folder in FILE_FOLDERS:
            for path in sorted((instance / folder).rglob("*")):
                if path.is_file():
                    name = path.relative_to(instance).as_posix()
                    data = path.read_bytes()
                    archive.writestr(f"files/{name}", data)
                    files.append(
                        {
                            "name": name,
                            "size": len(data),
                            "sha256": hashlib.sha256(data).hexdigest(),
                        }
                    )
        manifest = {
            "format": FORMAT,
            "revision": revision,
            "created_at": datetime.now(UTC).isoformat(),
            "tables": table_sums,
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


@dataclass(frozen=True)
class Limits:
    """How much a restore reads at most, so that a crafted archive (a zip bomb) cannot fill the
    memory or the disk: per member once unpacked, and in all."""

    member_bytes: int = 1024**3
    total_bytes: int = 32 * 1024**3
    manifest_bytes: int = 16 * 1024**2


def _chunks(archive: zipfile.ZipFile, name: str, limit: int, budget: list[int]) -> Iterator[bytes]:
    """A member's bytes in chunks, refused as soon as it is larger than allowed: the sizes a zip
    file declares are not trusted (a zip bomb declares little and unpacks to a lot)."""
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            budget[0] -= len(chunk)
            if size > limit:
                raise BackupError(f"{name} is larger than a restore accepts ({limit} bytes).")
            if budget[0] < 0:
                raise BackupError("The archive unpacks to more than a restore accepts.")
            yield chunk


def _read_limited(archive: zipfile.ZipFile, name: str, limit: int, budget: list[int]) -> bytes:
    return b"".join(_chunks(archive, name, limit, budget))


def _copy_limited(
    archive: zipfile.ZipFile, name: str, target: Path, limit: int, budget: list[int]
) -> str:
    """Stream a member to a file; returns its SHA-256."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for chunk in _chunks(archive, name, limit, budget):
            digest.update(chunk)
            out.write(chunk)
    target.chmod(0o600)
    return digest.hexdigest()


def read_manifest(source: Path, limits: Limits | None = None) -> dict[str, Any]:
    limits = limits or Limits()
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(
                _read_limited(archive, "manifest.json", limits.manifest_bytes, [limits.total_bytes])
            )
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError, UnicodeError) as error:
        raise BackupError(f"{source} is not a cop backup ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(
            f"{source} is a backup of another format ({found}); this cop restores {FORMAT}, "
            "whose manifest carries the checksums a restore verifies."
        )
    return manifest


def _safe_file_name(name: Any) -> str:
    """A stored file's name as the manifest gives it, only inside the folders of stored files."""
    if not isinstance(name, str) or "\\" in name or "\x00" in name:
        raise BackupError(f"The archive names a file that cannot be stored: {name!r}.")
    parts = PurePosixPath(name).parts
    if (
        len(parts) < 2
        or parts[0] not in FILE_FOLDERS
        or any(part in {"", ".", ".."} for part in parts)
        or PurePosixPath(name).is_absolute()
    ):
        raise BackupError(
            f"The archive names a file outside the stored documents and attachments: {name}. "
            "A restore writes only those, never settings or keys."
        )
    return name


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any], tables: list[Table]) -> None:
    """Every member is one the manifest accounts for, and every table and file it lists is there."""
    declared_tables = manifest.get("tables")
    declared_files = manifest.get("files")
    if not isinstance(declared_tables, dict) or not isinstance(declared_files, list):
        raise BackupError("The manifest does not list the tables and files.")
    known = {table.name for table in tables}
    missing = sorted(known - set(declared_tables))
    if missing:
        raise BackupError(f"The archive lacks tables this database has: {', '.join(missing)}.")
    unknown = sorted(set(declared_tables) - known)
    if unknown:
        raise BackupError(f"The archive has tables this database does not: {', '.join(unknown)}.")
    expected = {"manifest.json", *(f"tables/{name}.jsonl" for name in known)}
    for entry in declared_files:
        if not isinstance(entry, dict):
            raise BackupError("The manifest's list of files is not readable.")
        expected.add(f"files/{_safe_file_name(entry.get('name'))}")
    present = {info.filename for info in archive.infolist() if not info.is_dir()}
    for name in sorted(present - expected):
        if name.startswith("files/"):
            _safe_file_name(name.removeprefix("files/"))
        raise BackupError(f"The archive holds {name}, which its manifest does not account for.")
    absent = sorted(expected - present)
    if absent:
        raise BackupError(f"The archive lacks {', '.join(absent)}, which its manifest lists.")


def restore_backup(
    connection: Connection,
    tables: list[Table],
    revision: str | None,
    instance: Path,
    source: Path,
    limits: Limits | None = None,
) -> dict[str, int]:
    """Load the archive into an empty database whose schema is at the same revision. Every
    member is checked against the manifest (names, sizes, row counts, checksums) as it is read;
    any mismatch refuses the whole restore. The rows go in one transaction (a failure leaves the
    database empty) and the stored files are written only once every table was loaded: a
    restore writes data and stored files, nothing else of the instance folder."""
    limits = limits or Limits()
    manifest = read_manifest(source, limits)
    if manifest.get("revision") != revision:
        raise BackupError(
            f"The backup was made at migration {manifest.get('revision')}; this database is at "
            f"{revision}. Bring both to the same version first (cop db upgrade)."
        )
    for table in tables:
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"The database is not empty (table {table.name} has rows).")
    budget = [limits.total_bytes]
    counts: dict[str, int] = {}
    try:
        with zipfile.ZipFile(source) as archive:
            _check_members(archive, manifest, tables)
            for table in tables:
                declared = manifest["tables"][table.name]
                name = f"tables/{table.name}.jsonl"
                body = _read_limited(archive, name, limits.member_bytes, budget)
                _verify(name, body, declared.get("sha256"))
                rows = [json.loads(line) for line in body.decode().splitlines() if line]
                if len(rows) != declared.get("rows") or not all(isinstance(r, dict) for r in rows):
                    raise BackupError(
                        f"{name} holds {len(rows)} rows; the manifest says {declared.get('rows')}."
                    )
                counts[table.name] = _insert(connection, table, rows)
            _restore_files(archive, manifest["files"], instance, limits, budget)
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeError, OSError) as error:
        raise BackupError(f"The archive cannot be read ({error}).") from error
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, tables)
    return counts


def _restore_files(
    archive: zipfile.ZipFile,
    entries: list[dict[str, Any]],
    instance: Path,
    limits: Limits,
    budget: list[int],
) -> None:
    """Unpack the stored files into a staging folder, checking each, and move them into place
    only when all are good."""
    root = instance.resolve()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".restore-") as staging:
        staged = []
        for number, entry in enumerate(entries):
            name = f"files/{entry['name']}"
            target = Path(staging) / str(number)
            found = _copy_limited(archive, name, target, limits.member_bytes, budget)
            if found != entry.get("sha256"):
                raise BackupError(
                    f"{name} does not match its checksum in the manifest: it was changed."
                )
            destination = (root / entry["name"]).resolve()
            if root not in destination.parents:
                raise BackupError(f"The archive names a file outside the instance: {name}")
            staged.append((target, destination))
        for target, destination in staged:
            destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(target, destination)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verify(name: str, data: bytes, declared: Any) -> None:
    if _sha256(data) != declared:
        raise BackupError(f"{name} does not match its checksum in the manifest: it was changed.")


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    decoders = {column.name: _decoder(column) for column in table.columns}
    # A table that refers to itself (a code under its parent code): insert the rows without
    # those references first, then set them, so the order of rows does not matter.
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    decoded = []
    for row in rows:
        values = {
            key: (decoders[key](value) if value is not None and decoders.get(key) else value)
            for key, value in row.items()
            if key in decoders
        }
        decoded.append(values)
    first = [{**values, **dict.fromkeys(own)} for values in decoded]
    for start in range(0, len(first), BATCH):
        connection.execute(insert(table), first[start : start + BATCH])
    if own:
        key = table.primary_key.columns.values()[0]
        for values in decoded:
            links = {name: values[name] for name in own if values.get(name) is not None}
            if links:
                connection.execute(update(table).where(key == values[key.name]).values(**links))
    return len(rows)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """After rows came in with their ids, new rows must be numbered after them."""
    for table in tables:
        columns = table.primary_key.columns.values()
        if len(columns) != 1 or columns[0].name != "id":
            continue
        highest = select(func.max(table.c.id)).scalar_subquery()
        connection.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table.name, "id"),
                    func.coalesce(highest, 0) + 1,
                    False,
                )
            )
        )
