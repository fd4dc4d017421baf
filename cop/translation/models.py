from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class GlossaryTerm(db.Model):
    """A term that does not translate one-to-one, usable in both directions; global, or for one
    visit when ``visit_id`` is set."""

    __tablename__ = "glossary_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    language_a: Mapped[str] = mapped_column(String(8))
    term_a: Mapped[str] = mapped_column(String(200))
    language_b: Mapped[str] = mapped_column(String(8))
    # Empty when there is no equivalent: the term is then kept as it is and explained.
    term_b: Mapped[str] = mapped_column(String(200), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    do_not_translate: Mapped[bool] = mapped_column(Boolean, default=False)
    domain: Mapped[str] = mapped_column(String(100), default="")
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MemoryEntry(db.Model):
    """A translated segment kept for reuse; a person's reviewed version wins over the machine's."""

    __tablename__ = "translation_memory"
    __table_args__ = (
        UniqueConstraint("source_language", "target_language", "segment_key", "reviewed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    # The normalised source text (white space folded), which identical segments share.
    segment_key: Mapped[str] = mapped_column(String(64), index=True)
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    provider: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
