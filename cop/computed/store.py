"""Reading and writing stored results. Plain logic: takes the session, never imports Flask."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from cop.computed.changes import EVERYTHING, PAGES, renew_version
from cop.computed.models import DataVersion, StoredView
from cop.database import upsert, utcnow

log = logging.getLogger("cop.computed")
NEVER = "-"
# A stored result not computed again for this long is removed (nightly, cop.jobs).
KEPT_FOR = timedelta(days=30)
# How long storing a result waits for SQLite's write lock.
STORE_WAIT_MS = 200


@dataclass(frozen=True)
class Versions:
    """The versions of the scopes a result depends on, in the order of the scopes."""

    text: str


@dataclass(frozen=True)
class Stored:
    body: bytes
    computed_at: datetime
    fresh: bool


def _wanted(scopes: Sequence[str]) -> list[str]:
    return [*dict.fromkeys([*scopes, EVERYTHING])]


def _versions_from(known: dict[str, str], scopes: Sequence[str]) -> Versions:
    return Versions(" ".join(known.get(scope, NEVER) for scope in _wanted(scopes)))


def versions(session: Session, scopes: Sequence[str]) -> Versions:
    """One query; ``everything`` is always among the scopes."""
    wanted = _wanted(scopes)
    known = dict(
        session.execute(
            select(DataVersion.scope, DataVersion.version).where(DataVersion.scope.in_(wanted))
        ).all()
    )
    return _versions_from(known, wanted)


def read(session: Session, key: str, current: Versions) -> Stored | None:
    row = session.execute(
        select(StoredView.body, StoredView.versions, StoredView.computed_at).where(
            StoredView.key == key
        )
    ).one_or_none()
    if row is None:
        return None
    return Stored(bytes(row.body), row.computed_at, row.versions == current.text)


def write(session: Session, key: str, computed_from: Versions, body: bytes) -> datetime:
    """Store a result on a connection of its own, so that a page that only reads commits
    nothing of its own. If the database is busy the result is simply not kept (the next view
    computes it again).

    Pages kept as rendered (cop.stored_pages) are made old in the same transaction: one may
    have shown the result before this one, saying it was being computed again. The result's
    row is written first, the pages' version after, as every commit writes versions last
    (so two writers never wait on each other in a circle)."""
    now = utcnow()
    values = {"key": key, "versions": computed_from.text, "body": body, "computed_at": now}
    try:
        with session.get_bind().begin() as connection, _briefly_patient(connection):
            upsert(connection, StoredView.__table__, "key", values)
            renew_version(connection, PAGES, now=now)
    except OperationalError:
        log.warning("the result %s could not be stored; it will be computed again", key)
    return now


@contextmanager
def _briefly_patient(connection: Connection) -> Iterator[None]:
    """On SQLite, wait only a moment for the write lock: the request's own session may hold it
    (a page that wrote before it computed), and a result not kept costs only its computation."""
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {STORE_WAIT_MS}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual)}")


@dataclass(frozen=True)
class Result:
    """A computed value, when it was computed, and whether the data has changed since."""

    value: Any
    computed_at: datetime
    fresh: bool


def _stored_or_computed(
    session: Session,
    key: str,
    scopes: Sequence[str],
    compute: Callable[[], bytes],
    stale_is_enough: bool,
) -> Stored:
    current = versions(session, scopes)
    stored = read(session, key, current)
    if stored is not None and (stored.fresh or stale_is_enough):
        return stored
    body = compute()
    return Stored(body, write(session, key, current, body), True)


def fresh_or_computed(
    session: Session, key: str, scopes: Sequence[str], compute: Callable[[], bytes]
) -> bytes:
    """The stored bytes (a page's HTML, a calendar) while their data is unchanged, else
    computed now and stored."""
    return _stored_or_computed(session, key, scopes, compute, False).body


def stored_or_computed(
    session: Session,
    key: str,
    scopes: Sequence[str],
    compute: Callable[[], Any],
    *,
    stale_is_enough: bool = False,
) -> Result:
    """A Python value (a network report, its pictures) kept like a page. With
    ``stale_is_enough`` a result computed before the latest change is returned as it is (the
    page says how fresh it is, and a worker computes the new one).

    The value is pickled: only cop writes this table, and whoever can write the database can
    change anything cop shows anyway."""
    stored = _stored_or_computed(
        session, key, scopes, lambda: pickle.dumps(compute()), stale_is_enough
    )
    return Result(pickle.loads(stored.body), stored.computed_at, stored.fresh)  # noqa: S301


def stale_keys(session: Session, prefix: str, scopes_of: Callable[[str], Sequence[str]]) -> list:
    """The stored keys starting with ``prefix`` whose data changed after they were computed:
    two queries however many there are (the workers ask after every commit)."""
    keys = session.execute(
        select(StoredView.key, StoredView.versions).where(StoredView.key.startswith(prefix))
    ).all()
    if not keys:
        return []
    known = dict(session.execute(select(DataVersion.scope, DataVersion.version)).all())
    return [
        key
        for key, computed_from in keys
        if _versions_from(known, scopes_of(key)).text != computed_from
    ]


def forget_older_than(session: Session, moment: datetime) -> int:
    """Remove the results computed before ``moment``; how many went."""
    removed = session.execute(delete(StoredView).where(StoredView.computed_at < moment))
    return removed.rowcount or 0
