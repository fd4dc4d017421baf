"""Back up everything cop holds into one portable archive, and restore it into an empty database,
SQLite or PostgreSQL alike (no Flask here).

The archive is a zip file: ``manifest.json`` (format, migration revision, when, row counts), one
``tables/<table>.jsonl`` per table (a JSON object a row, values written as text where JSON has no
type for them) and ``files/`` with the stored documents and mail attachments. Because it holds
rows rather than SQL, the same archive moves an installation from SQLite to PostgreSQL."""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.sqltypes import Boolean, Date, DateTime, LargeBinary, Numeric, Time

FORMAT = "cop-backup/1"
# Stored files live in these folders of the instance folder.
FILE_FOLDERS = ("documents", "mail-attachments")
BATCH = 1000


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
    """Write the archive; returns the row count of each table."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            lines = [json.dumps(row, ensure_ascii=False) for row in table_rows(connection, table)]
            counts[table.name] = len(lines)
            archive.writestr(f"tables/{table.name}.jsonl", "\n".join(lines))
        files = []
        for folder in FILE_FOLDERS:
            for path in sorted((instance / folder).rglob("*")):
                if path.is_file():
                    name = path.relative_to(instance).as_posix()
                    archive.write(path, f"files/{name}")
                    files.append(name)
        manifest = {
            "format": FORMAT,
            "revision": revision,
            "created_at": datetime.now(UTC).isoformat(),
            "tables": counts,
            "files": len(files),
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError) as error:
        raise BackupError(f"{source} is not a cop backup ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is a backup of another format: {manifest.get('format')}.")
    return manifest


def restore_backup(
    connection: Connection, tables: list[Table], revision: str | None, instance: Path, source: Path
) -> dict[str, int]:
    """Load the archive into an empty database whose schema is at the same revision; the whole
    restore is one transaction, so a failure leaves the database empty."""
    manifest = read_manifest(source)
    if manifest["revision"] != revision:
        raise BackupError(
            f"The backup was made at migration {manifest['revision']}; this database is at "
            f"{revision}. Bring both to the same version first (cop db upgrade)."
        )
    for table in tables:
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"The database is not empty (table {table.name} has rows).")
    counts: dict[str, int] = {}
    with zipfile.ZipFile(source) as archive:
        for table in tables:
            name = f"tables/{table.name}.jsonl"
            if name not in archive.namelist():
                counts[table.name] = 0
                continue
            rows = [json.loads(line) for line in archive.read(name).decode().splitlines() if line]
            counts[table.name] = _insert(connection, table, rows)
        for member in archive.namelist():
            if member.startswith("files/") and not member.endswith("/"):
                destination = (instance / member.removeprefix("files/")).resolve()
                if instance.resolve() not in destination.parents:
                    raise BackupError(f"The archive names a file outside the instance: {member}")
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(member))
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, tables)
    return counts


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
