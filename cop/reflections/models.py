"""Reflections of the people who visit, the codebook researchers code them with, and the actions
at home that follow from what was learned."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.accounts.models import User
from cop.database import UTCDateTime, utcnow
from cop.directory.models import Organisation, Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db
from cop.visits.models import Visit


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
        ForeignKey("itinerary_item.id", ondelete="SET NULL")
    )
    satisfaction: Mapped[int | None] = mapped_column()
    # Where the interview's recording is kept (a file name or an address); never the video itself.
    video_reference: Mapped[str] = mapped_column(String(500), default="")
    interviewed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
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
        ForeignKey("guide_question.id", ondelete="SET NULL")
    )
    # The question as the writer read it, kept even if the guide changes later.
    question_text: Mapped[str] = mapped_column(Text, default="")
    speaker: Mapped[str] = mapped_column(String(120), default="")
    # Who the label stands for, decided at transcription ("Iain", "IM" -> the interviewee), so a
    # pseudonymised interviewee is shown under their pseudonym whatever the label says.
    speaker_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    starts_ms: Mapped[int | None] = mapped_column()
    ends_ms: Mapped[int | None] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="")

    reflection: Mapped[Reflection] = relationship(back_populates="passages")
    segments: Mapped[list[CodedSegment]] = relationship(
        back_populates="passage", cascade="all, delete-orphan", order_by="CodedSegment.char_start"
    )


class Code(db.Model):
    """A code of a programme's hierarchical codebook. Codes of the default codebook keep their
    ``default_key`` (their name and definition follow the reader's language) until renamed."""

    __tablename__ = "code"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    default_key: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    definition: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column()

    reflection: Mapped[Reflection] = relationship(back_populates="ratings")


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    passage: Mapped[Passage] = relationship(back_populates="segments")
    code: Mapped[Code] = relationship()
    coder: Mapped[User] = relationship()

    @property
    def quote(self) -> str:
        return self.passage.text[self.char_start : self.char_end]


class Memo(db.Model):
    """A researcher's note on a reflection."""

    __tablename__ = "memo"

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflection.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reflection: Mapped[Reflection] = relationship(back_populates="memos")
    author: Mapped[User | None] = relationship()


class ActionStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "planned": _l("Planned"),
            "in_progress": _l("In progress"),
            "done": _l("Done"),
            "dropped": _l("Dropped"),
        }

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Action(db.Model):
    """Something to change at home because of what was learned on a visit."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    # The learning point it comes from: a passage of the owner's reflection, and in their words.
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passage.id", ondelete="SET NULL"))
    learning_point: Mapped[str] = mapped_column(Text, default="")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="SET NULL"))
    adaptation: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        stored_enum(ActionStatus, 20), default=ActionStatus.PLANNED
    )
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()
    owner: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    theme: Mapped[Code | None] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.created_at"
    )


class ActionUpdate(db.Model):
    """One entry of an action's timeline: a note, and the status it moved to if it changed."""

    __tablename__ = "action_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    status: Mapped[ActionStatus | None] = mapped_column(stored_enum(ActionStatus, 20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[Person | None] = relationship()


class Reminder(db.Model):
    """A reminder already mailed, so that running the reminders again sends nothing twice."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("person_id", "subject", name="reminded_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    # e.g. "reflection:3:follow_up_6" or "action:12:2017-06-30"
    subject: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
