"""The marks writes leave and the results computed from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime
from cop.extensions import db


class DataVersion(db.Model):
    """The newest version of one scope of data: a visit (``visit:12``), a programme
    (``programme:3``), ``contacts``, or ``everything`` (people, organisations, interpreters,
    rates: what any view may show)."""

    __tablename__ = "data_version"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StoredView(db.Model):
    """A computed result, with the versions of the data it was computed from."""

    __tablename__ = "stored_view"

    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    versions: Mapped[str] = mapped_column(String(250))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
