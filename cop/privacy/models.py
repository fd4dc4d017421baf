from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class AuditEntry(db.Model):
    """Who changed what: one row per record added, changed or removed in a request or command."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # added, changed or removed
    action: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(60), index=True)
    row_id: Mapped[str] = mapped_column(String(60), default="")
    # The names of the fields that changed (never their values: the log must not copy
    # personal data it is meant to account for).
    fields: Mapped[str] = mapped_column(Text, default="")
    # The request (method and path) or the command that made the change.
    origin: Mapped[str] = mapped_column(String(200), default="")


class Erasure(db.Model):
    """That a person was erased, and when: nothing else about them. A restore of an older backup
    erases them again from this register (kept in the instance folder too)."""

    __tablename__ = "erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(index=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
