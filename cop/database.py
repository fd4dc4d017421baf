"""Column types and helpers shared by every domain's models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, DateTime, Table, event, func, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


# The earliest zone on earth (Kiribati's Line Islands) is 14 hours ahead of UTC.
EARLIEST_OFFSET = timedelta(hours=14)


def latest_today(now: datetime | None = None) -> date:
    """The latest date it is anywhere on earth now: a day after it has not happened for anyone,
    whatever their zone, so records dated after it are refused as in the future."""
    return ((now or utcnow()) + EARLIEST_OFFSET).date()


class UTCDateTime(TypeDecorator):
    """A moment in time, always stored and returned as UTC.

    SQLite keeps no time zone, so values are normalised to UTC on the way in and marked as UTC on
    the way out; the local zone that matters to people is kept in a column beside it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def upsert(connection: Connection, table: Table, key: str, values: dict[str, Any]) -> None:
    """Insert the row, or update it when a row with the same ``key`` column exists, in one
    statement (SQLite and PostgreSQL both have INSERT ... ON CONFLICT)."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(
        insert(table)
        .values(values)
        .on_conflict_do_update(
            index_elements=[table.c[key]],
            set_={name: value for name, value in values.items() if name != key},
        )
    )


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys on, write-ahead log for concurrent readers, and a busy timeout."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class QueryCounter:
    """Counts the SQL statements an engine runs while it is active."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.count += 1
        self.statements.append(statement)


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryCounter]:
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def matches_text(text: str, *columns: Any) -> Any:
    """A case-insensitive "contains" search over columns, taking % and _ in the text literally."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))
