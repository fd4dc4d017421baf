"""The audit log: every row added, changed or removed is recorded with who did it and where,
in the same transaction as the change itself."""

from __future__ import annotations

import json
import sys
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from cop.database import utcnow
from cop.links import SignedLink
from cop.mail import OutboxAttachment, OutboxMail
from cop.privacy.logic import SECRET_FIELDS
from cop.privacy.models import AuditEntry

# The log itself, the outbox and short-lived tokens: auditing them would only be noise.
NOT_AUDITED = {
    AuditEntry.__tablename__,
    OutboxMail.__tablename__,
    OutboxAttachment.__tablename__,
    SignedLink.__tablename__,
}


def _who_and_where() -> tuple[int | None, str]:
    if not has_request_context():
        return None, "command: " + " ".join(sys.argv[1:3])
    # The user Flask-Login already loaded; loading one here, mid-flush, is not allowed.
    user = g.get("_login_user")
    user_id = user.id if user is not None and getattr(user, "is_authenticated", False) else None
    return user_id, f"{request.method} {request.path}"


def _changes(session: Session) -> list[dict[str, Any]]:
    rows = []
    for action, objects in (
        ("added", session.new),
        ("changed", session.dirty),
        ("removed", session.deleted),
    ):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in NOT_AUDITED:
                continue
            state = inspect(obj)
            fields: list[str] = []
            if action == "changed":
                fields = sorted(
                    attr.key
                    for attr in state.attrs
                    if attr.key not in SECRET_FIELDS and attr.history.has_changes()
                )
                if not fields:
                    continue
            rows.append(
                {
                    "action": action,
                    "table_name": table,
                    "row_id": _key(state, obj),
                    "fields": ", ".join(fields),
                }
            )
    return rows


def _key(state: Any, obj: Any) -> str:
    """The row's primary key; new rows have theirs once inserted, before the flush ends."""
    key = [value for value in state.mapper.primary_key_from_instance(obj) if value is not None]
    if not key:
        return ""
    return str(key[0]) if len(key) == 1 else json.dumps(key, default=str)


@event.listens_for(Session, "after_flush")
def record_changes(session: Session, _context: Any) -> None:
    """After the flush the new rows have their ids; the session still lists what changed."""
    rows = _changes(session)
    if not rows:
        return
    user_id, where = _who_and_where()
    now = utcnow()
    session.connection().execute(
        insert(AuditEntry.__table__),
        [{**row, "user_id": user_id, "origin": where[:200], "at": now} for row in rows],
    )
