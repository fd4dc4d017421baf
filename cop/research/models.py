"""The research room's tables: a programme's codebook, the codes coders apply to passages of
reflections, and memos on reflections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.accounts.models import User
from cop.database import UTCDateTime, utcnow
from cop.extensions import db
from cop.reflections.models import Passage, Reflection


class Code(db.Model):
    """A code of a programme's hierarchical codebook. Codes of the default codebook keep their
    ``default_key`` (their name and definition follow the reader's language) until renamed."""

    __tablename__ = "code"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("code.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    default_key: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    definition: Mapped[str] = mapped_column(Text, default="")
    # A code imported from a REFI-QDA codebook or project keeps its GUID, so that exporting it
    # again (or importing the file twice) is recognised as the same code.
    qda_guid: Mapped[str | None] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(7), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CodedSegment(db.Model):
    """A code one coder applied to characters ``char_start`` up to ``char_end`` of a passage."""

    __tablename__ = "coded_segment"
    __table_args__ = (
        UniqueConstraint(
            "passage_id", "code_id", "coder_id", "char_start", "char_end", name="coded_once"
        ),
        CheckConstraint("char_start >= 0 AND char_end > char_start", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    char_start: Mapped[int] = mapped_column()
    char_end: Mapped[int] = mapped_column()
    # The GUID of the REFI-QDA selection it was imported from.
    qda_guid: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    passage: Mapped[Passage] = relationship(back_populates="segments")
    code: Mapped[Code] = relationship()
    coder: Mapped[User] = relationship()

    @property
    def quote(self) -> str:
        return self.passage.text[self.char_start : self.char_end]


class FinishedCoding(db.Model):
    """A researcher said they had finished coding a programme's reflections: where coding is
    blind, from then on they see the codes the others applied."""

    __tablename__ = "finished_coding"
    __table_args__ = (UniqueConstraint("programme_id", "coder_id", name="finished_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    coder_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coder: Mapped[User] = relationship()


class Memo(db.Model):
    """A researcher's note on a reflection."""

    __tablename__ = "memo"

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflection.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reflection: Mapped[Reflection] = relationship(back_populates="memos")
    author: Mapped[User | None] = relationship()
