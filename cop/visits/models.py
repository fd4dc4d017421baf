from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Organisation, Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db


class VisitStatus(LabelledEnum):
    IDEA = "idea"
    PLANNING = "planning"
    CONFIRMED = "confirmed"
    UNDER_WAY = "under_way"
    DONE = "done"
    EVALUATED = "evaluated"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "idea": _l("Idea"),
            "planning": _l("Planning"),
            "confirmed": _l("Confirmed"),
            "under_way": _l("Under way"),
            "done": _l("Done"),
            "evaluated": _l("Evaluated"),
        }


class MembershipRole(LabelledEnum):
    LEAD = "lead"
    PARTICIPANT = "participant"
    HOST = "host"
    INTERPRETER = "interpreter"
    RESEARCHER = "researcher"
    OBSERVER = "observer"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "lead": _l("Lead"),
            "participant": _l("Participant"),
            "host": _l("Host"),
            "interpreter": _l("Interpreter"),
            "researcher": _l("Researcher"),
            "observer": _l("Observer"),
        }


class Programme(db.Model):
    """A series of visits: the scope in which a community of practice is studied."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # ISO 4217 code in which the programme's costs are reported.
    reporting_currency: Mapped[str] = mapped_column(String(3), default="GBP")
    # Blinded double coding: each researcher sees the codes others applied only once they
    # have said they finished coding (research.models.FinishedCoding).
    blind_coding: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visits: Mapped[list[Visit]] = relationship(back_populates="programme")
    researchers: Mapped[list[ProgrammeResearcher]] = relationship(
        back_populates="programme", cascade="all, delete-orphan"
    )


class ProgrammeResearcher(db.Model):
    """A researcher of the installation assigned to study one programme: they read its research
    data (reflections as consent allows, network, evaluation) and nothing of other programmes."""

    __tablename__ = "programme_researcher"
    __table_args__ = (UniqueConstraint("programme_id", "user_id", name="assigned_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="researchers")


class Visit(db.Model):
    __tablename__ = "visit"
    __table_args__ = (
        CheckConstraint(
            "(start_date IS NULL AND end_date IS NULL) OR "
            "(start_date IS NOT NULL AND end_date IS NOT NULL AND end_date >= start_date)",
            name="dates_agreed_together",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    objective: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="SET NULL"), index=True
    )
    host_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    host_city: Mapped[str] = mapped_column(String(120), default="")
    host_country: Mapped[str] = mapped_column(String(2))
    # Dates are the host's calendar days; both empty while the dates are still to be agreed.
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    time_zone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(100), default="en")
    status: Mapped[VisitStatus] = mapped_column(
        stored_enum(VisitStatus, 20), default=VisitStatus.IDEA
    )
    # The visitors' own effort and costs are internal: hosts and interpreters see them only
    # when a lead shares them.
    planning_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme | None] = relationship(back_populates="visits")
    host_organisation: Mapped[Organisation | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )

    @property
    def language_list(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]


class Membership(db.Model):
    """A person's part in one visit, and why they were chosen for it."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("visit_id", "person_id", name="one_role_per_visit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(stored_enum(MembershipRole, 20))
    selection_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")


class RemovedMembership(db.Model):
    """Why a person removed from a visit had been chosen, so that adding them again (a mistake
    put right, a change of mind) does not lose it. One row per person and visit; it goes when
    they are added back."""

    __tablename__ = "removed_membership"
    __table_args__ = (UniqueConstraint("visit_id", "person_id", name="removed_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(stored_enum(MembershipRole, 20))
    selection_reason: Mapped[str] = mapped_column(Text, default="")
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
