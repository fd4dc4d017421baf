"""Every commit records which scopes of data it changed, with a fresh version for each.

A scope is ``visit:<id>`` (anything that belongs to one visit: its items, members, reflections,
threads, bookings…, found through the row's own ``visit_id`` or its parents'), the visit's
``programme:<id>``, ``contacts`` (a contact may tie people of several programmes) or
``everything`` (people, organisations, interpreters, rates and whatever belongs to no visit:
any view may show them). A row whose scope cannot be told counts as ``everything``, so a
stored result is never read after the data behind it changed; at worst it is computed once
more than needed.

The versions are written in the transaction that made the change, just before it commits, one
scope at a time in a fixed order (so two transactions never wait on each other in a circle);
a rolled-back transaction leaves none."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import Connection, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.interfaces import MANYTOONE
from sqlalchemy.sql.elements import Label

from cop.computed.models import DataVersion, StoredView
from cop.database import upsert, utcnow

EVERYTHING = "everything"
CONTACTS = "contacts"
# Every commit that wrote a row any page may show gives this scope a fresh version: the pages
# kept as rendered (cop.stored_pages) are kept under it.
PAGES = "pages"
CHANGED_KEY = "cop.computed.changed"
PAGES_CHANGED_KEY = "cop.computed.pages_changed"
# What the transaction being committed changed, for whoever acts after the commit (cop.queue).
COMMITTED_KEY = "cop.computed.committed"

# Rows no computed view shows: the outbox, the audit log, sign-in sessions and links, accounts
# (a view's access is checked before it is read, never stored), the translation memory,
# messages being written, the library of visit designs, and this module's own tables.
NOT_SHOWN = frozenset(
    {
        "outbox_mail",
        "outbox_attachment",
        "audit_entry",
        "sign_in_session",
        "signed_link",
        "user_account",
        "translation_memory",
        "reminder",
        "message_draft",
        "visit_design",
        DataVersion.__tablename__,
        StoredView.__tablename__,
    }
)
# Rows no page kept as rendered shows: what was computed from the others, the outbox (only its
# own page, which is never kept, shows it; the workers write it twice a mail) and sign-in
# sessions (a kept page checks its reader's own on every request; no page lists them).
NOT_ON_PAGES = frozenset(
    {
        DataVersion.__tablename__,
        StoredView.__tablename__,
        "outbox_mail",
        "outbox_attachment",
        "sign_in_session",
    }
)
# Columns whose change alone no page shows: when a personal link was last used (calendar apps
# fetch a feed every few minutes, and would make every kept page old each time) and when an
# account last signed in.
NOT_ON_PAGES_COLUMNS = {
    "signed_link": frozenset({"last_used_at"}),
    "user_account": frozenset({"last_sign_in_at"}),
}
# How many parents up a row's visit is looked for (a coded segment's passage's reflection).
PARENT_DEPTH = 3


def pages_version() -> Label[str]:
    """The version of the data kept pages are kept under, as a column of a larger query."""
    version = select(DataVersion.version).where(DataVersion.scope == PAGES).scalar_subquery()
    return version.label("pages_version")


def visit_scope(visit_id: int) -> str:
    return f"visit:{visit_id}"


def programme_scope(programme_id: int) -> str:
    return f"programme:{programme_id}"


def _column_values(state: Any, name: str) -> set[int]:
    """The column's value now and, for a changed row, before the change."""
    if name not in state.mapper.columns:
        return set()
    history = state.attrs[name].history
    values = {*history.added, *history.unchanged, *history.deleted}
    if not values:
        values = {getattr(state.obj(), name, None)}
    return {value for value in values if value is not None}


def _owners(obj: Any, depth: int = PARENT_DEPTH) -> set[str] | None:
    """The visit or programme scopes a row belongs to, or None when it belongs to neither."""
    state = inspect(obj)
    if state.mapper.local_table.name == "visit":
        return {visit_scope(obj.id)} | {
            programme_scope(p) for p in _column_values(state, "programme_id")
        }
    if state.mapper.local_table.name == "programme":
        return {programme_scope(obj.id)}
    visits = _column_values(state, "visit_id")
    if visits:
        return {visit_scope(v) for v in visits}
    programmes = _column_values(state, "programme_id")
    if programmes:
        return {programme_scope(p) for p in programmes}
    if depth == 0:
        return None
    found: set[str] = set()
    for relationship in state.mapper.relationships:
        if relationship.direction is not MANYTOONE:
            continue
        try:
            parent = getattr(obj, relationship.key)
        except Exception:  # noqa: BLE001 - a parent gone with the row: count it as everything
            return None
        if parent is not None and relationship.mapper.local_table.name not in (
            "person",
            "organisation",
            "user_account",
        ):
            owners = _owners(parent, depth - 1)
            if owners:
                found |= owners
    return found or None


