"""A programme's library of visit designs: what one visit taught about organising one, kept to
start the next from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.visits.models import Programme, Visit


class VisitDesign(db.Model):
    """A design as its file holds it (``cop.designs.logic``: itinerary skeleton by relative
    day, interview guide, codebook, social-media protocol, checklist, glossary terms), named
    and described for the library. It names no one: people are not part of a design."""

    __tablename__ = "visit_design"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The visit it was taken from, in this installation (none when it came as a file).
    source_visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="SET NULL"), index=True
    )
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship()
    source_visit: Mapped[Visit | None] = relationship()
    added_by: Mapped[Person | None] = relationship()
