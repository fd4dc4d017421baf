from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db


class Channel(LabelledEnum):
    EMAIL = "email"
    PHONE = "phone"
    VIDEO = "video"
    MEETING = "meeting"
    EVENT = "event"
    SOCIAL = "social"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "email": _l("Email"),
            "phone": _l("Phone"),
            "video": _l("Video call"),
            "meeting": _l("Meeting in person"),
            "event": _l("Conference or event"),
            "social": _l("Social media"),
            "other": _l("Other"),
        }


class TieSource(LabelledEnum):
    """Where a tie comes from; analysis can include or leave out each kind."""

    LOGGED = "logged"
    IMPORTED = "imported"
    SURVEY = "survey"
    CORRESPONDENCE = "correspondence"
    CO_ATTENDANCE = "co_attendance"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "logged": _l("Logged contacts"),
            "imported": _l("Imported contacts"),
            "survey": _l("Network survey answers"),
            "correspondence": _l("Messages between known people"),
            "co_attendance": _l("Attending the same itinerary item"),
        }


class Contact(db.Model):
    """One contact between two practitioners; ``from`` started it unless ``mutual``."""

    __tablename__ = "contact"
    __table_args__ = (CheckConstraint("from_person_id <> to_person_id", name="two_people"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    to_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[Channel] = mapped_column(stored_enum(Channel, 20), default=Channel.OTHER)
    topic: Mapped[str] = mapped_column(String(300), default="")
    # Who started it: the "from" person, or both (a meeting neither side called).
    mutual: Mapped[bool] = mapped_column(default=False)
    source: Mapped[TieSource] = mapped_column(stored_enum(TieSource, 20), default=TieSource.LOGGED)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="SET NULL"), index=True
    )
    logged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_person: Mapped[Person] = relationship(foreign_keys=[from_person_id])
    to_person: Mapped[Person] = relationship(foreign_keys=[to_person_id])


class Frequency(LabelledEnum):
    """How often, in a survey's period; the tie's weight follows."""

    ONCE_OR_TWICE = "once_or_twice"
    MONTHLY = "monthly"
    WEEKLY = "weekly"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "once_or_twice": _l("Once or twice"),
            "monthly": _l("About monthly"),
            "weekly": _l("Weekly or more"),
        }

    @property
    def weight(self) -> int:
        return {"once_or_twice": 1, "monthly": 2, "weekly": 3}[self.value]


class SurveyWave(db.Model):
    """One round of the name-generator questionnaire ("whom did you contact about PB in the
    last three months, how often?"), at baseline or at a follow-up."""

    __tablename__ = "survey_wave"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    # The day the question refers to: contacts in the ``months`` before it.
    asked_on: Mapped[date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(default=3)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    respondents: Mapped[list[SurveyRespondent]] = relationship(
        back_populates="wave", cascade="all, delete-orphan", order_by="SurveyRespondent.id"
    )


class SurveyRespondent(db.Model):
    __tablename__ = "survey_respondent"
    __table_args__ = (UniqueConstraint("wave_id", "person_id", name="asked_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_wave.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a reminder went to someone who had not answered (each is reminded once).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    wave: Mapped[SurveyWave] = relationship(back_populates="respondents")
    person: Mapped[Person] = relationship()
    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answer"
    __table_args__ = (UniqueConstraint("respondent_id", "named_person_id", name="named_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("survey_respondent.id", ondelete="CASCADE"), index=True
    )
    named_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    frequency: Mapped[Frequency] = mapped_column(stored_enum(Frequency, 20))