def scopes_of(obj: Any) -> set[str]:
    table = getattr(obj, "__tablename__", None)
    if table is None or table in NOT_SHOWN:
        return set()
    owners = _owners(obj)
    if table == "contact":
        return {CONTACTS} | (owners or set())
    return owners if owners else {EVERYTHING}


def _really_changed(obj: Any) -> bool:
    state = inspect(obj)
    return any(attr.history.has_changes() for attr in state.attrs)


def _on_pages(obj: Any, *, changed_only: bool = False) -> bool:
    """Whether a row added, removed or (``changed_only``) changed is one pages may show."""
    table = getattr(obj, "__tablename__", None)
    if table in NOT_ON_PAGES:
        return False
    unseen = NOT_ON_PAGES_COLUMNS.get(table)
    if not changed_only or unseen is None:
        return True
    changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
    return not changed <= unseen


@event.listens_for(Session, "after_flush")
def _remember_changed_scopes(session: Session, _context: Any) -> None:
    changed: set[str] = session.info.setdefault(CHANGED_KEY, set())
    added_or_removed = [*session.new, *session.deleted]
    modified = [obj for obj in session.dirty if _really_changed(obj)]
    for obj in (*added_or_removed, *modified):
        changed |= scopes_of(obj)
    if any(map(_on_pages, added_or_removed)) or any(
        _on_pages(obj, changed_only=True) for obj in modified
    ):
        session.info[PAGES_CHANGED_KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _remember_bulk_writes(state: ORMExecuteState) -> None:
    """UPDATE, DELETE and INSERT statements run on the session (erasure, rate imports) pass
    no flush: the scope of their table's rows is not known, so they change everything."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table_name = getattr(getattr(state.statement, "table", None), "name", None)
    if table_name not in NOT_ON_PAGES:
        state.session.info[PAGES_CHANGED_KEY] = True
    if table_name in NOT_SHOWN:
        return
    state.session.info.setdefault(CHANGED_KEY, set()).add(EVERYTHING)


@event.listens_for(Session, "before_commit")
def _write_versions(session: Session) -> None:
    pending = session.new or session.dirty or session.deleted
    if not (session.info.get(CHANGED_KEY) or session.info.get(PAGES_CHANGED_KEY) or pending):
        return
    session.flush()
    changed = session.info.pop(CHANGED_KEY, set())
    pages = session.info.pop(PAGES_CHANGED_KEY, False)
    if changed or pages:
        # Only the scopes of computed results are handed on: their refresh is queued.
        session.info[COMMITTED_KEY] = bump(session, changed, pages=pages)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, _previous: Any) -> None:
    # A savepoint rolled back inside a transaction keeps what the transaction changed before
    # it (bumping too much is harmless; too little would show stale results).
    if not session.in_transaction():
        session.info.pop(CHANGED_KEY, None)
        session.info.pop(PAGES_CHANGED_KEY, None)
        session.info.pop(COMMITTED_KEY, None)


def bump(session: Session, scopes: Iterable[str], *, pages: bool = False) -> set[str]:
    """Give each scope (and the programmes of the visits among them) a fresh version, and the
    pages one too when ``pages``; returns the scopes of computed results given one."""
    scopes = set(scopes)
    visit_ids = [int(s.split(":")[1]) for s in scopes if s.startswith("visit:")]
    if visit_ids:
        from cop.visits.models import Visit

        scopes |= {
            programme_scope(programme_id)
            for programme_id in session.scalars(
                select(Visit.programme_id).where(
                    Visit.id.in_(visit_ids), Visit.programme_id.is_not(None)
                )
            )
        }
    now, version = utcnow(), uuid4().hex
    connection = session.connection()
    for scope in sorted(scopes | {PAGES} if pages else scopes):
        renew_version(connection, scope, version, now)
    return scopes


def renew_version(
    connection: Connection, scope: str, version: str | None = None, now: datetime | None = None
) -> None:
    """Give ``scope`` a fresh version (or ``version``) in the transaction of ``connection``."""
    values = {"scope": scope, "version": version or uuid4().hex, "changed_at": now or utcnow()}
    upsert(connection, DataVersion.__table__, "scope", values)
