"""Reflections of the people who visit, the codebook researchers code them with, and the actions
at home that follow from what was learned."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.accounts.models import User
from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db
from cop.visits.models import Visit

if TYPE_CHECKING:  # the research room's tables, which point back at reflections and passages
    from cop.research.models import CodedSegment, Memo


class Phase(LabelledEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    FOLLOW_UP_3 = "follow_up_3"
    FOLLOW_UP_6 = "follow_up_6"
    FOLLOW_UP_12 = "follow_up_12"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "before": _l("Before the visit"),
            "during": _l("During the visit"),
            "after": _l("Soon after the visit"),
            "follow_up_3": _l("Follow-up at 3 months"),
            "follow_up_6": _l("Follow-up at 6 months"),
            "follow_up_12": _l("Follow-up at 12 months"),
        }

    @property
    def months_after(self) -> int | None:
        """For a follow-up, how many months after the visit's last day it is due."""
        return {"follow_up_3": 3, "follow_up_6": 6, "follow_up_12": 12}.get(self.value)


class QuestionKind(LabelledEnum):
    TEXT = "text"
    THEME_RATINGS = "theme_ratings"
    SATISFACTION = "satisfaction"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "text": _l("Written answer"),
            "theme_ratings": _l("Self-rating from 1 to 5 for each learning theme"),
            "satisfaction": _l("Rating from 1 to 5"),
        }


class Consent(LabelledEnum):
    """What the writer allows others to do with a reflection."""

    PRIVATE = "private"
    PSEUDONYMISED = "pseudonymised"
    NAMED = "named"
    QUOTABLE = "quotable"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "private": _l("Private: only I can read it"),
            "pseudonymised": _l("Researchers may read it under a pseudonym"),
            "named": _l("Researchers may read it with my name"),
            "quotable": _l("Researchers may read it with my name and quote it in public"),
        }

    @property
    def researchers_read(self) -> bool:
        return self is not Consent.PRIVATE

    @property
    def researchers_see_name(self) -> bool:
        return self in (Consent.NAMED, Consent.QUOTABLE)

    @property
    def quotable_in_public(self) -> bool:
        return self is Consent.QUOTABLE


class ReflectionSource(LabelledEnum):
    WRITTEN = "written"
    INTERVIEW = "interview"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {"written": _l("Written by the participant"), "interview": _l("Interview")}


class GuideQuestion(db.Model):
    """One question of a visit's interview guide, for one phase.

    Questions of the default guide keep their ``default_key`` and are shown in the reader's
    language; a question an organiser has reworded keeps the words they wrote."""

    __tablename__ = "guide_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase] = mapped_column(stored_enum(Phase, 20))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(stored_enum(QuestionKind, 20))
    default_key: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")


class Reflection(db.Model):
    """What one person said or wrote at one phase of a visit."""

    __tablename__ = "reflection"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase] = mapped_column(stored_enum(Phase, 20))
    source: Mapped[ReflectionSource] = mapped_column(
        stored_enum(ReflectionSource, 20), default=ReflectionSource.WRITTEN
    )
    consent: Mapped[Consent] = mapped_column(stored_enum(Consent, 20), default=Consent.PRIVATE)
    # The session a "during" reflection is about.
    itinerary_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("itinerary_item.id", ondelete="SET NULL"), index=True
    )
    satisfaction: Mapped[int | None] = mapped_column()
    # Where the interview's recording is kept (a file name or an address); never the video itself.
    video_reference: Mapped[str] = mapped_column(String(500), default="")
    interviewed_on: Mapped[date | None] = mapped_column(Date)
    # A text source imported from a REFI-QDA project keeps its GUID and name.
    qda_guid: Mapped[str | None] = mapped_column(String(40))
    qda_name: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="rating"),
    )

    visit: Mapped[Visit] = relationship()
    person: Mapped[Person] = relationship()
    created_by: Mapped[User | None] = relationship()
    passages: Mapped[list[Passage]] = relationship(
        back_populates="reflection", cascade="all, delete-orphan", order_by="Passage.position"
    )
    ratings: Mapped[list[SelfRating]] = relationship(
        back_populates="reflection", cascade="all, delete-orphan"
    )
    memos: Mapped[list[Memo]] = relationship(
        back_populates="reflection", cascade="all, delete-orphan", order_by="Memo.created_at"
    )

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class Passage(db.Model):
    """A stretch of a reflection's text that can be coded: a written answer to one question, or
    one speaker's turn in an interview transcript (with its time in the recording)."""

    __tablename__ = "passage"

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflection.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_question.id", ondelete="SET NULL"), index=True
    )
    # The question as the writer read it, kept even if the guide changes later.
    question_text: Mapped[str] = mapped_column(Text, default="")
    speaker: Mapped[str] = mapped_column(String(120), default="")
    # Who the label stands for, decided at transcription ("Iain", "IM" -> the interviewee), so a
    # pseudonymised interviewee is shown under their pseudonym whatever the label says.
    speaker_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    starts_ms: Mapped[int | None] = mapped_column()
    ends_ms: Mapped[int | None] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="")

    reflection: Mapped[Reflection] = relationship(back_populates="passages")
    segments: Mapped[list[CodedSegment]] = relationship(
        back_populates="passage", cascade="all, delete-orphan", order_by="CodedSegment.char_start"
    )


class SelfRating(db.Model):
    """How much someone rates their own knowledge of a learning theme, from 1 to 5."""

    __tablename__ = "self_rating"
    __table_args__ = (
        UniqueConstraint("reflection_id", "code_id", name="one_rating_per_theme"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflection.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column()

    reflection: Mapped[Reflection] = relationship(back_populates="ratings")


class Reminder(db.Model):
    """A reminder already mailed, so that running the reminders again sends nothing twice."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("person_id", "subject", name="reminded_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    # e.g. "reflection:3:follow_up_6" or "action:12:2017-06-30"
    subject: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
